/** Pure logic of the billing contract form: validation of the billing settings and the next invoice (core periods). */
import { addDays, type CalendarDate, type Period } from '../../../core/src/calendar';
import type { BillingAnchor, BillingContract, BillingFrequency } from '../../../core/src/invoicing/model';
import { billingPeriodAt, dueDate } from '../../../core/src/invoicing/periods';
import {
  CspbBillingContractAnchor as Anchor,
  CspbBillingContractFrequency as Frequency,
  CspbBillingContractProrationPolicy as Proration,
  CspbBillingContractTiming as Timing,
} from '../../../dataverse/generated/cspb_billingcontract';
import type { StringKey } from '../strings';

export interface ContractFields {
  readonly frequency: number | null;
  readonly anchor: number | null;
  readonly anchorDay: number | null;
  readonly timing: number | null;
  readonly paymentTermDays: number | null;
  readonly proration: number | null;
}

export interface Finding {
  readonly field: 'cspb_anchorday' | 'cspb_anchor' | 'cspb_paymenttermdays' | 'cspb_prorationpolicy';
  readonly level: 'error' | 'warning';
  readonly key: StringKey;
}

/** Combinations of frequency, anchor, anchor day and terms the invoice run cannot bill (errors) or that surprise (warnings). */
export function validateContract(c: ContractFields): Finding[] {
  const out: Finding[] = [];
  if (c.anchor === Anchor.BillingDay && (c.anchorDay === null || c.anchorDay < 1 || c.anchorDay > 28))
    out.push({ field: 'cspb_anchorday', level: 'error', key: 'contractAnchorDayRequired' });
  if (c.anchor !== Anchor.BillingDay && c.anchorDay !== null) out.push({ field: 'cspb_anchorday', level: 'error', key: 'contractAnchorDayUnused' });
  if (c.frequency === Frequency.OneTime && (c.anchor === Anchor.CalendarMonth || c.anchor === Anchor.BillingDay))
    out.push({ field: 'cspb_anchor', level: 'error', key: 'contractOneTimeAnchor' });
  if (c.paymentTermDays !== null && (c.paymentTermDays < 0 || c.paymentTermDays > 365))
    out.push({ field: 'cspb_paymenttermdays', level: 'error', key: 'contractTermsRange' });
  if (c.timing === Timing.InArrears && c.proration === Proration.FullPeriod)
    out.push({ field: 'cspb_prorationpolicy', level: 'warning', key: 'contractArrearsLicences' });
  return out;
}

const FREQUENCIES: ReadonlyArray<readonly [number, BillingFrequency]> = [
  [Frequency.Monthly, 'monthly'],
  [Frequency.Quarterly, 'quarterly'],
  [Frequency.Annual, 'annual'],
  [Frequency.Triennial, 'triennial'],
];

export interface NextInvoice {
  readonly invoiceDate: CalendarDate;
  /** The period the next invoice bills: the next one when billing in advance, the current one in arrears. */
  readonly period: Period;
  /** The contract's billing period containing today (the one billed in arrears). */
  readonly current: Period;
  readonly due: CalendarDate;
}

/**
 * The next invoice of a recurring contract on or after `today`, with core's billing periods.
 * The contract table carries no start date: `startDate` (the row's creation date) sets the phase of
 * quarterly and annual periods; a co-term contract is anchored on `cotermDate` (the earliest term start).
 */
export function nextInvoice(c: ContractFields, today: CalendarDate, startDate: CalendarDate, cotermDate?: CalendarDate): NextInvoice | null {
  const frequency = FREQUENCIES.find(([v]) => v === c.frequency)?.[1];
  if (!frequency || validateContract(c).some((f) => f.level === 'error')) return null;
  let anchor: BillingAnchor;
  if (c.anchor === Anchor.BillingDay) anchor = { kind: 'billingDay', day: c.anchorDay as number };
  else if (c.anchor === Anchor.CoTerm) {
    if (cotermDate === undefined) return null;
    anchor = { kind: 'coterm', anchorDate: cotermDate };
  } else anchor = { kind: 'calendarMonth' };
  const contract = { frequency, anchor, startDate: cotermDate !== undefined && cotermDate < startDate ? cotermDate : startDate } as unknown as BillingContract;
  const current = billingPeriodAt(contract, today < contract.startDate ? contract.startDate : today);
  const period = c.timing === Timing.InArrears ? current : billingPeriodAt(contract, current.end);
  const invoiceDate = c.timing === Timing.InArrears ? current.end : period.start;
  return { invoiceDate, period, current, due: dueDate({ kind: 'net', days: c.paymentTermDays ?? 0 }, invoiceDate) };
}

export { addDays };
