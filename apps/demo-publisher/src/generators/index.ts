import { DemoGenerator } from '../demo-generator';
import { financeGenerators } from './finance.generators';

/**
 * Every demo generator, by the mapping id whose layout it produces. A domain adds its generators here
 * when it adds council mappings; a feed without a generator is simply not part of the demo traffic.
 */
export const DEMO_GENERATORS: ReadonlyMap<string, DemoGenerator> = new Map(
  [...financeGenerators].map((g) => [g.mappingId, g]),
);
