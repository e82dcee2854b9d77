/**
 * Microsoft's documented NCE scenarios (../shared/samples/pc-docs-nce-scenarios) read as bills by
 * the importer reconcile exactly against ledgers built from the events the article describes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDate, SubscriptionLedger, type LedgerEntryInput, type NceOffer } from '../../../core/src';
import { importBytes } from '../../../core/src/import/stream-adapters';
import { reconcile, type ReconSubscription } from '../../../core/src/reconcile';

const SAMPLES = resolve(__dirname, '../../../../shared/samples/pc-docs-nce-scenarios');
function sample(name: string): Buffer {
  const file = resolve(SAMPLES, name);
  if (!existsSync(file)) throw new Error(`shared sample missing: ${file} (copy ../shared beside the project)`);
  return readFileSync(file);
}

const d = parseDate;
const M365 = 'Microsoft 365 Business Standard';

function licence(vendorSubscriptionId: string, offer: NceOffer, entries: LedgerEntryInput[], extra: Partial<ReconSubscription> = {}): ReconSubscription {
  return {
    id: `crm-${vendorSubscriptionId}`,
    vendorSubscriptionId,
    vendor: 'Microsoft',
    kind: 'licence',
    status: 'active',
    offer,
    ledger: SubscriptionLedger.of(vendorSubscriptionId, entries),
    customerName: 'Contoso',
    ...extra,
  };
}

describe('March 2022 seat changes (nce-seat-changes-march-2022.csv)', () => {
  const bill = importBytes(sample('nce-seat-changes-march-2022.csv'), { fileName: 'nce-seat-changes-march-2022.csv', defaultCurrency: 'USD' });
  const sub = licence(
    '284b0ff0-0e74-4f65-cb23-f8ad95867994',
    { productId: M365, productName: M365, term: 'P1M', billingPlan: 'monthly', unitPrice: '12', pricingCurrency: 'USD' },
    [
      { kind: 'new', effectiveDate: d('3/5/2022'), referenceId: 'n', quantityDelta: 10, productId: M365, productName: M365 },
      { kind: 'add', effectiveDate: d('3/7/2022'), referenceId: 'a1', quantityAfter: 15 },
      { kind: 'add', effectiveDate: d('3/10/2022'), referenceId: 'a2', quantityAfter: 25 },
      { kind: 'remove', effectiveDate: d('3/12/2022'), referenceId: 'r1', quantityAfter: 23 },
      { kind: 'remove', effectiveDate: d('3/14/2022'), referenceId: 'r2', quantityAfter: 20 },
      { kind: 'add', effectiveDate: d('3/25/2022'), referenceId: 'a3', quantityAfter: 30 },
    ],
  );

  it('explains all 11 lines as exact matches to the cent, naming the rule of each', () => {
    const result = reconcile({ lines: bill.lines, usage: bill.usage, subscriptions: [sub] });
    expect(bill.lines).toHaveLength(11);
    expect(result.items.map((i) => i.category)).toEqual(Array(11).fill('exactMatch'));
    // 120 - 112.25 + 168.38 - 150.96 + 251.61 - 232.25 + 213.67 - 195.87 + 170.32 - 85.16 + 127.74
    expect(result.totals.billed.toFixed(2)).toBe('275.23');
    expect(result.totals.variance.toFixed(2)).toBe('0.00');
    const byAmount = new Map(result.items.map((i) => [i.billedAmount.toFixed(2), i.rule]));
    expect(byAmount.get('168.38')).toBe('TOTAL_TRUNCATED');
    expect(byAmount.get('120.00')).toBe('EUP_TRUNCATED_THEN_TIMES_QTY');
  });

  it('flags the one seat change CRM missed as a quantity mismatch with its money', () => {
    const missed = licence(sub.vendorSubscriptionId!, sub.offer!, [
      { kind: 'new', effectiveDate: d('3/5/2022'), referenceId: 'n', quantityDelta: 10, productId: M365, productName: M365 },
      { kind: 'add', effectiveDate: d('3/7/2022'), referenceId: 'a1', quantityAfter: 15 },
      { kind: 'add', effectiveDate: d('3/10/2022'), referenceId: 'a2', quantityAfter: 25 },
      { kind: 'remove', effectiveDate: d('3/12/2022'), referenceId: 'r1', quantityAfter: 23 },
      { kind: 'remove', effectiveDate: d('3/14/2022'), referenceId: 'r2', quantityAfter: 20 },
    ]);
    const result = reconcile({ lines: bill.lines, usage: bill.usage, subscriptions: [missed] });
    const flagged = result.items.filter((i) => i.category !== 'exactMatch');
    expect(flagged.map((i) => [i.category, i.chargeType, i.billedAmount.toFixed(2)])).toEqual([
      ['quantityMismatch', 'addQuantity', '-85.16'],
      ['quantityMismatch', 'addQuantity', '127.74'],
    ]);
    // 127.74 - 85.16: the 3/25 increase from 20 to 30 seats that CRM never recorded.
    expect(result.totals.variance.toFixed(2)).toBe('42.58');
  });
});

describe('NCE lifecycle examples (nce-lifecycle-examples.csv), one bill per scenario', () => {
  // Restated from the article: most example rows leave SubscriptionId blank; each scenario is its
  // own subscription, named like the scenario in the ledger fixtures.
  const { SCENARIO_LEDGERS } = jest.requireActual<typeof import('../fixtures/nce-scenario-ledgers')>('../fixtures/nce-scenario-ledgers');
  const text = sample('nce-lifecycle-examples.csv').toString('utf8').trim().split(/\r?\n/);
  const header = text[0]!.split(',');
  const col = (name: string) => header.indexOf(name);

  const scenarios = SCENARIO_LEDGERS.filter((s) => s.scenario !== 'seat-changes-march-2022');
  it.each(scenarios.map((s) => [s.scenario, s] as const))('%s reconciles exactly', (_name, s) => {
    const rows = text.slice(1).filter((line) => line.startsWith(`${s.scenario},`));
    expect(rows.length).toBeGreaterThan(0);
    const csv = [
      header.join(','),
      ...rows.map((line) => {
        // The pattern also matches the empty string at the end of the line: keep the header's width.
        const cells = line
          .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
          .map((c) => c.replace(/,$/, ''))
          .slice(0, header.length);
        if (!cells[col('SubscriptionId')]) cells[col('SubscriptionId')] = s.subscriptionId;
        return cells.join(',');
      }),
    ].join('\n');
    const bill = importBytes(new TextEncoder().encode(csv), { fileName: `${s.scenario}.csv`, defaultCurrency: 'USD' });
    expect(bill.errors.map((e) => e.message)).toEqual([]);

    const subscriptions: ReconSubscription[] = [licence(s.subscriptionId, s.offer, [...s.entries])];
    // A partial upgrade moves seats into a new subscription that the source ledger bills.
    for (const line of bill.lines) {
      if (!subscriptions.some((x) => x.vendorSubscriptionId === line.subscriptionId)) {
        subscriptions.push({
          id: `crm-${line.subscriptionId}`,
          vendorSubscriptionId: line.subscriptionId,
          vendor: 'Microsoft',
          kind: 'licence',
          status: 'active',
        });
      }
    }
    const result = reconcile({ lines: bill.lines, usage: [], subscriptions, options: { billPeriod: { start: s.from, end: s.to } } });
    expect(result.items.map((i) => `${i.chargeType} ${i.billedAmount.toFixed(2)}: ${i.category}`).sort()).toEqual(
      bill.lines.map((l) => `${l.chargeType} ${l.amount.toFixed(2)}: exactMatch`).sort(),
    );
    expect(result.totals.variance.isZero()).toBe(true);
  });
});
