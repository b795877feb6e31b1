import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { EntityDefinition } from './entity-definition.model';
import type { JsonSchema } from './json-schema.types';
import { checkCompatibility, type SchemaBreak } from './schema-compat.checker';
import { generateSchemas } from './schema.generator';

/**
 * Published schemas: one committed file per schema id, `libs/canonical/schemas/<schemaId>.json`.
 *
 * They are regenerated from the models, never edited by hand. A spec compares the generated schemas with
 * the committed ones on every test run; to publish an additive change run
 * `UPDATE_SCHEMAS=1 npx jest --selectProjects unit libs/domains/src/published-schemas.spec.ts`.
 * A breaking change is never written over a published version: give the entity a new version instead.
 */

/** The committed schema directory, found from this file in the source tree or under `dist/`. */
export function publishedSchemasDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'libs', 'canonical', 'schemas');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return resolve(__dirname, '..', 'schemas');
  }
}

/** The stable text of a schema file (2-space JSON, trailing newline), so diffs stay small. */
export function schemaFileText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Reads a published schema, or `undefined` when that schema id was never published. */
export function readPublishedSchema(
  schemaId: string,
  dir: string = publishedSchemasDir(),
): JsonSchema | undefined {
  const file = join(dir, `${schemaId}.json`);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
}

/** State of one entity's generated schema against its published file. */
export interface SchemaSnapshotStatus {
  readonly schemaId: string;
  /** `new`: never published; `same`: identical; `compatible`: additive change; `breaking`: see `breaks`. */
  readonly status: 'new' | 'same' | 'compatible' | 'breaking';
  readonly breaks: readonly SchemaBreak[];
  readonly generated: JsonSchema;
}

/** Compares every entity's generated schema with its published file. Writes nothing. */
export function checkPublishedSchemas(
  entities: readonly EntityDefinition[],
  dir: string = publishedSchemasDir(),
): SchemaSnapshotStatus[] {
  return Object.entries(generateSchemas(entities)).map(([schemaId, generated]) => {
    const published = readPublishedSchema(schemaId, dir);
    if (published === undefined) return { schemaId, status: 'new', breaks: [], generated };
    if (schemaFileText(published) === schemaFileText(generated))
      return { schemaId, status: 'same', breaks: [], generated };
    const report = checkCompatibility(published, generated);
    return {
      schemaId,
      status: report.compatible ? 'compatible' : 'breaking',
      breaks: report.breaks,
      generated,
    };
  });
}

/**
 * Writes the generated schema of every new or compatibly changed entity to `dir` and returns the status
 * of each. Entities whose change is breaking are left untouched (and reported), so a published version
 * can never be overwritten by a break.
 */
export function writeSchemas(
  entities: readonly EntityDefinition[],
  dir: string = publishedSchemasDir(),
): SchemaSnapshotStatus[] {
  const statuses = checkPublishedSchemas(entities, dir);
  mkdirSync(dir, { recursive: true });
  for (const status of statuses) {
    if (status.status === 'new' || status.status === 'compatible') {
      writeFileSync(join(dir, `${status.schemaId}.json`), schemaFileText(status.generated));
    }
  }
  return statuses;
}
