import { checkPublishedSchemas, writeSchemas } from '@hub/canonical';
import { ALL_ENTITIES } from './index';

/**
 * The v1 promise: every entity's schema, regenerated from its model, must not break the schema committed
 * under libs/canonical/schemas/. To publish a new entity or an additive change, run
 *   UPDATE_SCHEMAS=1 npx jest --selectProjects unit libs/domains/src/published-schemas.spec.ts
 * and commit the files. A breaking change is never written: give the entity a new version instead.
 */
// The one place a spec reads the environment: a developer's switch, not configuration.
// eslint-disable-next-line no-restricted-properties
const update = process.env['UPDATE_SCHEMAS'] === '1';

describe('published canonical schemas', () => {
  const statuses = update ? writeSchemas(ALL_ENTITIES) : checkPublishedSchemas(ALL_ENTITIES);

  it.each(statuses.map((s) => [s.schemaId, s] as const))(
    '%s does not break its published version',
    (_id, status) => {
      expect(status.breaks).toEqual([]);
      expect(status.status).not.toBe('breaking');
    },
  );

  it.each(statuses.map((s) => [s.schemaId, s] as const))(
    '%s is published and up to date (else run with UPDATE_SCHEMAS=1)',
    (_id, status) => {
      expect(update ? 'same' : status.status).toBe('same');
    },
  );
});
