import { entityFields, generateEntitySchema, getPiiPaths } from '@hub/canonical';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Flytip, flytipEntity } from './flytip.model';

const fields = new Map(entityFields(generateEntitySchema(flytipEntity)).map((f) => [f.path, f]));

describe('waste.flytip v1 model', () => {
  it('is registered as hub.waste.flytip.v1 and carries no personal data (reporters are not part of the record)', () => {
    expect(flytipEntity).toMatchObject({ name: 'waste.flytip', schemaId: 'hub.waste.flytip.v1' });
    expect(getPiiPaths(Flytip)).toEqual([]);
  });

  it("publishes DEFRA's 10 land types with their exact labels", () => {
    expect(fields.get('landType')?.enum).toEqual([
      'Highway',
      'Footpath/Bridleway',
      'Back Alleyway',
      'Railway',
      'Council Land',
      'Agricultural',
      'Private/Residential',
      'Commercial/Industrial',
      'Watercourse/Bank',
      'Other',
    ]);
  });

  it("publishes DEFRA's 15 waste types with their exact labels", () => {
    expect(fields.get('wasteType')?.enum).toEqual([
      'Animal Carcass',
      'Green',
      'Vehicle Parts',
      'White Goods',
      'Other Electrical',
      'Tyres',
      'Asbestos',
      'Clinical',
      'Constr/Demol/Excav',
      'Black Bags - Commercial',
      'Black Bags - Household',
      'Chemical Drums, Oil, Fuel',
      'Other Household Waste',
      'Other Commercial Waste',
      'Other',
    ]);
  });

  it("publishes DEFRA's 7 sizes and the enforcement actions, None included", () => {
    expect(fields.get('size')?.enum).toEqual([
      'Single Black Bag',
      'Single Item',
      'Car Boot or Less',
      'Small Van Load',
      'Transit Van Load',
      'Tipper Lorry Load',
      'Significant/Multi Loads',
    ]);
    expect(fields.get('enforcementAction')?.enum).toEqual([
      'Fixed Penalty Notice',
      'Prosecution',
      'Warning Letter',
      'Investigation',
      'None',
    ]);
  });

  it('requires the reference, date, location and the three DEFRA categories; keeps a local category beside each', () => {
    expect([...fields.values()].filter((f) => f.required).map((f) => f.path)).toEqual([
      'incidentRef',
      'reportedDate',
      'landType',
      'wasteType',
      'size',
    ]);
    for (const local of ['landTypeLocal', 'wasteTypeLocal', 'sizeLocal', 'enforcementActionLocal'])
      expect(fields.get(local)?.types).toEqual(['string']);
  });

  it('accepts an incident located by street and grid reference only, and rejects a label outside DEFRA', () => {
    const incident = {
      incidentRef: 'CCC-FT-2026-01234',
      reportedDate: '2026-03-04',
      location: { usrn: '2700456', easting: 433512, northing: 279056 },
      landType: 'Back Alleyway',
      wasteType: 'White Goods',
      size: 'Single Item',
      enforcementAction: 'None',
    };
    expect(validateSync(plainToInstance(Flytip, incident))).toEqual([]);
    const errors = validateSync(plainToInstance(Flytip, { ...incident, wasteType: 'Fridge' }));
    expect(errors.map((e) => e.property)).toEqual(['wasteType']);
  });
});
