import { parseSource, sourceBytes } from './bench-record.factory';
import { seededRandom } from '../generators/seeded-random.util';
import { RecordMix, setWeights } from './record-mix.planner';

const SAMPLES = 25;

/**
 * Maps a sample of every source's records in-process and drops sources whose records do not map (a synthetic
 * generator that cannot satisfy a mapping's rules), moving them to `excluded` with the first error.
 */
export async function verifyRecordMix(
  mix: RecordMix,
  domainWeights: Readonly<Record<string, number>>,
): Promise<void> {
  const rnd = seededRandom(7);
  for (const source of [...mix.sources]) {
    let problem: string | undefined;
    for (let n = 0; n < SAMPLES && !problem; n++) {
      const generated = source.generator.make(1_000_000 + n, rnd);
      const parsed = parseSource(sourceBytes(generated), source.contentType);
      if (!parsed.ok) {
        problem = `sample does not parse: ${parsed.error.reason}`;
        break;
      }
      const mapped = await source.mapping.map(parsed.value.record, {
        eventId: `verify-${n}`,
        row: n + 1,
        fileId: 'verify',
      });
      if (!mapped.ok) problem = `sample does not map: ${mapped.errors.map((e) => e.message).join('; ')}`;
    }
    if (problem) {
      mix.sources.splice(mix.sources.indexOf(source), 1);
      mix.excluded.push({
        source: source.id,
        reason: `${source.generator.handWritten ? 'hand-written' : 'synthetic'} generator: ${problem}`,
      });
    }
  }
  if (mix.sources.length === 0)
    throw new Error(
      `no record source is usable: ${mix.excluded.map((e) => `${e.source}: ${e.reason}`).join('; ')}`,
    );
  setWeights(mix.sources, domainWeights);
}
