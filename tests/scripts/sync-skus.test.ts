/**
 * `npm run sync -- --skus` end to end, in its own process: the sample partner's snapshot as the CRM,
 * the fake Partner Center serving the first customer's subscriptions as the CRM has them (no drift),
 * and the fake Graph serving that customer's subscribedSkus with seats left unassigned. The printed
 * seats and their monthly money are computed here by hand (in cents) from the snapshot's rows. Then
 * Graph's faults: a 429 waited out, a customer token Graph refuses, no Graph credentials, no consent.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIso, parseDate, termEndAt, type Term } from '../../core/src';
import { writeSample } from '../../scripts/generate-sample';
import { runScript } from '../support/cli';
import { skuItem, startFakeGraphSkus, type FakeGraphSkus } from '../support/fake-graph-skus';
import { pcItem, startFakePartnerCenter, type FakePartnerCenter } from '../support/fake-partner-center';

const AS_OF = '2026-11-15';
const TERMS: Record<number, Term | 'none'> = { 100000000: 'P1M', 100000001: 'P1Y', 100000002: 'P3Y', 100000003: 'none' };
const MONTHLY = 100000000; // cspb_offer_billingplan Monthly
/** Graph's SKU of each product the sample sells (skuPartNumber, skuId as Entra ID lists them). */
const GRAPH_SKU: Record<string, [string, string]> = {
  CFQ7TTC0LH18: ['O365_BUSINESS_ESSENTIALS', '3b555118-da6a-4418-894f-7df1e2096870'],
  CFQ7TTC0LDPB: ['O365_BUSINESS_PREMIUM', 'f245ecc8-75af-4f8e-b61f-27d8114de5f3'],
  CFQ7TTC0LCHC: ['SPB', 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46'],
  CFQ7TTC0LF8Q: ['SPE_E3', '05e9a617-0261-4cee-bb44-138d3ef5d965'],
  CFQ7TTC0LH16: ['EXCHANGESTANDARD', '4b9405b0-7788-4568-add1-99614e613b69'],
};
const FLOW_FREE: [string, string] = ['FLOW_FREE', 'f30db892-07e9-47e9-837c-80727f46fd3d'];

interface Row {
  cspb_subscriptionid: string;
  cspb_name: string;
  cspb_quantity: number;
  cspb_status: number;
  cspb_vendorsubscriptionid: string;
  cspb_termstartdate: string | null;
  cspb_autorenew: boolean;
  cspb_customerunitprice: number;
  cspb_currencycode: string;
  _cspb_customerid_value: string;
  _cspb_offerid_value: string;
}
interface Offer {
  cspb_offerid: string;
  cspb_productid: string;
  cspb_term: number;
  cspb_billingplan: number;
}

let dir: string;
let snapshot: string;
let pc: FakePartnerCenter;
let graph: FakeGraphSkus;
let tenant: string;
/** Per Graph SKU: enabled, assigned, the CRM's vendor ids, and the expected money in cents (null: none). */
let expected: Array<{ part: string; enabled: number; consumed: number; ids: string[]; cents: number | null; unitCents: number | null }>;

const cleanEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CSPB_PC_') && !k.startsWith('CSPB_GRAPH_'))),
  CSPB_PC_ACCESS_TOKEN: 'pc-token',
  ...extra,
});
const usd = (cents: number) => `USD ${(cents / 100).toFixed(2)}`;
const cells = (line: string) => line.trim().split(/\s{2,}/);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-sync-skus-'));
  snapshot = writeSample(dir).snapshot;
  const tables = JSON.parse(readFileSync(snapshot, 'utf8')).tables as {
    account: Array<{ accountid: string; cspb_tenantid: string }>;
    cspb_offer: Offer[];
    cspb_subscription: Row[];
  };
  const account = tables.account[0]!;
  tenant = account.cspb_tenantid;
  const offers = new Map(tables.cspb_offer.map((o) => [o.cspb_offerid, o]));
  const live = tables.cspb_subscription.filter((s) => s._cspb_customerid_value === account.accountid && s.cspb_status === 100000000);

  // Partner Center lists what the CRM has: no drift, so the output is only the seats.
  const asOf = parseDate(AS_OF);
  pc = await startFakePartnerCenter({
    customers: {
      [tenant]: live.map((s) => {
        const offer = offers.get(s._cspb_offerid_value)!;
        const term = TERMS[offer.cspb_term]!;
        const usage = term === 'none';
        return pcItem({
          id: s.cspb_vendorsubscriptionid,
          customer: tenant,
          name: s.cspb_name,
          quantity: usage ? 1 : s.cspb_quantity,
          billingType: usage ? 'usage' : 'license',
          termDuration: usage ? null : term,
          commitmentEndDate: usage || !s.cspb_termstartdate ? null : formatIso(termEndAt(parseDate(s.cspb_termstartdate), term, asOf)),
        });
      }),
    },
  });

  // One Graph SKU per product: seats left unassigned differ by product (2, 5, 0, ...).
  const byProduct = new Map<string, Row[]>();
  for (const s of live) {
    const offer = offers.get(s._cspb_offerid_value)!;
    if (GRAPH_SKU[offer.cspb_productid]) byProduct.set(offer.cspb_productid, [...(byProduct.get(offer.cspb_productid) ?? []), s]);
  }
  expect(byProduct.size).toBeGreaterThanOrEqual(2);
  const spare = [2, 5, 0, 1, 3];
  expected = [...byProduct.entries()].map(([product, rows], i) => {
    // What this test computes by hand assumes one price per product and monthly plans (the sample's first customer has that).
    const prices = new Set(rows.map((r) => Math.round(r.cspb_customerunitprice * 100)));
    if (prices.size !== 1 || rows.some((r) => offers.get(r._cspb_offerid_value)!.cspb_billingplan !== MONTHLY || r.cspb_currencycode !== 'USD'))
      throw new Error(`the sample changed: ${product} has several prices or a non-monthly plan this test does not compute`);
    const enabled = rows.reduce((n, r) => n + r.cspb_quantity, 0);
    const unassigned = spare[i % spare.length]!;
    const unitCents = [...prices][0]!;
    return {
      part: GRAPH_SKU[product]![0],
      enabled,
      consumed: enabled - unassigned,
      ids: rows.map((r) => r.cspb_vendorsubscriptionid).sort(),
      cents: unassigned === 0 ? null : unassigned * unitCents,
      unitCents,
    };
  });
  const skus = [
    ...[...byProduct.keys()].map((product, i) =>
      skuItem({
        tenant,
        skuPartNumber: GRAPH_SKU[product]![0],
        skuId: GRAPH_SKU[product]![1],
        enabled: expected[i]!.enabled,
        consumed: expected[i]!.consumed,
        subscriptionIds: expected[i]!.ids,
      }),
    ),
    skuItem({ tenant, skuPartNumber: FLOW_FREE[0], skuId: FLOW_FREE[1], enabled: 10000, consumed: 3 }),
  ];
  graph = await startFakeGraphSkus({ tenants: { [tenant]: skus }, tokens: { 'customer-token': tenant } });
});
afterAll(async () => {
  await pc?.close();
  await graph?.close();
  rmSync(dir, { recursive: true, force: true });
});

const args = (...more: string[]) => ['--customer', tenant, '--as-of', AS_OF, '--skus', '--pc-base-url', pc.baseUrl, '--graph-base-url', graph.baseUrl, ...more];

describe('npm run sync --skus against the fake Partner Center and the fake Graph', () => {
  it('prints every SKU with its unassigned seats and their monthly money at the CRM price, and the total', async () => {
    const r = await runScript('sync.ts', args('--snapshot', snapshot), cleanEnv({ CSPB_GRAPH_CUSTOMER_TOKEN: 'customer-token' }));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Drift (0 findings):');
    const lines = r.stdout.split('\n');
    const head = lines.findIndex((l) => l.startsWith(`Licences of tenant ${tenant} (Microsoft Graph subscribedSkus): ${expected.length + 1} SKUs`));
    expect(head).toBeGreaterThan(0);
    const unassigned = expected.reduce((n, e) => n + e.enabled - e.consumed, 0) + 9997;
    expect(lines[head]).toContain(`${unassigned} seats bought but not assigned`);
    expect(cells(lines[head + 1]!)).toEqual(['SKU', 'status', 'enabled', 'assigned', 'unassigned', 'CRM', 'a month']);
    const table = new Map(lines.slice(head + 2, head + 3 + expected.length).map((l) => [cells(l)[0]!, cells(l)]));
    for (const e of expected) {
      const money = e.cents === null ? '-' : `${usd(e.cents)} (${e.enabled - e.consumed} x ${usd(e.unitCents!)})`;
      expect(table.get(e.part)).toEqual([e.part, 'Enabled', String(e.enabled), String(e.consumed), String(e.enabled - e.consumed), e.ids.join(', '), money]);
    }
    expect(table.get('FLOW_FREE')).toEqual(['FLOW_FREE', 'Enabled', '10000', '3', '9997', '-', 'not counted: no CRM subscription for this SKU']);
    const cents = expected.reduce((n, e) => n + (e.cents ?? 0), 0);
    const seats = expected.reduce((n, e) => n + (e.cents === null ? 0 : e.enabled - e.consumed), 0);
    expect(cents).toBeGreaterThan(0);
    expect(r.stdout).toContain(
      `Unassigned seats cost ${usd(cents)} a month (${seats} seats at the CRM's customer unit prices): what giving them back saves the customer.`,
    );
    expect(graph.requests.at(-1)!.headers.authorization).toBe('Bearer customer-token');
  }, 60_000);

  it('waits out a 429 from Graph; without a CRM the seats are listed and no money is counted', async () => {
    const before = graph.requests.length;
    graph.throttle(1, '1');
    const started = Date.now();
    const r = await runScript('sync.ts', args(), cleanEnv({ CSPB_GRAPH_CUSTOMER_TOKEN: 'customer-token' }));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(graph.requests.slice(before).map((q) => q.status)).toEqual([429, 200]);
    expect(r.stdout).toContain('not counted: no CRM subscription for this SKU');
    expect(r.stdout).toContain('Unassigned seats with a CRM price: none, nothing to save.');
  }, 60_000);

  it.each([
    [
      'a customer token Graph refuses (expired)',
      { CSPB_GRAPH_CUSTOMER_TOKEN: 'expired-token' },
      /^error: Graph refused CSPB_GRAPH_CUSTOMER_TOKEN \(expired, or not issued by the customer's tenant/m,
    ],
    ['no Graph credentials', {}, /^error: --skus: set CSPB_GRAPH_CUSTOMER_TOKEN .* or CSPB_GRAPH_CLIENT_ID and CSPB_GRAPH_CLIENT_SECRET/m],
  ])(
    '%s: exit 2 with the reason, no stack trace',
    async (_what, env, message) => {
      const r = await runScript('sync.ts', args('--snapshot', snapshot), cleanEnv(env));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
    60_000,
  );

  // Last: the fake refuses this tenant from now on.
  it('a tenant where the app holds no permission: 403, and what the token needs', async () => {
    graph.deny(tenant);
    const r = await runScript('sync.ts', args(), cleanEnv({ CSPB_GRAPH_CUSTOMER_TOKEN: 'customer-token' }));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error: GET .*\/subscribedSkus answered 403: Authorization_RequestDenied Insufficient privileges to complete the operation\. \(the token needs Organization\.Read\.All/m,
    );
  }, 60_000);
});
