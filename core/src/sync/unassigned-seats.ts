/**
 * Seats bought but not assigned: Microsoft Graph's `GET /v1.0/subscribedSkus` for a customer tenant
 * (learn.microsoft.com/graph/api/subscribedsku-list) against the CRM's subscriptions and prices. The
 * money the customer pays every month for licences nobody uses is money a partner can save them.
 *
 * The answer is `{ "@odata.context", "value": subscribedSku[] }`. Per SKU the resource page
 * (learn.microsoft.com/graph/api/resources/subscribedsku) gives `prepaidUnits` (a licenseUnitsDetail:
 * `enabled`, `suspended`, `warning`, `lockedOut`), `consumedUnits` ("the number of licenses that have
 * been assigned"), `capabilityStatus` (Enabled, Warning, Suspended, Deleted, LockedOut), `appliesTo`
 * ("Only SKUs with target class User are assignable": User or Company), `skuId` (a GUID),
 * `skuPartNumber` and `subscriptionIds`.
 *
 * Per SKU: unassigned = enabled - consumed, never negative; more assigned than enabled (licences in
 * their grace period, or suspended) is over-assignment, listed apart: a compliance matter, not money.
 *
 * Matching a SKU to the CRM. Partner Center's subscriptions and Graph's SKUs share no identifier: the
 * CRM's offer holds Partner Center's catalogue ids (ProductId "CFQ7TTC0LH18", SkuId "0001"), Graph a
 * GUID and a part number ("There does not appear to be common fields between the outputs",
 * github.com/microsoft/Partner-Center-PowerShell/issues/330). So a CRM subscription belongs to a SKU
 * when (1) its vendor subscription id is among the SKU's `subscriptionIds`, or (2) its offer's SKU id
 * or product id, as the CRM holds it, is Graph's `skuId` or `skuPartNumber` (for a partner who keeps
 * Graph's SKU on the offer). Ids compare case-insensitively.
 *
 * Money: the CRM's customer unit price covers its offer's billing plan (a month, a year, three years,
 * as invoicing reads it), so the monthly price is that price / the plan's months; the unassigned seats
 * a SKU's money counts are at most the seats the partner's own live, priced subscriptions hold (the rest were
 * bought elsewhere). A SKU's amount is rounded half up to its currency's minor unit; totals add the
 * rounded amounts per currency. Nothing is counted for a SKU whose capability status is not Enabled,
 * a company-wide SKU, one without a CRM subscription or price, or one whose subscriptions bill in
 * different currencies: such SKUs are listed with the reason. All of it in decimal.js, never floats.
 */
import { CoreError } from '../errors';
import { Decimal, isKnownCurrency, minorUnits, roundHalfUp } from '../money';
import type { CrmSubscription } from './drift';
import { shown } from './shown';

export type SkuCapabilityStatus = 'Enabled' | 'Warning' | 'Suspended' | 'Deleted' | 'LockedOut';
export const SKU_CAPABILITY_STATUSES: readonly SkuCapabilityStatus[] = ['Enabled', 'Warning', 'Suspended', 'Deleted', 'LockedOut'];

export interface LicenseUnits {
  readonly enabled: number;
  readonly suspended: number;
  readonly warning: number;
  /** Absent in older documentation versions of licenseUnitsDetail: 0 then. */
  readonly lockedOut: number;
}

export interface SubscribedSku {
  readonly id: string;
  /** Lower case. */
  readonly skuId: string;
  readonly skuPartNumber: string;
  /** 'User' (assignable) or 'Company'; null when Graph leaves it out. */
  readonly appliesTo: 'User' | 'Company' | null;
  readonly capabilityStatus: SkuCapabilityStatus;
  readonly consumedUnits: number;
  readonly prepaidUnits: LicenseUnits;
  /** Empty when Graph leaves the property out (older answers lack it). */
  readonly subscriptionIds: readonly string[];
  readonly accountName: string | null;
}

export interface SkuProblem {
  /** The index in `value`, or null for the envelope. */
  readonly index: number | null;
  readonly property: string;
  readonly value: unknown;
  readonly reason: string;
}

export class SubscribedSkusParseError extends CoreError {
  readonly problems: readonly SkuProblem[];
  constructor(problems: readonly SkuProblem[]) {
    const listed = problems.slice(0, 5).map(describeSkuProblem);
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    super(`Graph subscribedSkus not read: ${listed.join('; ')}${more}`, problems);
    this.problems = problems;
  }
}

export function describeSkuProblem(p: SkuProblem): string {
  const where = p.index === null ? p.property : `value[${p.index}].${p.property}`;
  return `${where} ${shown(p.value)}: ${p.reason}`;
}

export interface SubscribedSkusPage {
  readonly skus: readonly SubscribedSku[];
  /** `@odata.nextLink` when Graph pages the answer (not documented for this call), else null. */
  readonly nextLink: string | null;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Json, key: string): unknown => (Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Graph's Int32. */
const INT32_MAX = 2_147_483_647;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= INT32_MAX;

/** Parses one page of `GET /subscribedSkus`. Throws SubscribedSkusParseError listing every problem. */
export function parseSubscribedSkus(text: string): SubscribedSkusPage {
  const problems: SkuProblem[] = [];
  const fail = (index: number | null, property: string, value: unknown, reason: string): undefined => {
    problems.push({ index, property, value, reason });
    return undefined;
  };
  if (typeof text !== 'string') throw new SubscribedSkusParseError([{ index: null, property: '(body)', value: typeof text, reason: 'is not text' }]);
  let root: unknown;
  try {
    root = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new SubscribedSkusParseError([{ index: null, property: '(body)', value: text.slice(0, 80), reason: `is not JSON (${(e as Error).message})` }]);
  }
  if (!isObject(root)) throw new SubscribedSkusParseError([{ index: null, property: '(body)', value: root, reason: 'is not a collection object' }]);
  const list = own(root, 'value');
  if (!Array.isArray(list)) throw new SubscribedSkusParseError([{ index: null, property: 'value', value: list, reason: 'is not a list' }]);
  const next = own(root, '@odata.nextLink');
  let nextLink: string | null = null;
  if (typeof next === 'string' && next.trim() !== '') nextLink = next;
  else if (next !== undefined && next !== null) fail(null, '@odata.nextLink', next, 'is not a link');

  const skus: SubscribedSku[] = [];
  const seen = new Map<string, number>();
  list.forEach((item: unknown, index) => {
    const before = problems.length;
    const sku = readSku(item, index, fail);
    if (sku === undefined || problems.length > before) return;
    const first = seen.get(sku.skuId);
    if (first !== undefined) return fail(index, 'skuId', sku.skuId, `repeats value[${first}] (a page read twice?)`);
    seen.set(sku.skuId, index);
    skus.push(sku);
  });
  if (problems.length > 0) throw new SubscribedSkusParseError(problems);
  return { skus, nextLink };
}

type Fail = (index: number | null, property: string, value: unknown, reason: string) => undefined;

function readSku(item: unknown, index: number, fail: Fail): SubscribedSku | undefined {
  if (!isObject(item)) return fail(index, '(item)', item, 'is not an object');
  const text = (name: string, required: boolean): string | null | undefined => {
    const v = own(item, name);
    if ((v === undefined || v === null) && !required) return null;
    if (typeof v !== 'string' || (required && v.trim() === '')) return fail(index, name, v, required ? 'is required text' : 'is not text');
    return v;
  };
  const id = text('id', true);
  const skuPartNumber = text('skuPartNumber', true);
  const accountName = text('accountName', false);

  const skuIdText = own(item, 'skuId');
  const skuId = typeof skuIdText === 'string' && GUID.test(skuIdText.trim()) ? skuIdText.trim().toLowerCase() : undefined;
  if (skuId === undefined) fail(index, 'skuId', skuIdText, 'is not a GUID');

  const statusText = own(item, 'capabilityStatus');
  const capabilityStatus =
    typeof statusText === 'string' ? SKU_CAPABILITY_STATUSES.find((s) => s.toLowerCase() === statusText.trim().toLowerCase()) : undefined;
  if (capabilityStatus === undefined) fail(index, 'capabilityStatus', statusText, `is not one of ${SKU_CAPABILITY_STATUSES.join(', ')}`);

  const appliesText = own(item, 'appliesTo');
  let appliesTo: SubscribedSku['appliesTo'] | undefined = null;
  if (typeof appliesText === 'string' && /^user$/i.test(appliesText.trim())) appliesTo = 'User';
  else if (typeof appliesText === 'string' && /^company$/i.test(appliesText.trim())) appliesTo = 'Company';
  else if (appliesText !== undefined && appliesText !== null) appliesTo = fail(index, 'appliesTo', appliesText, 'is not User or Company');

  const consumed = own(item, 'consumedUnits');
  if (!isCount(consumed)) fail(index, 'consumedUnits', consumed, 'is not a whole number of licences (0 or more)');

  const prepaid = own(item, 'prepaidUnits');
  let prepaidUnits: LicenseUnits | undefined;
  if (!isObject(prepaid)) fail(index, 'prepaidUnits', prepaid, 'is not a licenseUnitsDetail object');
  else {
    const units: Record<string, number> = {};
    for (const name of ['enabled', 'suspended', 'warning', 'lockedOut'] as const) {
      const v = own(prepaid, name);
      // enabled is what this report is about; the others may be left out (older answers lack lockedOut).
      if (v === undefined && name !== 'enabled') units[name] = 0;
      else if (isCount(v)) units[name] = v;
      else fail(index, `prepaidUnits.${name}`, v, 'is not a whole number of licences (0 or more)');
    }
    prepaidUnits = { enabled: units['enabled'] ?? 0, suspended: units['suspended'] ?? 0, warning: units['warning'] ?? 0, lockedOut: units['lockedOut'] ?? 0 };
  }

  const idsValue = own(item, 'subscriptionIds');
  let subscriptionIds: string[] | undefined = [];
  if (Array.isArray(idsValue)) {
    subscriptionIds = idsValue.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
    if (subscriptionIds.length !== idsValue.length) subscriptionIds = fail(index, 'subscriptionIds', idsValue, 'is not a list of ids');
  } else if (idsValue !== undefined && idsValue !== null) subscriptionIds = fail(index, 'subscriptionIds', idsValue, 'is not a list of ids');

  if (id == null || skuPartNumber == null || accountName === undefined || skuId === undefined || capabilityStatus === undefined) return undefined;
  if (appliesTo === undefined || !isCount(consumed) || prepaidUnits === undefined || subscriptionIds === undefined) return undefined;
  return { id, skuId, skuPartNumber, appliesTo, capabilityStatus, consumedUnits: consumed, prepaidUnits, subscriptionIds, accountName };
}

// ---------------------------------------------------------------------------------------------
// Against the CRM
// ---------------------------------------------------------------------------------------------

/** A CRM subscription with what pricing a SKU's seats needs: its offer's ids and the months its price covers. */
export interface SkuCrmSubscription extends CrmSubscription {
  /** cspb_offer.cspb_skuid and cspb_productid, as the CRM holds them. */
  readonly offerSkuId?: string | null;
  readonly offerProductId?: string | null;
  /** Months the customer unit price covers: 1 (monthly plan, the default), 12 (annual), 36 (triennial). */
  readonly priceMonths?: number;
}

export type SkuMatch = 'subscriptionId' | 'offerSkuId' | 'offerProductId';

export interface SkuCrmMatch {
  readonly subscription: SkuCrmSubscription;
  readonly matchedBy: SkuMatch;
  /** The customer unit price per month (price / its plan's months), when the CRM has one. */
  readonly monthlyUnitPrice: Decimal | null;
}

export interface SkuMoney {
  readonly currency: string;
  /** The unit price per month the seats are counted at (the lowest, when the partner's subscriptions differ). */
  readonly monthlyUnitPrice: Decimal;
  /** More than one monthly price among the SKU's subscriptions: the lowest is counted (the saving is at least this). */
  readonly lowestOf: number;
  /** The unassigned seats counted: at most the seats the partner's live subscriptions hold. */
  readonly seats: number;
  /** seats x monthlyUnitPrice, rounded half up to the currency's minor unit. */
  readonly amount: Decimal;
}

export interface SkuSeats {
  readonly sku: SubscribedSku;
  readonly enabled: number;
  readonly consumed: number;
  /** enabled - consumed, or 0. */
  readonly unassigned: number;
  /** consumed - enabled, or 0: more assigned than enabled. */
  readonly overAssigned: number;
  /** The CRM subscriptions of this SKU (live and ended), ordered by vendor subscription id. */
  readonly crm: readonly SkuCrmMatch[];
  /** The money of the unassigned seats, when it is counted. */
  readonly monthly: SkuMoney | null;
  /** Why unassigned seats are not counted as money (null when counted, or when there are none). */
  readonly notCounted: string | null;
}

export interface SkuTotal {
  readonly currency: string;
  readonly seats: number;
  readonly amount: Decimal;
  /** A SKU counted at the lowest of several prices is in it: the saving is at least the amount. */
  readonly atLeast: boolean;
}

export interface UnassignedSeatsReport {
  /** By skuPartNumber, then skuId (code-unit order: the same input prints the same report). */
  readonly skus: readonly SkuSeats[];
  /** Per currency, by currency code. */
  readonly totals: readonly SkuTotal[];
  /** Unassigned seats over every SKU (counted or not). */
  readonly unassigned: number;
  readonly overAssigned: number;
}

const keyOf = (id: string): string => id.trim().toLowerCase();
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const isLive = (s: SkuCrmSubscription): boolean => s.status === 'active' || s.status === 'suspended';

/** A CRM row the report cannot price (price months that are not a whole number from 1). */
export class SkuInputError extends CoreError {}

export function unassignedSeats(skus: readonly SubscribedSku[], crm: readonly SkuCrmSubscription[]): UnassignedSeatsReport {
  for (const s of crm) {
    const months = s.priceMonths ?? 1;
    if (!Number.isSafeInteger(months) || months < 1)
      throw new SkuInputError(`CRM subscription ${s.id}: price months ${months} is not a whole number from 1`, s);
  }
  const rows = skus.map((sku) => seatsOf(sku, crm));
  rows.sort((a, b) => cmp(a.sku.skuPartNumber, b.sku.skuPartNumber) || cmp(a.sku.skuId, b.sku.skuId));
  const totals = new Map<string, { seats: number; amount: Decimal; atLeast: boolean }>();
  for (const r of rows) {
    if (r.monthly === null) continue;
    const t = totals.get(r.monthly.currency) ?? { seats: 0, amount: new Decimal(0), atLeast: false };
    totals.set(r.monthly.currency, { seats: t.seats + r.monthly.seats, amount: t.amount.plus(r.monthly.amount), atLeast: t.atLeast || r.monthly.lowestOf > 1 });
  }
  return {
    skus: rows,
    totals: [...totals.entries()].sort(([a], [b]) => cmp(a, b)).map(([currency, t]) => ({ currency, ...t })),
    unassigned: rows.reduce((n, r) => n + r.unassigned, 0),
    overAssigned: rows.reduce((n, r) => n + r.overAssigned, 0),
  };
}

function matchOf(sku: SubscribedSku, s: SkuCrmSubscription): SkuMatch | null {
  const ids = new Set(sku.subscriptionIds.map(keyOf));
  if (s.vendorSubscriptionId && ids.has(keyOf(s.vendorSubscriptionId))) return 'subscriptionId';
  const graphIds = new Set([sku.skuId, keyOf(sku.skuPartNumber)]);
  if (s.offerSkuId && graphIds.has(keyOf(s.offerSkuId))) return 'offerSkuId';
  if (s.offerProductId && graphIds.has(keyOf(s.offerProductId))) return 'offerProductId';
  return null;
}

function seatsOf(sku: SubscribedSku, crm: readonly SkuCrmSubscription[]): SkuSeats {
  const enabled = sku.prepaidUnits.enabled;
  const consumed = sku.consumedUnits;
  const unassigned = Math.max(0, enabled - consumed);
  const overAssigned = Math.max(0, consumed - enabled);
  const matches: SkuCrmMatch[] = [];
  for (const s of crm) {
    const matchedBy = matchOf(sku, s);
    if (matchedBy === null) continue;
    // A zero price is no price, as invoicing reads it (the sample's Azure plan rows carry 0).
    const price = s.customerUnitPrice;
    const monthlyUnitPrice = price === undefined || price.isZero() ? null : price.div(s.priceMonths ?? 1);
    matches.push({ subscription: s, matchedBy, monthlyUnitPrice });
  }
  matches.sort(
    (a, b) =>
      cmp(keyOf(a.subscription.vendorSubscriptionId ?? ''), keyOf(b.subscription.vendorSubscriptionId ?? '')) || cmp(a.subscription.id, b.subscription.id),
  );
  const base = { sku, enabled, consumed, unassigned, overAssigned, crm: matches };
  if (unassigned === 0) return { ...base, monthly: null, notCounted: null };
  const not = (reason: string): SkuSeats => ({ ...base, monthly: null, notCounted: reason });
  if (sku.capabilityStatus !== 'Enabled') return not(`capability status ${sku.capabilityStatus}: only an Enabled SKU's seats can be given back`);
  if (sku.appliesTo === 'Company') return not('applies to the company: its licences are not assigned to users');
  if (matches.length === 0) return not('no CRM subscription for this SKU');
  const live = matches.filter((m) => isLive(m.subscription));
  if (live.length === 0) return not('its CRM subscriptions have ended');
  const priced = live.filter((m): m is SkuCrmMatch & { monthlyUnitPrice: Decimal } => m.monthlyUnitPrice !== null);
  if (priced.length === 0) return not('the CRM has no customer unit price for it');
  const currencies = [...new Set(priced.map((m) => m.subscription.currency?.trim().toUpperCase() ?? ''))];
  if (currencies.length > 1) return not(`its CRM subscriptions bill in ${currencies.sort().join(' and ')}`);
  const currency = currencies[0]!;
  if (!isKnownCurrency(currency)) return not(`the CRM's currency "${currency}" is not an ISO 4217 code`);
  // Seats bought elsewhere (directly, through another partner) are not the partner's to give back.
  const crmSeats = priced.reduce((n, m) => n + m.subscription.quantity, 0);
  if (crmSeats === 0) return not('its CRM subscriptions hold no seats');
  const seats = Math.min(unassigned, crmSeats);
  const prices = priced.map((m) => m.monthlyUnitPrice);
  const lowest = prices.reduce((a, b) => (b.lessThan(a) ? b : a));
  const distinct = new Set(prices.map((p) => p.toString())).size;
  const amount = roundHalfUp(lowest.times(seats), minorUnits(currency));
  return { ...base, monthly: { currency, monthlyUnitPrice: lowest, lowestOf: distinct, seats, amount }, notCounted: null };
}
