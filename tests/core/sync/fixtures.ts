/**
 * Partner Center subscription JSON for the sync tests: the shared real recording (read in place, failing
 * with the missing file's name), Microsoft's documented new-commerce example, and a builder of items in
 * that documented shape for handwritten cases.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const RECORDING = 'pc-powershell-sessionrecords/GetCustomerSubscription.json';

export function readSharedSample(rel: string): string {
  const full = path.resolve(__dirname, '../../../../shared/samples', rel);
  if (!fs.existsSync(full)) throw new Error(`missing shared sample file: ${full}`);
  return fs.readFileSync(full, 'utf8');
}

/**
 * Verbatim from "Purchase Azure savings plans", section "Get a customer's subscriptions" (Partner Center
 * REST docs, learn.microsoft.com/partner-center/developer/, ms.date 06/15/2023): the newer collection
 * shape with top-level links, termDuration, an inclusive commitmentEndDate and billingCycle "one_time".
 */
export const DOCS_NCE_COLLECTION = `{
    "totalCount": 1,
    "items": [
        {
            "id": "a67afaf0-2f79-4c12-8fd1-6005ed24bb28",
            "offerId": "DZH318Z09V6F:0001:DZH318Z0BLD3",
            "offerName": "Compute savings plan, 1 Year",
            "friendlyName": "Compute_Savings_Plan_123",
            "productType": { "id": "Azure", "displayName": "Azure", "subType": { "id": "SavingsPlan", "displayName": "SavingsPlan" } },
            "quantity": 1,
            "unitType": "Benefit",
            "hasPurchasableAddons": false,
            "creationDate": "2023-05-18T05:19:22.5478955Z",
            "effectiveStartDate": "2023-05-18T05:19:21.3362111Z",
            "commitmentEndDate": "2024-05-17T00:00:00Z",
            "commitmentEndDateTime": "2024-05-17T23:59:59Z",
            "billingCycleEndDate": "2024-05-17T00:00:00Z",
            "billingCycleEndDateTime": "2024-05-17T23:59:59Z",
            "status": "active",
            "autoRenewEnabled": true,
            "isTrial": false,
            "billingType": "benefit",
            "billingCycle": "one_time",
            "termDuration": "P1Y",
            "renewalTermDuration": "",
            "isMicrosoftProduct": true,
            "partnerId": "",
            "attentionNeeded": false,
            "actionTaken": false,
            "contractType": "subscription",
            "links": {
                "product": { "uri": "/products/DZH318Z09V6F?country=US", "method": "GET", "headers": [] },
                "sku": { "uri": "/products/DZH318Z09V6F/skus/0001?country=US", "method": "GET", "headers": [] },
                "availability": { "uri": "/products/DZH318Z09V6F/skus/0001/availabilities/DZH318Z0BLD3?country=US", "method": "GET", "headers": [] },
                "self": { "uri": "/customers/6f4ce4d8-f42e-45e0-8661-92ad6ac9d003/subscriptions/a67afaf0-2f79-4c12-8fd1-6005ed24bb28", "method": "GET", "headers": [] }
            },
            "publisherName": "Microsoft Corporation",
            "lineItems": [
                {
                    "id": "2131a68b-9796-4557-b628-354539ed66dc",
                    "friendlyName": "Compute_Savings_Plan_123",
                    "scope": { "type": "single", "entitlementId": "cdd17cc7-14fe-4445-8650-1f52de705851" },
                    "autoRenewEnabled": true,
                    "status": "active",
                    "purchaseCommitment": { "amount": 0.05, "currency": "usd", "grain": "Hourly" }
                }
            ],
            "productOrderId": "2131a68b-9796-4557-b628-354539ed66dc",
            "orderId": "2b912b339251",
            "attributes": { "objectType": "Subscription" }
        }
    ],
    "links": { "self": { "uri": "/customers/6f4ce4d8-f42e-45e0-8661-92ad6ac9d003/subscriptions", "method": "GET", "headers": [] } },
    "attributes": { "objectType": "Collection" }
}`;

export interface ItemSpec {
  readonly id: string;
  readonly quantity?: number;
  readonly status?: string;
  readonly autoRenewEnabled?: boolean;
  /** An inclusive new-commerce end date, YYYY-MM-DD; null for none. */
  readonly commitmentEndDate?: string | null;
  readonly termDuration?: string | null;
  readonly offerId?: string;
  readonly billingType?: string;
  readonly billingCycle?: string;
  readonly friendlyName?: string;
}

/** One new-commerce licence subscription in the documented item shape (subscription-resources). */
export function item(spec: ItemSpec, customer = '11111111-2222-3333-4444-555555555555'): Record<string, unknown> {
  const end = spec.commitmentEndDate === undefined ? '2028-09-12' : spec.commitmentEndDate;
  return {
    id: spec.id,
    offerId: spec.offerId ?? 'CFQ7TTC0LCHC:0002:CFQ7TTC0K5DJ',
    offerName: 'Microsoft 365 Business Premium',
    friendlyName: spec.friendlyName ?? 'Microsoft 365 Business Premium',
    productType: { id: 'OnlineServicesNCE', displayName: 'OnlineServicesNCE' },
    quantity: spec.quantity ?? 10,
    unitType: 'Licenses',
    creationDate: '2027-09-13T10:11:12.1234567Z',
    effectiveStartDate: '2027-09-13T00:00:00Z',
    commitmentEndDate: end === null ? null : `${end}T00:00:00Z`,
    status: spec.status ?? 'active',
    autoRenewEnabled: spec.autoRenewEnabled ?? true,
    billingType: spec.billingType ?? 'license',
    billingCycle: spec.billingCycle ?? 'monthly',
    termDuration: spec.termDuration === undefined ? 'P1Y' : spec.termDuration,
    renewalTermDuration: '',
    contractType: 'subscription',
    links: { self: { uri: `/customers/${customer}/subscriptions/${spec.id}`, method: 'GET', headers: [] } },
    orderId: 'ORDER-1',
    attributes: { objectType: 'Subscription' },
  };
}

export function collection(items: readonly unknown[], next?: { uri: string; token: string }): string {
  return JSON.stringify({
    totalCount: items.length,
    items,
    ...(next ? { links: { next: { uri: next.uri, method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: next.token }] } } } : {}),
    attributes: { objectType: 'Collection' },
  });
}
