import {
  DemoFileGenerator,
  DemoGenerator,
  isoDateDaysAgo,
  pick,
  ukDateDaysAgo,
  xmlEscape,
} from '../demo-generator';

/**
 * Demo waste records in each council's own layout (the layouts `libs/domains/waste/mappings/` read):
 * Coventry's Bartec collection outcomes and fly-tips (JSON), Solihull's Whitespace collection results
 * (XML) and Warwickshire's weekly fly-tipping report-form export (CSV). Reporters in the export are
 * invented; emails use the reserved example domains and phones Ofcom's drama ranges. Streets and postcode
 * districts are real; UPRNs and USRNs are invented in the councils' number ranges.
 */

/** `count` random decimal digits. */
function digits(rnd: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(Math.floor(rnd() * 10));
  return out;
}

/** A crew's time on the day `hh:mm:ss`, 06:30 to 15:30 (never in the spring-forward gap). */
function crewTime(rnd: () => number): string {
  const minutes = 390 + Math.floor(rnd() * 540);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;
}

const COVENTRY_STREETS = [
  { street: 'Foleshill Road', postcode: 'CV6 5AH' },
  { street: 'Walsgrave Road', postcode: 'CV2 4HE' },
  { street: 'Binley Road', postcode: 'CV3 1JN' },
  { street: 'Tile Hill Lane', postcode: 'CV4 9DU' },
  { street: 'Allesley Old Road', postcode: 'CV5 8BX' },
  { street: 'Stoney Stanton Road', postcode: 'CV1 4FS' },
];

const COVENTRY_SERVICES = [
  { name: 'Domestic Refuse', round: 'REF' },
  { name: 'Domestic Recycling', round: 'REC' },
  { name: 'Garden Waste', round: 'GDN' },
];

const BARTEC_EXCEPTIONS = [
  { type: 'Bin Not Out', comment: 'No bin at kerbside when crew attended' },
  { type: 'Contaminated Bin', comment: 'Food and nappies in recycling, tagged' },
  { type: 'Access Blocked', comment: 'Parked cars, vehicle could not get down the road' },
  { type: 'Bin Not Collected', comment: 'Round not finished, crew to return' },
];

/** Coventry: Bartec collection job outcomes as JSON events. */
export const coventryCollectionJson: DemoGenerator = {
  mappingId: 'coventry.waste.collection-json',
  contentType: 'application/json',
  make(n, rnd) {
    const jobId = 88000000 + n;
    const service = pick(rnd, COVENTRY_SERVICES);
    const place = pick(rnd, COVENTRY_STREETS);
    const day = Math.floor(rnd() * 3);
    const exception = rnd() < 0.15 ? pick(rnd, BARTEC_EXCEPTIONS) : undefined;
    const roll = rnd();
    // Bartec exports UPRNs as numbers; crews' spreadsheets sometimes mangle them (the hub warns, keeps the outcome).
    const uprn: number | string = roll < 0.03 ? '1.00023E+11' : Number(`1000${digits(rnd, 8)}`);
    const time = `${isoDateDaysAgo(day)}T${crewTime(rnd)}`;
    return {
      key: String(jobId),
      body: JSON.stringify({
        JobID: jobId,
        Feature: {
          UPRN: uprn,
          USRN: `270${digits(rnd, 4)}`,
          Postcode: place.postcode,
          Address: `${1 + Math.floor(rnd() * 200)} ${place.street}`,
        },
        Round: {
          Name: `${service.round}-${pick(rnd, ['MON', 'TUE', 'WED', 'THU', 'FRI'])}-0${1 + Math.floor(rnd() * 6)}`,
        },
        Service: { Name: service.name },
        ScheduledStart: `${isoDateDaysAgo(day)}T06:30:00`,
        JobStatus: exception === undefined ? 'Completed' : 'Not Completed',
        CompletedAt: exception === undefined ? time : undefined,
        Exception:
          exception === undefined
            ? undefined
            : { Type: exception.type, Comment: exception.comment, RecordedAt: time },
      }),
    };
  },
};

const COVENTRY_FLYTIP_CODES = {
  land: ['HWY', 'HWY', 'BAL', 'BAL', 'FPB', 'CLD', 'PRV', 'COM', 'WCB', 'OTH'],
  waste: [
    'BBH',
    'BBH',
    'OHW',
    'OHW',
    'WHG',
    'ELE',
    'TYR',
    'CDE',
    'GRN',
    'BBC',
    'OCW',
    'VEH',
    'CHM',
    'ASB',
    'CLN',
    'ANI',
  ],
  size: ['SBB', 'SIN', 'SIN', 'CBL', 'CBL', 'SVL', 'TVL', 'TLL', 'SML'],
  action: ['INV', 'WRN', 'FPN', 'NFA', 'NFA', 'PRS'],
};

/** Coventry: Bartec street-scene fly-tipping incidents as JSON events. */
export const coventryFlytipJson: DemoGenerator = {
  mappingId: 'coventry.waste.flytip-json',
  contentType: 'application/json',
  make(n, rnd) {
    const incidentNo = `CCC-FT-${isoDateDaysAgo(0).slice(0, 4)}-${String(1000 + n).padStart(5, '0')}`;
    const place = pick(rnd, COVENTRY_STREETS);
    const reported = 1 + Math.floor(rnd() * 14);
    const cleared = rnd() < 0.7;
    const enforced = rnd() < 0.5;
    return {
      key: incidentNo,
      body: JSON.stringify({
        IncidentNo: incidentNo,
        DateReported: isoDateDaysAgo(reported),
        Location: {
          UPRN: rnd() < 0.25 ? `1000${digits(rnd, 8)}` : null,
          USRN: `270${digits(rnd, 4)}`,
          Easting: String(430000 + Math.floor(rnd() * 8000)),
          Northing: String(275000 + Math.floor(rnd() * 8000)),
          Street: `${pick(rnd, ['Rear of', 'Outside', 'Alley behind', 'Verge on'])} ${place.street}`,
          Postcode: place.postcode,
        },
        LandCode: pick(rnd, COVENTRY_FLYTIP_CODES.land),
        WasteCode: pick(rnd, COVENTRY_FLYTIP_CODES.waste),
        SizeCode: pick(rnd, COVENTRY_FLYTIP_CODES.size),
        Enforcement: enforced ? { ActionCode: pick(rnd, COVENTRY_FLYTIP_CODES.action) } : {},
        DateCleared: cleared ? isoDateDaysAgo(Math.max(0, reported - 2)) : null,
        ClearanceCost: cleared ? `£${(35 + Math.floor(rnd() * 400)).toFixed(2)}` : null,
      }),
    };
  },
};

const SOLIHULL_SITES = [
  { street: 'Homer Road', postcode: 'B91 3QB' },
  { street: 'Lode Lane', postcode: 'B92 8NN' },
  { street: 'Stratford Road, Shirley', postcode: 'B90 3AG' },
  { street: 'Chelmsley Road', postcode: 'B37 7RS' },
  { street: 'Station Road, Knowle', postcode: 'B93 0HL' },
  { street: 'Hampton Lane', postcode: 'B91 2PX' },
];

const SOLIHULL_SERVICES = [
  { name: 'Household Waste', round: 'HW' },
  { name: 'Mixed Recycling', round: 'REC' },
  { name: 'Garden Waste', round: 'GW' },
];

const WHITESPACE_OUTCOMES = [
  { code: 'CMP', label: 'Completed', reason: '' },
  { code: 'CMP', label: 'Completed', reason: '' },
  { code: 'CMP', label: 'Completed', reason: '' },
  { code: 'CMP', label: 'Completed', reason: '' },
  { code: 'NOP', label: 'Not presented', reason: 'Bin not at boundary when crew attended' },
  { code: 'CON', label: 'Contaminated', reason: 'Food and nappies in the bin, tagged' },
  { code: 'NAC', label: 'No access', reason: 'Road closed for resurfacing' },
  { code: 'MIS', label: 'Missed', reason: 'Vehicle breakdown' },
  { code: 'CAN', label: 'Cancelled', reason: 'Severe weather' },
];

/** Solihull: Whitespace collection results as XML events. */
export const solihullCollectionXml: DemoGenerator = {
  mappingId: 'solihull.waste.collection-xml',
  contentType: 'application/xml',
  make(n, rnd) {
    const day = Math.floor(rnd() * 3);
    const id = `WS-${isoDateDaysAgo(day).replace(/-/g, '')}-${String(n).padStart(6, '0')}`;
    const site = pick(rnd, SOLIHULL_SITES);
    const service = pick(rnd, SOLIHULL_SERVICES);
    const outcome = pick(rnd, WHITESPACE_OUTCOMES);
    const weekday = pick(rnd, ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']);
    // Some Whitespace sites carry no UPRN: the site id alone identifies the property.
    const uprn = rnd() < 0.9 ? `<Uprn>100071${digits(rnd, 6)}</Uprn>` : '';
    return {
      key: id,
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<CollectionResult xmlns="urn:example:solihull:whitespace:1" id="${id}" action="Insert">` +
        `<WorksheetRef>WSH-${digits(rnd, 6)}</WorksheetRef>` +
        `<Site siteId="SOL-${digits(rnd, 6)}">${uprn}<Postcode>${site.postcode}</Postcode></Site>` +
        `<Round code="${service.round}-${weekday.slice(0, 3).toUpperCase()}-2">${xmlEscape(`${service.name} ${weekday} 2`)}</Round>` +
        `<Service>${xmlEscape(service.name)}</Service><ScheduledDate>${ukDateDaysAgo(day)}</ScheduledDate>` +
        `<Outcome code="${outcome.code}">${outcome.label}</Outcome>` +
        (outcome.reason === '' ? '' : `<Reason>${xmlEscape(outcome.reason)}</Reason>`) +
        `<RecordedAt>${ukDateDaysAgo(day)} ${crewTime(rnd).slice(0, 5)}</RecordedAt></CollectionResult>`,
    };
  },
};

/** Every waste event feed's generator. */
export const wasteGenerators: DemoGenerator[] = [
  coventryCollectionJson,
  coventryFlytipJson,
  solihullCollectionXml,
];

const WARWICKSHIRE_HEADER = [
  'Submission ID',
  'Date submitted',
  'Where is the rubbish?',
  'What has been dumped?',
  'How much is there?',
  'Where exactly is it?',
  'Postcode',
  'Property reference (UPRN)',
  'Street reference (USRN)',
  'Easting',
  'Northing',
  'Latitude',
  'Longitude',
  'Your name',
  'Your email',
  'Your phone',
  'Officer outcome',
  'Date cleared',
  'Clearance cost',
];

const WARWICKSHIRE_SPOTS = [
  {
    text: 'Lay-by on the A426 south of Dunchurch',
    postcode: 'CV22 6LA',
    e: 448712,
    n: 271204,
    lat: 52.3341,
    long: -1.2864,
    land: 'In a lay-by or on a verge',
  },
  {
    text: 'Field gateway off Fosse Way near Princethorpe',
    postcode: 'CV23 9PU',
    e: 440120,
    n: 270410,
    lat: 52.3273,
    long: -1.4119,
    land: 'On farmland, in a field or gateway',
  },
  {
    text: 'Alley behind Coton Road shops, Nuneaton',
    postcode: 'CV11 5TS',
    e: 436200,
    n: 291250,
    lat: 52.5196,
    long: -1.4681,
    land: 'In an alleyway behind houses',
  },
  {
    text: 'Canal towpath by Bridge 41, Leamington Spa',
    postcode: 'CV31 3NU',
    e: 431890,
    n: 265020,
    lat: 52.2836,
    long: -1.5316,
    land: 'In or beside a river, canal or stream',
  },
  {
    text: 'Verge on Birmingham Road, Stratford-upon-Avon',
    postcode: 'CV37 0AA',
    e: 419610,
    n: 255800,
    lat: 52.2011,
    long: -1.7178,
    land: 'In a lay-by or on a verge',
  },
  {
    text: 'Car park behind Long Street, Atherstone',
    postcode: 'CV9 1AX',
    e: 430890,
    n: 297900,
    lat: 52.5781,
    long: -1.5453,
    land: 'At business premises or in a car park',
  },
];

/** Form answers as residents pick them (a subset of the lookup files' keys). */
const WARWICKSHIRE_ANSWERS = {
  land: [
    'On the road or pavement',
    'In a lay-by or on a verge',
    'On a footpath or bridleway',
    'In an alleyway behind houses',
    'On farmland, in a field or gateway',
    'In a park, playing field or other council land',
    'In or beside a river, canal or stream',
    'At business premises or in a car park',
    'Somewhere else',
  ],
  waste: [
    'Household rubbish in black bags',
    'Furniture, mattresses or carpets',
    'Fridge, freezer, washing machine or cooker',
    'Garden waste (grass, branches, hedge cuttings)',
    'Building rubble, bricks, plasterboard or soil',
    'Tyres',
    'TVs, computers or other electrical items',
    'Trade waste (e.g. from a builder, gardener or shop)',
    'Asbestos (or suspected asbestos)',
    'Something else',
  ],
  size: [
    'One bag',
    'One item (e.g. a mattress or a fridge)',
    'A car boot full or less',
    'A small van load',
    'A large van load',
    'A lorry load',
    'More than a lorry load, or several loads',
  ],
  outcome: [
    '',
    '',
    'Under investigation',
    'Warning letter sent',
    'FPN issued',
    'No evidence - cleared',
    'Referred for prosecution',
  ],
};

const REPORTERS = [
  { name: 'Beatrice Okonkwo', email: 'b.okonkwo@example.org' },
  { name: 'Graham Fletcher', email: 'graham.fletcher@example.com' },
  { name: 'Nadia Hussain', email: 'nadia.h@example.net' },
  { name: 'Liam Doherty', email: 'liamdoherty@example.co.uk' },
  { name: 'Sunita Gill', email: 'sunita.gill@example.org' },
];

/** A CSV field, quoted when it holds a comma, quote or line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Warwickshire: the weekly CSV export of the residents' report-fly-tipping form, as Excel saves it ("CSV
 * UTF-8": a BOM, CRLF) with a title, the export time and a blank line above the header, two empty
 * trailing columns, UPRNs that Excel turned into scientific notation, and the reporter's contact details
 * (which the hub's mapping does not read).
 */
export const warwickshireFlytipCsv: DemoFileGenerator = {
  mappingId: 'warwickshire.waste.flytip-csv',
  format: 'csv',
  makeFile(sequence, rnd, rows) {
    const lines = [
      'Warwickshire County Council - Report fly-tipping - form submissions,,',
      `Exported ${ukDateDaysAgo(0)} 06:00,,`,
      '',
      [...WARWICKSHIRE_HEADER, '', ''].join(','),
    ];
    for (let i = 0; i < rows; i++) {
      const spot = pick(rnd, WARWICKSHIRE_SPOTS);
      const reported = 1 + Math.floor(rnd() * 7);
      const outcome = pick(rnd, WARWICKSHIRE_ANSWERS.outcome);
      const anonymous = rnd() < 0.2;
      const reporter = pick(rnd, REPORTERS);
      const uprnRoll = rnd();
      const uprn = uprnRoll < 0.05 ? '1.00070E+11' : uprnRoll < 0.35 ? `100070${digits(rnd, 6)}` : '';
      const cleared = outcome !== '' || rnd() < 0.3;
      const values = [
        `WCC-FT-${String(sequence * 1000 + i).padStart(6, '0')}`,
        `${ukDateDaysAgo(reported)} ${crewTime(rnd).slice(0, 5)}`,
        // Residents mostly describe the place as it is; some pick another answer.
        rnd() < 0.8 ? spot.land : pick(rnd, WARWICKSHIRE_ANSWERS.land),
        pick(rnd, WARWICKSHIRE_ANSWERS.waste),
        pick(rnd, WARWICKSHIRE_ANSWERS.size),
        spot.text,
        spot.postcode,
        uprn,
        `440${digits(rnd, 5)}`,
        String(spot.e + Math.floor(rnd() * 200)),
        String(spot.n + Math.floor(rnd() * 200)),
        (spot.lat + (rnd() - 0.5) / 500).toFixed(5),
        (spot.long + (rnd() - 0.5) / 500).toFixed(5),
        anonymous ? '' : reporter.name,
        anonymous ? '' : reporter.email,
        anonymous ? '' : `07700 900${digits(rnd, 3)}`,
        outcome,
        cleared ? ukDateDaysAgo(Math.max(0, reported - 1)) : '',
        cleared ? `£${(40 + Math.floor(rnd() * 300)).toFixed(2)}` : '',
        '',
        '',
      ];
      lines.push(values.map(csvField).join(','));
    }
    const text = `\uFEFF${lines.join('\r\n')}\r\n`;
    return {
      name: `warwickshire-flytip-${isoDateDaysAgo(0)}-${sequence}.csv`,
      body: Buffer.from(text, 'utf8'),
    };
  },
};

/** Every waste file-export generator. */
export const wasteFileGenerators: DemoFileGenerator[] = [warwickshireFlytipCsv];
