/**
 * Customer invoices for 10,000 contracts x 10 subscriptions x 5 changes each (one billing month,
 * in advance, with a percent promotion, two tax rates and per-line costs). Prints ledger build
 * time, invoices per second, lines per second and peak RSS. Run: npx tsx bench/invoice.ts
 * Optional: CONTRACTS=2000 to scale down.
 */
import { memoryUsage, resourceUsage } from 'node:process';
import { addDays, CalendarDate, dateOf, LedgerEntryInput, SubscriptionLedger } from '../core/src/index';
import { BillingContract, generateInvoice, Invoice, InvoiceSubscription } from '../core/src/invoicing';
import { Random } from '../scripts/sample-data/random';

const CONTRACTS = Number(process.env.CONTRACTS ?? 10_000);
const SUBS = 10;
const CHANGES = 5;
const PERIOD = { start: dateOf(2024, 3, 1), end: dateOf(2024, 4, 1) };

// The sample data's seeded PRNG, so runs are comparable.
const rng = new Random(0x1c0ffee);
const rand = (): number => rng.next();
const int = (lo: number, hi: number): number => rng.int(lo, hi);

const contract = (i: number): BillingContract => ({
  id: `C-${i}`,
  customerId: `A-${i}`,
  currency: 'USD',
  frequency: 'monthly',
  anchor: { kind: 'calendarMonth' },
  timing: 'advance',
  startDate: dateOf(2023, 1, 1),
  paymentTerms: { kind: 'net', days: 30 },
  proration: { increase: 'daily', decrease: 'daily' },
  rounding: 'halfUp',
  priceList: {
    id: 'PL',
    prices: {
      BS: { currency: 'USD', unitPrice: '14.50' },
      E3: { currency: 'USD', unitPrice: '39.90' },
      TIER: {
        currency: 'USD',
        tiers: {
          mode: 'tiered',
          tiers: [
            { upTo: 50, unitPrice: '6.00' },
            { upTo: null, unitPrice: '4.50' },
          ],
        },
      },
    },
  },
  discounts: [{ id: 'PROMO', kind: 'percent', value: '10', end: dateOf(2024, 3, 11) }],
  tax: {
    rates: [
      { jurisdiction: 'US-WA', ratePercent: '6.5' },
      { jurisdiction: 'US-WA-SEA', ratePercent: '3.75' },
    ],
  },
});

const OFFERS = ['BS', 'E3', 'TIER'];
const t0 = performance.now();
const work: { contract: BillingContract; subscriptions: InvoiceSubscription[] }[] = [];
for (let c = 0; c < CONTRACTS; c++) {
  const subscriptions: InvoiceSubscription[] = [];
  for (let s = 0; s < SUBS; s++) {
    const id = `C${c}-S${s}`;
    let q = int(1, 100);
    let date = addDays(dateOf(2024, 2, 1), int(-60, 0)) as CalendarDate;
    const entries: LedgerEntryInput[] = [{ kind: 'new', effectiveDate: date, referenceId: `${id}-0`, quantityDelta: q, productId: 'X' }];
    // five changes, the last ones inside the billed month
    for (let k = 1; k <= CHANGES; k++) {
      date = addDays(date, int(1, k < 3 ? 20 : 8)) as CalendarDate;
      if (date >= PERIOD.end) break;
      const delta = rand() < 0.6 ? int(1, 10) : -int(1, Math.max(1, q - 1));
      if (q + delta < 1) continue;
      entries.push({ kind: delta > 0 ? 'add' : 'remove', effectiveDate: date, referenceId: `${id}-${k}`, quantityDelta: delta });
      q += delta;
    }
    subscriptions.push({
      id,
      offerId: OFFERS[s % 3] as string,
      vendorCost: { currency: 'USD', unitCost: '11.00' },
      ledger: SubscriptionLedger.of(id, entries),
    });
  }
  work.push({ contract: contract(c), subscriptions });
}
const built = performance.now();
const changeCount = work.reduce((n, w) => n + w.subscriptions.reduce((m, s) => m + (s.ledger?.entries.length ?? 1) - 1, 0), 0);

let peakRss = memoryUsage().rss;
let lines = 0;
let total = 0;
const invoices: Invoice[] = [];
for (let i = 0; i < work.length; i++) {
  const w = work[i]!;
  const inv = generateInvoice({ contract: w.contract, subscriptions: w.subscriptions, period: PERIOD });
  lines += inv.lines.length;
  total += 1;
  if (i % 1000 === 0) {
    invoices.push(inv);
    peakRss = Math.max(peakRss, memoryUsage().rss);
  }
}
const done = performance.now();
peakRss = Math.max(peakRss, memoryUsage().rss, resourceUsage().maxRSS * 1024);
const secs = (done - built) / 1000;
console.log(`contracts: ${CONTRACTS} x ${SUBS} subscriptions x up to ${CHANGES} changes`);
console.log(`changes recorded: ${changeCount} (${(changeCount / (CONTRACTS * SUBS)).toFixed(2)} per subscription)`);
console.log(`ledgers built in ${((built - t0) / 1000).toFixed(2)} s`);
console.log(`invoices: ${total} (${lines} lines) in ${secs.toFixed(2)} s -> ${Math.round(total / secs)} invoices/s, ${Math.round(lines / secs)} lines/s`);
console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
console.log(`sample total: ${invoices[0]?.total.toFixed(2)} USD over ${invoices[0]?.lines.length} lines`);
