import { DemoGenerator, isoDateDaysAgo, pick, xmlEscape } from '../demo-generator';

/**
 * Demo CRM cases in each council's own layout (the layouts `libs/domains/crm/mappings/` read). People are
 * invented; emails use the reserved example domains and phone numbers Ofcom's drama ranges (07700 900xxx,
 * 0121 496 0xxx, 01632 960xxx), so no real person can be reached. Places are real streets and postcode
 * districts; UPRNs and USRNs are invented in the councils' number ranges.
 */

const FIRST_NAMES = [
  'Aisha',
  'Gareth',
  'Priya',
  'Tom',
  'Margaret',
  'Daniel',
  'Siobhan',
  'Kwame',
  'Harjit',
  'Oliver',
  'Zofia',
  'Emily',
  'Mohammed',
  'Chloe',
  'Rajesh',
  'Hannah',
];
const LAST_NAMES = [
  'Rahman',
  'Evans',
  'Sharma',
  'Whitfield',
  'Bell',
  "O'Connor",
  'Murphy',
  'Mensah',
  'Kaur',
  'Bennett',
  'Nowak',
  'Clarke',
  'Iqbal',
  'Davies',
  'Patel',
  'Wright',
];
const MAIL_DOMAINS = ['example.org', 'example.com', 'example.net', 'example.co.uk'];

/** An invented resident: name, email and phone (landline in `landline`'s drama range, or a mobile). */
function person(rnd: () => number, landline: string): { name: string; email: string; phone: string } {
  const first = pick(rnd, FIRST_NAMES);
  const last = pick(rnd, LAST_NAMES);
  const email = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + `@${pick(rnd, MAIL_DOMAINS)}`;
  const line = String(Math.floor(rnd() * 1000)).padStart(3, '0');
  const phone = rnd() < 0.6 ? `07700 900${line}` : `${landline}${line}`;
  return { name: `${first} ${last}`, email, phone };
}

/** `digits` random decimal digits. */
function digits(rnd: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(Math.floor(rnd() * 10));
  return out;
}

/** A wall-clock time in office hours `hh:mm:ss` (never in the spring-forward gap). */
function officeTime(rnd: () => number): string {
  const h = 8 + Math.floor(rnd() * 10);
  const m = Math.floor(rnd() * 60);
  const s = Math.floor(rnd() * 60);
  return [h, m, s].map((v) => String(v).padStart(2, '0')).join(':');
}

interface Place {
  street: string;
  postcode: string;
}

const COVENTRY_PLACES: readonly Place[] = [
  { street: 'Earl Street', postcode: 'CV1 5RR' },
  { street: 'Foleshill Road', postcode: 'CV6 5AH' },
  { street: 'Walsgrave Road', postcode: 'CV2 4HE' },
  { street: 'Binley Road', postcode: 'CV3 1JN' },
  { street: 'Tile Hill Lane', postcode: 'CV4 9DU' },
  { street: 'Allesley Old Road', postcode: 'CV5 8BX' },
  { street: 'Holbrook Lane', postcode: 'CV6 4AD' },
];

const COVENTRY_SERVICES = [
  { code: 'WST_MISSED_BIN', name: 'Report a missed bin', text: 'Bin was out on time but not emptied.' },
  { code: 'WST_BULKY', name: 'Book a bulky waste collection', text: 'Sofa and two dining chairs.' },
  {
    code: 'ENV_FLY',
    name: 'Report fly-tipping',
    text: 'Mattress and black bags dumped at the end of the alley.',
  },
  {
    code: 'HWY_POTHOLE',
    name: 'Report a pothole',
    text: 'Deep pothole near the bus stop, cyclists swerving round it.',
  },
  {
    code: 'HWY_LIGHT',
    name: 'Report a street light fault',
    text: 'Street light flickering on and off all night.',
  },
  { code: 'WST_NEW_BIN', name: 'Request a new bin', text: 'Lid of the recycling bin snapped off.' },
  { code: 'ENV_LITTER', name: 'Litter', text: 'Litter building up along the verge.' },
  // No LGA Services List id in the lookup: the hub keeps the case and warns.
  { code: 'ENV_DOG_FOUL', name: 'Dog fouling', text: 'Dog fouling on the path to the primary school.' },
];

/** Coventry: Firmstep cases as JSON events. */
export const coventryCaseJson: DemoGenerator = {
  mappingId: 'coventry.crm.case-json',
  contentType: 'application/json',
  make(n, rnd) {
    const reference = `CCC-${isoDateDaysAgo(0).slice(0, 4)}-${String(4000 + n).padStart(7, '0')}`;
    const service = pick(rnd, COVENTRY_SERVICES);
    const place = pick(rnd, COVENTRY_PLACES);
    const status = pick(rnd, [
      'Submitted',
      'In Progress',
      'Awaiting Contractor',
      'Completed',
      'Closed - No Action',
    ]);
    const closed = status === 'Completed' || status === 'Closed - No Action';
    const daysAgo = 1 + Math.floor(rnd() * 10);
    const anonymous = rnd() < 0.1;
    return {
      key: reference,
      body: JSON.stringify({
        reference,
        action: n % 17 === 0 ? 'update' : 'create',
        form: { code: service.code, name: service.name },
        status,
        statusNotes: closed ? 'Resolved by the service team' : undefined,
        channel: pick(rnd, ['Web form', 'Web form', 'Telephone', 'Email', 'Face to face', 'App']),
        submittedAt: `${isoDateDaysAgo(daysAgo)} ${officeTime(rnd)}`,
        lastUpdated: `${isoDateDaysAgo(daysAgo - 1)} ${officeTime(rnd)}`,
        closedAt: closed ? `${isoDateDaysAgo(0)} ${officeTime(rnd)}` : null,
        details: service.text,
        location: {
          uprn: rnd() < 0.7 ? `1000${digits(rnd, 8)}` : null,
          usrn: `270${digits(rnd, 4)}`,
          postcode: place.postcode,
          easting: String(430000 + Math.floor(rnd() * 8000)),
          northing: String(275000 + Math.floor(rnd() * 8000)),
          address: `${1 + Math.floor(rnd() * 180)} ${place.street}, Coventry`,
        },
        customer: anonymous
          ? undefined
          : (({ name, email, phone }) => ({ fullName: name, email, phone }))(person(rnd, '01632 960')),
      }),
    };
  },
};

const SOLIHULL_PLACES: readonly Place[] = [
  { street: 'Homer Road', postcode: 'B91 3QB' },
  { street: 'Warwick Road', postcode: 'B91 1AA' },
  { street: 'Lode Lane', postcode: 'B92 8NN' },
  { street: 'Stratford Road, Shirley', postcode: 'B90 3AG' },
  { street: 'Chelmsley Road', postcode: 'B37 7RS' },
  { street: 'Station Road, Knowle', postcode: 'B93 0HL' },
];

const SOLIHULL_SERVICES = [
  { code: 'SL-FAULT', name: 'Street light fault', text: 'Lamp column out for a week.' },
  { code: 'HW-POT', name: 'Pothole', text: 'Pothole opening up at the junction.' },
  { code: 'WS-MISSED', name: 'Missed bin collection', text: 'Household waste bin missed again.' },
  { code: 'WS-GARDEN', name: 'Missed garden waste collection', text: 'Green bin not emptied on Wednesday.' },
  { code: 'ENV-FLY', name: 'Fly-tipping', text: 'Builders rubble dumped in the lay-by.' },
  { code: 'DR-GULLY', name: 'Blocked gully', text: 'Road floods by the gully after rain.' },
];

/** A deterministic GUID-shaped id, as Dynamics gives every record. */
function guid(rnd: () => number): string {
  const hex = (count: number): string => {
    let out = '';
    for (let i = 0; i < count; i++) out += Math.floor(rnd() * 16).toString(16);
    return out;
  };
  return `${hex(8)}-${hex(4)}-ef11-${hex(4)}-${hex(12)}`;
}

/** Solihull: Dynamics 365 incidents as XML events. */
export const solihullCaseXml: DemoGenerator = {
  mappingId: 'solihull.crm.case-xml',
  contentType: 'application/xml',
  make(n, rnd) {
    const id = guid(rnd);
    const service = pick(rnd, SOLIHULL_SERVICES);
    const place = pick(rnd, SOLIHULL_PLACES);
    const statuscode = pick(rnd, ['100000000', '1', '1', '2', '4', '5', '1000', '6']);
    const closed = ['5', '1000', '6'].includes(statuscode);
    const customer = person(rnd, '0121 496 0');
    const daysAgo = 1 + Math.floor(rnd() * 10);
    const contact =
      rnd() < 0.15
        ? `<fullname>${xmlEscape(customer.name)}</fullname><mobilephone>07700 900${digits(rnd, 3)}</mobilephone>`
        : `<fullname>${xmlEscape(customer.name)}</fullname><emailaddress1>${customer.email}</emailaddress1><telephone1>${customer.phone}</telephone1>`;
    return {
      key: id,
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<incident xmlns="urn:example:solihull:dynamics:incident:1" incidentid="${id}" action="${n % 13 === 0 ? 'Update' : 'Create'}">` +
        `<ticketnumber>CAS-${String(10000 + n).slice(-5)}-${digits(rnd, 6)}</ticketnumber><title>${xmlEscape(service.name)}</title>` +
        `<smbc_servicecode>${service.code}</smbc_servicecode><smbc_servicename>${xmlEscape(service.name)}</smbc_servicename>` +
        `<statecode>${closed ? (statuscode === '6' ? '2' : '1') : '0'}</statecode><statuscode>${statuscode}</statuscode>` +
        `<caseorigincode>${pick(rnd, ['1', '2', '3', '3', '100000000', '100000001', '2483'])}</caseorigincode>` +
        `<createdon>${isoDateDaysAgo(daysAgo)}T${officeTime(rnd)}Z</createdon><modifiedon>${isoDateDaysAgo(daysAgo - 1)}T${officeTime(rnd)}Z</modifiedon>` +
        (closed
          ? `<smbc_closedon>${isoDateDaysAgo(0)}T${officeTime(rnd)}Z</smbc_closedon><smbc_publicnote>Work completed</smbc_publicnote>`
          : '') +
        `<description>${xmlEscape(service.text)}</description>` +
        `<smbc_uprn>100071${digits(rnd, 6)}</smbc_uprn><smbc_usrn>2700${digits(rnd, 3)}</smbc_usrn><smbc_postcode>${place.postcode}</smbc_postcode>` +
        `<smbc_easting>${412000 + Math.floor(rnd() * 8000)}</smbc_easting><smbc_northing>${276000 + Math.floor(rnd() * 8000)}</smbc_northing>` +
        `<smbc_address>${xmlEscape(place.street)}, Solihull</smbc_address>` +
        `<customerid><contact>${contact}</contact></customerid></incident>`,
    };
  },
};

const WARWICKSHIRE_PLACES = [
  { street: 'Warwick New Road, Leamington Spa', postcode: 'CV32 5JQ', lat: 52.2857, long: -1.5462 },
  { street: 'Birmingham Road, Stratford-upon-Avon', postcode: 'CV37 0AA', lat: 52.2011, long: -1.7178 },
  { street: 'Lawford Road, Rugby', postcode: 'CV21 2DZ', lat: 52.3716, long: -1.2801 },
  { street: 'Coton Road, Nuneaton', postcode: 'CV11 5TS', lat: 52.5196, long: -1.4681 },
  { street: 'Long Street, Atherstone', postcode: 'CV9 1AX', lat: 52.5781, long: -1.5453 },
  { street: 'Warwick Road, Kenilworth', postcode: 'CV8 1HL', lat: 52.3409, long: -1.5777 },
];

const WARWICKSHIRE_SERVICES = [
  { code: 'HW-POTHOLE', name: 'Pothole', text: 'Pothole in the nearside lane.' },
  { code: 'HW-LIGHT', name: 'Street light fault', text: 'Street light out.' },
  { code: 'HW-GRIT', name: 'Grit bin empty', text: 'Grit bin on the hill is empty.' },
  { code: 'HW-DRAIN', name: 'Blocked drain', text: 'Drain blocked with leaves, water across the road.' },
  { code: 'HW-PAVE', name: 'Damaged pavement', text: 'Raised paving slab, trip hazard.' },
  { code: 'HW-TREE', name: 'Fallen tree', text: 'Branch down across the footway.' },
];

/** Warwickshire: Salesforce Case records as JSON events. */
export const warwickshireCaseJson: DemoGenerator = {
  mappingId: 'warwickshire.crm.case-json',
  contentType: 'application/json',
  make(n, rnd) {
    const id = `5003z00002${n.toString(36).toUpperCase().padStart(5, '0')}EAA`;
    const service = pick(rnd, WARWICKSHIRE_SERVICES);
    const place = pick(rnd, WARWICKSHIRE_PLACES);
    const status = pick(rnd, ['New', 'Working', 'Escalated', 'On Hold', 'Closed']);
    const origin = pick(rnd, ['Web', 'Web', 'Phone', 'Email', 'Walk-in', 'Mobile App']);
    const customer = person(rnd, '01632 960');
    const webToCase = origin === 'Web' || origin === 'Mobile App';
    const daysAgo = 1 + Math.floor(rnd() * 10);
    // Agents sometimes paste a UPRN from a spreadsheet: the hub warns and keeps the case.
    const uprn = rnd() < 0.05 ? '1.00070E+11' : rnd() < 0.6 ? `100070${digits(rnd, 6)}` : null;
    return {
      key: id,
      body: JSON.stringify({
        attributes: { type: 'Case', url: `/services/data/v59.0/sobjects/Case/${id}` },
        Id: id,
        CaseNumber: String(12000 + n).padStart(8, '0'),
        IsDeleted: false,
        Status: status,
        Origin: origin,
        Service_Code__c: service.code,
        Service_Name__c: service.name,
        Subject: `${service.name} - ${place.street}`,
        Description: service.text,
        CreatedDate: `${isoDateDaysAgo(daysAgo)}T${officeTime(rnd)}.000+0000`,
        LastModifiedDate: `${isoDateDaysAgo(daysAgo - 1)}T${officeTime(rnd)}.000+0000`,
        ClosedDate: status === 'Closed' ? `${isoDateDaysAgo(0)}T${officeTime(rnd)}.000+0000` : null,
        Status_Notes__c: status === 'Escalated' ? 'Passed to the highways inspector' : null,
        UPRN__c: uprn,
        USRN__c: `440${digits(rnd, 5)}`,
        Postcode__c: place.postcode,
        Location__Latitude__s: Number((place.lat + (rnd() - 0.5) / 100).toFixed(6)),
        Location__Longitude__s: Number((place.long + (rnd() - 0.5) / 100).toFixed(6)),
        Location_Description__c: place.street,
        SuppliedName: webToCase ? customer.name : null,
        SuppliedEmail: webToCase ? customer.email : null,
        SuppliedPhone: webToCase ? customer.phone : null,
        Contact: webToCase ? null : { Name: customer.name, Email: customer.email, Phone: customer.phone },
      }),
    };
  },
};

/** Every CRM event feed's generator. */
export const crmGenerators: DemoGenerator[] = [coventryCaseJson, solihullCaseXml, warwickshireCaseJson];
