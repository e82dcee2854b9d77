import { CalendarDate, Period } from '../calendar';
import { CurrencyCode, Decimal } from '../money';
import { FieldName } from './fields';
import { FormatDefinition, FormatId } from './formats';
import { ImportError, ImportErrorCode } from './import-error';
import type { XlsxLimits } from './xlsx';

interface LineIdentity {
  readonly format: FormatId;
  readonly invoiceNumber?: string;
  readonly customerId?: string;
  readonly customerName?: string;
  readonly customerDomain?: string;
  readonly resellerMpnId?: string;
  /** Partner Center subscription id (legacy licence files: SyndicationPartnerSubscriptionNumber). */
  readonly subscriptionId: string;
  readonly subscriptionDescription?: string;
  readonly productId?: string;
  readonly skuId?: string;
  readonly productName?: string;
  readonly skuName?: string;
  readonly offerId?: string;
  readonly productCategory?: string;
  /** As the file spells it, canonical for known new-commerce types ("cycleCharge"). */
  readonly chargeType: string;
  /** Lower-case key: charge types compare case-insensitively. */
  readonly chargeTypeKey: string;
  /** Microsoft ChargeStartDate (inclusive). */
  readonly chargeStart: CalendarDate;
  /** Microsoft ChargeEndDate (inclusive), kept for reconciliation against Microsoft's own numbers. */
  readonly chargeEndInclusive: CalendarDate;
  /** The same days as the core's half-open period [chargeStart, chargeEndInclusive + 1). */
  readonly period: Period;
  /** Billing currency. */
  readonly currency: CurrencyCode;
}

/** A bill line kept one to one: licence lines, legacy monthly usage lines, distributor lines. */
export interface BillLine extends LineIdentity {
  readonly kind: 'line';
  /** Where it came from: spreadsheet row (CSV/xlsx) or 1-based item index (JSON). */
  readonly row: number;
  readonly orderId?: string;
  readonly orderDate?: CalendarDate;
  readonly subscriptionStart?: CalendarDate;
  readonly subscriptionEnd?: CalendarDate;
  readonly meterId?: string;
  readonly meterName?: string;
  readonly unit?: string;
  readonly unitPrice?: Decimal;
  readonly effectiveUnitPrice?: Decimal;
  /** BillableQuantity when the file has it (use it for reconciliation), else Quantity. */
  readonly quantity: Decimal;
  /** The file's Quantity column when BillableQuantity was used for `quantity`. */
  readonly orderedQuantity?: Decimal;
  readonly subtotal?: Decimal;
  readonly tax?: Decimal;
  readonly total?: Decimal;
  /** Pre-tax amount: Subtotal, or Total when the file has no Subtotal. Summed in the header totals. */
  readonly amount: Decimal;
  readonly pricingCurrency?: CurrencyCode;
  readonly exchangeRate?: Decimal;
  readonly referenceId?: string;
  readonly termAndBillingCycle?: string;
  readonly billingFrequency?: string;
  readonly productQualifiers?: string;
}

/** Daily usage rows of one subscription x meter x charge period x charge type, summed exactly. */
export interface UsageAggregate extends LineIdentity {
  readonly kind: 'usage';
  /** Row of the first contributing record. */
  readonly firstRow: number;
  readonly meterId: string;
  readonly meterName?: string;
  readonly meterCategory?: string;
  readonly unit?: string;
  readonly rowCount: number;
  readonly firstUsageDate: CalendarDate;
  readonly lastUsageDate: CalendarDate;
  readonly quantity: Decimal;
  /** Sum of BillingPreTaxTotal (0 for legacy daily usage, which carries no prices). */
  readonly amount: Decimal;
  readonly pricingAmount?: Decimal;
  readonly pricingCurrency?: CurrencyCode;
}

export interface ChargeTypeTotal {
  readonly chargeType: string;
  /** Accepted rows of this charge type (raw rows, before aggregation). */
  readonly rows: number;
  readonly amount: Decimal;
  readonly quantity: Decimal;
}

/** Invoice headers found in Partner Center API JSON (GET /invoices, /invoices/{id}). */
export interface InvoiceHeader {
  readonly id: string;
  readonly invoiceDate?: CalendarDate;
  readonly totalCharges?: Decimal;
  readonly currency?: CurrencyCode;
  readonly invoiceType?: string;
}

/**
 * A row the importer refused, with the money it carried when that could still be read: it is not
 * in the lines, so every report lists it rather than let its amount vanish from the totals.
 */
export interface RejectedRow {
  readonly file?: string;
  /** Spreadsheet row (header = 1) or 1-based JSON item. */
  readonly row: number;
  /** The first reason's code; `reason` lists every reason. */
  readonly code: ImportErrorCode;
  readonly column?: string;
  readonly rawValue?: string;
  readonly reason: string;
  /** The row's pre-tax amount (Subtotal, or Total), when readable. */
  readonly amount?: Decimal;
  readonly currency?: string;
}

export interface ImportSummary {
  readonly fileName?: string;
  readonly format: FormatId | null;
  readonly formatLabel: string | null;
  readonly source: 'csv' | 'json' | 'jsonl' | 'xlsx' | 'unknown';
  readonly encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be' | 'windows-1252' | 'iso-8859-1' | 'zip';
  readonly delimiter?: ',' | ';' | '\t';
  /** SHA-256 of the raw bytes, lower-case hex: the idempotency key of the import. */
  readonly contentHash: string;
  readonly byteLength: number;
  readonly invoiceNumbers: readonly string[];
  /** [earliest ChargeStartDate, latest ChargeEndDate + 1) over accepted rows. */
  readonly period: Period | null;
  /** Billing currencies seen, first seen first (more than one means some rows were refused). */
  readonly currencies: readonly CurrencyCode[];
  /** Keyed by lower-case charge type. */
  readonly totalsByChargeType: Readonly<Record<string, ChargeTypeTotal>>;
  /** Sum of `amount` over accepted rows, in the billing currency. */
  readonly total: Decimal;
  readonly rowsRead: number;
  readonly rowsAccepted: number;
  readonly rowsRejected: number;
  /** Money of the rejected rows whose amount could be read, per currency (exact; never capped). */
  readonly rejectedAmounts: Readonly<Record<string, Decimal>>;
  /** Rejected rows whose amount could not be read (a broken record, an unreadable number). */
  readonly rejectedWithoutAmount: number;
  /** Bill lines plus usage aggregates produced. */
  readonly lineCount: number;
  /** Our field -> the file's column it was read from. */
  readonly columns: Readonly<Partial<Record<FieldName, string>>>;
  /** Columns the format neither reads nor knows (extra columns are allowed, and listed here). */
  readonly unknownColumns: readonly string[];
  readonly invoices: readonly InvoiceHeader[];
  readonly errorCount: number;
  /** True when more errors happened than `maxErrors` kept. */
  readonly errorsTruncated: boolean;
  /** A file-level error stopped the import (unknown header set, missing column, malformed file). */
  readonly failed: boolean;
}

export interface ImportResult {
  readonly summary: ImportSummary;
  readonly lines: readonly BillLine[];
  readonly usage: readonly UsageAggregate[];
  readonly errors: readonly ImportError[];
  /** Every refused row (up to `maxErrors`), with its money; `summary.rowsRejected` counts them all. */
  readonly rejected: readonly RejectedRow[];
}

/** Incremental hash of the raw bytes. The default is the pure-TypeScript SHA-256 of this folder. */
export interface ContentHasher {
  update(data: Uint8Array): unknown;
  digestHex(): string;
}

export interface ImportOptions {
  /** Named in every error. */
  readonly fileName?: string;
  /** 'lenient' (default) reports bad rows and continues; 'strict' throws the first ImportError. */
  readonly mode?: 'lenient' | 'strict';
  /** Distributor formats (validated profiles) tried before Microsoft's formats. */
  readonly profiles?: readonly FormatDefinition[];
  /** Skip detection and read the file with this format (a built-in id or a profile's id). */
  readonly format?: FormatId;
  /**
   * Read a text file in this encoding instead of sniffing it: 'windows-1252' (Excel's "CSV" on a
   * Western Windows) or 'iso-8859-1'. Without it, text that is not UTF-8/16/32 is refused, naming
   * the byte offset, rather than decoded into U+FFFD.
   */
  readonly encoding?: 'utf-8' | 'windows-1252' | 'iso-8859-1';
  /** Billing currency for files without a currency column (e.g. transcribed examples). */
  readonly defaultCurrency?: string;
  /** Errors kept in the result (counting continues beyond it); default 1000. */
  readonly maxErrors?: number;
  /** Size caps of an .xlsx (uncompressed bytes, compression ratio, shared strings, row length); see xlsx.ts for the defaults. */
  readonly xlsxLimits?: XlsxLimits;
  /** Longest record accepted, in characters (a runaway quote would otherwise buffer the file); default 8 Mi. */
  readonly maxRecordChars?: number;
  /**
   * Exact duplicate rows: 'lines' (default) checks one-to-one lines (licence files); true or 'all'
   * also checks daily usage rows with a 64-bit fingerprint of each row's text, which costs about
   * 30% more import time on a large usage file and 12-24 bytes per row; false checks nothing.
   */
  readonly detectDuplicates?: boolean | 'lines' | 'all';
  /**
   * Supplies the content hasher. Node callers may pass node:crypto's SHA-256 (same digest, about ten
   * times faster); browsers use the default pure implementation.
   */
  readonly createHasher?: () => ContentHasher;
  /**
   * The text is JSON Lines (a Graph billing export), even when it holds one line: its dates are the
   * reconciliation file's (an inclusive ChargeEndDate), not the v1 API's.
   */
  readonly jsonLines?: boolean;
}
