import type { GeneratedSource, Rng, SourceRecordGenerator } from './generator.types';
import {
  isoDateDaysAgo,
  money,
  pick,
  poundsWithSymbol,
  ukDateDaysAgo,
  xmlEscape,
} from './seeded-random.util';

// Invented but plausible ledger values (suppliers, accounts, cost centres), in the shapes councils publish.
const SUPPLIERS = [
  {
    name: 'Midland Office Supplies Ltd',
    id: 'S10021',
    companyNo: '04523871',
    vat: 'GB 123 4567 89',
    type: 'Company',
  },
  {
    name: 'Arden Highways Maintenance Ltd',
    id: 'S10388',
    companyNo: '07786123',
    vat: 'GB987654321',
    type: 'Company',
  },
  {
    name: 'Severn Trent Water Ltd',
    id: 'S11002',
    companyNo: '02366686',
    vat: 'GB 108 4027 59',
    type: 'Company',
  },
  {
    name: 'Age UK Coventry',
    id: 'S30457',
    companyNo: null,
    vat: null,
    type: 'Charity',
    charityNo: '1103574',
  },
  { name: 'REDACTED', id: 'REDACTED', companyNo: null, vat: null, type: 'Individual' },
  { name: 'Warwickshire Care Partnership', id: 'S40991', companyNo: '09911223', vat: null, type: 'Company' },
  {
    name: 'Kier Integrated Services Ltd',
    id: 'S52210',
    companyNo: '02099409',
    vat: 'GB 480 2381 12',
    type: 'Company',
  },
  {
    name: 'Brook Street (UK) Ltd',
    id: 'S60017',
    companyNo: '00520504',
    vat: 'GB 226 7302 20',
    type: 'Company',
  },
] as const;

const ACCOUNTS = [
  { code: 'R4513', name: 'Telephones & Broadband', sercop: 'CEN' },
  { code: 'R5501', name: 'Grants / Donations to External Organisations', sercop: 'CUL' },
  { code: 'A61054', name: 'Equipment (Care)', sercop: 'ASC' },
  { code: 'R2210', name: 'Highways Maintenance', sercop: 'HIG' },
  { code: 'R3001', name: 'Agency Staff', sercop: 'CEN' },
  { code: 'R6120', name: 'Residential Care - Independent Sector', sercop: 'ASC' },
  { code: 'R4010', name: 'Stationery', sercop: 'CEN' },
] as const;

const DIRECTORATES = [
  'Resources',
  "People - Adults' Services",
  'Place',
  'Communities',
  'Education and Skills',
] as const;
const COST_CENTRES = [
  'Customer Services',
  'Highways Operations',
  'Adult Social Care Commissioning',
  'ICT Services',
  'Libraries',
] as const;
const WARWICKSHIRE_GROUPS = ['Communities', 'People', 'Resources', 'Fire and Rescue'] as const;

/** Usually an ordinary invoice; about one in twelve is high value (at least £25,000: a second SSC route). */
function amount(rnd: Rng): string {
  const r = rnd();
  if (r < 0.04) return money(rnd, 10, 480); // a credit note, sent negative by some systems
  if (r < 0.12) return money(rnd, 25_000, 180_000);
  return money(rnd, 500, 24_000);
}

/** Coventry: Agresso accounts-payable lines as JSON events (coventry-spend-json.json). */
export const coventrySpendJson: SourceRecordGenerator = {
  mappingId: 'coventry.finance.spend-json',
  format: 'json',
  handWritten: true,
  make(n, rnd): GeneratedSource {
    const supplier = pick(rnd, SUPPLIERS);
    const account = pick(rnd, ACCOUNTS);
    const voucherNo = `PT${3_480_000 + n}`;
    const card = rnd() < 0.15;
    const value = amount(rnd);
    const credit = Number(value) < 500;
    return {
      kind: 'json',
      key: `${voucherNo},1`,
      object: {
        voucherNo,
        sequenceNo: '1',
        recordAction: 'I',
        paymentDate: isoDateDaysAgo(Math.floor(rnd() * 28)),
        amounts: { net: credit ? `-${value}` : poundsWithSymbol(value), irrecoverableVat: '0.00' },
        supplier: {
          name: supplier.name,
          id: supplier.id,
          companyNo: supplier.companyNo,
          vatRegNo: supplier.vat,
          type: supplier.type,
        },
        directorate: pick(rnd, DIRECTORATES),
        costCentre: { code: `CC${1000 + Math.floor(rnd() * 90)}`, name: pick(rnd, COST_CENTRES) },
        service: { label: 'Central services', sercopCode: account.sercop },
        account: { code: account.code, name: account.name },
        description: `${account.name} - invoice ${40_000 + Math.floor(rnd() * 50_000)}`,
        payment: card ? { method: 'PCARD', mcc: '5943' } : { method: 'BACS' },
        invoiceNo: supplier.name === 'REDACTED' ? 'REDACTED' : `INV-${2_026_000 + Math.floor(rnd() * 9_999)}`,
      },
    };
  },
};

/** Solihull: Oracle EBS AP payment documents as XML events (solihull-spend-xml.json). */
export const solihullSpendXml: SourceRecordGenerator = {
  mappingId: 'solihull.finance.spend-xml',
  format: 'xml',
  handWritten: true,
  make(n, rnd): GeneratedSource {
    const supplier = pick(rnd, SUPPLIERS);
    const account = pick(rnd, ACCOUNTS);
    const documentId = String(46_296_000 + n);
    const value = amount(rnd);
    const shown =
      Number(value) < 500
        ? `(${value})`
        : Number(value).toLocaleString('en-GB', { minimumFractionDigits: 2 });
    const vendor =
      `<Vendor><VendorName>${xmlEscape(supplier.name)}</VendorName><VendorNumber>${supplier.id}</VendorNumber>` +
      (supplier.companyNo ? `<CompanyRegistration>${supplier.companyNo}</CompanyRegistration>` : '') +
      (supplier.vat ? `<VatRegistration>${supplier.vat}</VatRegistration>` : '') +
      `<VendorType>${supplier.type}</VendorType></Vendor>`;
    return {
      kind: 'xml',
      key: `${documentId} - 1`,
      xml:
        `<?xml version="1.0" encoding="UTF-8"?>\n` +
        `<ApPayment xmlns="urn:example:solihull:ap:1" documentId="${documentId}" lineNumber="1" action="INSERT">` +
        `<CheckDate>${ukDateDaysAgo(Math.floor(rnd() * 28))}</CheckDate>${vendor}` +
        `<Amount currency="GBP">${shown}</Amount><NonRecoverableTax>0.00</NonRecoverableTax>` +
        `<Distribution><CostCentre code="SC${4400 + Math.floor(rnd() * 60)}">${xmlEscape(pick(rnd, COST_CENTRES))}</CostCentre>` +
        `<Directorate>${xmlEscape(pick(rnd, DIRECTORATES))}</Directorate>` +
        `<Account code="${account.code}">${xmlEscape(account.name)}</Account>` +
        `<ServiceDivision sercop="${account.sercop}">Central services</ServiceDivision></Distribution>` +
        `<Purpose>${xmlEscape(account.name)}</Purpose><PaymentMethod>${rnd() < 0.1 ? 'PCARD' : 'EFT'}</PaymentMethod>` +
        `<InvoiceNumber>AGM-2026-${1000 + Math.floor(rnd() * 8999)}</InvoiceNumber></ApPayment>`,
    };
  },
};

/** Warwickshire: a row of the monthly spend-over-£500 CSV (warwickshire-spend-csv.json). */
export const warwickshireSpendCsv: SourceRecordGenerator = {
  mappingId: 'warwickshire.finance.spend-csv',
  format: 'csv',
  handWritten: true,
  make(n, rnd): GeneratedSource {
    const supplier = pick(rnd, SUPPLIERS);
    const account = pick(rnd, ACCOUNTS);
    const transno = String(5_100_000 + n);
    return {
      kind: 'csv',
      key: transno,
      row: {
        Group: pick(rnd, WARWICKSHIRE_GROUPS),
        'Pay Date': ukDateDaysAgo(Math.floor(rnd() * 28)),
        Transno: transno,
        Amount: amount(rnd),
        'Supplier Name': supplier.name,
        'Supplier id': supplier.id,
        Account: account.code,
        Description: account.name,
      },
    };
  },
};

/** Devon: a row of the published DCCSpendingOver500 CSV (devon-spend-csv.json). */
export const devonSpendCsv: SourceRecordGenerator = {
  mappingId: 'devon.finance.spend-csv',
  format: 'csv',
  handWritten: true,
  make(n, rnd): GeneratedSource {
    const supplier = pick(rnd, SUPPLIERS);
    const account = pick(rnd, ACCOUNTS);
    const transno = String(22_071_000 + n);
    return {
      kind: 'csv',
      key: transno,
      row: {
        '\uFEFFBody': '18',
        'Name of Body': 'Devon County Council',
        Date: ukDateDaysAgo(Math.floor(rnd() * 28)),
        'Transaction number': transno,
        ' Amount ': ` ${amount(rnd)} `,
        'Supplier name': supplier.name,
        'Supplier ID': supplier.id,
        'VAT reg no': supplier.vat ?? '',
        'Expense area': pick(rnd, DIRECTORATES),
        'Expense type': account.name,
        'Expense code': account.code,
        Costcuk: `R0${536_000 + Math.floor(rnd() * 999)}`,
        'Creditor type':
          supplier.type === 'Individual'
            ? 'Individual'
            : 'DCC Business Entities (Sole Trade, Partnership, Ltd)',
      },
    };
  },
};

/** Trafford: a row of the LGA-schema supplier spend CSV (trafford-spend-csv.json). */
export const traffordSpendCsv: SourceRecordGenerator = {
  mappingId: 'trafford.finance.spend-csv',
  format: 'csv',
  handWritten: true,
  make(n, rnd): GeneratedSource {
    const supplier = pick(rnd, SUPPLIERS);
    const account = pick(rnd, ACCOUNTS);
    const transno = String(5_100_500_000 + n);
    const paid = isoDateDaysAgo(Math.floor(rnd() * 28));
    return {
      kind: 'csv',
      key: transno,
      row: {
        OrganisationLabel: 'Trafford Council',
        OrganisationURI: 'https://opendatacommunities.org/id/metropolitan-district-council/trafford',
        EffectiveDate: paid,
        OrganisationalUnit: pick(rnd, COST_CENTRES),
        BeneficiaryName: supplier.name === 'REDACTED' ? 'Redacted' : supplier.name,
        BeneficiaryOtherID: supplier.name === 'REDACTED' ? 'Redacted' : supplier.id,
        PaymentDate: paid,
        TransactionNumber: transno,
        Amount: amount(rnd),
        IrrecoverableVATAmount: '0.00',
        Purpose: account.name,
        ProclassLabel: 'Not Classified',
        ProclassCode: 'NA',
        InvoiceNumber:
          supplier.name === 'REDACTED' ? 'Redacted' : String(26_060_000 + Math.floor(rnd() * 9999)),
        ProfitCentre: String(990_000 + Math.floor(rnd() * 999)),
        VATRegistrationNumber: supplier.vat ?? 'NA',
      },
    };
  },
};

/** Every hand-written finance generator. */
export const financeSpendGenerators: readonly SourceRecordGenerator[] = [
  coventrySpendJson,
  solihullSpendXml,
  warwickshireSpendCsv,
  devonSpendCsv,
  traffordSpendCsv,
];
