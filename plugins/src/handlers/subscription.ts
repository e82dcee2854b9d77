import {
  checkCancellation,
  checkSeatDecrease,
  LedgerError,
  parseDate,
  SubscriptionLedger,
  type CalendarDate,
  type ChangeSource,
  type LedgerEntryInput,
} from '../../../core/src';
import { DataverseError, type DataverseClient, type EntityRecord } from '../../../dataverse/src/client/types';
import { choiceMap, ledgerEntryToRow, ledgerFromRows, offerRowToNceOffer } from '../../../dataverse/src/mappers';
import {
  CspbSubscriptionChangeOriginKeys,
  CspbSubscriptionStatus as Status,
  type CspbOfferRow,
  type CspbSubscriptionChangeRow,
} from '../../../dataverse/generated';
import { retrieveAll, todayUtc, ValidationError, type HandlerContext, type HandlerDeps } from './types';

/**
 * Subscription Create/Update. The ledger (cspb_subscriptionchange), not the form, is the authority.
 *
 * `validateSubscription` is the synchronous PreValidation step: it runs before the save opens its
 * database transaction, so it may read other tables (the ledger, the offer) without waiting on a
 * lock; it reads nothing of the row being saved (the PreImage and Target carry it) and never
 * writes. It refuses what Microsoft would refuse: a negative quantity, a new subscription without
 * its product, a seat decrease or cancellation outside NCE's 7-day window, a change dated before
 * the ledger's last entry.
 *
 * `recordSubscriptionChange` is the asynchronous PostOperation step: after the commit it appends
 * the ledger rows that take the ledger from its state to the saved row (the PostImage), all in one
 * CreateMultiple. Each row's change key is `v<versionnumber>.<n>`, the saved row's version: a
 * redelivered step finds its rows and writes nothing, and a step whose save was overtaken by a
 * newer one already recorded (async steps of one row can run in parallel) writes nothing either,
 * since the newer save's diff covered it. It never writes the subscription: the row's quantity is
 * what the user saved, and the ledger reaches the same number. The effective date and reason of a
 * change travel in the save (the Target's cspb_changeeffectivedate and cspb_changereason).
 *
 * The ledger row's source: what the save's cspb_changeorigin names, when its writer names one
 * (Partner Center sync, `npm run sync -- --apply`, writes Sync); otherwise Form when the save carries
 * an effective date (the form asks for one), else API. A catch-up of an earlier save reads the same
 * columns from its image, as it reads that save's reason and date.
 *
 * Auto-renew: a save that sets cspb_autorenew to what the ledger does not have appends a "term"
 * entry carrying it (the term stays the ledger's; NCE charges read auto-renew at the renewal), as
 * the drift report proposes. Only a save that names the column does so, or a catch-up on a ledger
 * that has recorded auto-renew before: a ledger imported without it (which then says "on") does not
 * learn a setting nobody changed from a save of other columns.
 */

const SUBSCRIPTIONS = 'cspb_subscriptions';
const CHANGES = 'cspb_subscriptionchanges';

interface SavedState {
  readonly quantity: number;
  readonly status: number | undefined;
  readonly unitCost: number | null | undefined;
  readonly unitPrice: number | null | undefined;
  readonly autoRenew: boolean | null | undefined;
  readonly reason: string | null | undefined;
  readonly offerId: string | null | undefined;
}

function num(value: unknown): number | null | undefined {
  return typeof value === 'number' ? value : value === null ? null : undefined;
}

function stateOf(row: Readonly<Record<string, unknown>>): SavedState {
  const quantity = row['cspb_quantity'];
  return {
    quantity: typeof quantity === 'number' ? quantity : 0,
    status: typeof row['cspb_status'] === 'number' ? row['cspb_status'] : undefined,
    unitCost: num(row['cspb_vendorunitcost']),
    unitPrice: num(row['cspb_customerunitprice']),
    autoRenew: typeof row['cspb_autorenew'] === 'boolean' ? row['cspb_autorenew'] : undefined,
    reason: row['cspb_changereason'] as string | null | undefined,
    offerId: row['_cspb_offerid_value'] as string | null | undefined,
  };
}

async function loadLedger(client: DataverseClient, subscriptionId: string): Promise<{ ledger: SubscriptionLedger; rows: CspbSubscriptionChangeRow[] }> {
  const rows = await retrieveAll<CspbSubscriptionChangeRow>(client, CHANGES, {
    filter: `_cspb_subscriptionid_value eq ${subscriptionId}`,
    orderBy: ['cspb_sequence'],
  });
  return { ledger: ledgerFromRows(subscriptionId, rows), rows };
}

interface OfferFacts {
  readonly productId: string;
  readonly productName?: string;
  readonly term?: 'P1M' | 'P1Y' | 'P3Y';
  readonly billingPlan?: 'monthly' | 'annual' | 'triennial';
}

async function offerFacts(client: DataverseClient, offerId: string | null | undefined): Promise<OfferFacts> {
  if (!offerId) throw new ValidationError('The subscription has no offer: a new subscription needs its product.');
  const offer = await client.retrieve<CspbOfferRow>('cspb_offers', offerId);
  try {
    const nce = offerRowToNceOffer(offer);
    return { productId: nce.productId, productName: nce.productName, term: nce.term, billingPlan: nce.billingPlan };
  } catch {
    // Usage and one-time offers have no NCE term or billing plan.
    return { productId: offer.cspb_productid ?? offer.cspb_offerid, productName: offer.cspb_name };
  }
}

const sameAmount = (a: number | null | undefined, b: { toString(): string } | undefined) =>
  a === null || a === undefined ? b === undefined : b !== undefined && Number(b.toString()) === a;

/**
 * The ledger entries that take the ledger from its current state to `after`, checked against the
 * ledger's invariants and Microsoft's NCE windows. Appends them to `ledger` (a fresh copy per call).
 */
async function planEntries(
  ledger: SubscriptionLedger,
  after: SavedState,
  context: {
    client: DataverseClient;
    effectiveDate: CalendarDate;
    referenceId: string;
    source: ChangeSource;
    /** The save named a price column (false: a quantity save, say); unknown for a catch-up of an earlier save. */
    pricesSaved?: boolean;
    /** The save named cspb_autorenew; unknown for a catch-up of an earlier save. */
    autoRenewSaved?: boolean;
  },
): Promise<LedgerEntryInput[]> {
  const current = ledger.current;
  const date = context.effectiveDate;
  const common = {
    effectiveDate: date,
    referenceId: context.referenceId,
    source: context.source,
    ...(after.reason ? { reason: after.reason } : {}),
  };
  const out: LedgerEntryInput[] = [];
  const push = (input: LedgerEntryInput) => {
    try {
      ledger.append(input);
    } catch (error) {
      if (error instanceof LedgerError) throw new ValidationError(`The change cannot be recorded: ${error.message}.`);
      throw error;
    }
    out.push(input);
  };
  if (after.quantity < 0) throw new ValidationError(`Quantity cannot be negative (got ${after.quantity}).`);

  if (current.status === 'none') {
    if (after.quantity === 0 || after.status === Status.Cancelled) return out;
    const offer = await offerFacts(context.client, after.offerId);
    push({
      ...common,
      kind: 'new',
      quantityAfter: after.quantity,
      productId: offer.productId,
      ...(offer.productName !== undefined ? { productName: offer.productName } : {}),
      ...(offer.term ? { term: offer.term } : {}),
      ...(offer.billingPlan ? { billingPlan: offer.billingPlan } : {}),
      ...(after.unitCost != null ? { unitPrice: String(after.unitCost) } : {}),
      ...(after.unitPrice != null ? { customerUnitPrice: String(after.unitPrice) } : {}),
      ...(typeof after.autoRenew === 'boolean' ? { autoRenew: after.autoRenew } : {}),
    });
    return out;
  }
  if (current.status === 'cancelled') {
    if (after.status === Status.Cancelled && after.quantity === 0) return out;
    if (after.status === Status.Cancelled && after.quantity === current.quantity) return out;
    throw new ValidationError('The subscription is cancelled: no change can follow a cancellation.');
  }
  if (after.status === Status.Cancelled) {
    const answer = checkCancellation(ledger, date);
    if (!answer.allowed) throw new ValidationError(`Cancellation refused: ${answer.reason}.`);
    push({ ...common, kind: 'cancel' });
    return out;
  }
  if (after.status === Status.Active && current.status === 'suspended') push({ ...common, kind: 'reactivate' });
  const delta = after.quantity - current.quantity;
  if (delta < 0) {
    const answer = checkSeatDecrease(ledger, date, -delta);
    if (!answer.allowed) throw new ValidationError(`Seat decrease of ${-delta} refused: ${answer.reason}.`);
    push({ ...common, kind: 'remove', quantityDelta: delta });
  } else if (delta > 0) {
    push({ ...common, kind: 'add', quantityDelta: delta });
  }
  // A ledger that never recorded a price (one imported without them) learns it from a save that sets
  // one, not from a quantity save: that wrote a "Price change" nobody made (issue 19).
  const ledgerHasPrices = current.unitPrice !== undefined || current.customerUnitPrice !== undefined;
  const comparePrices = ledgerHasPrices || context.pricesSaved !== false;
  const costChanged = comparePrices && after.unitCost !== undefined && !sameAmount(after.unitCost, current.unitPrice);
  const priceChanged = comparePrices && after.unitPrice !== undefined && !sameAmount(after.unitPrice, current.customerUnitPrice);
  if ((costChanged && after.unitCost !== null) || (priceChanged && after.unitPrice !== null)) {
    push({
      ...common,
      kind: 'price',
      ...(costChanged && after.unitCost != null ? { unitPrice: String(after.unitCost) } : {}),
      ...(priceChanged && after.unitPrice != null ? { customerUnitPrice: String(after.unitPrice) } : {}),
    });
  }
  const ledgerHasAutoRenew = ledger.entries.some((e) => e.autoRenew !== undefined);
  const compareAutoRenew = context.autoRenewSaved === true || (context.autoRenewSaved === undefined && ledgerHasAutoRenew);
  const term = ledger.current.term;
  // The ledger's term entry carries auto-renew; an offer without a term (usage) has no renewal to turn off.
  if (compareAutoRenew && typeof after.autoRenew === 'boolean' && after.autoRenew !== ledger.current.autoRenew && term !== undefined)
    push({ ...common, kind: 'term', term, autoRenew: after.autoRenew });
  if (after.status === Status.Suspended && ledger.current.status === 'active') push({ ...common, kind: 'suspend' });
  return out;
}

/** The change's effective date: what the save carried, else the save's own date (UTC). */
function effectiveDateOf(given: unknown, fallback: string): CalendarDate {
  const text = typeof given === 'string' && given !== '' ? given : fallback;
  try {
    return parseDate(text.slice(0, 10));
  } catch {
    throw new ValidationError(`Change effective date '${text}' is not a date.`);
  }
}

function subscriptionIdOf(context: HandlerContext): string {
  const id = context.primaryEntityId ?? (context.target['cspb_subscriptionid'] as string | undefined);
  if (!id) throw new ValidationError('The subscription id is missing from the context.');
  return id;
}

/** The date a row was saved (its modifiedon, UTC), or `fallback` when the image lacks it. */
const savedDateOf = (row: Readonly<Record<string, unknown>>, fallback: string): string =>
  typeof row['modifiedon'] === 'string' ? row['modifiedon'].slice(0, 10) : fallback;

const reasonOf = (target: Readonly<Record<string, unknown>>): string | null =>
  typeof target['cspb_changereason'] === 'string' ? target['cspb_changereason'] : null;

const origins = choiceMap(CspbSubscriptionChangeOriginKeys, 'cspb_changeorigin');

/** The source a save's ledger rows record: the origin it names, else form with an effective date, else API. */
function sourceOf(saved: Readonly<Record<string, unknown>>): ChangeSource {
  const named = typeof saved['cspb_changeorigin'] === 'number' ? origins.fromWebApi(saved['cspb_changeorigin']) : undefined;
  return named ?? (typeof saved['cspb_changeeffectivedate'] === 'string' ? 'form' : 'api');
}

/** PreValidation Create/Update (sync): refuses what the ledger or Microsoft would refuse. Never writes. */
export async function validateSubscription(context: HandlerContext, deps: HandlerDeps): Promise<void> {
  if (context.payloadTrimmed) return; // over 256 KB Dataverse sends no Target or images: nothing to check here; the ledger step records what was saved
  const merged = { ...(context.preImage ?? {}), ...context.target };
  const after = { ...stateOf(merged), reason: reasonOf(context.target) };
  if (after.quantity < 0) throw new ValidationError(`Quantity cannot be negative (got ${after.quantity}).`);
  const today = (deps.today ?? todayUtc)();
  if (context.messageName === 'Create') {
    if (after.quantity > 0 && after.status !== Status.Cancelled) await offerFacts(context.client, after.offerId);
    return;
  }
  const id = subscriptionIdOf(context);
  const { ledger } = await loadLedger(context.client, id);
  if (context.preImage) {
    // The asynchronous ledger step of the previous save may not have run yet: bring the ledger to
    // the row as it was (the PreImage, dated as that save was) before judging this change.
    const before = context.preImage;
    try {
      await planEntries(
        ledger,
        { ...stateOf(before), reason: null },
        {
          client: context.client,
          effectiveDate: effectiveDateOf(before['cspb_changeeffectivedate'], savedDateOf(before, today)),
          referenceId: 'catch-up',
          source: 'form',
        },
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error; // that save was judged when it was made
    }
  }
  await planEntries(ledger, after, {
    client: context.client,
    effectiveDate: effectiveDateOf(context.target['cspb_changeeffectivedate'], today),
    referenceId: context.correlationId,
    source: sourceOf(context.target),
    pricesSaved: PRICE_COLUMNS.some((c) => c in context.target),
    autoRenewSaved: 'cspb_autorenew' in context.target,
  });
}

const CHANGE_KEY = /^v(\d+)\.\d+$/;
const PRICE_COLUMNS = ['cspb_vendorunitcost', 'cspb_customerunitprice'] as const;

/** The row version a ledger row's change key names (`v<version>.<n>`), or undefined for other writers. */
function versionOfKey(key: string | null | undefined): bigint | undefined {
  const m = key ? CHANGE_KEY.exec(key) : null;
  return m ? BigInt(m[1] as string) : undefined;
}

function versionOf(row: Readonly<Record<string, unknown>>): bigint {
  const v = row['versionnumber'];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  throw new Error(`the saved subscription carries no versionnumber (got ${JSON.stringify(v)}): the ledger step's PostImage must include it`);
}

/** A saved row version and the ledger entries that bring the ledger to it. */
interface PlannedSave {
  readonly version: bigint;
  readonly count: number;
}

/** PostOperation Create/Update (async): appends the ledger rows of the save. Never writes the subscription. */
export async function recordSubscriptionChange(context: HandlerContext, deps: HandlerDeps): Promise<void> {
  const client = context.client;
  const id = subscriptionIdOf(context);
  const attempts = deps.maxAttempts ?? 5;
  // Over 256 KB Dataverse sends no images: the row as it is now is then the newest save.
  const saved = context.postImage ?? (await client.retrieve<EntityRecord>(SUBSCRIPTIONS, id));
  const version = versionOf(saved);
  const dateOf = (row: Readonly<Record<string, unknown>>) => savedDateOf(row, (deps.today ?? todayUtc)());
  const target = context.payloadTrimmed ? saved : context.target;
  const before = context.payloadTrimmed ? undefined : context.preImage;
  for (let attempt = 1; ; attempt++) {
    const { ledger, rows } = await loadLedger(client, id);
    const recorded = rows.map((r) => versionOfKey(r.cspb_changekey)).filter((v): v is bigint => v !== undefined);
    // A redelivery finds its own rows; an older save overtaken by a newer recorded one is covered by it.
    if (recorded.some((v) => v >= version)) return;
    const plans: PlannedSave[] = [];
    // Async steps of one row may run out of order: when the save before this one is not in the
    // ledger yet, record it first (dated and keyed as its own step would), so this save's diff is
    // only its own change. That save's step then finds its key and writes nothing.
    if (before && before['versionnumber'] !== undefined && !recorded.some((v) => v >= versionOf(before))) {
      try {
        const inputs = await planEntries(
          ledger,
          { ...stateOf(before), reason: reasonOf(before) },
          {
            client,
            effectiveDate: effectiveDateOf(before['cspb_changeeffectivedate'], dateOf(before)),
            referenceId: `${context.correlationId}:catch-up`,
            source: sourceOf(before),
          },
        );
        if (inputs.length > 0) plans.push({ version: versionOf(before), count: inputs.length });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error; // the earlier save cannot be replayed: this diff covers it
      }
    }
    const after = { ...stateOf(saved), reason: reasonOf(target) };
    const inputs = await planEntries(ledger, after, {
      client,
      effectiveDate: effectiveDateOf(target['cspb_changeeffectivedate'], dateOf(saved)),
      referenceId: context.correlationId,
      source: sourceOf(target),
      pricesSaved: PRICE_COLUMNS.some((c) => c in target),
      autoRenewSaved: context.payloadTrimmed ? undefined : 'cspb_autorenew' in target,
    });
    if (inputs.length > 0) plans.push({ version, count: inputs.length });
    const total = plans.reduce((n, p) => n + p.count, 0);
    if (total === 0) return;
    const currency = (saved['cspb_currencycode'] as string | undefined) ?? 'USD';
    const appended = ledger.entries.slice(ledger.entries.length - total);
    const keys = plans.flatMap((p) => Array.from({ length: p.count }, (_, n) => `v${p.version}.${n + 1}`));
    try {
      // One CreateMultiple: the save's rows land together or not at all.
      await client.createMultiple(
        CHANGES,
        appended.map((entry, i): EntityRecord => ({ ...ledgerEntryToRow(entry, id, currency, keys[i]) })),
      );
      return;
    } catch (error) {
      // 412: another step took this ledger sequence meanwhile (a parallel save or a redelivery). Read again.
      if (error instanceof DataverseError && error.status === 412 && attempt < attempts) continue;
      throw error;
    }
  }
}
