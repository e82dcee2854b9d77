import type { Period } from '../calendar';
import type { CurrencyCode, Decimal } from '../money';
import type { InvoiceLineType } from './model';
import type { Ratio } from './proration';

/**
 * A line before it belongs to a document: identified by its key (what it bills), amounts already
 * rounded once, and the exact value it was rounded from (discounts are taken off the exact value).
 */
export interface DraftLine {
  readonly key: string;
  readonly type: InvoiceLineType;
  readonly subscriptionId?: string;
  readonly offerId?: string;
  readonly description: string;
  readonly servicePeriod: Period;
  readonly quantity?: Decimal;
  readonly unitPrice?: Decimal;
  readonly exact: Ratio;
  readonly amount: Decimal;
  readonly cost?: Decimal;
  readonly explanation: string;
  readonly taxable: boolean;
  readonly ledgerSequence?: number;
  /** Key of the line a discount/tax line derives from. */
  readonly appliesToKey?: string;
  readonly discountId?: string;
  readonly jurisdiction?: string;
  readonly sourceCurrency?: CurrencyCode;
  readonly exchangeRate?: Decimal;
  /** Set on corrections: the issued line's id. */
  readonly correctsLineId?: string;
}
