/**
 * Thrown once, at start-up, when the partnership configuration is wrong. The message lists every
 * problem, each naming the file and the field, so one restart fixes them all.
 */
export class PartnershipConfigError extends Error {
  readonly code = 'CONFIG.PARTNERSHIP_INVALID';

  constructor(readonly problems: readonly string[]) {
    super(
      `Partnership configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); fix and restart:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'PartnershipConfigError';
  }
}
