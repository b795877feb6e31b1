import {
  DemoFileGenerator,
  DemoGenerator,
  isoDateDaysAgo,
  money,
  pick,
  ukDateDaysAgo,
  xmlEscape,
} from '../demo-generator';

const SUPPLIERS = [
  { name: 'Midland Office Supplies Ltd', id: 'S10021', companyNo: '04523871', vat: 'GB 123 4567 89' },
  { name: 'Arden Highways Maintenance Ltd', id: 'S10388', companyNo: '07786123', vat: 'GB987654321' },
  { name: 'Coventry Building Society', id: 'S20011', companyNo: null, vat: null },
  { name: 'Age UK Coventry', id: 'S30457', companyNo: null, vat: null, charityNo: '1103574' },
  { name: 'REDACTED', id: 'REDACTED', companyNo: null, vat: null },
  { name: 'Warwickshire Care Partnership', id: 'S40991', companyNo: '09911223', vat: null },
];
const ACCOUNTS = [
  { code: 'R4513', name: 'Telephones & Broadband' },
  { code: 'R5501', name: 'Grants / Donations to External Organisations' },
  { code: 'A61054', name: 'Equipment (Care)' },
  { code: 'R2210', name: 'Highways Maintenance' },
  { code: 'R3001', name: 'Agency Staff' },
];
const DIRECTORATES = ['Resources', 'People', 'Place', 'Communities', 'Schools'];

/** Coventry: Agresso payment lines as JSON events. */
export const coventrySpendJson: DemoGenerator = {
  mappingId: 'coventry.finance.spend-json',
  contentType: 'application/json',
  make(n, rnd) {
    const supplier = pick(rnd, SUPPLIERS);
    const account = pick(rnd, ACCOUNTS);
    const voucherNo = `PT${348000 + n}`;
    const card = rnd() < 0.15;
    return {
      key: `${voucherNo},1`,
      body: JSON.stringify({
        voucherNo,
        sequenceNo: '1',
        recordAction: 'I',
        paymentDate: isoDateDaysAgo(Math.floor(rnd() * 20)),
        amounts: {
          net:
            rnd() < 0.05
              ? `-${money(rnd, 10, 900)}`
              : `£${Number(money(rnd, 500, 48000)).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`,
          irrecoverableVat: '0.00',
        },
        supplier: {
          name: supplier.name,
          id: supplier.id,
          companyNo: supplier.companyNo,
          vatRegNo: supplier.vat,
        },
        directorate: pick(rnd, DIRECTORATES),
        costCentre: { code: `CC${1000 + Math.floor(rnd() * 90)}`, name: 'Customer Services' },
        account,
        description: account.name,
        payment: card ? { method: 'PCARD', mcc: '5943' } : { method: 'BACS' },
      }),
    };
  },
};

/** Solihull: Oracle EBS AP payment documents as XML events. */
export const solihullSpendXml: DemoGenerator = {
  mappingId: 'solihull.finance.spend-xml',
  contentType: 'application/xml',
  make(n, rnd) {
    const supplier = pick(rnd, SUPPLIERS);
    const account = pick(rnd, ACCOUNTS);
    const documentId = String(46296000 + n);
    const amount = rnd() < 0.05 ? `(${money(rnd, 10, 500)})` : money(rnd, 500, 30000);
    return {
      key: `${documentId} - 1`,
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<ApPayment documentId="${documentId}" lineNumber="1" action="INSERT">` +
        `<CheckDate>${ukDateDaysAgo(Math.floor(rnd() * 20))}</CheckDate><Amount>${amount}</Amount><NonRecoverableTax>0.00</NonRecoverableTax>` +
        `<Vendor><VendorName>${xmlEscape(supplier.name)}</VendorName><VendorNumber>${supplier.id}</VendorNumber></Vendor>` +
        `<Distribution><Directorate>${pick(rnd, DIRECTORATES)}</Directorate><Account code="${account.code}">${xmlEscape(account.name)}</Account></Distribution>` +
        `<Purpose>${xmlEscape(account.name)}</Purpose><PaymentMethod>EFT</PaymentMethod></ApPayment>`,
    };
  },
  makeBroken(n) {
    // A real failure mode: the export job cut the document short.
    return {
      key: `${46296000 + n} - 1`,
      body: `<?xml version="1.0"?>\n<ApPayment documentId="${46296000 + n}" lineNumber="1"><CheckDate>`,
    };
  },
};

export const financeGenerators: DemoGenerator[] = [coventrySpendJson, solihullSpendXml];

/** Warwickshire: the real published monthly spend layout, as a Windows-1252 CSV file with a title row. */
export const warwickshireSpendCsv: DemoFileGenerator = {
  mappingId: 'warwickshire.finance.spend-csv',
  format: 'csv',
  makeFile(sequence, rnd, rows) {
    const lines = [
      'Warwickshire County Council - expenditure over £500',
      'Supplier id,Supplier Name,Transno,Account,Description,Amount,Pay Date,Group',
    ];
    for (let i = 0; i < rows; i++) {
      const supplier = pick(rnd, SUPPLIERS);
      const account = pick(rnd, ACCOUNTS);
      const amount = Number(money(rnd, 500, 25000)).toLocaleString('en-GB', { minimumFractionDigits: 2 });
      const name = supplier.name.includes(',') ? `"${supplier.name}"` : supplier.name;
      lines.push(
        [
          supplier.id === 'REDACTED' ? 'REDACTED' : supplier.id.slice(1),
          name,
          String(51460000 + sequence * 100 + i),
          account.code,
          `"${account.name}"`,
          `"${amount}"`,
          ukDateDaysAgo(Math.floor(rnd() * 28)),
          pick(rnd, DIRECTORATES),
        ].join(','),
      );
    }
    // Councils' finance systems export Windows-1252: the £ above is one byte, 0xA3.
    return {
      name: `warwickshire-spend-${isoDateDaysAgo(0)}-${sequence}.csv`,
      body: Buffer.from(lines.join('\r\n') + '\r\n', 'latin1'),
    };
  },
};

export const financeFileGenerators: DemoFileGenerator[] = [warwickshireSpendCsv];
