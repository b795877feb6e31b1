import type { MapResult } from '@hub/mapping';
import { wasteRegistry } from '../src/fixtures/waste-registry.fixture';

// Inline fixtures in the demo's assumed Bartec street-scene incident layout with Coventry's own category
// codes (invented incidents; grid references in Coventry).
const mapping = wasteRegistry().forEvent('coventry', 'waste', 'uk.gov.council.waste.flytip')!;

function incident(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    IncidentNo: 'CCC-FT-2026-01234',
    DateReported: '2026-03-04',
    Location: {
      USRN: '2700456',
      Easting: '433512.5',
      Northing: '279056',
      Street: 'Rear of Foleshill Road',
      Postcode: 'CV6 5AH',
    },
    LandCode: 'BAL',
    WasteCode: 'WHG',
    SizeCode: 'SIN',
    Enforcement: { ActionCode: 'INV' },
    DateCleared: '2026-03-06',
    ClearanceCost: '£65.00',
    ...overrides,
  };
}

describe('coventry.waste.flytip-json (JSON events from Bartec)', () => {
  it('maps an incident: the council codes onto DEFRA labels, each code kept beside its category', async () => {
    expect(await mapping.map(incident())).toEqual({
      ok: true,
      recordId: 'CCC-FT-2026-01234',
      operation: 'upsert',
      warnings: [],
      data: {
        incidentRef: 'CCC-FT-2026-01234',
        reportedDate: '2026-03-04',
        location: {
          usrn: '2700456',
          postcode: 'CV6 5AH',
          easting: 433512.5,
          northing: 279056,
          addressText: 'Rear of Foleshill Road',
        },
        landType: 'Back Alleyway',
        landTypeLocal: 'BAL',
        wasteType: 'White Goods',
        wasteTypeLocal: 'WHG',
        size: 'Single Item',
        sizeLocal: 'SIN',
        enforcementAction: 'Investigation',
        enforcementActionLocal: 'INV',
        clearedDate: '2026-03-06',
        clearanceCostPence: 6500,
      },
    });
  });

  it.each([
    ['HWY', 'CDE', 'TVL', 'FPN', 'Highway', 'Constr/Demol/Excav', 'Transit Van Load', 'Fixed Penalty Notice'],
    [
      'WCB',
      'CHM',
      'SML',
      'PRS',
      'Watercourse/Bank',
      'Chemical Drums, Oil, Fuel',
      'Significant/Multi Loads',
      'Prosecution',
    ],
    ['FPB', 'BBH', 'SBB', 'NFA', 'Footpath/Bridleway', 'Black Bags - Household', 'Single Black Bag', 'None'],
    [
      'COM',
      'BBC',
      'CBL',
      'WRN',
      'Commercial/Industrial',
      'Black Bags - Commercial',
      'Car Boot or Less',
      'Warning Letter',
    ],
  ])(
    'maps %s/%s/%s/%s to DEFRA labels',
    async (land, waste, size, action, landType, wasteType, defraSize, enforcement) => {
      const result = await mapping.map(
        incident({ LandCode: land, WasteCode: waste, SizeCode: size, Enforcement: { ActionCode: action } }),
      );
      expect(
        result.ok && [
          result.data['landType'],
          result.data['wasteType'],
          result.data['size'],
          result.data['enforcementAction'],
        ],
      ).toEqual([landType, wasteType, defraSize, enforcement]);
    },
  );

  it('leaves the enforcement action out while none is recorded', async () => {
    const result = await mapping.map(incident({ Enforcement: {} }));
    expect(result.ok && result.data).not.toHaveProperty('enforcementAction');
    expect(result.ok && result.data).not.toHaveProperty('enforcementActionLocal');
  });

  it('rejects an incident whose codes are not in the lookups, naming each field', async () => {
    const result = (await mapping.map(incident({ LandCode: 'XXX', SizeCode: '' }))) as Extract<
      MapResult,
      { ok: false }
    >;
    expect(result.errors.map((e) => [e.code, e.field])).toEqual([
      ['MAPPING.FIELD_INVALID', 'landType'],
      ['MAPPING.FIELD_MISSING', 'size'],
    ]);
  });
});
