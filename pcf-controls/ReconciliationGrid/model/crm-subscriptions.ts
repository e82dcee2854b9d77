/**
 * The CRM side of a subscription group: the subscription record's quantity, status and customer
 * price, shown on the group header beside what the bill and the run say. Read through the Web API
 * with bounded queries: only the subscriptions whose headers are on screen are asked for, at most
 * BATCH ids a query (an `or` of ids, $select of five columns), each id once.
 */
import { CspbSubscriptionStatusKeys, CspbSubscriptionTable } from '../../../dataverse/generated/cspb_subscription';
import type { WebApiLike } from './actions';
import { fixedOfNumber, type Fixed } from './exact';

export const BATCH = 50;

export type CrmStatus = 'active' | 'suspended' | 'cancelled' | 'expired' | 'unknown';

export interface CrmSubscription {
  readonly id: string;
  readonly quantity: number | null;
  readonly status: CrmStatus;
  /** Exact: read from the digits the Web API sent, never rounded as a float. */
  readonly customerUnitPrice: Fixed | null;
  readonly currency: string;
}

const STATUS_BY_VALUE = new Map<number, CrmStatus>(CspbSubscriptionStatusKeys.map(([core, value]) => [value, core]));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class CrmSubscriptions {
  private readonly known = new Map<string, CrmSubscription | null>();
  private readonly queued = new Set<string>();
  private flushing = false;
  /** Bumped when answers arrive: the view re-renders its headers on a new version. */
  version = 0;

  constructor(
    private readonly webApi: WebApiLike,
    private readonly onLoaded: () => void,
  ) {}

  /** The record, null when the Web API has no such subscription, undefined until it is known. */
  get(id: string): CrmSubscription | null | undefined {
    return this.known.get(id.toLowerCase());
  }

  /** Asks for a subscription (ids already asked for, or not GUIDs, are ignored); queries go out together. */
  request(id: string): void {
    const key = id.toLowerCase();
    if (!GUID.test(key) || this.known.has(key) || this.queued.has(key)) return;
    this.queued.add(key);
    if (!this.flushing) {
      this.flushing = true;
      // Every header of one render asks first; then one query per BATCH ids.
      void Promise.resolve().then(() => this.flush());
    }
  }

  private async flush(): Promise<void> {
    while (this.queued.size > 0) {
      const ids = [...this.queued].slice(0, BATCH);
      for (const id of ids) {
        this.queued.delete(id);
        this.known.set(id, null);
      }
      const filter = ids.map((id) => `cspb_subscriptionid eq ${id}`).join(' or ');
      try {
        const page = await this.webApi.retrieveMultipleRecords(
          CspbSubscriptionTable.logicalName,
          `?$select=cspb_subscriptionid,cspb_quantity,cspb_status,cspb_customerunitprice,cspb_currencycode&$filter=${filter}`,
          BATCH,
        );
        for (const e of page.entities) {
          const id = String(e['cspb_subscriptionid']).toLowerCase();
          this.known.set(id, {
            id,
            quantity: typeof e['cspb_quantity'] === 'number' ? e['cspb_quantity'] : null,
            status: STATUS_BY_VALUE.get(Number(e['cspb_status'])) ?? 'unknown',
            customerUnitPrice: typeof e['cspb_customerunitprice'] === 'number' ? fixedOfNumber(e['cspb_customerunitprice']) : null,
            currency: typeof e['cspb_currencycode'] === 'string' ? e['cspb_currencycode'] : '',
          });
        }
      } catch {
        // Shown as not known (the header says nothing of CRM); the actions report Web API errors.
      }
      this.version++;
      this.onLoaded();
    }
    this.flushing = false;
  }
}
