/**
 * Subscription drift: what Partner Center says a customer has against what the CRM says, before the
 * bill shows the difference a month later. Subscriptions pair by vendor subscription id (the CRM's
 * alternate key, Partner Center's `id`), case-insensitively: the recording writes GUIDs in upper case,
 * Dataverse keeps what was typed.
 *
 * The report only finds; `proposedChanges` turns findings into the ledger entries that would take
 * Microsoft's side (source "sync"), and names the findings only a person can settle. Core applies
 * nothing: the caller shows them and appends after confirmation.
 */
import { formatIso, type CalendarDate } from '../calendar';
import { CoreError } from '../errors';
import type { LedgerEntryInput } from '../ledger';
import type { Decimal } from '../money';
import { TERM_MONTHS, type Term } from '../nce/terms';
import type { PcSubscription, PcSubscriptionStatus } from './partner-center-subscriptions';

/** cspb_subscription.cspb_status, by the core names the generated choice keys use. */
export type CrmSubscriptionStatus = 'active' | 'suspended' | 'cancelled' | 'expired';

/** A CRM subscription row as the drift report needs it (dataverse cspb_subscription). */
export interface CrmSubscription {
  /** cspb_subscriptionid: the ledger the proposed changes belong to. */
  readonly id: string;
  /** cspb_vendorsubscriptionid; null when sales never entered it (then nothing can pair with it). */
  readonly vendorSubscriptionId: string | null;
  readonly name: string;
  readonly customer: string;
  readonly quantity: number;
  readonly status: CrmSubscriptionStatus;
  /** cspb_autorenew; null when the row does not say. */
  readonly autoRenew: boolean | null;
  /** cspb_termenddate: the term's last day, inclusive; null when unknown. */
  readonly termEnd: CalendarDate | null;
  /** cspb_customerunitprice and cspb_vendorunitcost in cspb_currencycode: what a renewal would bill (renewals.ts). */
  readonly customerUnitPrice?: Decimal;
  readonly vendorUnitCost?: Decimal;
  readonly currency?: string;
}

export type DriftKind = 'onlyInMicrosoft' | 'onlyInCrm' | 'status' | 'quantity' | 'autoRenew' | 'termEnd';

/** The order findings of one subscription are listed in: existence first, then what follows from it. */
export const DRIFT_KINDS: readonly DriftKind[] = ['onlyInMicrosoft', 'onlyInCrm', 'status', 'quantity', 'autoRenew', 'termEnd'];

/** What one side holds for a subscription the other side lacks. */
export interface OneSide {
  readonly quantity: number;
  readonly status: string;
}

interface FindingBase {
  readonly vendorSubscriptionId: string;
  readonly customer: string;
  readonly name: string;
  /** The as-of date of the report: when the drift was seen, and the date a change would take effect. */
  readonly observedOn: CalendarDate;
  readonly microsoftSubscription: PcSubscription | null;
  readonly crmSubscription: CrmSubscription | null;
}

export type DriftFinding = FindingBase &
  (
    | { readonly kind: 'quantity'; readonly microsoft: number; readonly crm: number }
    | { readonly kind: 'status'; readonly microsoft: PcSubscriptionStatus; readonly crm: CrmSubscriptionStatus }
    | { readonly kind: 'autoRenew'; readonly microsoft: boolean; readonly crm: boolean | null }
    | { readonly kind: 'termEnd'; readonly microsoft: CalendarDate | null; readonly crm: CalendarDate | null }
    | { readonly kind: 'onlyInMicrosoft'; readonly microsoft: OneSide; readonly crm: null }
    | { readonly kind: 'onlyInCrm'; readonly microsoft: null; readonly crm: OneSide }
  );

export interface DriftReport {
  readonly asOf: CalendarDate;
  readonly findings: readonly DriftFinding[];
  /** Subscriptions found on both sides. */
  readonly paired: number;
  /** Ended (deleted, expired, cancelled) on the one side that has them: history, not drift. */
  readonly endedOnOneSide: number;
}

/** Input the report cannot compare (two rows claiming one vendor id, a fractional quantity). */
export class SyncInputError extends CoreError {}

/**
 * Partner Center's status in the CRM's words. Pending is an order being provisioned (seats bought);
 * disabled keeps data with service off, which the CRM (and the ledger) can only call suspended;
 * deleted is a cancellation. "none" is the SDK's unset value: nothing to compare, always a finding.
 */
export function crmStatusOf(status: PcSubscriptionStatus): CrmSubscriptionStatus | null {
  switch (status) {
    case 'active':
    case 'pending':
      return 'active';
    case 'suspended':
    case 'disabled':
      return 'suspended';
    case 'deleted':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'none':
      return null;
  }
}

const isLive = (s: CrmSubscriptionStatus | null): boolean => s !== 'cancelled' && s !== 'expired';
const keyOf = (id: string): string => id.trim().toLowerCase();

export interface DriftOptions {
  /** The customer a subscription only Microsoft has is listed under (the report is per customer tenant); default its tenant id. */
  readonly customer?: string;
}

export function driftReport(
  microsoft: readonly PcSubscription[],
  crm: readonly CrmSubscription[],
  asOf: CalendarDate,
  options: DriftOptions = {},
): DriftReport {
  const byId = new Map<string, CrmSubscription>();
  const unpaired: CrmSubscription[] = [];
  for (const row of crm) {
    if (!Number.isSafeInteger(row.quantity) || row.quantity < 0)
      throw new SyncInputError(`CRM subscription ${row.id}: quantity ${row.quantity} is not a whole number`, row);
    if (row.vendorSubscriptionId === null || row.vendorSubscriptionId.trim() === '') {
      unpaired.push(row);
      continue;
    }
    const key = keyOf(row.vendorSubscriptionId);
    const other = byId.get(key);
    if (other) throw new SyncInputError(`CRM subscriptions ${other.id} and ${row.id} both claim vendor subscription ${row.vendorSubscriptionId}`, [other, row]);
    byId.set(key, row);
  }
  const findings: DriftFinding[] = [];
  const seen = new Set<string>();
  let paired = 0;
  let endedOnOneSide = 0;
  for (const ms of microsoft) {
    const key = keyOf(ms.id);
    if (seen.has(key)) throw new SyncInputError(`Partner Center lists subscription ${ms.id} twice`, ms);
    seen.add(key);
    const row = byId.get(key);
    if (row === undefined) {
      if (!isLive(crmStatusOf(ms.status))) endedOnOneSide++;
      else findings.push(onlyInMicrosoft(ms, asOf, options.customer ?? ms.customerId ?? ''));
      continue;
    }
    paired++;
    findings.push(...compare(ms, row, asOf));
  }
  for (const row of [...byId.entries()]
    .filter(([key]) => !seen.has(key))
    .map(([, row]) => row)
    .concat(unpaired)) {
    if (!isLive(row.status)) endedOnOneSide++;
    else findings.push(onlyInCrm(row, asOf));
  }
  return { asOf, findings: findings.sort(byFinding), paired, endedOnOneSide };
}

function nameOf(ms: PcSubscription): string {
  return ms.friendlyName ?? ms.offerName ?? ms.offerId;
}

function onlyInMicrosoft(ms: PcSubscription, asOf: CalendarDate, customer: string): DriftFinding {
  return {
    kind: 'onlyInMicrosoft',
    vendorSubscriptionId: ms.id,
    customer,
    name: nameOf(ms),
    observedOn: asOf,
    microsoftSubscription: ms,
    crmSubscription: null,
    microsoft: { quantity: ms.quantity, status: ms.status },
    crm: null,
  };
}

function onlyInCrm(row: CrmSubscription, asOf: CalendarDate): DriftFinding {
  return {
    kind: 'onlyInCrm',
    vendorSubscriptionId: row.vendorSubscriptionId ?? '',
    customer: row.customer,
    name: row.name,
    observedOn: asOf,
    microsoftSubscription: null,
    crmSubscription: row,
    microsoft: null,
    crm: { quantity: row.quantity, status: row.status },
  };
}

/** The findings of one pair. Seats, renewal and term only mean something while both sides are live. */
function compare(ms: PcSubscription, row: CrmSubscription, asOf: CalendarDate): DriftFinding[] {
  const base = {
    vendorSubscriptionId: row.vendorSubscriptionId ?? ms.id,
    customer: row.customer,
    name: row.name,
    observedOn: asOf,
    microsoftSubscription: ms,
    crmSubscription: row,
  };
  const out: DriftFinding[] = [];
  const msStatus = crmStatusOf(ms.status);
  if (msStatus !== row.status) out.push({ ...base, kind: 'status', microsoft: ms.status, crm: row.status });
  if (!isLive(msStatus) || !isLive(row.status)) return out;
  // A usage-based subscription (Azure) reports quantity 1 in Partner Center and bills by meter: no seat count to compare.
  if (ms.billingType !== 'usage' && ms.quantity !== row.quantity) out.push({ ...base, kind: 'quantity', microsoft: ms.quantity, crm: row.quantity });
  if (ms.autoRenewEnabled !== row.autoRenew) out.push({ ...base, kind: 'autoRenew', microsoft: ms.autoRenewEnabled, crm: row.autoRenew });
  if (ms.termEnd !== row.termEnd) out.push({ ...base, kind: 'termEnd', microsoft: ms.termEnd, crm: row.termEnd });
  return out;
}

/** Customer, then subscription id (lower case), then DRIFT_KINDS: the same input always prints the same report. */
function byFinding(a: DriftFinding, b: DriftFinding): number {
  return (
    cmp(a.customer, b.customer) ||
    cmp(keyOf(a.vendorSubscriptionId), keyOf(b.vendorSubscriptionId)) ||
    cmp(a.crmSubscription?.id ?? '', b.crmSubscription?.id ?? '') ||
    DRIFT_KINDS.indexOf(a.kind) - DRIFT_KINDS.indexOf(b.kind)
  );
}

// Code-unit order, not localeCompare: the order must not depend on the machine's locale.
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// Taking Microsoft's side
// ---------------------------------------------------------------------------------------------

export interface ProposedChange {
  /** The CRM subscription (cspb_subscriptionid) whose ledger gets the entry. */
  readonly subscriptionId: string;
  readonly vendorSubscriptionId: string;
  readonly finding: DriftKind;
  readonly change: LedgerEntryInput;
}

export interface NeedsPerson {
  readonly finding: DriftFinding;
  readonly reason: string;
}

export interface Proposal {
  readonly changes: readonly ProposedChange[];
  readonly needsPerson: readonly NeedsPerson[];
}

/** Order of one subscription's entries: service back first, seats, renewal settings, then service off. */
const RANK: Readonly<Record<string, number>> = { reactivate: 0, add: 1, remove: 1, term: 2, suspend: 3, cancel: 4 };

/**
 * The ledger entries that would make the CRM agree with Microsoft, dated the day the drift was seen
 * (the ledger cannot know when Microsoft changed), with a reference id made of that date, the
 * subscription and the change, so proposing twice on one day proposes the same entries (the ledger
 * writer is idempotent by reference id). Nothing here is applied.
 */
export function proposedChanges(findings: readonly DriftFinding[]): Proposal {
  const changes: ProposedChange[] = [];
  const needsPerson: NeedsPerson[] = [];
  for (const f of findings) {
    const outcome = proposalFor(f);
    if (typeof outcome === 'string') {
      needsPerson.push({ finding: f, reason: outcome });
      continue;
    }
    const row = f.crmSubscription as CrmSubscription;
    const change: LedgerEntryInput = {
      ...outcome,
      effectiveDate: f.observedOn,
      referenceId: `sync:${formatIso(f.observedOn)}:${keyOf(f.vendorSubscriptionId)}:${outcome.kind}`,
      source: 'sync',
    };
    changes.push({ subscriptionId: row.id, vendorSubscriptionId: f.vendorSubscriptionId, finding: f.kind, change });
  }
  changes.sort((a, b) => cmp(a.subscriptionId, b.subscriptionId) || (RANK[a.change.kind] ?? 9) - (RANK[b.change.kind] ?? 9));
  return { changes, needsPerson };
}

type EntryPart = Omit<LedgerEntryInput, 'effectiveDate' | 'referenceId' | 'source'>;

/** One finding's ledger entry, or why a person has to decide. */
function proposalFor(f: DriftFinding): EntryPart | string {
  switch (f.kind) {
    case 'quantity': {
      const delta = f.microsoft - f.crm;
      return {
        kind: delta > 0 ? 'add' : 'remove',
        quantityBefore: f.crm,
        quantityDelta: delta,
        reason: `Partner Center has ${f.microsoft} seats, the CRM ${f.crm}`,
      };
    }
    case 'status':
      return statusChange(f.microsoft, f.crm);
    case 'autoRenew': {
      // The ledger has no auto-renew kind: a term entry carries the renewal instructions (term and
      // auto-renew) and changes nothing else mid-term (charges.ts only absorbs it until the renewal).
      const term = f.microsoftSubscription?.termDuration;
      if (term === null || term === undefined || !Object.hasOwn(TERM_MONTHS, term))
        return `Partner Center gives no new-commerce term (${term ?? 'none'}) for the term entry that would carry auto-renew ${f.microsoft ? 'on' : 'off'}; change it on the subscription`;
      return { kind: 'term', term: term as Term, autoRenew: f.microsoft, reason: `Partner Center has auto-renew ${f.microsoft ? 'on' : 'off'}` };
    }
    case 'termEnd':
      return 'the ledger derives the term end from the purchase date and the term; a different end means the CRM has the wrong term start or term: correct the subscription';
    case 'onlyInMicrosoft':
      return 'Partner Center has a subscription the CRM lacks: create it (customer, contract, offer) so its ledger can start';
    case 'onlyInCrm':
      return 'Partner Center does not list this subscription: check its vendor subscription id, or whether another vendor bills it, before cancelling anything';
  }
}

function statusChange(microsoft: PcSubscriptionStatus, crm: CrmSubscriptionStatus): EntryPart | string {
  const target = crmStatusOf(microsoft);
  const reason = `Partner Center says ${microsoft}, the CRM ${crm}`;
  if (target === null) return `Partner Center reports status "${microsoft}" (unset): nothing to take`;
  if (crm === 'cancelled' || crm === 'expired')
    return `${reason}; nothing follows a cancellation in the ledger: record the subscription anew if Microsoft really bills it`;
  if (target === 'expired')
    // The ledger ends a term by not renewing it; a cancel entry would credit the rest of a term Microsoft billed.
    return `${reason}; the ledger ends a term by not renewing it (a cancel would credit the term): set the CRM status to Expired`;
  if (target === 'cancelled') return { kind: 'cancel', reason };
  if (target === 'suspended') return crm === 'active' ? { kind: 'suspend', reason } : reason;
  return crm === 'suspended' ? { kind: 'reactivate', reason } : reason;
}
