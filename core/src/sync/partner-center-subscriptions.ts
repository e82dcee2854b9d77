/**
 * Partner Center's "Get a customer's subscriptions" answer (GET /v1/customers/{id}/subscriptions,
 * learn.microsoft.com/partner-center/developer/get-all-of-a-customer-s-subscriptions): a collection
 * `{ totalCount, items: Subscription[], links?, attributes: { objectType: "Collection" } }` whose items
 * are the Subscription resource (learn.microsoft.com/partner-center/developer/subscription-resources).
 *
 * Two shapes are in the field and both are read: legacy CSP (the PowerShell module's recorded answer:
 * GUID or "MS-AZR-…" offer ids, no termDuration, an exclusive commitmentEndDate, a far-future one for
 * subscriptions without commitment) and new commerce (offer ids "PRODUCT:SKU:AVAILABILITY", termDuration
 * P1M/P1Y/P3Y, an inclusive commitmentEndDate). The difference that matters is the end date: "New
 * commerce end dates are inclusive … Legacy end dates are not inclusive" (subscription-resources), so
 * `termEnd` is converted here, at the boundary, to the inclusive last day the CRM stores.
 *
 * A drift report built on a half-read answer would call every unread subscription "only in the CRM",
 * so nothing is skipped and nothing defaults: every problem is collected (item index, property,
 * value) and the whole text is refused with one typed error.
 */
import { addDays, parseDate, toYmd, type CalendarDate } from '../calendar';
import { CoreError } from '../errors';
import { shown } from './shown';

/** Subscription status values (SDK SubscriptionStatus; the current doc lists the same seven). */
export type PcSubscriptionStatus = 'none' | 'active' | 'pending' | 'suspended' | 'deleted' | 'expired' | 'disabled';
const STATUSES: readonly PcSubscriptionStatus[] = ['none', 'active', 'pending', 'suspended', 'deleted', 'expired', 'disabled'];

/**
 * BillingCycleType members as the wire writes them (the SDK's converter: lower case, "_" before inner
 * capitals, so OneTime is "one_time"). Docs also show "Annual" capitalised, so case is ignored.
 */
export type PcBillingCycle = 'unknown' | 'monthly' | 'annual' | 'none' | 'one_time' | 'triennial' | 'biennial';
const CYCLES: Readonly<Record<string, PcBillingCycle>> = {
  unknown: 'unknown',
  monthly: 'monthly',
  annual: 'annual',
  none: 'none',
  onetime: 'one_time',
  triennial: 'triennial',
  biennial: 'biennial',
};

export interface PcSubscription {
  readonly id: string;
  readonly offerId: string;
  readonly offerName: string | null;
  readonly friendlyName: string | null;
  readonly quantity: number;
  readonly status: PcSubscriptionStatus;
  readonly autoRenewEnabled: boolean;
  /** The date Microsoft printed (UTC), or null when the property is absent or null. */
  readonly commitmentEndDate: CalendarDate | null;
  /** The term's last day, inclusive; null without a commitment (absent, or legacy's year-9999 date). */
  readonly termEnd: CalendarDate | null;
  /** ISO 8601 duration ("P1M", "P1Y", "P3Y"); null for legacy subscriptions, which have none. */
  readonly termDuration: string | null;
  readonly billingCycle: PcBillingCycle;
  /** "license", "usage", "benefit" or "none" (lower case); null when absent. Usage has no seat count. */
  readonly billingType: string | null;
  /** New commerce offer ids have three parts, "CFQ7TTC0LH18:0001:CFQ7TTC0K5DJ"; legacy ones do not. */
  readonly commerce: 'new' | 'legacy';
  /** From links.self.uri ("/customers/{id}/subscriptions/{id}"), lower case, when the item carries it. */
  readonly customerId?: string;
}

/** One thing wrong with the text: where (item index, or null for the envelope), which property, what value. */
export interface PcProblem {
  readonly index: number | null;
  readonly property: string;
  readonly value: unknown;
  readonly reason: string;
}

export class PartnerCenterParseError extends CoreError {
  readonly problems: readonly PcProblem[];
  constructor(problems: readonly PcProblem[]) {
    const shown = problems.slice(0, 5).map(describeProblem);
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    super(`Partner Center subscriptions not read: ${shown.join('; ')}${more}`, problems);
    this.problems = problems;
  }
}

export function describeProblem(p: PcProblem): string {
  const where = p.index === null ? p.property : `items[${p.index}].${p.property}`;
  return `${where} ${shown(p.value)}: ${p.reason}`;
}

/** The continuation Partner Center's paged APIs give: links.next with an MS-ContinuationToken header. */
export interface PcNextLink {
  readonly uri: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface PcSubscriptionPage {
  readonly subscriptions: readonly PcSubscription[];
  readonly next: PcNextLink | null;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Json, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
const DURATION = /^P\d+[DWMY]$/;
const SELF_URI = /\/customers\/([0-9a-fA-F-]{36})\/subscriptions(?:\/|$|\?)/;
/** Legacy CSP writes 9999-12-14 for "no commitment": "a date far, far away in the future". */
const NO_COMMITMENT_YEAR = 9999;

/** Parses one page of the collection. Throws PartnerCenterParseError listing every problem. */
export function parsePartnerCenterSubscriptions(text: string): PcSubscriptionPage {
  const problems: PcProblem[] = [];
  const fail = (index: number | null, property: string, value: unknown, reason: string): undefined => {
    problems.push({ index, property, value, reason });
    return undefined;
  };
  if (typeof text !== 'string') throw new PartnerCenterParseError([{ index: null, property: '(body)', value: typeof text, reason: 'is not text' }]);
  let root: unknown;
  try {
    root = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new PartnerCenterParseError([{ index: null, property: '(body)', value: text.slice(0, 80), reason: `is not JSON (${(e as Error).message})` }]);
  }
  if (!isObject(root)) throw new PartnerCenterParseError([{ index: null, property: '(body)', value: root, reason: 'is not a collection object' }]);
  if (!Array.isArray(root['items'])) throw new PartnerCenterParseError([{ index: null, property: 'items', value: root['items'], reason: 'is not a list' }]);
  // totalCount is the page's item count in the SDK; only its type is checked (docs' examples disagree with their own lists).
  if (has(root, 'totalCount') && !(Number.isSafeInteger(root['totalCount']) && (root['totalCount'] as number) >= 0))
    fail(null, 'totalCount', root['totalCount'], 'is not a whole number');
  const next = readNext(root, fail);

  const subscriptions: PcSubscription[] = [];
  const seen = new Map<string, number>();
  (root['items'] as unknown[]).forEach((item, index) => {
    const before = problems.length;
    const sub = readItem(item, index, fail);
    if (sub === undefined || problems.length > before) return;
    const key = sub.id.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) return fail(index, 'id', sub.id, `repeats items[${first}] (a page read twice?)`);
    seen.set(key, index);
    subscriptions.push(sub);
  });
  if (problems.length > 0) throw new PartnerCenterParseError(problems);
  return { subscriptions, next: next ?? null };
}

type Fail = (index: number | null, property: string, value: unknown, reason: string) => undefined;

/**
 * links.next of any Partner Center collection page (subscriptions, invoices), or null; a malformed
 * link is a PartnerCenterParseError.
 */
export function readPartnerCenterNextLink(root: unknown): PcNextLink | null {
  const problems: PcProblem[] = [];
  const next = isObject(root)
    ? readNext(root, (index, property, value, reason) => {
        problems.push({ index, property, value, reason });
        return undefined;
      })
    : undefined;
  if (problems.length > 0) throw new PartnerCenterParseError(problems);
  return next ?? null;
}

function readNext(root: Json, fail: Fail): PcNextLink | undefined {
  const links = root['links'];
  if (links === undefined || links === null) return undefined;
  if (!isObject(links)) return fail(null, 'links', links, 'is not an object');
  const next = links['next'];
  if (next === undefined || next === null) return undefined;
  if (!isObject(next) || typeof next['uri'] !== 'string' || next['uri'].trim() === '') return fail(null, 'links.next', next, 'has no uri');
  const headers: Record<string, string> = {};
  const list = next['headers'] ?? [];
  if (!Array.isArray(list)) return fail(null, 'links.next.headers', list, 'is not a list');
  for (const h of list) {
    if (!isObject(h) || typeof h['key'] !== 'string' || typeof h['value'] !== 'string') return fail(null, 'links.next.headers', h, 'is not {key, value}');
    headers[h['key']] = h['value'];
  }
  return { uri: next['uri'], headers };
}

function readItem(item: unknown, index: number, fail: Fail): PcSubscription | undefined {
  if (!isObject(item)) return fail(index, '(item)', item, 'is not an object');
  const text = (name: string, required: boolean): string | null | undefined => {
    const v = item[name];
    if ((v === undefined || v === null) && !required) return null;
    if (typeof v !== 'string' || (required && v.trim() === '')) return fail(index, name, v, required ? 'is required text' : 'is not text');
    return v;
  };
  const id = text('id', true);
  const offerId = text('offerId', true);
  const offerName = text('offerName', false);
  const friendlyName = text('friendlyName', false);

  const quantity = item['quantity'];
  if (!Number.isSafeInteger(quantity) || (quantity as number) < 0) fail(index, 'quantity', quantity, 'is not a whole number of units (0 or more)');

  const statusText = item['status'];
  const status = typeof statusText === 'string' ? STATUSES.find((s) => s === statusText.toLowerCase()) : undefined;
  if (status === undefined) fail(index, 'status', statusText, `is not one of ${STATUSES.join(', ')}`);

  const autoRenew = item['autoRenewEnabled'];
  if (typeof autoRenew !== 'boolean') fail(index, 'autoRenewEnabled', autoRenew, 'is not true or false');

  const cycleText = item['billingCycle'];
  const billingCycle = typeof cycleText === 'string' ? CYCLES[cycleText.toLowerCase().replace(/_/g, '')] : undefined;
  if (billingCycle === undefined)
    fail(index, 'billingCycle', cycleText, 'is not a billing cycle (monthly, annual, triennial, biennial, one_time, none, unknown)');

  // Legacy subscriptions have no termDuration; new commerce sends "" for renewalTermDuration, never here.
  const durationText = item['termDuration'];
  let termDuration: string | null = null;
  if (typeof durationText === 'string' && DURATION.test(durationText.trim().toUpperCase())) termDuration = durationText.trim().toUpperCase();
  else if (durationText !== undefined && durationText !== null) fail(index, 'termDuration', durationText, 'is not an ISO 8601 duration (P1M, P1Y, P3Y)');

  const billingTypeText = text('billingType', false);
  const commitmentEndDate = dateOf(item, 'commitmentEndDate', index, fail);

  const selfUri = isObject(item['links']) && isObject(item['links']['self']) ? item['links']['self']['uri'] : undefined;
  const customerId = typeof selfUri === 'string' ? SELF_URI.exec(selfUri)?.[1]?.toLowerCase() : undefined;

  if (id == null || offerId == null || status === undefined || billingCycle === undefined || commitmentEndDate === undefined) return undefined;
  if (typeof autoRenew !== 'boolean' || typeof quantity !== 'number') return undefined;
  if (offerName === undefined || friendlyName === undefined || billingTypeText === undefined) return undefined;
  const commerce = offerId.includes(':') ? 'new' : 'legacy';
  return {
    id,
    offerId,
    offerName,
    friendlyName,
    quantity,
    status,
    autoRenewEnabled: autoRenew,
    commitmentEndDate,
    termEnd: termEndOf(commitmentEndDate, commerce),
    termDuration,
    billingCycle,
    billingType: billingTypeText === null ? null : billingTypeText.toLowerCase(),
    commerce,
    ...(customerId !== undefined ? { customerId } : {}),
  };
}

/** A UTC date-time property as its UTC calendar date; null when absent or null; undefined after a problem. */
function dateOf(item: Json, name: string, index: number, fail: Fail): CalendarDate | null | undefined {
  const v = item[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') return fail(index, name, v, 'is not a date-time text');
  // Partner Center writes ISO 8601 UTC ("2019-03-26T00:00:00Z"); a US-style date here is not its answer.
  if (!/^\d{4}-\d{2}-\d{2}/.test(v.trim())) return fail(index, name, v, 'is not an ISO 8601 date-time');
  try {
    return parseDate(v);
  } catch (e) {
    return fail(index, name, v, (e as Error).message);
  }
}

function termEndOf(end: CalendarDate | null, commerce: 'new' | 'legacy'): CalendarDate | null {
  if (end === null || toYmd(end).year >= NO_COMMITMENT_YEAR) return null;
  return commerce === 'new' ? end : addDays(end, -1);
}
