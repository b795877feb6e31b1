import { dataOf, errorsOf, hrRegistry, parseXml } from '../src/fixtures/hr-registry.fixture';

// Inline fixtures in the demo's assumed ResourceLink interface layout. Invented people and values:
// an NI number in HMRC's format, Ofcom's Birmingham drama range (0121 496 0xxx), example.org addresses.
// No council published these.
const mapping = hrRegistry().forEvent('solihull', 'hr', 'uk.gov.solihull.hr.employee')!;

interface Parts {
  action?: string;
  personal?: string;
  post?: string;
  contract?: string;
  category?: string;
  termination?: string;
}

const document = (parts: Parts = {}): unknown =>
  parseXml(`<?xml version="1.0" encoding="UTF-8"?>
<EmployeeRecord xmlns="urn:example:solihull:resourcelink:hr:1" employeeRef="SMB004417" postNumber="P10233" action="${parts.action ?? 'C'}">
  <Personal>
    ${
      parts.personal ??
      `<Title>Mr</Title>
    <Surname>O'Connor</Surname>
    <Forename1>Declan</Forename1>
    <Forename2>James</Forename2>
    <KnownAs>Dec</KnownAs>
    <BirthDate>05/07/1979</BirthDate>
    <NINumber>np714420b</NINumber>
    <Address>
      <AddressLine1>27 Warwick Road</AddressLine1>
      <AddressLine2>Olton</AddressLine2>
      <AddressLine3/>
      <Town>Solihull</Town>
      <County>West Midlands</County>
      <PostCode>B92 7HS</PostCode>
    </Address>
    <EmailAddress>declan.oconnor@example.org</EmailAddress>
    <HomeTelephone>0121 496 0457</HomeTelephone>
    <MobileTelephone/>`
    }
  </Personal>
  <Post>
    ${
      parts.post ??
      `<PostTitle>Refuse Collection Driver</PostTitle>
    <Directorate>Economy and Infrastructure</Directorate>
    <OrganisationUnit code="EI-WST-03">Waste Collection Operations</OrganisationUnit>
    <CostCentre code="E4410">Refuse Collection</CostCentre>
    <Grade scale="NJC" point="9">Band 3</Grade>`
    }
  </Post>
  <Contract category="${parts.category ?? 'Fixed Term'}">
    ${
      parts.contract ??
      `<StartDate>01/04/2022</StartDate>
    <EndDate>31/03/2027</EndDate>
    <FTE>1.00000</FTE>
    <WeeklyHours>37.00</WeeklyHours>`
    }
  </Contract>
  ${parts.termination ?? ''}
</EmployeeRecord>`);

describe('solihull.hr.employee-xml (XML events from ResourceLink)', () => {
  it('maps an EmployeeRecord: root attributes, dd/mm/yyyy, forenames joined, grade attributes, words for contract categories', async () => {
    expect(await mapping.map(document())).toEqual({
      ok: true,
      recordId: 'SMB004417-P10233',
      operation: 'upsert',
      warnings: [],
      data: {
        employeeNumber: 'SMB004417',
        postRef: 'P10233',
        jobTitle: 'Refuse Collection Driver',
        name: { title: 'Mr', givenNames: 'Declan James', familyName: "O'Connor", preferredName: 'Dec' },
        dateOfBirth: '1979-07-05',
        nationalInsuranceNumber: 'NP714420B',
        homeAddress: {
          line1: '27 Warwick Road',
          line2: 'Olton',
          town: 'Solihull',
          county: 'West Midlands',
          postcode: 'B92 7HS',
        },
        contact: { email: 'declan.oconnor@example.org', phone: '0121 496 0457' },
        directorate: 'Economy and Infrastructure',
        organisationalUnit: { code: 'EI-WST-03', label: 'Waste Collection Operations' },
        costCentre: { code: 'E4410', label: 'Refuse Collection' },
        grade: { code: 'Band 3', payScale: 'NJC', spinalColumnPoint: 9 },
        contract: { type: 'fixed-term', typeLocal: 'Fixed Term', fte: 1, contractedHours: 37 },
        startDate: '2022-04-01',
        endDate: '2027-03-31',
      },
    });
  });

  it('also accepts the document without its root element', async () => {
    const inner = (document() as { EmployeeRecord: unknown }).EmployeeRecord;
    expect(await mapping.map(inner)).toMatchObject({ ok: true, recordId: 'SMB004417-P10233' });
  });

  it('joins a single forename without a trailing space, and keeps a person with no forename', async () => {
    const one = document({
      personal: '<Surname>Kowalski</Surname><Forename1>Agnieszka</Forename1><Forename2/>',
    });
    expect(dataOf(await mapping.map(one))['name']).toEqual({
      givenNames: 'Agnieszka',
      familyName: 'Kowalski',
    });
    const none = document({ personal: '<Surname>Begum</Surname>' });
    expect(dataOf(await mapping.map(none))['name']).toEqual({ familyName: 'Begum' });
  });

  it.each([
    ['Permanent', 'permanent'],
    ['Temporary', 'fixed-term'],
    ['Casual', 'casual'],
    ['Sessional', 'casual'],
    ['Apprenticeship', 'apprentice'],
    ['Agency Worker', 'agency'],
  ])('maps the contract category %s onto %s, keeping the original', async (local, canonical) => {
    expect(dataOf(await mapping.map(document({ category: local })))['contract']).toMatchObject({
      type: canonical,
      typeLocal: local,
    });
  });

  it('takes the leaving date of a leaver over the contract end date, with the reason', async () => {
    const leaver = document({
      category: 'Permanent',
      contract: '<StartDate>14/01/2008</StartDate><FTE>0.54054</FTE><WeeklyHours>20.00</WeeklyHours>',
      termination:
        '<Termination><LeavingDate>30/09/2026</LeavingDate><Reason>Retirement - age</Reason></Termination>',
    });
    expect(dataOf(await mapping.map(leaver))).toMatchObject({
      contract: { type: 'permanent', fte: 0.54054, contractedHours: 20 },
      startDate: '2008-01-14',
      endDate: '2026-09-30',
      leaverReason: 'Retirement - age',
    });
  });

  it('maps action="D" to a delete', async () => {
    expect(await mapping.map(document({ action: 'D' }))).toEqual({
      ok: true,
      recordId: 'SMB004417-P10233',
      operation: 'delete',
      data: {},
      warnings: [],
    });
  });

  it('rejects an NI number with a prefix HMRC never issues, naming the field and not the value', async () => {
    const bad = document({ personal: '<Surname>Begum</Surname><NINumber>GB 12 34 56 A</NINumber>' });
    const errors = errorsOf(await mapping.map(bad));
    expect(errors).toEqual([
      {
        code: 'MAPPING.FIELD_INVALID',
        field: 'nationalInsuranceNumber',
        message:
          "nationalInsuranceNumber: path 'Personal.NINumber' is not a National Insurance number (HMRC format AB123456C) (rule: nino; mapping solihull.hr.employee-xml v1)",
      },
    ]);
  });

  it('rejects a US-order or two-digit-year date of birth, a missing start date and an unknown category, naming each field', async () => {
    const bad = document({
      personal: '<Surname>Begum</Surname><BirthDate>07/25/1979</BirthDate>',
      category: 'Secondment',
      contract: '<FTE>1</FTE>',
    });
    expect(errorsOf(await mapping.map(bad)).map((e) => [e.code, e.field])).toEqual([
      ['MAPPING.FIELD_INVALID', 'dateOfBirth'],
      ['MAPPING.FIELD_INVALID', 'contract.type'],
      ['MAPPING.FIELD_MISSING', 'startDate'],
    ]);
    const shortYear = document({ personal: '<Surname>Begum</Surname><BirthDate>05/07/79</BirthDate>' });
    expect(errorsOf(await mapping.map(shortYear)).map((e) => e.field)).toEqual(['dateOfBirth']);
  });

  it('rejects an unknown action, naming the operation', async () => {
    expect(errorsOf(await mapping.map(document({ action: 'X' }))).map((e) => [e.code, e.field])).toEqual([
      ['MAPPING.FIELD_INVALID', 'operation'],
    ]);
  });
});
