const CE_SOURCE = /^\/councils\/([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)$/;

/**
 * Reads the council and system out of a CloudEvents `ce_source` of the form `/councils/<slug>/<system>`.
 * Returns `undefined` for anything else (the caller sends such a record to the DLQ).
 */
export function parseCeSource(ceSource: string): { council: string; system: string } | undefined {
  const match = CE_SOURCE.exec(ceSource);
  return match === null ? undefined : { council: match[1]!, system: match[2]! };
}

/** The `ce_source` of a council's system. */
export function ceSourceOf(council: string, system: string): string {
  return `/councils/${council}/${system}`;
}
