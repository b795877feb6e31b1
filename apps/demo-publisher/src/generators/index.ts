import { DemoFileGenerator, DemoGenerator } from '../demo-generator';
import { financeFileGenerators, financeGenerators } from './finance.generators';
import { hrFileGenerators, hrGenerators } from './hr.generators';
import { crmGenerators } from './crm.generators';
import { wasteFileGenerators, wasteGenerators } from './waste.generators';

/**
 * Every demo generator, by the mapping id whose layout it produces. A domain adds its generators here
 * when it adds council mappings; a feed without a generator is simply not part of the demo traffic.
 */
export const DEMO_GENERATORS: ReadonlyMap<string, DemoGenerator> = new Map(
  [...financeGenerators, ...hrGenerators, ...crmGenerators, ...wasteGenerators].map((g) => [g.mappingId, g]),
);

/** Every file-export generator, by the mapping id of the feed's file mapping. */
export const DEMO_FILE_GENERATORS: ReadonlyMap<string, DemoFileGenerator> = new Map(
  [...financeFileGenerators, ...hrFileGenerators, ...wasteFileGenerators].map((g) => [g.mappingId, g]),
);
