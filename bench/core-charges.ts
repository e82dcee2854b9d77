/**
 * Expected Microsoft charges for 100,000 subscriptions with 5 changes each, over one calendar
 * year. Prints ledger build time, lines per second and peak memory. Run: npx tsx bench/core-charges.ts
 * Optional: SUBSCRIPTIONS=20000 to scale down.
 */
import { resourceUsage } from 'node:process';
import { addDays, CalendarDate, dateOf, Decimal, expectedCharges, LedgerEntryInput, NceOffer, SubscriptionLedger } from '../core/src/index';
import { Random } from '../scripts/sample-data/random';

const SUBSCRIPTIONS = Number(process.env.SUBSCRIPTIONS ?? 100_000);
const CHANGES = 5;
const FROM = dateOf(2022, 1, 1);
const TO = dateOf(2023, 1, 1);

// The sample data's seeded PRNG, so runs are comparable.
const rng = new Random(0x5eed);
const rand = (): number => rng.next();
const int = (lo: number, hi: number): number => rng.int(lo, hi);

const OFFERS: NceOffer[] = [
  { productId: 'M365BS-P1M', term: 'P1M', billingPlan: 'monthly', unitPrice: '12.60', pricingCurrency: 'USD' },
  { productId: 'M365BS-P1Y-M', term: 'P1Y', billingPlan: 'monthly', unitPrice: '10.50', pricingCurrency: 'USD' },
  { productId: 'M365BS-P1Y-A', term: 'P1Y', billingPlan: 'annual', unitPrice: '126', pricingCurrency: 'USD' },
  {
    productId: 'E3-P1Y-EUR',
    term: 'P1Y',
    billingPlan: 'monthly',
    unitPrice: '36',
    pricingCurrency: 'USD',
    billingCurrency: 'EUR',
    pcToBcExchangeRate: '0.9123',
  },
  { productId: 'D365-P3Y-A', term: 'P3Y', billingPlan: 'annual', unitPrice: '780', pricingCurrency: 'USD' },
];

function makeLedger(i: number): { ledger: SubscriptionLedger; offer: NceOffer } {
  const offer = OFFERS[i % OFFERS.length] as NceOffer;
  const start = addDays(dateOf(2021, 6, 1), int(0, 300));
  let quantity = int(1, 300);
  const entries: LedgerEntryInput[] = [{ kind: 'new', effectiveDate: start, referenceId: `s${i}-0`, quantityDelta: quantity, productId: offer.productId }];
  let date = start as CalendarDate;
  for (let c = 1; c <= CHANGES; c++) {
    date = addDays(date, int(1, 60));
    const roll = rand();
    if (roll < 0.5) {
      const delta = int(1, 20);
      entries.push({ kind: 'add', effectiveDate: date, referenceId: `s${i}-${c}`, quantityDelta: delta });
      quantity += delta;
    } else if (roll < 0.85 && quantity > 1) {
      const delta = int(1, quantity - 1);
      entries.push({ kind: 'remove', effectiveDate: date, referenceId: `s${i}-${c}`, quantityDelta: -delta });
      quantity -= delta;
    } else {
      entries.push({ kind: 'price', effectiveDate: date, referenceId: `s${i}-${c}`, unitPrice: new Decimal(offer.unitPrice as string).plus('0.5') });
    }
  }
  return { ledger: SubscriptionLedger.of(`sub-${i}`, entries), offer };
}

let peakRss = 0;
const sample = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sample, 50);

const t0 = process.hrtime.bigint();
const ledgers: { ledger: SubscriptionLedger; offer: NceOffer }[] = [];
for (let i = 0; i < SUBSCRIPTIONS; i++) ledgers.push(makeLedger(i));
const t1 = process.hrtime.bigint();

let lines = 0;
let total = new Decimal(0);
for (const { ledger, offer } of ledgers) {
  const out = expectedCharges(ledger, offer, { from: FROM, to: TO });
  lines += out.length;
  for (const l of out) if (l.currency === 'USD') total = total.plus(l.subtotal);
  if ((lines & 0xffff) < out.length) sample();
}
const t2 = process.hrtime.bigint();
sample();
clearInterval(timer);

const buildMs = Number(t1 - t0) / 1e6;
const chargeMs = Number(t2 - t1) / 1e6;
const maxRssMb = resourceUsage().maxRSS / 1024;
console.log(`subscriptions:        ${SUBSCRIPTIONS.toLocaleString('en-US')} x ${CHANGES} changes (window 2022-01-01..2023-01-01)`);
console.log(
  `ledger build:         ${buildMs.toFixed(0)} ms (${Math.round((SUBSCRIPTIONS * (CHANGES + 1)) / (buildMs / 1000)).toLocaleString('en-US')} entries/s)`,
);
console.log(`charge lines:         ${lines.toLocaleString('en-US')} in ${chargeMs.toFixed(0)} ms`);
console.log(`lines per second:     ${Math.round(lines / (chargeMs / 1000)).toLocaleString('en-US')}`);
console.log(`USD subtotal (check): ${total.toFixed(2)}`);
console.log(`peak RSS:             ${(peakRss / 1048576).toFixed(0)} MB sampled, ${maxRssMb.toFixed(0)} MB maxRSS`);
