import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsOptional, IsString } from 'class-validator';
import { defineEntity } from './entity-definition.model';
import {
  checkPublishedSchemas,
  publishedSchemasDir,
  readPublishedSchema,
  schemaFileText,
  writeSchemas,
} from './write-schemas';

class SnapThing {
  @IsString()
  ref!: string;

  @IsOptional()
  @IsString()
  note?: string;
}

const snapEntity = defineEntity({
  domain: 'test',
  entity: 'snap-thing',
  version: 1,
  model: SnapThing,
  description: 'test',
});

describe('published schema files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'hub-schemas-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a new schema, then reports it unchanged', () => {
    expect(writeSchemas([snapEntity], dir).map((s) => s.status)).toEqual(['new']);
    expect(readPublishedSchema('hub.test.snap-thing.v1', dir)?.$id).toBe('hub.test.snap-thing.v1');
    expect(checkPublishedSchemas([snapEntity], dir).map((s) => s.status)).toEqual(['same']);
  });

  it('overwrites a compatible change but never a breaking one', () => {
    const file = join(dir, 'hub.test.snap-thing.v1.json');
    writeSchemas([snapEntity], dir);
    const current = JSON.parse(readFileSync(file, 'utf8'));

    // Published with a field the model no longer has: the model breaks it.
    const withExtra = { ...current, properties: { ...current.properties, gone: { type: 'string' } } };
    writeFileSync(file, schemaFileText(withExtra));
    const [breaking] = writeSchemas([snapEntity], dir);
    expect(breaking).toMatchObject({ status: 'breaking', breaks: [{ kind: 'FIELD_REMOVED', path: 'gone' }] });
    expect(JSON.parse(readFileSync(file, 'utf8')).properties.gone).toBeDefined();

    // Published without the optional field: adding it is compatible and is written.
    const { note: _note, ...withoutNote } = current.properties;
    writeFileSync(file, schemaFileText({ ...current, properties: withoutNote }));
    expect(writeSchemas([snapEntity], dir).map((s) => s.status)).toEqual(['compatible']);
    expect(JSON.parse(readFileSync(file, 'utf8')).properties.note).toBeDefined();
  });

  it('finds the committed schema directory from the source tree', () => {
    expect(publishedSchemasDir().replace(/\\/g, '/')).toMatch(/libs\/canonical\/schemas$/);
  });
});
