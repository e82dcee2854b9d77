/**
 * The suite's own steps in webhook mode: the local org calls the real webhook host over HTTP as
 * Dataverse would (tests/fidelity/webhooks.test.ts holds the platform rules), the host calls back
 * through the org's Web API, and long work goes through Azurite's queue to a queue worker.
 */
import {
  CspbBillingImportImportStatus as ImportStatus,
  CspbReconciliationRunRunStatus as RunStatus,
  CspbSubscriptionChangeChangeType as ChangeType,
} from '../../dataverse/generated';
import type { Delivery } from '../../dataverse/src/local-org';
import { startAzurite, type RunningAzurite } from '../../scripts/azurite';
import { startWebhookMode, type WebhookMode } from '../../scripts/webhook-mode';
import { ledgerOf, seededOrg, subscriptionBody, type Seeded } from '../plugins/seed';
import { eventually } from '../support/endpoint';

jest.setTimeout(60_000);

const HEADER = [
  'CustomerId',
  'CustomerName',
  'InvoiceNumber',
  'OrderId',
  'OrderDate',
  'ProductId',
  'SkuId',
  'AvailabilityId',
  'SkuName',
  'ProductName',
  'ChargeType',
  'UnitPrice',
  'Quantity',
  'Subtotal',
  'TaxTotal',
  'Total',
  'Currency',
  'SubscriptionId',
  'ChargeStartDate',
  'ChargeEndDate',
  'TermAndBillingCycle',
  'EffectiveUnitPrice',
  'UnitType',
  'BillableQuantity',
  'BillingFrequency',
  'PricingCurrency',
  'PCToBCExchangeRate',
  'SubscriptionStartDate',
  'SubscriptionEndDate',
  'ReferenceId',
];
const line = (sub: string, qty: string, subtotal: string, ref: string) => [
  'c1',
  'Contoso',
  'G000000001',
  `o-${ref}`,
  '10/1/2026',
  'CFQ7TTC0LH18',
  '0001',
  'CFQ7TTC0K5T9',
  'M365 BS',
  'Microsoft 365 Business Standard',
  'cycleCharge',
  '12.5',
  qty,
  subtotal,
  '0',
  subtotal,
  'EUR',
  sub,
  '10/1/2026',
  '10/31/2026',
  'One-Year commitment for monthly/yearly billing',
  '12.5',
  'Licenses',
  qty,
  'Monthly',
  'EUR',
  '1',
  '10/1/2026',
  '9/30/2027',
  ref,
];
const csv = (rows: string[][]) => new TextEncoder().encode([HEADER, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n');

describe('the suite in webhook mode (host over HTTP, queue on Azurite)', () => {
  let azurite: RunningAzurite;
  let s: Seeded;
  let mode: WebhookMode;
  let deliveries: Delivery[];

  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });
  beforeEach(async () => {
    s = await seededOrg({ plugins: false, today: '2026-10-01' });
    deliveries = [];
    mode = await startWebhookMode(s.org, {
      azurite,
      queueName: `jobs-${Date.now()}`,
      timeoutMs: 10_000,
      deps: { today: () => '2026-10-01', billFiles: s.files },
      onDelivery: (d) => deliveries.push(d),
    });
  });
  afterEach(async () => {
    await s.org.asyncIdle();
    await mode.close();
  });

  test('a save is validated before its transaction and recorded after it; the steps never write the subscription', async () => {
    const id = await s.org.create('cspb_subscriptions', subscriptionBody(s, 10, { cspb_vendorsubscriptionid: 'sub-a' }));
    const created = await s.org.retrieve<Record<string, unknown>>('cspb_subscriptions', id);
    await s.org.update('cspb_subscriptions', id, { cspb_quantity: 12, cspb_changeeffectivedate: '2026-10-03', cspb_changereason: 'Two hires' });
    const saved = await s.org.retrieve<Record<string, unknown>>('cspb_subscriptions', id);
    const ledger = await ledgerOf(s.org, id);
    expect(ledger.map((r) => [r['cspb_changetype'], r['cspb_quantityafter'], r['cspb_effectivedate'], r['cspb_reason'], r['cspb_changekey']])).toEqual([
      [ChangeType.New, 10, '2026-10-01', null, `v${created['versionnumber']}.1`],
      [ChangeType.Add, 12, '2026-10-03', 'Two hires', `v${saved['versionnumber']}.1`],
    ]);
    // The ledger steps wrote nothing to the row: its version is the user's save.
    expect((await s.org.retrieve<Record<string, unknown>>('cspb_subscriptions', id))['versionnumber']).toBe(saved['versionnumber']);
    // Each step called once and answered 200; the asynchronous ledger calls run after their own
    // save, in whatever order the async service takes them relative to the next save.
    const steps = deliveries.map((d) => d.step);
    expect([...deliveries.map((d) => `${d.step} ${d.status}`)].sort()).toEqual([
      'subscription-create-ledger 200',
      'subscription-create-validate 200',
      'subscription-update-ledger 200',
      'subscription-update-validate 200',
    ]);
    expect(steps.indexOf('subscription-create-validate')).toBeLessThan(steps.indexOf('subscription-create-ledger'));
    expect(steps.indexOf('subscription-update-validate')).toBeLessThan(steps.indexOf('subscription-update-ledger'));
  });

  test("a seat decrease outside the NCE window is refused before the save; the caller sees the platform's words, the ledger and row stay", async () => {
    const id = await s.org.create('cspb_subscriptions', subscriptionBody(s, 10));
    await s.org.asyncIdle();
    s.setToday('2026-10-20');
    const error = await s.org.update('cspb_subscriptions', id, { cspb_quantity: 7, cspb_changeeffectivedate: '2026-10-20' }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/Endpoint unavailable: .*subscription-update-validate.* answered HTTP 422/);
    expect((await s.org.retrieve<Record<string, unknown>>('cspb_subscriptions', id))['cspb_quantity']).toBe(10);
    expect(await ledgerOf(s.org, id)).toHaveLength(1);
  });

  test('an import and a reconciliation run are queued (202) and worked through the queue to the same result as in process', async () => {
    await s.org.create('cspb_subscriptions', subscriptionBody(s, 10, { cspb_vendorsubscriptionid: 'sub-a' }));
    await s.org.asyncIdle();
    const importId = '0b9a3c0e-0000-4000-8000-000000000101';
    s.files.put(importId, { fileName: 'oct.csv', bytes: csv([line('sub-a', '12', '150.00', 'r1'), line('sub-unknown', '2', '25.00', 'r2')]) });
    await s.org.create('cspb_billingimports', { cspb_billingimportid: importId, cspb_name: 'October', cspb_contenthash: 'pending', cspb_currencycode: 'EUR' });
    const imported = await eventually(
      async () => {
        const row = await s.org.retrieve<Record<string, unknown>>('cspb_billingimports', importId);
        return row['cspb_importstatus'] === ImportStatus.Completed ? row : undefined;
      },
      30_000,
      'the import to complete',
    );
    expect(imported).toMatchObject({ cspb_linecount: 2, cspb_totalbilled: 175, cspb_jobchunk: 1 });
    expect(deliveries.find((d) => d.step === 'billingimport-create')?.status).toBe(202);

    const runId = await s.org.create('cspb_reconciliationruns', {
      cspb_name: 'October run',
      'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
      cspb_currencycode: 'EUR',
    });
    const run = await eventually(
      async () => {
        const row = await s.org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', runId);
        return row['cspb_runstatus'] === RunStatus.Completed || row['cspb_runstatus'] === RunStatus.Failed ? row : undefined;
      },
      30_000,
      'the run to end',
    );
    expect(run['cspb_runstatus']).toBe(RunStatus.Completed);

    // The same data through the in-process pipeline gives the same run, to the cent.
    const inProcess = await seededOrg({ today: '2026-10-01' });
    await inProcess.org.create('cspb_subscriptions', subscriptionBody(inProcess, 10, { cspb_vendorsubscriptionid: 'sub-a' }));
    await inProcess.org.asyncIdle();
    inProcess.files.put(importId, { fileName: 'oct.csv', bytes: csv([line('sub-a', '12', '150.00', 'r1'), line('sub-unknown', '2', '25.00', 'r2')]) });
    await inProcess.org.create('cspb_billingimports', {
      cspb_billingimportid: importId,
      cspb_name: 'October',
      cspb_contenthash: 'pending',
      cspb_currencycode: 'EUR',
    });
    await inProcess.org.asyncIdle();
    const otherRun = await inProcess.org.create('cspb_reconciliationruns', {
      cspb_name: 'October run',
      'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
      cspb_currencycode: 'EUR',
    });
    await inProcess.org.asyncIdle();
    const expected = await inProcess.org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', otherRun);
    const fields = ['cspb_runstatus', 'cspb_totalbilled', 'cspb_totalexpected', 'cspb_totalvariance', 'cspb_discrepancycount', 'cspb_categorycounts'];
    expect(Object.fromEntries(fields.map((f) => [f, run[f]]))).toEqual(Object.fromEntries(fields.map((f) => [f, expected[f]])));
    // Discrepancy keys hash the subscription's row id, which differs between the two orgs; the
    // findings themselves must be the same.
    const findings = async (org: Seeded['org'], id: string) =>
      (await org.retrieveMultiple<Record<string, unknown>>('cspb_discrepancies', { filter: `_cspb_runid_value eq ${id}` })).value
        .map((d) => [d['cspb_category'], d['cspb_vendorsubscriptionid'], d['cspb_billedamount'], d['cspb_expectedamount'], d['cspb_variance']].join(' '))
        .sort();
    const ours = await findings(s.org, runId);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours).toEqual(await findings(inProcess.org, otherRun));
  });
});
