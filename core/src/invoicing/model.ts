import type { CalendarDate, Period } from '../calendar';
import { CoreError } from '../errors';
import type { UsageAggregate } from '../import/types';
import type { SubscriptionLedger } from '../ledger';
import type { AmountInput, CurrencyCode, Decimal, RoundingMode } from '../money';

/** A contract, price, rate or input the invoicing engine cannot use; carries the offending value. */
export class InvoicingError extends CoreError {}

// ---------------------------------------------------------------------------------------------
// Billing contract
// ---------------------------------------------------------------------------------------------

export type BillingFrequency = 'monthly' | 'quarterly' | 'annual' | 'triennial' | 'oneTime';

/**
 * Where billing periods start.
 * - calendarMonth: on the 1st, counted in whole periods from the contract start's month.
 * - billingDay: on day `day` (1..31) of the month, clamped to the month's last day (31 -> Feb 28).
 * - coterm: on the anniversary grid of one subscription (its purchase date, Microsoft's grid:
 *   bought 1/31 -> periods start 1/31, 3/1, 3/31, ...), so customer periods line up with the vendor's.
 *   `anchorDate` may be given instead of (or to override) the subscription's purchase date.
 */
export type BillingAnchor =
  | { readonly kind: 'calendarMonth' }
  | { readonly kind: 'billingDay'; readonly day: number }
  | { readonly kind: 'coterm'; readonly subscriptionId?: string; readonly anchorDate?: CalendarDate };

/** Licences in advance (charge the period at its start) or in arrears (at its end). Usage is always in arrears. */
export type BillingTiming = 'advance' | 'arrears';

/**
 * What a mid-period change bills for the rest of the period.
 * - daily: the change x days remaining / days in the billing period.
 * - none: nothing until the next period.
 * - fullPeriod: the change x the whole period.
 */
export type ProrationPolicy = 'daily' | 'none' | 'fullPeriod';

export interface ProrationPolicies {
  /** Increases: more seats, a new subscription, a higher price. */
  readonly increase: ProrationPolicy;
  /** Decreases: fewer seats, a cancellation, a lower price. */
  readonly decrease: ProrationPolicy;
}

/** Net N days from the invoice date, or a fixed day of the month after the invoice date. */
export type PaymentTerms = { readonly kind: 'net'; readonly days: number } | { readonly kind: 'dayOfNextMonth'; readonly day: number };

/** Which lines a discount reduces. Omitted fields do not restrict. */
export interface DiscountScope {
  /** Default: the licence lines (`recurring`, `prorated`). */
  readonly lineTypes?: readonly ('recurring' | 'prorated' | 'usage' | 'oneTime')[];
  readonly subscriptionIds?: readonly string[];
  readonly offerIds?: readonly string[];
}

/**
 * A percent or fixed discount in force on [start, end) (a promotion); open-ended when start/end are
 * omitted. Percent: `value` percent of each line in scope, for the days the line and the promotion
 * share. Fixed: `value` in the contract currency per billing period, for the days of the period the
 * promotion covers, never more than the scoped lines' amount.
 */
export interface Discount {
  readonly id: string;
  readonly kind: 'percent' | 'fixed';
  readonly value: AmountInput;
  readonly start?: CalendarDate;
  readonly end?: CalendarDate;
  readonly description?: string;
  readonly scope?: DiscountScope;
}

export interface TaxRate {
  /** e.g. "US-WA", "US-WA-SEATTLE", "DE". One tax line per jurisdiction (per line in perLine mode). */
  readonly jurisdiction: string;
  readonly name?: string;
  /** Percent, e.g. "6.5". */
  readonly ratePercent: AmountInput;
}

export interface TaxProfile {
  readonly rates: readonly TaxRate[];
  /** Exempt customers get no tax lines; the invoice says why. */
  readonly exempt?: boolean;
  readonly exemptionReference?: string;
  /**
   * perInvoice (default): tax = round(rate x sum of the taxable lines) per jurisdiction.
   * perLine: tax = round(rate x line) for every taxable line and jurisdiction.
   */
  readonly calculation?: 'perInvoice' | 'perLine';
  /** True (default): discount lines reduce the tax base. False: tax is on the price before discounts. */
  readonly taxOnDiscountedAmount?: boolean;
}

/** Tiered: each unit is priced by the tier it falls in. Volume: all units at the tier the total falls in. */
export interface TierSchedule {
  readonly mode: 'tiered' | 'volume';
  /** Ascending `upTo` (inclusive unit count); the last tier has `upTo: null` (no upper bound). */
  readonly tiers: readonly PriceTier[];
}

export interface PriceTier {
  readonly upTo: number | null;
  readonly unitPrice: AmountInput;
  /** Added once when any unit falls in the tier (tiered) or when the total falls in it (volume). */
  readonly flatFee?: AmountInput;
}

/**
 * The customer price of one offer: a flat unit price or tiers, in a currency, per `perMonths` months
 * (1 = per month, 12 = per year). A quarterly contract bills a monthly price x 3.
 */
export interface PriceSpec {
  readonly currency: string;
  readonly perMonths?: number;
  readonly unitPrice?: AmountInput;
  readonly tiers?: TierSchedule;
}

/** List prices per offer id. */
export interface PriceList {
  readonly id: string;
  readonly prices: Readonly<Record<string, PriceSpec>>;
}

/** A minimum the period's invoice must reach (before tax); the shortfall is a `commitment` line. */
export interface MinimumCommitment {
  readonly amount: AmountInput;
  /** Lines counted towards it (default all non-tax lines, discounts included). */
  readonly lineTypes?: readonly InvoiceLineType[];
}

export interface BillingContract {
  readonly id: string;
  readonly customerId: string;
  readonly customerName?: string;
  /** Invoice currency; every line is converted into it through the input's ExchangeRateSource. */
  readonly currency: CurrencyCode;
  readonly frequency: BillingFrequency;
  readonly anchor: BillingAnchor;
  readonly timing: BillingTiming;
  /** First day billed. For `oneTime`, the one period is [startDate, endDate). */
  readonly startDate: CalendarDate;
  readonly endDate?: CalendarDate;
  readonly paymentTerms: PaymentTerms;
  readonly proration: ProrationPolicies;
  /** Applied once per line at the currency's minor units (ISO 4217). */
  readonly rounding: RoundingMode;
  readonly priceList?: PriceList;
  /** Per-customer prices by offer id; win over the list. */
  readonly priceOverrides?: Readonly<Record<string, PriceSpec>>;
  readonly discounts?: readonly Discount[];
  readonly tax: TaxProfile;
  /** Percent added to the vendor's usage cost (Azure plan), e.g. "15". */
  readonly usageMarkupPercent?: AmountInput;
  readonly minimumCommitment?: MinimumCommitment;
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** Vendor cost of one unit per `perMonths` months; without `unitCost`, the ledger's vendor unit price. */
export interface VendorCost {
  readonly currency: string;
  readonly unitCost?: AmountInput;
  /** Default: the months of the ledger's billing plan (monthly 1, annual 12, triennial 36), else 1. */
  readonly perMonths?: number;
}

export interface InvoiceSubscription {
  /** CRM id (what reconciliation calls the subscription id). */
  readonly id: string;
  /** Partner Center subscription id: how usage aggregates find the subscription. */
  readonly vendorSubscriptionId?: string;
  readonly offerId: string;
  readonly name?: string;
  /** Licence subscriptions have a ledger; usage-only (Azure plan) ones do not. */
  readonly ledger?: SubscriptionLedger;
  /** This subscription's own price; wins over the contract's override and the list (not over the ledger's dated customer price). */
  readonly customerPrice?: PriceSpec;
  readonly vendorCost?: VendorCost;
}

export interface OneTimeCharge {
  readonly id: string;
  readonly date: CalendarDate;
  readonly description: string;
  readonly subscriptionId?: string;
  readonly quantity: AmountInput;
  readonly unitPrice: AmountInput;
  readonly currency: string;
  readonly unitCost?: AmountInput;
  readonly costCurrency?: string;
  readonly taxExempt?: boolean;
}

/** An exchange-rate source the caller chooses explicitly; the engine never guesses a rate. */
export interface ExchangeRateSource {
  readonly name: string;
  /** Units of `to` for one unit of `from` on `date`. Must throw when it has no rate. */
  rate(from: CurrencyCode, to: CurrencyCode, date: CalendarDate): Decimal;
}

export interface GenerateInput {
  readonly contract: BillingContract;
  readonly subscriptions: readonly InvoiceSubscription[];
  /** Imported usage (any periods): the engine bills what falls in the period's usage window and is not yet invoiced. */
  readonly usage?: readonly UsageAggregate[];
  readonly oneTimeCharges?: readonly OneTimeCharge[];
  /** Every invoice and credit note already issued for this contract (any period). */
  readonly issued?: readonly Invoice[];
  readonly rates?: ExchangeRateSource;
  /** A billing period of the contract (see `billingPeriodAt`). */
  readonly period: Period;
  /** Defaults to the period start (advance) or end (arrears). */
  readonly invoiceDate?: CalendarDate;
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

export type InvoiceLineType = 'recurring' | 'prorated' | 'usage' | 'oneTime' | 'credit' | 'discount' | 'commitment' | 'tax';

export interface InvoiceLine {
  /** Unique within the invoice: the draft key + the line key. */
  readonly id: string;
  /**
   * Identity of what the line bills, stable across re-runs and documents (e.g.
   * "sub-1|recurring", "sub-1|adj|2024-03-16|qty"); corrections compare issued and current lines by it.
   */
  readonly key: string;
  readonly type: InvoiceLineType;
  readonly subscriptionId?: string;
  readonly offerId?: string;
  readonly description: string;
  /** Service period [start, end). */
  readonly servicePeriod: Period;
  readonly quantity?: Decimal;
  /** Per unit per billing period in the invoice currency, unrounded (informational for tiers). */
  readonly unitPrice?: Decimal;
  /** Signed, rounded once at the invoice currency's minor units. */
  readonly amount: Decimal;
  /** Vendor cost of the line in the invoice currency, rounded the same way; undefined when unknown. */
  readonly cost?: Decimal;
  /** amount - cost (0 for tax lines). */
  readonly margin?: Decimal;
  /** How the amount was computed, in words and numbers. */
  readonly explanation: string;
  /** Credits: the issued line this line corrects. */
  readonly correctsLineId?: string;
  /** Discount and tax lines: the line they derive from (per-line tax, percent discounts). */
  readonly appliesToLineId?: string;
  /** Discount lines: the discount. Tax lines: the jurisdiction. */
  readonly discountId?: string;
  readonly jurisdiction?: string;
  /** Ledger entry (sequence) that caused a prorated line. */
  readonly ledgerSequence?: number;
  /** Whether tax applies to the line (false for exempt one-time charges, tax lines). */
  readonly taxable: boolean;
  readonly sourceCurrency?: CurrencyCode;
  readonly exchangeRate?: Decimal;
}

export interface ExchangeRateUsed {
  readonly from: CurrencyCode;
  readonly to: CurrencyCode;
  readonly date: CalendarDate;
  readonly rate: Decimal;
  readonly source: string;
}

export interface Invoice {
  /** `${contractId}|${start}|${end}|${kind}|${revision}`: the same contract and period always give the same key. */
  readonly draftKey: string;
  readonly contractId: string;
  readonly customerId: string;
  readonly customerName?: string;
  readonly period: Period;
  readonly kind: 'invoice' | 'creditNote';
  /** 0 for the period's first invoice; n for the n-th correction document of the period. */
  readonly revision: number;
  readonly status: 'draft' | 'issued';
  readonly invoiceDate: CalendarDate;
  readonly dueDate: CalendarDate;
  readonly currency: CurrencyCode;
  readonly lines: readonly InvoiceLine[];
  /** Sum of the non-tax lines. */
  readonly subtotal: Decimal;
  readonly tax: Decimal;
  /** subtotal + tax = the sum of all lines, exactly. */
  readonly total: Decimal;
  readonly cost: Decimal;
  readonly margin: Decimal;
  /** False when some line's cost is unknown (its cost and margin are left out of the totals). */
  readonly costComplete: boolean;
  readonly taxExempt: boolean;
  readonly taxNote?: string;
  /** Highest ledger sequence seen per subscription when the document was generated. */
  readonly ledgerCoverage: Readonly<Record<string, number>>;
  readonly exchangeRates: readonly ExchangeRateUsed[];
  /** Credit notes / supplements: the issued invoice(s) of the period they correct. */
  readonly correctsInvoiceKeys?: readonly string[];
  readonly issuedOn?: CalendarDate;
  readonly invoiceNumber?: string;
}

export interface GenerateResult {
  /** The period's invoice, or the correcting supplement (charges) and credit note (credits) once it was issued. */
  readonly drafts: readonly Invoice[];
  /** Why no draft was produced, when none was. */
  readonly note?: string;
  /** What the corrections left as issued, and why (issued usage without a usage bill to compare it with). */
  readonly warnings?: readonly string[];
}
