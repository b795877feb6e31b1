import type { MapResult } from '@hub/mapping';
import { XMLParser } from 'fast-xml-parser';
import { realInputUprn, wasteRegistry } from '../src/fixtures/waste-registry.fixture';

// Inline fixtures in the demo's assumed Whitespace CollectionResult layout (invented site ids, rounds and
// worksheets). The UPRN is the Solihull property UKBinCollectionData uses (its calendar URL,
// shared/data/councils/bins/ukbcd_input_partner_subset.json, MIT); the premises id 10273 is Fenland's in the
// same file, where a field named "uprn" really holds the council's own PremiseID.
// Parsed with fast-xml-parser keeping attributes (prefix @_) and text as text, as @hub/source-formats does.
const mapping = wasteRegistry().forEvent('solihull', 'waste', 'uk.gov.solihull.waste.collection')!;
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });
const parse = (xml: string): unknown => parser.parse(xml) as unknown;
const SOLIHULL_UPRN = realInputUprn('SolihullCouncil')!;

interface ResultParts {
  action?: string;
  site?: string;
  service?: string;
  outcome?: string;
  extra?: string;
}

const result = (parts: ResultParts = {}): string => `<?xml version="1.0" encoding="UTF-8"?>
<CollectionResult xmlns="urn:example:solihull:whitespace:1" id="WS-20260304-000123" action="${parts.action ?? 'Insert'}">
  <WorksheetRef>WSH-448812</WorksheetRef>
  ${parts.site ?? `<Site siteId="SOL-448812"><Uprn>${SOLIHULL_UPRN}</Uprn><Postcode>B91 3QB</Postcode></Site>`}
  <Round code="HW-WED-2">Household Waste Wednesday 2</Round>
  <Service>${parts.service ?? 'Household Waste'}</Service>
  <ScheduledDate>04/03/2026</ScheduledDate>
  ${parts.outcome ?? '<Outcome code="NOP">Not presented</Outcome>'}
  <Reason>Bin not at boundary when crew attended</Reason>
  <RecordedAt>04/03/2026 08:47</RecordedAt>
  ${parts.extra ?? ''}
</CollectionResult>`;

describe('solihull.waste.collection-xml (XML events from Whitespace)', () => {
  it("uses Solihull's real UKBinCollectionData UPRN", () => {
    expect(SOLIHULL_UPRN).toBe('100071005444');
  });

  it('maps a result document: site id as source key beside the UPRN, outcome code through the lookup keeping the code', async () => {
    expect(await mapping.map(parse(result()))).toEqual({
      ok: true,
      recordId: 'WS-20260304-000123',
      operation: 'upsert',
      warnings: [],
      data: {
        jobRef: 'WSH-448812',
        property: { sourceKey: 'SOL-448812', uprn: '100071005444', postcode: 'B91 3QB' },
        round: 'Household Waste Wednesday 2',
        service: { category: 'refuse', localName: 'Household Waste' },
        scheduledDate: '2026-03-04',
        outcome: 'not-presented',
        outcomeLocal: 'NOP',
        reason: 'Bin not at boundary when crew attended',
        recordedAt: '2026-03-04T08:47:00.000Z',
      },
    });
  });

  it.each([
    ['CMP', 'completed'],
    ['MIS', 'missed'],
    ['CON', 'contaminated'],
    ['NAC', 'no-access'],
    ['CAN', 'cancelled'],
  ])('maps outcome code %s to %s', async (code, outcome) => {
    const mapped = await mapping.map(parse(result({ outcome: `<Outcome code="${code}">label</Outcome>` })));
    expect(mapped.ok && [mapped.data['outcome'], mapped.data['outcomeLocal']]).toEqual([outcome, code]);
  });

  it('keeps a premises id in property.sourceKey and never calls it a UPRN, even when it is all digits', async () => {
    const mapped = await mapping.map(
      parse(result({ site: '<Site siteId="10273"><Postcode>PE15 8NL</Postcode></Site>' })),
    );
    expect(mapped.ok && mapped.data['property']).toEqual({ sourceKey: '10273', postcode: 'PE15 8NL' });
  });

  it('keeps a collection whose UPRN is unusable, identified by its site id, with a warning', async () => {
    const mapped = await mapping.map(
      parse(result({ site: '<Site siteId="SOL-448812"><Uprn>1.00071E+11</Uprn></Site>' })),
    );
    expect(mapped.ok && mapped.data['property']).toEqual({ sourceKey: 'SOL-448812' });
    expect(mapped.ok && mapped.warnings.map((w) => [w.code, w.field])).toEqual([
      ['MAPPING.FIELD_INVALID', 'property.uprn'],
    ]);
  });

  it('maps garden and recycling services by name', async () => {
    const garden = await mapping.map(parse(result({ service: 'Garden Waste' })));
    const recycling = await mapping.map(parse(result({ service: 'Mixed Recycling' })));
    expect(garden.ok && garden.data['service']).toEqual({ category: 'garden', localName: 'Garden Waste' });
    expect(recycling.ok && recycling.data['service']).toEqual({
      category: 'recycling',
      localName: 'Mixed Recycling',
    });
  });

  it('maps a Delete document to the record id alone', async () => {
    expect(await mapping.map(parse(result({ action: 'Delete' })))).toEqual({
      ok: true,
      recordId: 'WS-20260304-000123',
      operation: 'delete',
      data: {},
      warnings: [],
    });
  });

  it('rejects an unknown outcome code and a document with no property at all, naming the fields', async () => {
    const unknown = (await mapping.map(
      parse(result({ outcome: '<Outcome code="XYZ">?</Outcome>' })),
    )) as Extract<MapResult, { ok: false }>;
    expect(unknown.errors.map((e) => [e.code, e.field])).toEqual([['MAPPING.FIELD_INVALID', 'outcome']]);
    const nowhere = (await mapping.map(parse(result({ site: '' })))) as Extract<MapResult, { ok: false }>;
    expect(nowhere.errors.map((e) => [e.code, e.field])).toEqual([['MAPPING.FIELD_INVALID', 'property']]);
  });
});
