import type { MappingFiles } from '@hub/mapping';
import { financeSpendGenerators } from './finance-spend.generators';
import type { SourceRecordGenerator } from './generator.types';
import { syntheticGenerator } from './synthetic-record.generator';

/**
 * Hand-written generators by mapping id. A domain adding council mappings adds its generators here
 * (a file per domain beside finance-spend.generators.ts); until then its mappings get synthetic records.
 */
export const HAND_WRITTEN_GENERATORS: ReadonlyMap<string, SourceRecordGenerator> = new Map(
  [...financeSpendGenerators].map((g) => [g.mappingId, g]),
);

/** The generator for a mapping: the hand-written one, else one synthesised from its mapping file. */
export function generatorFor(
  mappingId: string,
  files: MappingFiles,
  allowSynthetic: boolean,
): SourceRecordGenerator | undefined {
  const handWritten = HAND_WRITTEN_GENERATORS.get(mappingId);
  if (handWritten) return handWritten;
  if (!allowSynthetic) return undefined;
  const file = files.mappings.find((f) => (f.content as { id?: unknown } | null)?.id === mappingId);
  return file ? syntheticGenerator(file, files) : undefined;
}
