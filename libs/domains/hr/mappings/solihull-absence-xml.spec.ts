import { dataOf, errorsOf, hrRegistry, parseXml } from '../src/fixtures/hr-registry.fixture';

// Inline fixtures in the demo's assumed ResourceLink absence layout (invented values; no council published these).
const mapping = hrRegistry().forEvent('solihull', 'hr', 'uk.gov.solihull.hr.absence')!;

const absence = (body: string, action = 'A'): unknown =>
  parseXml(`<?xml version="1.0" encoding="UTF-8"?>
<AbsenceRecord xmlns="urn:example:solihull:resourcelink:absence:1" absenceId="700123" employeeRef="SMB004417" action="${action}">
  ${body}
</AbsenceRecord>`);

const sickness = absence(`
  <AbsenceType code="SCK">Sickness</AbsenceType>
  <Reason code="MSK">Musculoskeletal problems</Reason>
  <FirstDay>03/11/2026</FirstDay>
  <LastDay>05/11/2026</LastDay>
  <DaysLost>3</DaysLost>
  <HoursLost>22.20</HoursLost>`);

describe('solihull.hr.absence-xml (XML events from ResourceLink)', () => {
  it('maps an AbsenceRecord: root attributes, the type word kept, a reason with its code attribute, dd/mm/yyyy', async () => {
    expect(await mapping.map(sickness)).toEqual({
      ok: true,
      recordId: '700123',
      operation: 'upsert',
      warnings: [],
      data: {
        employeeNumber: 'SMB004417',
        absenceRef: '700123',
        category: 'sickness',
        categoryLocal: 'Sickness',
        reason: { code: 'MSK', label: 'Musculoskeletal problems' },
        startDate: '2026-11-03',
        endDate: '2026-11-05',
        durationDays: 3,
        durationHours: 22.2,
      },
    });
  });

  it.each([
    ['Annual Leave', 'annual-leave'],
    ['Bank Holiday', 'annual-leave'],
    ['Maternity Leave', 'parental'],
    ['Shared Parental Leave', 'parental'],
    ['Special Leave - Compassionate', 'other'],
    ['special leave – dependants', 'other'],
    ['Industrial Injury', 'sickness'],
  ])('maps the absence type "%s" onto %s, keeping the original', async (local, canonical) => {
    const data = dataOf(
      await mapping.map(
        absence(`<AbsenceType code="X">${local}</AbsenceType><FirstDay>01/12/2026</FirstDay>`),
      ),
    );
    expect(data).toMatchObject({ category: canonical, categoryLocal: local });
  });

  it('maps action="D" to a delete', async () => {
    expect(await mapping.map(absence('<FirstDay>01/12/2026</FirstDay>', 'D'))).toMatchObject({
      ok: true,
      recordId: '700123',
      operation: 'delete',
      data: {},
    });
  });

  it('rejects a record without a first day, and an impossible last day, naming the fields', async () => {
    const errors = errorsOf(
      await mapping.map(
        absence('<AbsenceType>Sickness</AbsenceType><FirstDay/><LastDay>31/11/2026</LastDay>'),
      ),
    );
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['MAPPING.FIELD_MISSING', 'startDate'],
      ['MAPPING.FIELD_INVALID', 'endDate'],
    ]);
  });

  it('rejects an absence type missing from the lookup and a decimal comma in hours lost', async () => {
    const errors = errorsOf(
      await mapping.map(
        absence(
          '<AbsenceType>Sabbatical</AbsenceType><FirstDay>01/12/2026</FirstDay><HoursLost>7,4</HoursLost>',
        ),
      ),
    );
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['MAPPING.FIELD_INVALID', 'category'],
      ['MAPPING.FIELD_INVALID', 'durationHours'],
    ]);
  });
});
