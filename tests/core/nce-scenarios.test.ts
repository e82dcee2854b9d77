/**
 * Reproduces every one of Microsoft's 35 documented example lines to the cent from a ledger:
 * charge type, dates, effective unit price (in the form the docs print it), quantity, amount,
 * subscription and reference ids, and names the rounding rule each line followed.
 */
import { formatUs, parseDate } from '../../core/src/calendar';
import { SubscriptionLedger } from '../../core/src/ledger';
import { Decimal } from '../../core/src/money';
import { ChargeLine, expectedCharges } from '../../core/src/nce/charges';
import { ALL_ROUNDING_RULES, subtotalUnder } from '../../core/src/nce/rounding-rules';
import { SCENARIO_LEDGERS } from './fixtures/nce-scenario-ledgers';
import { ALL_SCENARIO_ROWS, ScenarioRow } from './fixtures/nce-scenarios';

function linesFor(scenario: string): ChargeLine[] {
  const s = SCENARIO_LEDGERS.find((x) => x.scenario === scenario);
  if (!s) throw new Error(`no ledger for scenario ${scenario}`);
  const ledger = SubscriptionLedger.of(s.subscriptionId, s.entries);
  return expectedCharges(ledger, s.offer, { from: s.from, to: s.to });
}

function shownEup(line: ChargeLine, row: ScenarioRow): Decimal {
  switch (row.eupShown) {
    case 'full':
      return line.effectiveUnitPrice;
    case 'truncated':
      return line.effectiveUnitPriceTruncated;
    case 'halfUp':
      return line.effectiveUnitPriceRounded;
  }
}

/** The computed line that is this row: same charge type, order date, product, unit price, quantity and sign. */
function matchLine(lines: ChargeLine[], row: ScenarioRow): ChargeLine {
  const negative = row.amount.startsWith('-') || row.effectiveUnitPrice.startsWith('-');
  // A zero line (the trial's side of a conversion) prints no sign, so only its other facts identify it.
  const signKnown = !new Decimal(row.amount).isZero();
  const candidates = lines.filter(
    (l) =>
      l.chargeType === row.chargeType &&
      formatUs(l.orderDate) === row.orderDate &&
      l.productName === row.productName &&
      l.unitPrice.eq(row.unitPrice) &&
      l.billableQuantity === row.billableQuantity &&
      (!signKnown || l.sign < 0 === negative),
  );
  if (candidates.length !== 1) throw new Error(`expected one line for ${JSON.stringify(row)}, found ${candidates.length}`);
  return candidates[0] as ChargeLine;
}

describe("Microsoft's documented NCE examples", () => {
  const scenarios = [...new Set(ALL_SCENARIO_ROWS.map((r) => r.scenario))];

  it('covers all 35 rows and every scenario has a ledger', () => {
    expect(ALL_SCENARIO_ROWS).toHaveLength(35);
    for (const s of scenarios) expect(SCENARIO_LEDGERS.map((l) => l.scenario)).toContain(s);
  });

  describe.each(scenarios)('%s', (scenario) => {
    const rows = ALL_SCENARIO_ROWS.filter((r) => r.scenario === scenario);
    const lines = linesFor(scenario);

    it('produces exactly the documented lines, no more', () => {
      expect(lines).toHaveLength(rows.length);
    });

    it.each(rows.map((r, i) => [`${i + 1}: ${r.orderDate} ${r.chargeType} x${r.billableQuantity} ${r.amount}`, r] as const))('row %s', (_name, row) => {
      const line = matchLine(lines, row);
      expect(formatUs(line.chargeStart)).toBe(row.chargeStartDate);
      expect(formatUs(line.chargeEndInclusive)).toBe(row.chargeEndDate);
      expect(line.period.end - line.chargeEndInclusive).toBe(1);
      expect(line.unitPrice.toString()).toBe(new Decimal(row.unitPrice).toString());
      expect(shownEup(line, row).eq(row.effectiveUnitPrice)).toBe(true);
      expect(line.subtotal.toString()).toBe(new Decimal(row.amount).toString());
      expect(line.currency).toBe('USD');
      if (row.subscriptionId) expect(line.subscriptionId).toBe(row.subscriptionId);
      if (row.referenceId) expect(line.referenceId).toBe(row.referenceId);
      if (row.billingFrequency) expect(line.billingPlan).toBe(row.billingFrequency.toLowerCase());
      // The named rule: the line says which one it followed, and it is exactly the set of rules
      // that reproduce the printed amount that the fixture worked out by hand.
      expect(line.rule).toBe(row.rule);
      const input = { unitPrice: line.unitPrice, proration: line.proration, sign: line.sign, quantity: line.billableQuantity, exchangeRate: line.exchangeRate };
      const reproducing = ALL_ROUNDING_RULES.filter((rule) => subtotalUnder(rule, input).eq(row.amount));
      expect([...reproducing].sort()).toEqual([...row.reproducedBy].sort());
    });
  });

  it('pairs wipe and recreate lines under one reference id with opposite signs', () => {
    const lines = linesFor('seat-changes-march-2022').filter((l) => l.role !== undefined);
    const byRef = new Map<string, ChargeLine[]>();
    for (const l of lines) byRef.set(l.referenceId, [...(byRef.get(l.referenceId) ?? []), l]);
    expect(byRef.size).toBe(5);
    for (const pair of byRef.values()) {
      expect(pair.map((l) => l.role)).toEqual(['wipe', 'recreate']);
      expect(pair[0]!.effectiveUnitPrice.negated().eq(pair[1]!.effectiveUnitPrice)).toBe(true);
    }
  });

  it('explains 229.16 by whole months left, not by days (no day count gives it)', () => {
    const line = linesFor('monthly-to-annual-plan').find((l) => l.chargeType === 'changeBillingPlan')!;
    expect(line.proration).toEqual({ basis: 'months', billed: 11, of: 12 });
    const days = line.chargeEndInclusive - line.chargeStart + 1; // 335
    expect(days).toBe(335);
    for (const [n, den] of [
      [335, 365],
      [334, 365],
      [335, 366],
      [334, 366],
    ] as const) {
      expect(new Decimal(250).times(n).div(den).toDecimalPlaces(2, Decimal.ROUND_DOWN).eq('229.16')).toBe(false);
    }
    expect(parseDate('10/20/2021')).toBe(line.orderDate);
  });
});
