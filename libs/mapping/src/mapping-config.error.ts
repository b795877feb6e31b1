/**
 * Thrown once, at start-up, when mapping files or their references to the partnership config are wrong.
 * The message lists every problem, each naming the file and the field, so one restart fixes them all.
 */
export class MappingConfigError extends Error {
  readonly code = 'CONFIG.MAPPING_INVALID';

  constructor(readonly problems: readonly string[]) {
    super(
      `Mapping configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); fix and restart:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'MappingConfigError';
  }
}
