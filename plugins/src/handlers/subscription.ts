import {
  checkCancellation,
  checkSeatDecrease,
  LedgerError,
  parseDate,
  SubscriptionLedger,
  type CalendarDate,
  type LedgerEntryInput,
} from '../../../core/src';
import { DataverseError, type DataverseClient, type EntityRecord } from '../../../dataverse/src/client/types';
import { ledgerEntryToRow, ledgerFromRows, offerRowToNceOffer } from '../../../dataverse/src/mappers';
import { CspbSubscriptionStatus as Status, type CspbOfferRow, type CspbSubscriptionChangeRow } from '../../../dataverse/generated';
import { retrieveAll, todayUtc, ValidationError, type HandlerContext, type HandlerDeps } from './types';

/**
 * Subscription Create/Update. The ledger (cspb_subscriptionchange), not the form, is the authority:
 * the change is the difference between the ledger's current state and the row as saved (the
 * PostImage, or PreImage + Target before the operation). Normally the ledger's state is exactly the
 * PreImage; when two updates race, diffing against the ledger keeps ledger and quantity consistent.
 *
 * PreOperation validates (no negative quantity; NCE seat-decrease and cancellation windows; the
 * ledger's own invariants such as the date order). PostOperation appends the ledger rows, then
 * writes the ledger's quantity back and clears the pending change fields under the row's ETag,
 * retrying on 412.
 */

const SUBSCRIPTIONS = 'cspb_subscriptions';
const CHANGES = 'cspb_subscriptionchanges';

interface SavedState {
  readonly quantity: number;
  readonly status: number | undefined;
  readonly unitCost: number | null | undefined;
  readonly unitPrice: number | null | undefined;
  readonly autoRenew: boolean | null | undefined;
  readonly effectiveDate: string | null | undefined;
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
    effectiveDate: row['cspb_changeeffectivedate'] as string | null | undefined,
    reason: row['cspb_changereason'] as string | null | undefined,
    offerId: row['_cspb_offerid_value'] as string | null | undefined,
  };
}

async function loadLedger(client: DataverseClient, subscriptionId: string): Promise<{ ledger: SubscriptionLedger; rows: CspbSubscriptionChangeRow[] }> {
  const rows = await retrieveAll<CspbSubscriptionChangeRow>(client, CHANGES, { filter: `_cspb_subscriptionid_value eq ${subscriptionId}`, orderBy: ['cspb_sequence'] });
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
  (a === null || a === undefined) ? b === undefined : b !== undefined && Number(b.toString()) === a;

/**
 * The ledger entries that take the ledger from its current state to `after`, checked against the
 * ledger's invariants and Microsoft's NCE windows. Appends them to `ledger` (a fresh copy per call).
 */
async function planEntries(
  ledger: SubscriptionLedger,
  after: SavedState,
  context: { client: DataverseClient; effectiveDate: CalendarDate; referenceId: string; source: 'form' | 'api' },
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
  const costChanged = after.unitCost !== undefined && !sameAmount(after.unitCost, current.unitPrice);
  const priceChanged = after.unitPrice !== undefined && !sameAmount(after.unitPrice, current.customerUnitPrice);
  if ((costChanged && after.unitCost !== null) || (priceChanged && after.unitPrice !== null)) {
    push({
      ...common,
      kind: 'price',
      ...(costChanged && after.unitCost != null ? { unitPrice: String(after.unitCost) } : {}),
      ...(priceChanged && after.unitPrice != null ? { customerUnitPrice: String(after.unitPrice) } : {}),
    });
  }
  if (after.status === Status.Suspended && ledger.current.status === 'active') push({ ...common, kind: 'suspend' });
  return out;
}

function effectiveDateOf(after: SavedState, deps: HandlerDeps): CalendarDate {
  const text = after.effectiveDate ?? (deps.today ?? todayUtc)();
  try {
    return parseDate(text);
  } catch {
    throw new ValidationError(`Change effective date '${text}' is not a date.`);
  }
}

function subscriptionIdOf(context: HandlerContext): string {
  const id = context.primaryEntityId ?? (context.target['cspb_subscriptionid'] as string | undefined);
  if (!id) throw new ValidationError('The subscription id is missing from the context.');
  return id;
}

/** PreOperation Create/Update: refuses what the ledger or Microsoft would refuse. */
export async function validateSubscription(context: HandlerContext, deps: HandlerDeps): Promise<void> {
  const merged = { ...(context.preImage ?? {}), ...context.target };
  const after = stateOf(merged);
  if (after.quantity < 0) throw new ValidationError(`Quantity cannot be negative (got ${after.quantity}).`);
  if (context.messageName === 'Create') return; // nothing in the ledger yet; PostOperation writes "new"
  const id = subscriptionIdOf(context);
  const { ledger } = await loadLedger(context.client, id);
  await planEntries(ledger, after, { client: context.client, effectiveDate: effectiveDateOf(after, deps), referenceId: context.correlationId, source: 'form' });
}

/** PostOperation Create/Update: appends the ledger rows and keeps the row's quantity equal to the ledger's. */
export async function recordSubscriptionChange(context: HandlerContext, deps: HandlerDeps): Promise<void> {
  const client = context.client;
  const id = subscriptionIdOf(context);
  const attempts = deps.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const row = await client.retrieve<EntityRecord>(SUBSCRIPTIONS, id);
    const etag = row['@odata.etag'] as string | undefined;
    // The saved row: the PostImage when the step has one, else the row as it is now.
    const after = stateOf({ ...row, ...(context.postImage ?? {}), cspb_quantity: (context.postImage ?? row)['cspb_quantity'] });
    const { ledger } = await loadLedger(client, id);
    // A redelivered call finds the ledger already in the saved state: nothing to append.
    const source: 'form' | 'api' = typeof after.effectiveDate === 'string' ? 'form' : 'api';
    const inputs = await planEntries(ledger, after, { client, effectiveDate: effectiveDateOf(after, deps), referenceId: context.correlationId, source });
    try {
      const currency = (row['cspb_currencycode'] as string | undefined) ?? 'USD';
      const appended = ledger.entries.slice(ledger.entries.length - inputs.length);
      for (const entry of appended) await client.create(CHANGES, { ...ledgerEntryToRow(entry, id, currency) });
      const patch: EntityRecord = {};
      if (row['cspb_quantity'] !== ledger.current.quantity) patch['cspb_quantity'] = ledger.current.quantity;
      if (row['cspb_changeeffectivedate'] != null) patch['cspb_changeeffectivedate'] = null;
      if (row['cspb_changereason'] != null) patch['cspb_changereason'] = null;
      if (Object.keys(patch).length > 0) await client.update(SUBSCRIPTIONS, id, patch, etag ? { ifMatch: etag } : {});
      return;
    } catch (error) {
      // 412: the row changed since we read it, or another call took this ledger sequence. Read again.
      if (error instanceof DataverseError && error.status === 412 && attempt < attempts) continue;
      throw error;
    }
  }
}
