import type { JsonSchema } from './json-schema.types';
import { checkCompatibility } from './schema-compat.checker';

/** A published v1 schema in the shape the generator writes. */
function published(): JsonSchema {
  return {
    $id: 'hub.test.thing.v1',
    type: 'object',
    properties: {
      ref: { type: 'string', maxLength: 100 },
      amountPence: { type: 'integer', minimum: -1e13, maximum: 1e13 },
      ratio: { type: 'number' },
      status: { type: 'string', enum: ['open', 'closed'] },
      note: { type: 'string' },
      supplier: { $ref: '#/definitions/Supplier' },
      lines: { type: 'array', items: { $ref: '#/definitions/Line' } },
    },
    required: ['ref', 'amountPence', 'supplier'],
    definitions: {
      Supplier: {
        type: 'object',
        properties: { name: { type: 'string' }, redacted: { type: 'boolean' } },
        required: ['redacted'],
      },
      Line: { type: 'object', properties: { code: { type: 'string' } } },
    },
  };
}

function edit(change: (s: JsonSchema) => void): JsonSchema {
  const s = published();
  change(s);
  return s;
}

describe('checkCompatibility', () => {
  it('accepts an identical schema', () => {
    expect(checkCompatibility(published(), published())).toEqual({ compatible: true, breaks: [] });
  });

  it('accepts additive changes: a new optional field, a new enum value, a relaxed bound, integer widened to number, a renamed nested class', () => {
    const current = edit((s) => {
      s.properties!['extra'] = { type: 'string' };
      s.properties!['status']!.enum = ['open', 'closed', 'on-hold'];
      s.properties!['ref']!.maxLength = 200;
      s.properties!['amountPence']!.type = 'number';
      s.definitions!['Vendor'] = s.definitions!['Supplier']!;
      delete s.definitions!['Supplier'];
      s.properties!['supplier'] = { $ref: '#/definitions/Vendor' };
    });
    expect(checkCompatibility(published(), current)).toEqual({ compatible: true, breaks: [] });
  });

  it('catches a removed field, at the top level and nested', () => {
    const current = edit((s) => {
      delete s.properties!['note'];
      delete s.definitions!['Supplier']!.properties!['name'];
    });
    const report = checkCompatibility(published(), current);
    expect(report.compatible).toBe(false);
    expect(report.breaks.map((b) => [b.kind, b.path])).toEqual([
      ['FIELD_REMOVED', 'note'],
      ['FIELD_REMOVED', 'supplier.name'],
    ]);
  });

  it('catches a changed type, including number narrowed to integer and an object turned into a value', () => {
    const current = edit((s) => {
      s.properties!['ref'] = { type: 'integer' };
      s.properties!['ratio'] = { type: 'integer' };
      s.properties!['supplier'] = { type: 'string' };
      s.definitions!['Line']!.properties!['code'] = { type: 'boolean' };
    });
    const kinds = checkCompatibility(published(), current).breaks.map((b) => [b.kind, b.path]);
    expect(kinds).toEqual([
      ['TYPE_CHANGED', 'ref'],
      ['TYPE_CHANGED', 'ratio'],
      ['TYPE_CHANGED', 'supplier'],
      ['TYPE_CHANGED', 'lines[].code'],
    ]);
  });

  it('catches a newly required field: an optional one made required, and a new required one', () => {
    const current = edit((s) => {
      s.required = [...s.required!, 'note', 'brandNew'];
      s.properties!['brandNew'] = { type: 'string' };
      s.definitions!['Supplier']!.required = ['redacted', 'name'];
    });
    const breaks = checkCompatibility(published(), current).breaks;
    expect(breaks.map((b) => [b.kind, b.path])).toEqual([
      ['FIELD_NEWLY_REQUIRED', 'note'],
      ['FIELD_NEWLY_REQUIRED', 'brandNew'],
      ['FIELD_NEWLY_REQUIRED', 'supplier.name'],
    ]);
    expect(breaks[1]!.message).toContain('absent');
  });

  it('catches a narrowed enum, and an enum added to a free field', () => {
    const current = edit((s) => {
      s.properties!['status']!.enum = ['open'];
      s.properties!['note']!.enum = ['a', 'b'];
    });
    const breaks = checkCompatibility(published(), current).breaks;
    expect(breaks.map((b) => [b.kind, b.path])).toEqual([
      ['ENUM_NARROWED', 'status'],
      ['ENUM_NARROWED', 'note'],
    ]);
    expect(breaks[0]!.message).toContain('"closed"');
  });

  it('catches tightened constraints: a pattern added, a maximum lowered, a maxLength lowered', () => {
    const current = edit((s) => {
      s.properties!['note']!.pattern = '^\\d+$';
      s.properties!['amountPence']!.maximum = 100;
      s.properties!['ref']!.maxLength = 10;
    });
    expect(checkCompatibility(published(), current).breaks.map((b) => [b.kind, b.path])).toEqual([
      ['CONSTRAINT_NARROWED', 'ref'],
      ['CONSTRAINT_NARROWED', 'amountPence'],
      ['CONSTRAINT_NARROWED', 'note'],
    ]);
  });
});
