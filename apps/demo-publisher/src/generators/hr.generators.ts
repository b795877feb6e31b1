import { DemoFileGenerator, DemoGenerator, isoDateDaysAgo, pick, xmlEscape } from '../demo-generator';

/*
 * HR demo records in each council feed's own layout (the layouts the HR mapping files read).
 *
 * Every person is invented: names drawn from common UK given and family names (with the apostrophes,
 * hyphens and accents real names have), National Insurance numbers that pass HMRC's format rules (random
 * digits, so they identify nobody on purpose), telephone numbers from Ofcom's ranges reserved for drama (01632 960xxx, 0121 496 0xxx,
 * 07700 900xxx), email addresses at example.com/.org/.net (RFC 2606), and house numbers on ordinary
 * street names with postcodes of the right district and shape.
 */

/** A given name with the titles and middle names that go with it. */
interface GivenName {
  name: string;
  titles: readonly string[];
  middles: readonly string[];
}

/** Given names with the titles people of that name commonly use (anyone may use Dr or Mx). */
// prettier-ignore
const GIVEN_NAMES: readonly GivenName[] = [
  ...['Priya', 'Siân', 'Amelia', 'Olivia', 'Aisha', 'Zoë', 'Chloe', 'Grace', 'Fatima', 'Megan', 'Agnieszka', 'Emily',
    'Hannah', 'Sophie', 'Bethany', 'Niamh', 'Harjit'].map(
    (name) => ({ name, titles: ['Mrs', 'Ms', 'Miss', 'Dr', 'Mx'], middles: ['Louise', 'Anjali', 'Marie', 'Kaur', 'Rose', 'Grace'] }),
  ),
  ...['Declan', 'Mohammed', 'Jack', 'Tomasz', 'Oluwaseun', 'Connor', 'Rhys', 'Kwame', 'Daniel', 'Imran', 'Liam',
    'Ravinder', 'Gareth'].map(
    (name) => ({ name, titles: ['Mr', 'Mr', 'Dr', 'Mx'], middles: ['James', 'Ali', 'John', 'Edward', 'Singh', 'Piotr'] }),
  ),
];
// prettier-ignore
const FAMILY_NAMES = [
  'Sharma', "O'Connor", 'Pritchard-Evans', 'Smith', 'Jones', 'Patel', 'Khan', 'Williams', 'Begum', 'Kowalski',
  'Taylor', 'Brown', 'Singh', 'Adeyemi', 'Davies', 'Evans', 'Thomas', 'Wilson', 'Roberts', 'Hussain', 'Walker',
  'Mensah', 'Wright', 'Nowak', 'Green', 'Hughes', 'Clarke', 'Ali', 'McAllister', 'Okafor',
] as const;
/** Names some people go by instead of their given name. */
// prettier-ignore
const KNOWN_AS: Readonly<Record<string, string>> = {
  Daniel: 'Dan', Mohammed: 'Mo', Oluwaseun: 'Seun', Agnieszka: 'Aga', Tomasz: 'Tom', Bethany: 'Beth', Ravinder: 'Ravi',
  Declan: 'Dec',
};

/** Prefixes valid under HMRC's rules (never D, F, I, Q, U, V; no O second; not BG, GB, KN, NK, NT, TN, ZZ). */
// prettier-ignore
const NINO_PREFIXES = ['AB', 'CE', 'EH', 'GY', 'HS', 'JT', 'KC', 'LM', 'MW', 'NP', 'PR', 'RE', 'SC', 'TW', 'WK', 'YL'] as const;

/** A post in a council's establishment, with the grade and pay range it is paid on. */
interface Job {
  title: string;
  /** Grade and pay scale; undefined for agency workers, who are paid by their agency. */
  grade?: string;
  payScale?: string;
  /** NJC spinal column points of the grade; undefined for grades off the NJC spine. */
  scp?: readonly [number, number];
  directorate: string;
  orgUnit: { code: string; name: string };
  costCentre: { code: string; name: string };
  /** The usual contract of the post; most posts are permanent. */
  usual: 'permanent' | 'casual' | 'apprentice' | 'agency';
  /** Usual weekly hours (0 for casual posts paid by the hour). */
  hours: readonly number[];
}

// prettier-ignore
const JOBS: readonly Job[] = [
  { title: 'Social Worker', grade: 'Grade 8', payScale: 'NJC', scp: [23, 28], directorate: "Children's Services",
    orgUnit: { code: 'CS-CSC-N', name: "Children's Social Care North" }, costCentre: { code: 'C31220', name: 'Safeguarding North' },
    usual: 'permanent', hours: [37, 37, 30, 22.5] },
  { title: 'Occupational Therapist', grade: 'Grade 9', payScale: 'NJC', scp: [26, 31], directorate: 'Adult Services',
    orgUnit: { code: 'AS-OT', name: 'Occupational Therapy' }, costCentre: { code: 'C42110', name: 'OT and Equipment' },
    usual: 'permanent', hours: [37, 30] },
  { title: 'Refuse Collection Driver', grade: 'Grade 4', payScale: 'NJC', scp: [7, 11], directorate: 'Place',
    orgUnit: { code: 'PL-WST-03', name: 'Waste Collection Operations' }, costCentre: { code: 'C54410', name: 'Refuse Collection' },
    usual: 'permanent', hours: [37] },
  { title: 'Refuse Loader', grade: 'Grade 2', payScale: 'NJC', scp: [3, 4], directorate: 'Place',
    orgUnit: { code: 'PL-WST-03', name: 'Waste Collection Operations' }, costCentre: { code: 'C54410', name: 'Refuse Collection' },
    usual: 'permanent', hours: [37] },
  { title: 'Library Assistant', grade: 'Grade 3', payScale: 'NJC', scp: [4, 6], directorate: 'Communities',
    orgUnit: { code: 'CM-LIB', name: 'Libraries and Information' }, costCentre: { code: 'C61020', name: 'Central Library' },
    usual: 'permanent', hours: [18.5, 22.5, 37] },
  { title: 'Customer Service Adviser', grade: 'Grade 4', payScale: 'NJC', scp: [7, 11], directorate: 'Resources',
    orgUnit: { code: 'RS-CSC', name: 'Customer Service Centre' }, costCentre: { code: 'C11040', name: 'Contact Centre' },
    usual: 'permanent', hours: [37, 30, 25] },
  { title: 'Finance Officer', grade: 'Grade 6', payScale: 'NJC', scp: [17, 22], directorate: 'Finance & Systems',
    orgUnit: { code: 'FS-ACC', name: 'Accountancy' }, costCentre: { code: 'C10210', name: 'Corporate Finance' },
    usual: 'permanent', hours: [37] },
  { title: 'School Crossing Patrol', grade: 'Grade 1', payScale: 'NJC', scp: [2, 2], directorate: 'Place',
    orgUnit: { code: 'PL-RS', name: 'Road Safety' }, costCentre: { code: 'C55120', name: 'School Crossing Patrols' },
    usual: 'permanent', hours: [7.5] },
  { title: 'Relief Residential Care Worker', grade: 'Grade 3', payScale: 'NJC', scp: [4, 6], directorate: 'Adult Services',
    orgUnit: { code: 'AS-RES', name: 'Residential Care' }, costCentre: { code: 'C42300', name: 'Care Homes' },
    usual: 'casual', hours: [0] },
  { title: 'Apprentice Business Administrator', grade: 'Apprentice', payScale: 'NJC', scp: [1, 1], directorate: 'Resources',
    orgUnit: { code: 'RS-HR', name: 'HR and Organisational Development' }, costCentre: { code: 'C11210', name: 'HR Services' },
    usual: 'apprentice', hours: [37] },
  { title: 'Locum Social Worker', directorate: "Children's Services",
    orgUnit: { code: 'CS-CSC-S', name: "Children's Social Care South" }, costCentre: { code: 'C31230', name: 'Safeguarding South' },
    usual: 'agency', hours: [37] },
  { title: 'Head of Commissioning', grade: 'SM4C', payScale: 'JNC Chief Officers', directorate: 'Adult Services',
    orgUnit: { code: 'AS-COM', name: 'Commissioning' }, costCentre: { code: 'C42010', name: 'Adults Commissioning' },
    usual: 'permanent', hours: [37] },
];

const LEAVER_REASONS = [
  'Resignation',
  'Resignation - other employment',
  'Retirement - age',
  'End of fixed-term contract',
  'Redundancy - voluntary',
  'TUPE transfer out',
] as const;

/** Sickness reasons in the categories councils report sickness absence by. */
const SICKNESS_REASONS = [
  { code: 'S01', label: 'Infections, colds and flu' },
  { code: 'S05', label: 'Back problems' },
  { code: 'S06', label: 'Other musculoskeletal problems' },
  { code: 'S10', label: 'Stress, depression, anxiety, mental health and fatigue' },
  { code: 'S12', label: 'Stomach, liver, kidney and digestion' },
  { code: 'S14', label: 'Injury, fracture' },
  { code: 'S18', label: 'Chest and respiratory' },
] as const;

/** Where a council's employees live: streets, and towns with their postcode districts and localities. */
interface Place {
  streets: readonly string[];
  areas: readonly { town: string; districts: readonly string[]; localities: readonly string[] }[];
}

// prettier-ignore
const COVENTRY: Place = {
  streets: ['Moat Street', 'Earlsdon Avenue North', 'Spon End', 'Holyhead Road', 'Stoney Stanton Road', 'Kenilworth Road',
    'Walsgrave Road', 'Allesley Old Road', 'Daventry Road', 'Tile Hill Lane'],
  areas: [
    { town: 'Coventry', districts: ['CV1', 'CV5'], localities: ['Earlsdon', 'Chapelfields', ''] },
    { town: 'Coventry', districts: ['CV2', 'CV6'], localities: ['Foleshill', 'Wyken', 'Radford', 'Stoke'] },
    { town: 'Coventry', districts: ['CV3', 'CV4'], localities: ['Cheylesmore', 'Tile Hill', 'Canley'] },
  ],
};
// prettier-ignore
const SOLIHULL: Place = {
  streets: ['Warwick Road', 'Lode Lane', 'Streetsbrook Road', 'Stratford Road', 'Blossomfield Road', 'Hampton Lane',
    'Station Road'],
  areas: [
    { town: 'Solihull', districts: ['B90', 'B91', 'B92'], localities: ['Olton', 'Shirley', 'Elmdon Heath', ''] },
    { town: 'Solihull', districts: ['B93', 'B94'], localities: ['Knowle', 'Dorridge', 'Hockley Heath'] },
    { town: 'Birmingham', districts: ['B37', 'B36'], localities: ['Chelmsley Wood', 'Castle Bromwich'] },
  ],
};
// prettier-ignore
const WARWICKSHIRE: Place = {
  streets: ['Clarendon Square', 'Emscote Road', 'Myton Road', 'Lawford Road', 'Clifton Road', 'Church Street',
    'Abbey Street', 'Coten End'],
  areas: [
    { town: 'Leamington Spa', districts: ['CV31', 'CV32'], localities: ['', 'Milverton', 'Whitnash', 'Lillington'] },
    { town: 'Warwick', districts: ['CV34'], localities: ['', 'Woodloes Park'] },
    { town: 'Rugby', districts: ['CV21', 'CV22'], localities: ['', 'Hillmorton', 'Bilton'] },
    { town: 'Nuneaton', districts: ['CV10', 'CV11'], localities: ['', 'Stockingford', 'Attleborough'] },
    { town: 'Stratford-upon-Avon', districts: ['CV37'], localities: ['', 'Shottery'] },
    { town: 'Kenilworth', districts: ['CV8'], localities: [''] },
  ],
};

/** Letters Royal Mail uses in the last two places of a postcode. */
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

const digits = (rnd: () => number, count: number): string =>
  Array.from({ length: count }, () => String(Math.floor(rnd() * 10))).join('');

/** A made-up person: name, date of birth, NI number, home address and contact details. */
interface FakePerson {
  title: string;
  given: string;
  middle: string | undefined;
  family: string;
  knownAs: string | undefined;
  /** ISO date. */
  dateOfBirth: string;
  /** Compact NI number (`JT482917C`). */
  nino: string;
  street: string;
  locality: string;
  town: string;
  postcode: string;
  email: string;
  phone: string | undefined;
  mobile: string | undefined;
}

function fakePerson(rnd: () => number, place: Place, phoneArea: string, mailDomain: string): FakePerson {
  const { name: given, titles, middles } = pick(rnd, GIVEN_NAMES);
  const family = pick(rnd, FAMILY_NAMES);
  const area = pick(rnd, place.areas);
  const ascii = (text: string): string =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z-]/g, '');
  return {
    title: pick(rnd, titles),
    given,
    middle: rnd() < 0.4 ? pick(rnd, middles) : undefined,
    family,
    knownAs: rnd() < 0.5 ? KNOWN_AS[given] : undefined,
    dateOfBirth: isoDateDaysAgo(Math.floor(365.25 * 18 + rnd() * 365.25 * 47)),
    nino: `${pick(rnd, NINO_PREFIXES)}${digits(rnd, 6)}${pick(rnd, ['A', 'B', 'C', 'D'])}`,
    street: `${1 + Math.floor(rnd() * 180)} ${pick(rnd, place.streets)}`,
    locality: pick(rnd, area.localities),
    town: area.town,
    postcode: `${pick(rnd, area.districts)} ${Math.floor(rnd() * 10)}${pick(rnd, [...INWARD_LETTERS])}${pick(rnd, [...INWARD_LETTERS])}`,
    email: `${ascii(given)}.${ascii(family)}${Math.floor(rnd() * 90) + 10}@${mailDomain}`,
    phone: rnd() < 0.6 ? `${phoneArea}${digits(rnd, 3)}` : undefined,
    mobile: rnd() < 0.8 ? `07700 900${digits(rnd, 3)}` : undefined,
  };
}

/** A made-up employment of a post: contract, hours, grade point, dates. */
interface FakeEmployment {
  job: Job;
  contract: 'permanent' | 'fixed-term' | 'casual' | 'apprentice' | 'agency';
  hours: number;
  /** FTE of a 37-hour week to 5 places; undefined for casual hours. */
  fte: number | undefined;
  scp: number | undefined;
  /** ISO dates. */
  start: string;
  end: string | undefined;
  leaverReason: string | undefined;
}

function fakeEmployment(rnd: () => number): FakeEmployment {
  const job = pick(rnd, JOBS);
  const contract = job.usual === 'permanent' && rnd() < 0.15 ? 'fixed-term' : job.usual;
  const hours = pick(rnd, job.hours);
  const leaver = rnd() < 0.06;
  const start = isoDateDaysAgo(30 + Math.floor(rnd() * 7300));
  // A leaver's last day is within the last 29 days, after a start at least 30 days ago; a fixed-term
  // contract runs to a day in the next two years.
  const end = leaver
    ? isoDateDaysAgo(Math.floor(rnd() * 30))
    : contract === 'fixed-term'
      ? isoDateDaysAgo(-(30 + Math.floor(rnd() * 700)))
      : undefined;
  const scp =
    job.scp === undefined ? undefined : job.scp[0] + Math.floor(rnd() * (job.scp[1] - job.scp[0] + 1));
  return {
    job,
    contract,
    hours,
    fte: hours === 0 ? undefined : Number((hours / 37).toFixed(5)),
    scp,
    start,
    end,
    leaverReason: leaver ? pick(rnd, LEAVER_REASONS) : undefined,
  };
}

/** `yyyy-mm-dd` as `dd/mm/yyyy` (ResourceLink) or `dd.mm.yyyy` (SAP). */
const ukDate = (iso: string, separator: '/' | '.'): string => iso.split('-').reverse().join(separator);

/** A made-up absence episode: a type word for the council's lookup, reason, dates and time lost. */
interface FakeAbsence {
  kind: 'sickness' | 'annual' | 'parental' | 'other';
  reason: { code: string; label: string } | undefined;
  start: string;
  end: string | undefined;
  days: number | undefined;
  hours: number | undefined;
}

function fakeAbsence(rnd: () => number): FakeAbsence {
  const roll = rnd();
  const kind = roll < 0.45 ? 'sickness' : roll < 0.82 ? 'annual' : roll < 0.87 ? 'parental' : 'other';
  const days =
    kind === 'parental'
      ? 20 + Math.floor(rnd() * 100)
      : kind === 'annual' && rnd() < 0.2
        ? 0.5
        : 1 + Math.floor(rnd() * 10);
  const span = Math.max(0, Math.ceil(days * 1.4) - 1); // calendar days, weekends included
  const startAgo = span + Math.floor(rnd() * 60) - (kind === 'annual' ? 30 : 0); // leave may be booked ahead
  const open = kind === 'sickness' && rnd() < 0.1;
  return {
    kind,
    reason:
      kind === 'sickness'
        ? pick(rnd, SICKNESS_REASONS)
        : kind === 'other'
          ? { code: 'SPL-CMP', label: 'Compassionate leave' }
          : undefined,
    start: isoDateDaysAgo(startAgo),
    end: open ? undefined : isoDateDaysAgo(startAgo - span),
    days: open ? undefined : days,
    hours: open ? undefined : Number((days * 7.4).toFixed(2)),
  };
}

/** Coventry's (iTrent-style) contract type codes, as its mapping's lookup reads them. */
const COVENTRY_CONTRACT: Readonly<Record<FakeEmployment['contract'], readonly string[]>> = {
  permanent: ['PERM'],
  'fixed-term': ['FTC', 'TEMP'],
  casual: ['CASUAL', 'RELIEF', 'SESS'],
  apprentice: ['APPR'],
  agency: ['AGENCY'],
};

/** Coventry: iTrent-style person + appointment JSON events. */
export const coventryEmployeeJson: DemoGenerator = {
  mappingId: 'coventry.hr.employee-json',
  contentType: 'application/json',
  make(n, rnd) {
    const personNumber = String(480000 + n).padStart(8, '0');
    const appointmentNumber = rnd() < 0.05 ? 2 : 1;
    const person = fakePerson(rnd, COVENTRY, '01632 960', 'example.com');
    const job = fakeEmployment(rnd);
    const midnight = (iso: string | undefined): string | null =>
      iso === undefined ? null : `${iso}T00:00:00`;
    return {
      key: `${personNumber}/${appointmentNumber}`,
      body: JSON.stringify({
        changeType: job.leaverReason !== undefined ? 'LEAVER' : rnd() < 0.2 ? 'NEW' : 'AMEND',
        personNumber,
        appointmentNumber,
        person: {
          title: person.title,
          forenames: person.middle === undefined ? person.given : `${person.given} ${person.middle}`,
          surname: person.family,
          knownAs: person.knownAs ?? null,
          dateOfBirth: midnight(person.dateOfBirth),
          // iTrent screens show NI numbers spaced in pairs; about half arrive that way.
          niNumber:
            rnd() < 0.5 ? person.nino.replace(/^(..)(..)(..)(..)(.)$/, '$1 $2 $3 $4 $5') : person.nino,
          address: {
            line1: person.street,
            line2: person.locality || null,
            line3: null,
            town: person.town,
            county: 'West Midlands',
            postcode: person.postcode,
          },
          personalEmail: person.email,
          homePhone: person.phone ?? null,
          mobilePhone: person.mobile ?? null,
        },
        appointment: {
          positionId: `POS-${String(4000 + Math.floor(rnd() * 6000)).padStart(6, '0')}`,
          jobTitle: job.job.title,
          directorate: job.job.directorate,
          orgUnit: { id: job.job.orgUnit.code, name: job.job.orgUnit.name },
          costCentre: { id: job.job.costCentre.code, name: job.job.costCentre.name },
          grade: {
            code: job.job.grade ?? null,
            payScale: job.job.payScale ?? null,
            spinalPoint: job.scp ?? null,
          },
          contractType: pick(rnd, COVENTRY_CONTRACT[job.contract]),
          fte: job.fte ?? null,
          hoursPerWeek: job.hours,
          startDate: midnight(job.start),
          endDate: midnight(job.end),
          leavingReason: job.leaverReason ?? null,
        },
      }),
    };
  },
};

const COVENTRY_ABSENCE: Readonly<Record<FakeAbsence['kind'], readonly string[]>> = {
  sickness: ['SICK', 'SICK', 'SICK', 'INJURY'],
  annual: ['AL'],
  parental: ['MAT', 'PAT', 'ADOPT', 'SPL'],
  other: ['COMP', 'DEPEND', 'JURY', 'TU', 'MEDAPP', 'TOIL'],
};

/** Coventry: iTrent-style absence JSON events. */
export const coventryAbsenceJson: DemoGenerator = {
  mappingId: 'coventry.hr.absence-json',
  contentType: 'application/json',
  make(n, rnd) {
    const absenceId = 9100000 + n;
    const absence = fakeAbsence(rnd);
    const midnight = (iso: string | undefined): string | null =>
      iso === undefined ? null : `${iso}T00:00:00`;
    return {
      key: String(absenceId),
      body: JSON.stringify({
        changeType: absence.end === undefined || rnd() < 0.7 ? 'NEW' : 'AMEND',
        absenceId,
        personNumber: String(480000 + Math.floor(rnd() * 200)).padStart(8, '0'),
        absenceType: pick(rnd, COVENTRY_ABSENCE[absence.kind]),
        reason:
          absence.reason === undefined
            ? null
            : { code: absence.reason.code, description: absence.reason.label },
        firstDay: midnight(absence.start),
        lastDay: midnight(absence.end),
        daysLost: absence.days ?? null,
        hoursLost: absence.hours ?? null,
      }),
    };
  },
};

/** Solihull's (ResourceLink-style) contract categories, as words. */
const SOLIHULL_CONTRACT: Readonly<Record<FakeEmployment['contract'], readonly string[]>> = {
  permanent: ['Permanent'],
  'fixed-term': ['Fixed Term', 'Temporary'],
  casual: ['Casual', 'Relief', 'Sessional'],
  apprentice: ['Apprentice', 'Apprenticeship'],
  agency: ['Agency Worker'],
};

/** Solihull: ResourceLink-style EmployeeRecord XML events. */
export const solihullEmployeeXml: DemoGenerator = {
  mappingId: 'solihull.hr.employee-xml',
  contentType: 'application/xml',
  make(n, rnd) {
    const employeeRef = `SMB${String(4000 + n).padStart(6, '0')}`;
    const postNumber = `P${10000 + Math.floor(rnd() * 9000)}`;
    const person = fakePerson(rnd, SOLIHULL, '0121 496 0', 'example.org');
    const job = fakeEmployment(rnd);
    const el = (name: string, value: string | undefined): string =>
      value === undefined || value === '' ? `<${name}/>` : `<${name}>${xmlEscape(value)}</${name}>`;
    const grade =
      job.job.grade === undefined
        ? ''
        : `<Grade scale="${xmlEscape(job.job.payScale ?? '')}"${job.scp === undefined ? '' : ` point="${job.scp}"`}>` +
          `${xmlEscape(job.job.grade)}</Grade>`;
    const termination =
      job.leaverReason === undefined
        ? ''
        : `<Termination>${el('LeavingDate', ukDate(job.end!, '/'))}${el('Reason', job.leaverReason)}</Termination>`;
    return {
      key: `${employeeRef}-${postNumber}`,
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n` +
        `<EmployeeRecord xmlns="urn:example:solihull:resourcelink:hr:1" employeeRef="${employeeRef}" postNumber="${postNumber}" action="${rnd() < 0.2 ? 'A' : 'C'}">` +
        `<Personal>${el('Title', person.title)}${el('Surname', person.family)}${el('Forename1', person.given)}${el('Forename2', person.middle)}` +
        `${el('KnownAs', person.knownAs)}${el('BirthDate', ukDate(person.dateOfBirth, '/'))}${el('NINumber', person.nino)}` +
        `<Address>${el('AddressLine1', person.street)}${el('AddressLine2', person.locality)}<AddressLine3/>${el('Town', person.town)}` +
        `${el('County', 'West Midlands')}${el('PostCode', person.postcode)}</Address>` +
        `${el('EmailAddress', person.email)}${el('HomeTelephone', person.phone)}${el('MobileTelephone', person.mobile)}</Personal>` +
        `<Post>${el('PostTitle', job.job.title)}${el('Directorate', job.job.directorate)}` +
        `<OrganisationUnit code="${job.job.orgUnit.code}">${xmlEscape(job.job.orgUnit.name)}</OrganisationUnit>` +
        `<CostCentre code="${job.job.costCentre.code}">${xmlEscape(job.job.costCentre.name)}</CostCentre>${grade}</Post>` +
        `<Contract category="${pick(rnd, SOLIHULL_CONTRACT[job.contract])}">${el('StartDate', ukDate(job.start, '/'))}` +
        `${el('EndDate', job.contract === 'fixed-term' && job.end !== undefined ? ukDate(job.end, '/') : undefined)}` +
        `${el('FTE', job.fte?.toFixed(5))}${el('WeeklyHours', job.hours.toFixed(2))}</Contract>` +
        `${termination}</EmployeeRecord>`,
    };
  },
};

const SOLIHULL_ABSENCE: Readonly<Record<FakeAbsence['kind'], readonly string[]>> = {
  sickness: ['Sickness', 'Sickness', 'Industrial Injury'],
  annual: ['Annual Leave', 'Annual Leave', 'Bank Holiday'],
  parental: [
    'Maternity Leave',
    'Paternity Leave',
    'Adoption Leave',
    'Shared Parental Leave',
    'Unpaid Parental Leave',
  ],
  other: [
    'Special Leave - Compassionate',
    'Special Leave - Dependants',
    'Jury Service',
    'Trade Union Duties',
    'Unpaid Leave',
    'Flexi Leave',
  ],
};

/** Solihull: ResourceLink-style AbsenceRecord XML events. */
export const solihullAbsenceXml: DemoGenerator = {
  mappingId: 'solihull.hr.absence-xml',
  contentType: 'application/xml',
  make(n, rnd) {
    const absenceId = String(700000 + n);
    const absence = fakeAbsence(rnd);
    const type = pick(rnd, SOLIHULL_ABSENCE[absence.kind]);
    const reason =
      absence.reason === undefined
        ? ''
        : `<Reason code="${absence.reason.code}">${xmlEscape(absence.reason.label)}</Reason>`;
    return {
      key: absenceId,
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n` +
        `<AbsenceRecord xmlns="urn:example:solihull:resourcelink:absence:1" absenceId="${absenceId}" employeeRef="SMB${String(4000 + Math.floor(rnd() * 200)).padStart(6, '0')}" action="${absence.end === undefined ? 'A' : 'C'}">` +
        `<AbsenceType code="${type.slice(0, 3).toUpperCase()}">${xmlEscape(type)}</AbsenceType>${reason}` +
        `<FirstDay>${ukDate(absence.start, '/')}</FirstDay>${absence.end === undefined ? '<LastDay/>' : `<LastDay>${ukDate(absence.end, '/')}</LastDay>`}` +
        `${absence.days === undefined ? '' : `<DaysLost>${absence.days}</DaysLost>`}${absence.hours === undefined ? '' : `<HoursLost>${absence.hours.toFixed(2)}</HoursLost>`}` +
        `</AbsenceRecord>`,
    };
  },
};

/** Every HR event generator: Coventry JSON and Solihull XML, employees and absences. */
export const hrGenerators: DemoGenerator[] = [
  coventryEmployeeJson,
  coventryAbsenceJson,
  solihullEmployeeXml,
  solihullAbsenceXml,
];

/** The columns of Warwickshire's SAP HR query export, in file order. */
// prettier-ignore
const WARWICKSHIRE_COLUMNS = [
  'Pers.No.', 'Position', 'Position Title', 'Form of Address', 'First name', 'Last name', 'Known as', 'Birth date',
  'NI number', 'Street and House No', '2nd Address Line', 'District', 'City', 'Postal Code', 'Private email',
  'Telephone no.', 'Mobile no.', 'Directorate', 'Org.unit', 'Organizational unit', 'Cost Center', 'Cost center text',
  'Employee group', 'PS type', 'PS group', 'PS level', 'FTE', 'Weekly hours', 'Entry date', 'Leaving date',
  'Reason for action',
] as const;

/** Warwickshire's (SAP) employee groups. */
const WARWICKSHIRE_GROUP: Readonly<Record<FakeEmployment['contract'], readonly string[]>> = {
  permanent: ['Permanent'],
  'fixed-term': ['Fixed Term', 'Temporary'],
  casual: ['Casual', 'Relief'],
  apprentice: ['Apprentice'],
  agency: ['Agency'],
};

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
const csvField = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

/**
 * Warwickshire: the nightly SAP HR employee export, one row per personnel number, as a Windows-1252 CSV
 * with a title row above the header. SAP's conventions: dd.mm.yyyy dates, 31.12.9999 for an open end,
 * 00.00.0000 for an empty date, 99999999 for the default position.
 */
export const warwickshireEmployeeCsv: DemoFileGenerator = {
  mappingId: 'warwickshire.hr.employee-csv',
  format: 'csv',
  makeFile(sequence, rnd, rows) {
    const today = isoDateDaysAgo(0);
    const lines = [
      `Employee master data export ${ukDate(today, '.')}`,
      WARWICKSHIRE_COLUMNS.map(csvField).join(','),
    ];
    for (let i = 0; i < rows; i++) {
      const person = fakePerson(rnd, WARWICKSHIRE, '01632 960', 'example.net');
      const job = fakeEmployment(rnd);
      const values: Record<(typeof WARWICKSHIRE_COLUMNS)[number], string> = {
        'Pers.No.': String(10040000 + i),
        Position: rnd() < 0.05 ? '99999999' : String(50030000 + Math.floor(rnd() * 9000)),
        'Position Title': job.job.title,
        'Form of Address': person.title,
        'First name': person.given,
        'Last name': person.family,
        'Known as': person.knownAs ?? '',
        'Birth date': rnd() < 0.02 ? '00.00.0000' : ukDate(person.dateOfBirth, '.'),
        'NI number':
          rnd() < 0.3 ? person.nino.replace(/^(..)(..)(..)(..)(.)$/, '$1 $2 $3 $4 $5') : person.nino,
        'Street and House No': person.street,
        '2nd Address Line': '',
        District: person.locality,
        City: person.town,
        'Postal Code': person.postcode,
        'Private email': person.email,
        'Telephone no.': person.phone ?? '',
        'Mobile no.': person.mobile ?? '',
        Directorate: job.job.directorate,
        'Org.unit': String(50000400 + JOBS.indexOf(job.job)),
        'Organizational unit': job.job.orgUnit.name,
        'Cost Center': job.job.costCentre.code.replace(/^C/, 'W'),
        'Cost center text': job.job.costCentre.name,
        'Employee group': pick(rnd, WARWICKSHIRE_GROUP[job.contract]),
        'PS type': job.job.payScale ?? '',
        'PS group': job.job.grade ?? '',
        'PS level': job.scp === undefined ? '' : String(job.scp).padStart(2, '0'),
        FTE: job.fte === undefined ? '' : job.fte.toFixed(5),
        'Weekly hours': job.hours.toFixed(2),
        'Entry date': ukDate(job.start, '.'),
        'Leaving date': job.end === undefined ? '31.12.9999' : ukDate(job.end, '.'),
        'Reason for action': job.leaverReason ?? '',
      };
      lines.push(WARWICKSHIRE_COLUMNS.map((column) => csvField(values[column])).join(','));
    }
    // SAP GUI exports on Windows write Windows-1252: Siân and Zoë are one byte per accented letter.
    return {
      name: `HR_EMP_EXPORT_${today.replace(/-/g, '')}_${sequence}.csv`,
      body: Buffer.from(lines.join('\r\n') + '\r\n', 'latin1'),
    };
  },
};

/** Every HR file-export generator: Warwickshire's nightly employee CSV. */
export const hrFileGenerators: DemoFileGenerator[] = [warwickshireEmployeeCsv];
