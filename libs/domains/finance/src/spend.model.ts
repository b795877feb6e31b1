import { Describe, IsIsoDate, IsPence, Nested, defineEntity } from '@hub/canonical';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/**
 * Canonical model of `finance.spend` v1: one payment line as the Local Government Transparency Code 2015
 * asks councils to publish ("expenditure over £500" and every procurement-card transaction).
 *
 * Personal data: none. The Code has councils redact payments to private individuals; the hub keeps such
 * a line (its amount, date and purpose still count) with `supplier.redacted = true` and no name or id.
 * Names of sole traders paid as businesses are published by councils under the Code and are not marked
 * PII here. Nothing in this model carries `@Pii()`; a spec asserts it.
 */

/** A code with its label, as ledgers carry both (cost centre, subjective account). */
export class SpendCodeLabel {
  @IsOptional()
  @IsString()
  @MaxLength(50)
  @Describe("The source ledger's code")
  code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  @Describe("The source ledger's label for the code")
  label?: string;
}

/** Who was paid. */
export class SpendSupplier {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  @Describe('Supplier or beneficiary name; absent when redacted')
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  @Describe("The council's own supplier id; absent when redacted")
  localId?: string;

  @IsOptional()
  @Matches(/^(\d{8}|[A-Z]{2}\d{6})$/, {
    message: '$property must be a Companies House number (8 characters)',
  })
  @Describe('Companies House registration number')
  companyNumber?: string;

  @IsOptional()
  @Matches(/^(\d{6,8}|SC0\d{5}|NIC?\d{5,6})(-\d{1,2})?$/, { message: '$property must be a charity number' })
  @Describe('Charity Commission (or OSCR / CCNI) registration number')
  charityNumber?: string;

  @IsOptional()
  @Matches(/^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/, {
    message: '$property must be a UK VAT number without the GB prefix',
  })
  @Describe('UK VAT registration number, digits only (no GB prefix)')
  vatNumber?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe("The source's own supplier category (e.g. Devon's creditor type)")
  category?: string;

  @IsBoolean()
  @Describe('true when the source redacted the supplier (a payment to a private individual)')
  redacted!: boolean;
}

/** The service the money was spent on. */
export class SpendServiceArea {
  @IsOptional()
  @IsString()
  @MaxLength(300)
  @Describe("The council's service area label")
  label?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  @Describe('CIPFA SeRCOP service division code, when the source has it')
  sercopCode?: string;
}

/** Procurement-card details. */
export class SpendCard {
  @IsBoolean()
  @Describe('true for a procurement-card transaction')
  isCardTransaction!: boolean;

  @IsOptional()
  @Matches(/^\d{4}$/, { message: '$property must be a 4-digit merchant category code' })
  @Describe('Merchant category code (ISO 18245), for card transactions')
  merchantCategoryCode?: string;
}

/** `finance.spend` v1 data. */
export class Spend {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Describe(
    'The source transaction reference; not a number and not always unique per line ("PT348115,1", "46296351 - 1")',
  )
  transactionRef!: string;

  @IsIsoDate()
  @Describe('Payment date (the Code\'s "date incurred")')
  paymentDate!: string;

  @IsPence()
  @Describe('Net amount in pence; negative for credit notes')
  netAmountPence!: number;

  @IsOptional()
  @IsPence()
  @Describe('Irrecoverable VAT in pence')
  irrecoverableVatPence?: number;

  @Nested(() => SpendSupplier)
  supplier!: SpendSupplier;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  @Describe('Department or directorate that spent the money')
  department?: string;

  @IsOptional()
  @Nested(() => SpendCodeLabel)
  organisationalUnit?: SpendCodeLabel;

  @IsOptional()
  @Nested(() => SpendServiceArea)
  serviceArea?: SpendServiceArea;

  @IsOptional()
  @Nested(() => SpendCodeLabel)
  expenseType?: SpendCodeLabel;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Describe('Summary of the purpose of the expenditure')
  purpose?: string;

  @IsOptional()
  @Nested(() => SpendCard)
  card?: SpendCard;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  @Describe('Proclass procurement classification code')
  proclassCode?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe('Proclass procurement classification label')
  proclassLabel?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe('Contract reference')
  contractRef?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe("The supplier's invoice number")
  invoiceRef?: string;

  @IsOptional()
  @IsIsoDate()
  @Describe("Last day of the accounting period the payment belongs to (the LGA schema's EffectiveDate)")
  accountingPeriodEnd?: string;
}

/** The `finance.spend` entity. */
export const spendEntity = defineEntity({
  domain: 'finance',
  entity: 'spend',
  version: 1,
  model: Spend,
  description:
    'One payment line under the Local Government Transparency Code 2015: expenditure over £500 and procurement-card transactions.',
});
