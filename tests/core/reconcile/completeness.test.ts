/**
 * Completeness before a run: an invoice's total against the imported lines of that invoice (with
 * tax when the lines carry it), and the Azure plan charges of the invoice file against the daily
 * usage of the same subscriptions. Checked on Partner Center's documented line items (the shared
 * sample) and on copies with altered totals, whose sums are computed here from the JSON itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal } from '../../../core/src';
import { importBytes } from '../../../core/src/import';
import { checkCompleteness } from '../../../core/src/reconcile';

const SHARED = join(__dirname, '../../../../shared/samples');
function shared(rel: string): Buffer {
  const full = join(SHARED, rel);
  if (!existsSync(full)) throw new Error(`missing shared sample file: ${full}`);
  return readFileSync(full);
}

const EX4 = 'pc-api-docs-json/get-invoiceline-items-ex4-OneTimeInvoiceLineItem.json';
const items = (JSON.parse(shared(EX4).toString('utf8')) as { items: Array<Record<string, unknown>> }).items;
const imported = importBytes(new Uint8Array(shared(EX4)), { fileName: 'lineitems.json' });
/** totalForCustomer of the invoice's items, summed here in cents from the JSON. */
const centsOf = (invoice: string): number =>
  items.filter((i) => i['invoiceNumber'] === invoice).reduce((sum, i) => sum + Math.round(Number(i['totalForCustomer']) * 100), 0);

describe("an invoice's total against its imported lines", () => {
  it('the documented G000773581 lines sum to their invoice (with tax), a copy with an altered total does not', () => {
    const total = new Decimal(centsOf('G000773581')).div(100);
    expect(total.toFixed(2)).toBe('793.00');
    const ok = checkCompleteness({ lines: imported.lines, usage: [], invoiceTotals: [{ invoiceId: 'G000773581', total, currency: 'USD', source: 'test' }] });
    expect(ok).toMatchObject({ ok: true, differences: [], notes: [] });
    expect(ok.passed).toEqual(['invoice G000773581: total 793.00 (test), its 2 imported lines sum to 793.00 with tax']);

    const altered = checkCompleteness({
      lines: imported.lines,
      usage: [],
      invoiceTotals: [{ invoiceId: 'G000773581', total: total.plus(1), source: 'typed in' }],
    });
    expect(altered.ok).toBe(false);
    expect(altered.differences.map((d) => [d.check, d.subject, d.expected.toFixed(2), d.found.toFixed(2), d.difference.toFixed(2)])).toEqual([
      ['invoice-total', 'G000773581', '794.00', '793.00', '-1.00'],
    ]);
    expect(altered.differences[0]!.explanation).toMatch(/1\.00 of the invoice is not imported/);
  });

  it('within the tolerance passes; an invoice none of whose lines is imported is its whole total missing; the largest difference comes first', () => {
    const r = checkCompleteness({
      lines: imported.lines,
      usage: [],
      tolerance: new Decimal('0.05'),
      invoiceTotals: [
        { invoiceId: 'G000773581', total: new Decimal('793.04'), source: 'a' },
        { invoiceId: '1234000000', total: new Decimal('20.00'), source: 'b' },
        { invoiceId: 'G000999999', total: new Decimal('150.00'), source: 'c' },
      ],
    });
    expect(r.differences.map((d) => [d.subject, d.difference.toFixed(2)])).toEqual([
      ['G000999999', '-150.00'],
      ['1234000000', '-2.39'],
    ]);
    expect(r.passed).toHaveLength(1);
  });

  it('lines in another currency than the invoice are not compared, and say so', () => {
    const r = checkCompleteness({
      lines: imported.lines,
      usage: [],
      invoiceTotals: [{ invoiceId: 'G000773581', total: new Decimal(793), currency: 'EUR', source: 'x' }],
    });
    expect(r).toMatchObject({ ok: true, notes: ['invoice G000773581 is in EUR, its lines in USD: the total was not compared'] });
  });
});

describe('Azure plan charges against the daily usage', () => {
  const line = imported.lines[1]!;
  const usage = (subscriptionId: string, amount: string) =>
    ({
      ...line,
      kind: 'usage',
      firstRow: 2,
      meterId: 'm',
      rowCount: 3,
      firstUsageDate: line.chargeStart,
      lastUsageDate: line.chargeStart,
      subscriptionId,
      amount: new Decimal(amount),
      quantity: new Decimal(1),
    }) as const;
  const charge = (subscriptionId: string, amount: string) => ({ ...line, subscriptionId, amount: new Decimal(amount) });

  it('per subscription: equal passes, a difference is listed with both sums', () => {
    const r = checkCompleteness({
      lines: [charge('az-1', '100.00'), charge('az-2', '40.00')],
      usage: [usage('az-1', '60.00'), usage('az-1', '40.00'), usage('AZ-2', '37.50')],
      invoiceTotals: [],
    });
    expect(r.differences.map((d) => [d.check, d.subject, d.expected.toFixed(2), d.found.toFixed(2), d.difference.toFixed(2)])).toEqual([
      ['azure-usage', 'az-2', '40.00', '37.50', '-2.50'],
    ]);
    expect(r.passed).toEqual(['Azure plan az-1: the invoice reconciliation file charges 100.00, its daily usage sums to 100.00 (before tax)']);
  });

  it('legacy daily usage carries no prices: not compared, said in a note', () => {
    const legacy = { ...usage('az-1', '0'), format: 'legacy-daily-usage' as const };
    const r = checkCompleteness({ lines: [charge('az-1', '100.00')], usage: [legacy], invoiceTotals: [] });
    expect(r).toMatchObject({ ok: true, differences: [] });
    expect(r.notes).toContain('1 legacy daily usage aggregate(s) carry no prices: not compared with the invoice file');
  });

  it('an invoice file with no Azure plan charge at all: not compared, said in a note', () => {
    const r = checkCompleteness({ lines: [charge('licence-1', '10.00')], usage: [usage('az-1', '60.00')], invoiceTotals: [] });
    expect(r).toMatchObject({ ok: true, differences: [] });
    expect(r.notes).toEqual([
      'the invoice reconciliation file carries no charge on the 1 Azure plan subscription(s) of the daily usage file: the usage totals were not compared with it',
    ]);
  });
});
