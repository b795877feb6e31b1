import { XMLParser } from 'fast-xml-parser';
import { financeRegistry } from '../src/fixtures/real-spend-files.fixture';

// Inline fixtures in the demo's assumed Oracle e-Business Suite AP layout (invented values). Parsed here
// with fast-xml-parser keeping attributes (prefix @_) and text as text, as @hub/source-formats is expected to.
const mapping = financeRegistry().forEvent('solihull', 'finance', 'uk.gov.solihull.finance.ap-payment')!;
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });
const parse = (xml: string): unknown => parser.parse(xml) as unknown;

const payment = (body: string, action = 'INSERT'): string => `<?xml version="1.0" encoding="UTF-8"?>
<ApPayment xmlns="urn:example:solihull:ap:1" documentId="46296351" lineNumber="1" action="${action}">
  <CheckDate>23/11/2026</CheckDate>
  ${body}
</ApPayment>`;

const standard = payment(`
  <Vendor>
    <VendorName>Arden Grounds Maintenance Ltd</VendorName>
    <VendorNumber>0070021</VendorNumber>
    <CompanyRegistration>sc123456</CompanyRegistration>
    <CharityNumber/>
    <VatRegistration>GB 123456789</VatRegistration>
    <VendorType>Company</VendorType>
  </Vendor>
  <Amount currency="GBP">1,250.00</Amount>
  <NonRecoverableTax>0.00</NonRecoverableTax>
  <Distribution>
    <CostCentre code="SC4410">Grounds Maintenance</CostCentre>
    <Directorate>Environment and Infrastructure</Directorate>
    <Account code="5205">Contractors</Account>
    <ServiceDivision sercop="CUL">Culture and related services</ServiceDivision>
  </Distribution>
  <Purpose>Grass cutting, parks zone 3</Purpose>
  <PaymentMethod>EFT</PaymentMethod>
  <ProclassCode>191400</ProclassCode>
  <ContractNumber>SMBC/GM/2023/04</ContractNumber>
  <InvoiceNumber>AGM-2026-1187</InvoiceNumber>`);

describe('solihull.finance.spend-xml (XML events)', () => {
  it('maps an ApPayment document: attributes, text nodes, dd/mm/yyyy, the "46296351 - 1" reference form', async () => {
    expect(await mapping.map(parse(standard))).toEqual({
      ok: true,
      recordId: '46296351 - 1',
      operation: 'upsert',
      warnings: [],
      data: {
        transactionRef: '46296351 - 1',
        paymentDate: '2026-11-23',
        netAmountPence: 125000,
        irrecoverableVatPence: 0,
        supplier: {
          name: 'Arden Grounds Maintenance Ltd',
          localId: '0070021',
          companyNumber: 'SC123456',
          vatNumber: '123456789',
          category: 'Company',
          redacted: false,
        },
        department: 'Environment and Infrastructure',
        organisationalUnit: { code: 'SC4410', label: 'Grounds Maintenance' },
        serviceArea: { label: 'Culture and related services', sercopCode: 'CUL' },
        expenseType: { code: '5205', label: 'Contractors' },
        purpose: 'Grass cutting, parks zone 3',
        card: { isCardTransaction: false },
        proclassCode: '191400',
        contractRef: 'SMBC/GM/2023/04',
        invoiceRef: 'AGM-2026-1187',
      },
    });
  });

  it('also accepts the document without its root element', async () => {
    const inner = (parse(standard) as { ApPayment: unknown }).ApPayment;
    expect(await mapping.map(inner)).toMatchObject({ ok: true, recordId: '46296351 - 1' });
  });

  it('maps an accounting-negative credit on a purchase card, and a redacted vendor', async () => {
    const result = await mapping.map(
      parse(
        payment(`
  <Vendor><VendorName>Redacted - personal data</VendorName><VendorNumber>88001</VendorNumber></Vendor>
  <Amount currency="GBP">(125.50)</Amount>
  <PaymentMethod>PCARD</PaymentMethod>
  <MerchantCategoryCode>5812</MerchantCategoryCode>`),
      ),
    );
    expect(result.ok && result.data).toEqual({
      transactionRef: '46296351 - 1',
      paymentDate: '2026-11-23',
      netAmountPence: -12550,
      supplier: { redacted: true },
      card: { isCardTransaction: true, merchantCategoryCode: '5812' },
    });
  });

  it('maps action="DELETE" to a delete', async () => {
    expect(await mapping.map(parse(payment('', 'DELETE')))).toMatchObject({
      ok: true,
      operation: 'delete',
      data: {},
    });
  });

  it('rejects an unknown action and an impossible date, naming the fields', async () => {
    const result = await mapping.map(
      parse(payment('<Amount>1.00</Amount>', 'MERGE').replace('23/11/2026', '31/11/2026')),
    );
    expect(!result.ok && result.errors.map((e) => [e.code, e.field])).toEqual([
      ['MAPPING.FIELD_INVALID', 'operation'],
      ['MAPPING.FIELD_INVALID', 'paymentDate'],
    ]);
  });
});
