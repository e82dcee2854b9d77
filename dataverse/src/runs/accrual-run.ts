/**
 * The one accrual: `npm run accrual` (a snapshot and an invoice file) and the Dynamics accrual (rows
 * and an import's lines read through the Web API) both call `runAccrual` with the rows they read and
 * store or print its lines through `accrualLineRows`, so the same org and month give the same lines.
 */
import {
  accrueMicrosoftCharges,
  formatIso,
  closeAccrual,
  type Accrual,
  type AccrualClosing,
  type BillLine,
  type CalendarDate,
  type ClosedAccrual,
  type Decimal,
  type Period,
} from '../../../core/src';
import type { CspbAccrualLineWrite } from '../../generated/cspb_accrualline';
import { CspbAccrualLineTable } from '../../generated/cspb_accrualline';
import { reconSubscriptionsFromRows, type ReconRows } from '../mappers';
import { MONEY_PLACES, roundedToWebApi } from '../mappers/values';

export interface AccrualRunInput {
  readonly rows: ReconRows;
  readonly period: Period;
  readonly asOf: CalendarDate;
  /** The month's invoice lines, to close the accrual against. */
  readonly billed?: readonly BillLine[];
}

export interface AccrualRunResult {
  readonly accrual: Accrual;
  readonly closed?: ClosedAccrual;
}

export function runAccrual(input: AccrualRunInput): AccrualRunResult {
  const subscriptions = reconSubscriptionsFromRows(input.rows);
  const accrual = accrueMicrosoftCharges({ subscriptions, period: input.period, asOf: input.asOf });
  return input.billed ? { accrual, closed: closeAccrual(accrual, subscriptions, input.billed) } : { accrual };
}

const MAX = CspbAccrualLineTable.maxLengths;
const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
const money = (d: Decimal | undefined) => roundedToWebApi(d, 'money column', MONEY_PLACES);
const keyOf = (vendorSubscriptionId: string, chargeType: string) => `${vendorSubscriptionId.trim().toLowerCase()}|${chargeType.toLowerCase()}`;

/**
 * The stored lines of an accrual (without the run binding, which the caller adds): each accrued
 * subscription and charge type, with what the invoice billed and why it differs once closed, and the
 * invoice's lines the ledger never accrued (accrued 0). In a fixed order, keyed by run and line.
 */
export function accrualLineRows(runKey: string, result: AccrualRunResult): CspbAccrualLineWrite[] {
  const closings = new Map<string, AccrualClosing>((result.closed?.lines ?? []).map((l) => [keyOf(l.vendorSubscriptionId, l.chargeType), l]));
  const rows: CspbAccrualLineWrite[] = [];
  const seen = new Set<string>();
  const month = formatIso(result.accrual.period.start);
  for (const l of result.accrual.lines) {
    const key = keyOf(l.vendorSubscriptionId, l.chargeType);
    seen.add(key);
    const closing = closings.get(key);
    rows.push({
      cspb_name: clip(`${l.customerName ?? l.vendorSubscriptionId} ${l.productName ?? ''} ${l.chargeType}`.replace(/\s+/g, ' '), MAX.cspb_name),
      cspb_periodstart: month,
      cspb_customername: l.customerName ? clip(l.customerName, MAX.cspb_customername) : null,
      cspb_vendorsubscriptionid: clip(l.vendorSubscriptionId, MAX.cspb_vendorsubscriptionid),
      cspb_productname: l.productName ? clip(l.productName, MAX.cspb_productname) : null,
      cspb_chargetype: clip(l.chargeType, MAX.cspb_chargetype),
      cspb_quantity: l.quantity,
      cspb_currencycode: l.currency,
      cspb_amount: money(l.amount),
      cspb_billedamount: result.closed ? money(closing?.billed ?? l.amount) : null,
      cspb_difference: result.closed ? money(closing?.difference ?? l.amount.minus(l.amount)) : null,
      cspb_explanation: closing ? clip(closing.explanation, MAX.cspb_explanation) : null,
      cspb_linekey: clip(`${runKey}|${key}`, MAX.cspb_linekey),
    });
  }
  for (const [key, c] of closings) {
    if (seen.has(key)) continue;
    rows.push({
      cspb_name: clip(`${c.customerName ?? c.vendorSubscriptionId} ${c.chargeType}`, MAX.cspb_name),
      cspb_periodstart: month,
      cspb_customername: c.customerName ? clip(c.customerName, MAX.cspb_customername) : null,
      cspb_vendorsubscriptionid: clip(c.vendorSubscriptionId, MAX.cspb_vendorsubscriptionid),
      cspb_productname: null,
      cspb_chargetype: clip(c.chargeType, MAX.cspb_chargetype),
      cspb_quantity: 0,
      cspb_currencycode: c.currency,
      cspb_amount: money(c.accrued),
      cspb_billedamount: money(c.billed),
      cspb_difference: money(c.difference),
      cspb_explanation: clip(c.explanation, MAX.cspb_explanation),
      cspb_linekey: clip(`${runKey}|${key}`, MAX.cspb_linekey),
    });
  }
  return rows.sort((a, b) => (a.cspb_linekey! < b.cspb_linekey! ? -1 : a.cspb_linekey! > b.cspb_linekey! ? 1 : 0));
}

/** "56379.16 USD, 1200.00 EUR": totals per currency as the run row shows them. */
export function totalsText(totals: Readonly<Record<string, Decimal>>): string {
  const entries = Object.entries(totals);
  return entries.length === 0 ? '0.00' : entries.map(([c, v]) => `${v.toFixed(2)} ${c}`).join(', ');
}
