import type { CalendarDate } from '../calendar';
import { CoreError } from '../errors';
import type { Decimal } from '../money';
import type { InvoiceLineType } from '../invoicing/model';

/** The accounting systems issued documents post to. */
export type AccountingSystem = 'bc' | 'xero' | 'qbo';
export const ACCOUNTING_SYSTEMS: readonly AccountingSystem[] = ['bc', 'xero', 'qbo'];
export const SYSTEM_NAMES: Readonly<Record<AccountingSystem, string>> = { bc: 'Business Central', xero: 'Xero', qbo: 'QuickBooks Online' };

/** A line's category: what it bills, which the mapping sends to an account or item. Tax lines are not posted as lines. */
export type LineCategory = Exclude<InvoiceLineType, 'tax'>;
export const LINE_CATEGORIES: readonly LineCategory[] = ['recurring', 'prorated', 'usage', 'oneTime', 'credit', 'discount', 'commitment'];

/**
 * The tax treatment of a posted line, as the mapping names it: the jurisdictions of the document's
 * tax lines joined by '+' ("US-WA+US-WA-SEATTLE"), `exempt` for an exempt customer's document, or
 * `none` for a line tax does not apply to.
 */
export type TaxKey = string;
export const NO_TAX: TaxKey = 'none';
export const EXEMPT: TaxKey = 'exempt';

/**
 * How our documents are named in one accounting system: a customer id to its customer (Business
 * Central customer number, Xero ContactID, QuickBooks Customer Id), a line category to an account or
 * item (Business Central `account:<no>` or `item:<no>`, Xero account code, QuickBooks Item Id), a tax
 * key to a tax code (Business Central tax code, Xero TaxType, QuickBooks TaxCode Id).
 */
export interface AccountingMapping {
  readonly system: AccountingSystem;
  readonly customers: Readonly<Record<string, string>>;
  readonly categories: Readonly<Partial<Record<LineCategory, string>>>;
  readonly taxCodes: Readonly<Record<TaxKey, string>>;
}

/** One line as it posts: the amounts in the document's direction (a credit note's are positive). */
export interface PostingLine {
  readonly category: LineCategory;
  readonly description: string;
  /** Quantity x unitPrice = amount exactly: our quantity and price when they give the amount, else 1 x amount. */
  readonly quantity: Decimal;
  readonly unitPrice: Decimal;
  readonly amount: Decimal;
  /** Our tax on this line (its share of the document's tax, to the cent). */
  readonly tax: Decimal;
  readonly taxKey: TaxKey;
  /** The mapped account or item, and tax code. */
  readonly accountRef: string;
  readonly taxCode: string;
}

/** An issued document ready to post: everything mapped, with the totals the accounting system must show. */
export interface PostingDocument {
  readonly system: AccountingSystem;
  readonly kind: 'invoice' | 'creditNote';
  /** Our invoice number: the accounting document's external number, by which a repeated post finds it. */
  readonly number: string;
  readonly customerId: string;
  readonly customerName: string;
  readonly customerRef: string;
  readonly date: CalendarDate;
  readonly dueDate: CalendarDate;
  readonly currency: string;
  readonly lines: readonly PostingLine[];
  readonly subtotal: Decimal;
  readonly tax: Decimal;
  readonly total: Decimal;
}

/** A mapping a document needs and the org lacks: listed before anything posts, never guessed. */
export interface MissingMapping {
  readonly kind: 'customer' | 'category' | 'tax';
  readonly key: string;
  /** The documents that need it. */
  readonly documents: readonly string[];
  readonly label: string;
}

export class AccountingError extends CoreError {}
