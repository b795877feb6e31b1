import { compileLookup, compileMapping, prepareEntities, type CompiledMapping } from './mapping.compiler';
import { csvMappingSpec, mappingFile, testCaseEntity } from './fixtures/test-case.fixture';
import type { MapFailure, MapResult, MapSuccess } from './map-result.types';
import type { MappingFileSpec } from './mapping-file.types';

const entities = prepareEntities([testCaseEntity]);
const shared = new Map([['shared.yes-no', compileLookup('shared.yes-no', { Ja: 'yes', Nein: 'no' })]]);

function compile(spec: Record<string, unknown>): CompiledMapping {
  const { mapping, problems } = compileMapping(mappingFile(spec), entities, shared);
  if (mapping === undefined) throw new Error(problems.join('\n'));
  return mapping;
}

function problemsOf(spec: Record<string, unknown>): string[] {
  return compileMapping(mappingFile(spec), entities, shared).problems;
}

function success(result: MapResult): MapSuccess {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
  return result;
}

function failure(result: MapResult): MapFailure {
  if (result.ok) throw new Error(`expected failure, got ${JSON.stringify(result.data)}`);
  return result;
}

const row = {
  '\uFEFFCase Ref': 'C-1001',
  ' Opened ': '04/12/2018',
  CLOSED_AT: '2026-07-01T09:00:00',
  Cost: '£1,234.56',
  FTE: '0.81081',
  Visits: '3',
  Priority: 'Urgent',
  'Land Type': 'alley',
  Status: 'In Progress',
  UPRN: '100023336956',
  Postcode: 'cv1 5rr',
  'NI Number': 'ab 12 34 56 c',
  Code: 'AB12',
};

describe('compiled CSV mapping', () => {
  const mapping = compile({ ...csvMappingSpec() });

  it('exposes what it is', () => {
    expect(mapping).toMatchObject({
      id: 'test.crm.test-case-csv',
      version: 3,
      format: 'csv',
      file: 'test/test-mapping.json',
      usesExpressions: false,
    });
    expect(mapping.entity.name).toBe('crm.test-case');
  });

  it('maps every value type, matching headers by normalised name (BOM, padding, underscores)', async () => {
    const result = success(await mapping.map(row, { row: 7 }));
    expect(result).toEqual({
      ok: true,
      recordId: 'C-1001#7',
      operation: 'upsert',
      warnings: [],
      data: {
        caseRef: 'C-1001',
        opened: '2018-12-04',
        closedAt: '2026-07-01T08:00:00.000Z',
        costPence: 123456,
        fte: 0.81081,
        visits: 3,
        urgent: true,
        landTypeOriginal: 'alley',
        landType: 'Back Alleyway',
        status: 'in-progress',
        property: { uprn: '100023336956', postcode: 'CV1 5RR' },
        nino: 'AB123456C',
        shortCode: 'AB12',
        note: 'imported',
      },
    });
  });

  it('uses aliases, defaults, lookup fallbacks and absent markers', async () => {
    const byAlias = compile({ ...csvMappingSpec(), recordId: { from: ['Case Ref', 'Reference'] } });
    const result = success(
      await byAlias.map(
        { Reference: 'C-2', Opened: '43435', Priority: '', 'Land Type': 'Field', Status: 'NA', UPRN: 'na' },
        { row: 1 },
      ),
    );
    expect(result.data).toEqual({
      caseRef: 'C-2',
      opened: '2018-12-01',
      urgent: false,
      landType: 'Other',
      landTypeOriginal: 'Field',
      note: 'imported',
    });
  });

  it('reports a mangled UPRN as a warning, leaves the UPRN empty and keeps the raw value as the source key', async () => {
    for (const raw of ['0', '1.00023E+11', '100023000000']) {
      const result = success(await mapping.map({ ...row, UPRN: raw }, { row: 1 }));
      expect(result.data['property']).toEqual({ sourceKey: raw, postcode: 'CV1 5RR' });
      expect(result.warnings).toEqual([
        expect.objectContaining({
          code: 'MAPPING.FIELD_INVALID',
          field: 'property.uprn',
          message: expect.stringContaining('raw value kept in property.sourceKey'),
        }),
      ]);
      expect(result.warnings[0]!.message).not.toContain(raw === '0' ? '"0"' : raw);
    }
  });

  it('drops an optional field marked onInvalid: warn, whether the parser or the canonical class rejects it', async () => {
    const result = success(
      await mapping.map({ ...row, Postcode: 'not a postcode', Code: 'TOO-LONG-CODE' }, { row: 1 }),
    );
    expect(result.data['property']).toEqual({ uprn: '100023336956' });
    expect(result.data['shortCode']).toBeUndefined();
    expect(result.warnings.map((w) => w.field)).toEqual(['property.postcode', 'shortCode']);
    expect(result.warnings[1]!.message).toContain('maxLength');
  });

  it('fails a record with missing required fields and invalid values, naming every field and never a value', async () => {
    const result = failure(
      await mapping.map(
        {
          Opened: '31/02/2019',
          Cost: 'SECRET-1',
          'Land Type': 'Road',
          'NI Number': 'SECRET-QQ123456C',
          Visits: 'SECRET-x',
        },
        { row: 1 },
      ),
    );
    expect(result.errors.map((e) => [e.code, e.field])).toEqual([
      ['MAPPING.FIELD_MISSING', 'recordId'],
      ['MAPPING.FIELD_MISSING', 'caseRef'],
      ['MAPPING.FIELD_INVALID', 'opened'],
      ['MAPPING.FIELD_INVALID', 'costPence'],
      ['MAPPING.FIELD_INVALID', 'visits'],
      ['MAPPING.FIELD_INVALID', 'nino'],
    ]);
    expect(result.errors[2]!.message).toBe(
      "opened: column 'Opened' is not a real calendar date (rule: date; mapping test.crm.test-case-csv v3)",
    );
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });

  it('leaves out a field whose omitIf flag is true', async () => {
    const flagged = compile({
      ...csvMappingSpec(),
      fields: { ...csvMappingSpec().fields, shortCode: { from: 'Code', omitIf: 'urgent' } },
    });
    expect(success(await flagged.map(row, { row: 1 })).data['shortCode']).toBeUndefined();
    expect(success(await flagged.map({ ...row, Priority: 'low' }, { row: 1 })).data['shortCode']).toBe(
      'AB12',
    );
  });

  it('fails when the record id needs the file row and none was given', async () => {
    const result = failure(await mapping.map(row));
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'MAPPING.FIELD_MISSING', field: 'recordId' }),
    ]);
  });

  it('rejects a record that is not an object', async () => {
    for (const bad of [null, 'text', [row], 42]) {
      expect(failure(await mapping.map(bad)).errors).toEqual([
        expect.objectContaining({ code: 'SOURCE.SCHEMA_INVALID', field: 'record' }),
      ]);
    }
  });
});

describe('compiled JSON and XML mappings', () => {
  const json = compile({
    id: 'test.crm.test-case-json',
    version: 1,
    entity: 'crm.test-case',
    format: 'json',
    recordId: { from: 'case.id' },
    operation: { from: 'op', lookup: 'ops', default: 'upsert' },
    fields: {
      caseRef: { from: ['case.ref', 'case.reference'], required: true },
      opened: { from: 'dates.0', type: 'date', required: true },
      urgent: { from: 'flags.urgent', type: 'boolean', default: false },
      landType: { from: 'location.land', type: 'enum', required: true },
      costPence: { from: 'money.pence', type: 'pence', unit: 'pence' },
      note: { from: 'Notes.Text' },
    },
    lookups: { ops: { C: 'upsert', U: 'upsert', D: 'delete' } },
  });
  const event = {
    case: { id: 'ev-1', reference: 'R-9' },
    dates: ['2026-11-20', '2026-11-21'],
    flags: { urgent: 'y' },
    location: { land: 'back alleyway' },
    money: { pence: 51989 },
    notes: { text: 'matched by normalised name' },
  };

  it('follows dotted paths, aliases, array indexes and normalised property names', async () => {
    expect(success(await json.map(event)).data).toEqual({
      caseRef: 'R-9',
      opened: '2026-11-20',
      urgent: true,
      landType: 'Back Alleyway',
      costPence: 51989,
      note: 'matched by normalised name',
    });
  });

  it('maps a delete to the record id alone', async () => {
    expect(await json.map({ case: { id: 'ev-1' }, op: 'D' })).toEqual({
      ok: true,
      recordId: 'ev-1',
      operation: 'delete',
      data: {},
      warnings: [],
    });
  });

  it('reports a record whose structure does not fit the paths as SOURCE.SCHEMA_INVALID', async () => {
    const result = failure(
      await json.map({
        ...event,
        location: 'a string where an object belongs',
        case: { id: 'x', ref: { deep: 1 } },
      }),
    );
    expect(result.errors.map((e) => [e.code, e.field])).toEqual([
      ['SOURCE.SCHEMA_INVALID', 'caseRef'],
      ['SOURCE.SCHEMA_INVALID', 'landType'],
    ]);
  });

  it('reads XML attributes, text nodes and a wrapping root element', async () => {
    const xml = compile({
      id: 'test.crm.test-case-xml',
      version: 1,
      entity: 'crm.test-case',
      format: 'xml',
      root: 'Case',
      recordId: { concat: ['id', 'line'], separator: '/' },
      fields: {
        caseRef: { from: 'Ref', required: true },
        opened: { from: 'Opened', type: 'date', required: true },
        urgent: { from: 'Priority.urgent', type: 'boolean' },
        landType: { from: 'Land', type: 'enum', required: true },
        costPence: { from: 'Cost', type: 'pence' },
      },
    });
    const inner = {
      '@_id': 'X-7',
      '@_line': '2',
      Ref: { '#text': 'R-1', '@_scheme': 'local' },
      Opened: '20/11/2026',
      Priority: { '@_urgent': 'false' },
      Land: 'highway',
      Cost: { '#text': '(12.50)', '@_currency': 'GBP' },
    };
    const expected = {
      caseRef: 'R-1',
      opened: '2026-11-20',
      urgent: false,
      landType: 'Highway',
      costPence: -1250,
    };
    expect(success(await xml.map({ Case: inner })).data).toEqual(expected);
    expect(success(await xml.map(inner)).recordId).toBe('X-7/2');
  });
});

describe('JSONata expressions', () => {
  const spec = {
    id: 'test.crm.test-case-expr',
    version: 1,
    entity: 'crm.test-case',
    format: 'json',
    recordId: { expr: "ref & '@' & $string($row)" },
    fields: {
      caseRef: { expr: '$uppercase(ref)', required: true },
      opened: { from: 'opened', type: 'date', required: true },
      urgent: { constant: false, type: 'boolean' },
      landType: { constant: 'Other', type: 'enum' },
      costPence: { expr: '$sum(lines.amount)', type: 'pence' },
      note: { expr: '$length(ref)' },
    },
  };
  const mapping = compile(spec);

  it('are compiled once and evaluated per record (async), their results typed like any source value', async () => {
    expect(mapping.usesExpressions).toBe(true);
    const result = success(
      await mapping.map(
        { ref: 'ab12', opened: '2026-11-20', lines: [{ amount: 1.5 }, { amount: 2.25 }] },
        { row: 4 },
      ),
    );
    expect(result.recordId).toBe('ab12@4');
    expect(result.data).toEqual({
      caseRef: 'AB12',
      opened: '2026-11-20',
      urgent: false,
      landType: 'Other',
      costPence: 375,
      note: '4',
    });
  });

  it('report a failing expression by its JSONata error code, not its message (which can quote data)', async () => {
    const result = failure(
      await mapping.map({ ref: ['SECRET-a', 'SECRET-b'], opened: '2026-11-20' }, { row: 1 }),
    );
    const caseRef = result.errors.find((e) => e.field === 'caseRef');
    expect(caseRef).toMatchObject({ code: 'MAPPING.FIELD_INVALID' });
    expect(caseRef!.message).toMatch(/the expression failed \(JSONata error [A-Z]\d{4}/);
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });
});

describe('compile errors name the mapping file and the field', () => {
  const base = (): MappingFileSpec => csvMappingSpec();
  const withField = (path: string, rule: Record<string, unknown>): Record<string, unknown> => ({
    ...base(),
    fields: { ...base().fields, [path]: rule },
  });

  it.each<[string, () => Record<string, unknown>, string]>([
    [
      'an unknown entity',
      () => ({ ...base(), entity: 'crm.nope' }),
      'test/test-mapping.json: entity "crm.nope" is not a known entity',
    ],
    [
      'an unknown canonical field',
      () => withField('caseReff', { from: 'x' }),
      'test/test-mapping.json: fields.caseReff is not a field of crm.test-case',
    ],
    [
      'a nested path that is not a leaf',
      () => withField('property', { from: 'x' }),
      'fields.property is not a field',
    ],
    [
      'bad JSONata',
      () => withField('note', { expr: 'ref &' }),
      'test/test-mapping.json: fields.note.expr is not valid JSONata',
    ],
    [
      'an unknown lookup',
      () => withField('landType', { from: 'x', type: 'enum', lookup: 'nope', required: true }),
      'fields.landType.lookup names "nope"',
    ],
    [
      'a type the field cannot hold',
      () => withField('caseRef', { from: 'x', type: 'pence', required: true }),
      'fields.caseRef.type pence produces integer, but caseRef is string',
    ],
    [
      'a required field without a rule',
      () => ({ ...base(), fields: { ...base().fields, urgent: undefined } }),
      'fields.urgent is required by crm.test-case but has no rule',
    ],
    [
      'an option of another type',
      () => withField('note', { from: 'x', matches: '^y' }),
      'fields.note.matches applies only to type boolean',
    ],
    [
      'a default that does not parse',
      () => withField('opened', { from: 'x', type: 'date', default: 'tomorrow' }),
      'fields.opened.default is not a date',
    ],
    [
      'an unknown context reference',
      () => ({ ...base(), recordId: { from: '$line' } }),
      'recordId.from uses "$line"',
    ],
    [
      'a bad regular expression',
      () => withField('note', { from: 'x', absentPattern: '(' }),
      'fields.note.absentPattern is not a valid regular expression',
    ],
    [
      'two sources',
      () => withField('note', { from: 'x', constant: 'y' }),
      'fields.note must have exactly one of from, concat, constant, expr (has from, constant)',
    ],
    [
      'a misspelt option',
      () => withField('note', { from: 'x', requried: true }),
      'fields.note.requried is not a rule option',
    ],
    [
      'enum values the field does not allow',
      () => withField('status', { from: 'x', type: 'enum', values: ['open', 'pending'] }),
      'fields.status.values has values the canonical field does not allow: pending',
    ],
    [
      'an original that is not a text field',
      () =>
        withField('landType', {
          from: 'x',
          type: 'enum',
          lookup: 'landTypes',
          original: 'urgent',
          required: true,
        }),
      'fields.landType.original names "urgent", which is not a text field',
    ],
    [
      'a lookup named like a shared one',
      () => ({ ...base(), lookups: { ...base().lookups, 'shared.yes-no': { a: 'b' } } }),
      'lookups.shared.yes-no has the name of a shared lookup file',
    ],
    [
      'an omitIf that is not a boolean field',
      () => withField('note', { from: 'x', omitIf: 'caseRef' }),
      'fields.note.omitIf names "caseRef", which is not a boolean field',
    ],
    [
      'a missing version',
      () => ({ ...base(), version: 'one' }),
      'test/test-mapping.json: version must be a positive integer',
    ],
    ['an unknown format', () => ({ ...base(), format: 'xlsx' }), 'format must be "csv", "json" or "xml"'],
  ])('%s', (_name, spec, message) => {
    const problems = problemsOf(JSON.parse(JSON.stringify(spec())) as Record<string, unknown>);
    expect(problems.join('\n')).toContain(message);
  });
});
