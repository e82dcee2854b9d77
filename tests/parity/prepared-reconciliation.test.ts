/**
 * The CLI makes the licence pass of a reconciliation (matching, the ledger's expected charges,
 * their pairing) while worker threads still read a large usage file, and hands it to reconcile().
 * That must never change a result: a prepared pass gives the findings and totals a one-shot
 * reconcile gives, and one that no longer holds (the usage widens the inferred bill period, or
 * names a subscription a line was matched to by customer and product) is not used.
 */
import { dateOf, type ReconInput, type ReconResult } from '../../core/src';
import { importBytes, type UsageAggregate } from '../../core/src/import';
import { prepareReconciliation, reconcile } from '../../core/src/reconcile';
import { reconSubscriptionsFromRows } from '../../dataverse/src/mappers';
import { generateSample } from '../../scripts/sample-data';

const OCTOBER = { start: dateOf(2026, 10, 1), end: dateOf(2026, 11, 1) };

function inputOf(seed: number, options: { clean?: boolean; variety?: boolean }, period: boolean): ReconInput {
  const sample = generateSample({ seed, ...options });
  const read = (text: string, name: string) => importBytes(new TextEncoder().encode(text), { fileName: name, detectDuplicates: false });
  return {
    lines: read(sample.licenceCsv, 'licences.csv').lines,
    usage: read(sample.usageCsv, 'usage.csv').usage,
    subscriptions: reconSubscriptionsFromRows(sample.snapshot.tables),
    options: period ? { billPeriod: OCTOBER } : {},
  };
}

const seen = (r: ReconResult): unknown => JSON.parse(JSON.stringify(r));

describe('a reconciliation prepared before the usage is read', () => {
  it.each([
    [11, { clean: true }, true],
    [12, {}, true],
    [13, { variety: true }, false],
    [14, {}, false],
  ] as const)('sample partner %i %j (bill period given: %s): the same result as one pass', (seed, options, period) => {
    const input = inputOf(seed, options, period);
    const once = reconcile(input);
    const prepared = prepareReconciliation({ lines: input.lines, subscriptions: input.subscriptions, ...(input.options ? { options: input.options } : {}) });
    const result = reconcile(input, prepared);
    expect(prepared.used).toBe(true); // really used, not computed again
    expect(seen(result)).toEqual(seen(once));
    expect(result.items.length).toBeGreaterThan(100);
  });

  it('is not used when the usage widens the bill period the lines alone give', () => {
    const input = inputOf(15, {}, false);
    const november = input.usage.map(
      (u): UsageAggregate => ({
        ...u,
        chargeStart: dateOf(2026, 11, 1),
        chargeEndInclusive: dateOf(2026, 11, 30),
        period: { start: dateOf(2026, 11, 1), end: dateOf(2026, 12, 1) },
      }),
    );
    const widened = { ...input, usage: november };
    const prepared = prepareReconciliation({ lines: input.lines, subscriptions: input.subscriptions, options: widened.options });
    const result = reconcile(widened, prepared);
    expect(prepared.used).toBe(false);
    expect(seen(result)).toEqual(seen(reconcile(widened)));
    expect(result.billPeriod).toEqual({ start: OCTOBER.start, end: dateOf(2026, 12, 1) });
  });

  it('is not used when the usage names a subscription a line was matched to by customer and product', () => {
    const input = inputOf(16, { clean: true }, true);
    // Lines whose own subscription id is not in CRM: matched by their customer and product.
    const line = input.lines.find((l) => l.productId && l.customerId)!;
    const owner = input.subscriptions.find((s) => s.vendorSubscriptionId === line.subscriptionId)!;
    const lines = input.lines.map((l) => (l.subscriptionId === line.subscriptionId ? { ...l, subscriptionId: 'not-in-crm' } : l));
    const usage = [...input.usage, { ...input.usage[0]!, subscriptionId: owner.vendorSubscriptionId! }];
    const changed: ReconInput = { ...input, lines, usage };
    const prepared = prepareReconciliation({ lines, subscriptions: input.subscriptions, options: changed.options });
    expect([...prepared.fallbackKeys].length).toBeGreaterThan(0);
    const result = reconcile(changed, prepared);
    expect(prepared.used).toBe(false);
    expect(seen(result)).toEqual(seen(reconcile(changed)));
    // Once its own id is on the bill the owner is no candidate: the line is not in CRM.
    expect(result.items.filter((i) => i.vendorSubscriptionId === 'not-in-crm').map((i) => i.category)).toContain('unknownInCrm');
    expect(
      reconcile({ ...changed, usage: input.usage })
        .items.filter((i) => i.vendorSubscriptionId === 'not-in-crm')
        .map((i) => i.category),
    ).not.toContain('unknownInCrm');
  });

  it('is not used when the usage names a vendor id two CRM subscriptions share, one of them the customer-and-product match of a line', () => {
    const input = inputOf(18, { clean: true }, true);
    const line = input.lines.find((l) => l.productId && l.customerId)!;
    const owner = input.subscriptions.find((s) => s.vendorSubscriptionId === line.subscriptionId)!;
    // Bad CRM data: a second subscription, of another customer, with the owner's vendor id, listed after it.
    const subscriptions = [...input.subscriptions, { ...owner, id: 'crm-twin', customerTenantId: 'another-tenant' }];
    const lines = input.lines.map((l) => (l.subscriptionId === line.subscriptionId ? { ...l, subscriptionId: 'not-in-crm' } : l));
    const usage = [...input.usage, { ...input.usage[0]!, subscriptionId: owner.vendorSubscriptionId! }];
    const changed: ReconInput = { ...input, subscriptions, lines, usage };
    const prepared = prepareReconciliation({ lines, subscriptions, options: changed.options });
    const result = reconcile(changed, prepared);
    expect(prepared.used).toBe(false);
    expect(seen(result)).toEqual(seen(reconcile(changed)));
    expect(result.items.filter((i) => i.vendorSubscriptionId === 'not-in-crm').map((i) => i.category)).toContain('unknownInCrm');
  });

  it('is used once: a second reconciliation computes its own', () => {
    const input = inputOf(17, { clean: true }, true);
    const prepared = prepareReconciliation({ lines: input.lines, subscriptions: input.subscriptions, options: input.options });
    const first = reconcile(input, prepared);
    const second = reconcile(input, prepared);
    expect(second.items[0]).not.toBe(first.items[0]);
    expect(seen(second)).toEqual(seen(first));
  });
});
