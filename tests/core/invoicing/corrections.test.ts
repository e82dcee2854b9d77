import { parseDate, periodFromInclusive } from '../../../core/src/calendar';
import type { BillLine } from '../../../core/src/import/types';
import { generateInvoice, generateInvoices, invoiceRevenueSource, issueInvoice, type InvoiceSubscription } from '../../../core/src/invoicing';
import { Decimal } from '../../../core/src/money';
import { reconcile, type ReconSubscription } from '../../../core/src/reconcile';
import { amounts, contract, d, ledger, period, usage } from './fixtures';

const march = period('2024-03-01', '2024-04-01');

function sub(): InvoiceSubscription {
  return {
    id: 'sub-1',
    vendorSubscriptionId: 'PC-1',
    offerId: 'M365BS',
    vendorCost: { currency: 'USD', unitCost: '10' },
    ledger: ledger('sub-1', [
      { kind: 'new', effectiveDate: d('2024-02-01'), quantityDelta: 10 },
      { kind: 'add', effectiveDate: d('2024-03-16'), quantityDelta: 5 },
    ]),
  };
}

describe('idempotent runs', () => {
  it('the same contract and period give identical drafts', () => {
    const input = { contract: contract({ tax: { rates: [{ jurisdiction: 'T', ratePercent: '8.875' }] } }), subscriptions: [sub()], period: march };
    const a = generateInvoices(input);
    const b = generateInvoices({ ...input, subscriptions: [...input.subscriptions].reverse() });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.drafts[0]?.draftKey).toBe('C-1|2024-03-01|2024-04-01|invoice|0');
  });

  it('issued invoices never change, and a re-run with nothing new produces no draft', () => {
    const s = sub();
    const issued = issueInvoice(generateInvoice({ contract: contract(), subscriptions: [s], period: march }), d('2024-03-01'), 'INV-001');
    const before = JSON.stringify(issued);
    const again = generateInvoices({ contract: contract(), subscriptions: [s], issued: [issued], period: march });
    expect(again.drafts).toEqual([]);
    expect(again.note).toMatch(/already match the ledger/);
    expect(JSON.stringify(issued)).toBe(before);
    expect(Object.isFrozen(issued)).toBe(true);
    expect(Object.isFrozen(issued.lines[0])).toBe(true);
    expect(() => generateInvoice({ contract: contract(), subscriptions: [s], issued: [issued], period: march })).toThrow(/already invoiced/);
  });
});

describe('credit notes after an invoice was issued', () => {
  it('a decrease after issue is a credit note line linked to the issued recurring line', () => {
    const s = sub();
    const issued = issueInvoice(generateInvoice({ contract: contract(), subscriptions: [s], period: march }), d('2024-03-16'));
    expect(amounts(issued)).toEqual(['120', '30.97']);
    const snapshot = JSON.stringify(issued);
    s.ledger!.append({ kind: 'remove', effectiveDate: d('2024-03-25'), referenceId: 'r-3', quantityDelta: -3 });
    const { drafts } = generateInvoices({ contract: contract(), subscriptions: [s], issued: [issued], period: march, invoiceDate: d('2024-03-25') });
    expect(drafts.map((x) => [x.kind, x.draftKey])).toEqual([['creditNote', 'C-1|2024-03-01|2024-04-01|creditNote|1']]);
    const cn = drafts[0]!;
    // -3 x 12 x 7/31 = -252/31 = -8.129 -> -8.13; cost -3 x 10 x 7/31 = -6.77
    expect(cn.lines.map((l) => [l.type, l.amount.toFixed(), l.cost?.toFixed(), l.correctsLineId])).toEqual([['credit', '-8.13', '-6.77', issued.lines[0]!.id]]);
    expect(cn.correctsInvoiceKeys).toEqual([issued.draftKey]);
    expect(cn.total.toFixed(2)).toBe('-8.13');
    expect(JSON.stringify(issued)).toBe(snapshot);

    // once the credit note is issued, nothing more is due
    const cnIssued = issueInvoice(cn, d('2024-03-25'));
    expect(generateInvoices({ contract: contract(), subscriptions: [s], issued: [issued, cnIssued], period: march }).drafts).toEqual([]);
  });

  it('a cancellation after issue credits the remaining days of every seat, with tax', () => {
    const s = sub();
    const c = contract({ tax: { rates: [{ jurisdiction: 'T', ratePercent: '10' }] } });
    const issued = issueInvoice(generateInvoice({ contract: c, subscriptions: [s], period: march }), d('2024-03-16'));
    s.ledger!.append({ kind: 'cancel', effectiveDate: d('2024-03-20'), referenceId: 'r-c' });
    const { drafts } = generateInvoices({ contract: c, subscriptions: [s], issued: [issued], period: march });
    // 15 seats, 3/20..3/31 = 12 days: -15 x 12 x 12/31 = -2160/31 = -69.677 -> -69.68; tax 10% = -6.968 -> -6.97
    expect(drafts.map((x) => [x.kind, amounts(x)])).toEqual([['creditNote', ['-69.68', '-6.97']]]);
    expect(drafts[0]!.total.toFixed(2)).toBe('-76.65');
  });

  it('an increase after issue is a supplementary invoice of the next revision', () => {
    const s = sub();
    const issued = issueInvoice(generateInvoice({ contract: contract(), subscriptions: [s], period: march }), d('2024-03-01'));
    s.ledger!.append({ kind: 'add', effectiveDate: d('2024-03-21'), referenceId: 'r-4', quantityDelta: 2 });
    const { drafts } = generateInvoices({ contract: contract(), subscriptions: [s], issued: [issued], period: march });
    // +2 x 12 x 11/31 = 264/31 = 8.516 -> 8.52
    expect(drafts.map((x) => [x.kind, x.revision, amounts(x)])).toEqual([['invoice', 1, ['8.52']]]);
  });

  it('a same-day change after issue reverses the issued adjustment and bills the new one', () => {
    const s: InvoiceSubscription = {
      id: 's',
      offerId: 'M365BS',
      ledger: ledger('s', [
        { kind: 'new', effectiveDate: d('2024-02-01'), quantityDelta: 10 },
        { kind: 'add', effectiveDate: d('2024-03-16'), quantityDelta: 5 },
      ]),
    };
    const issued = issueInvoice(generateInvoice({ contract: contract(), subscriptions: [s], period: march }), d('2024-03-16'));
    s.ledger!.append({ kind: 'add', effectiveDate: d('2024-03-16'), referenceId: 'same-day', quantityDelta: 1 });
    const { drafts } = generateInvoices({ contract: contract(), subscriptions: [s], issued: [issued], period: march });
    // issued +5 x 12 x 16/31 = 30.97 is reversed; +6 x 12 x 16/31 = 1152/31 = 37.16 is billed: net +6.19
    const byKind = Object.fromEntries(drafts.map((x) => [x.kind, x]));
    expect(amounts(byKind.creditNote!)).toEqual(['-30.97']);
    expect(byKind.creditNote!.lines[0]!.correctsLineId).toBe(issued.lines[1]!.id);
    expect(amounts(byKind.invoice!)).toEqual(['37.16']);
  });
});

describe('revenue leakage link for reconciliation', () => {
  it('billedToCustomer sums the lines of the subscription sharing the period, apportioned by days', () => {
    const issued = issueInvoice(generateInvoice({ contract: contract(), subscriptions: [sub()], period: march }), d('2024-03-01'));
    const source = invoiceRevenueSource([issued]);
    expect(source.billedToCustomer('sub-1', march)?.toFixed(2)).toBe('150.97'); // 120 + 30.97
    // first half of March: 120 x 15/31 = 58.0645...; the 3/16 adjustment does not touch it
    expect(source.billedToCustomer('sub-1', period('2024-03-01', '2024-03-16'))?.toFixed(4)).toBe('58.0645');
    expect(source.billedToCustomer('sub-2', march)).toBeUndefined();
    expect(invoiceRevenueSource([{ ...issued, status: 'draft' }]).billedToCustomer('sub-1', march)).toBeUndefined();
  });

  it('the reconciliation engine reports vendor cost of an uninvoiced subscription as revenue leakage', () => {
    const start = parseDate('3/1/2024');
    const end = parseDate('3/31/2024');
    const billLine = (subscriptionId: string): BillLine => ({
      kind: 'line',
      format: 'nce-license',
      row: 2,
      subscriptionId,
      customerId: 'T',
      customerName: 'Contoso',
      productId: 'M365BS',
      chargeType: 'new',
      chargeTypeKey: 'new',
      chargeStart: start,
      chargeEndInclusive: end,
      period: periodFromInclusive(start, end),
      currency: 'USD',
      orderDate: start,
      unitPrice: new Decimal(10),
      quantity: new Decimal(10),
      amount: new Decimal('100.00'),
    });
    const recon = (id: string, vendorId: string): ReconSubscription => ({
      id,
      vendorSubscriptionId: vendorId,
      vendor: 'Microsoft',
      kind: 'usage',
      status: 'active',
    });
    const issued = issueInvoice(generateInvoice({ contract: contract(), subscriptions: [sub()], period: march }), d('2024-03-01'));
    const result = reconcile({
      lines: [billLine('PC-1'), billLine('PC-2')],
      usage: [],
      subscriptions: [recon('sub-1', 'PC-1'), recon('sub-2', 'PC-2')],
      options: { customerRevenue: invoiceRevenueSource([issued]), billPeriod: march },
    });
    const leaks = result.items.filter((i) => i.category === 'revenueLeakage');
    expect(leaks.map((i) => [i.subscriptionId, i.variance.toFixed(2)])).toEqual([['sub-2', '100.00']]);
    expect(result.totals.leakage.toFixed(2)).toBe('100.00');
  });
});

describe('usage after an invoice was issued', () => {
  // February's Azure usage, billed in advance-timed March at cost + 15%: 100.37 x 1.15 = 115.4255 -> 115.43.
  const azure: InvoiceSubscription = { id: 'az-1', vendorSubscriptionId: 'AZ-PC-1', offerId: 'AZURE' };
  const feb = (amount: string) => usage({ subscriptionId: 'AZ-PC-1', period: period('2024-02-01', '2024-03-01'), amount: new Decimal(amount) });
  const c = contract({ usageMarkupPercent: '15' });
  const issued = () => issueInvoice(generateInvoice({ contract: c, subscriptions: [sub(), azure], usage: [feb('100.37')], period: march }), d('2024-03-01'));

  it('a re-run without a usage bill leaves the issued usage as issued and says so (no bill is not zero usage)', () => {
    const inv = issued();
    expect(amounts(inv, 'usage')).toEqual(['115.43']);
    const again = generateInvoices({ contract: c, subscriptions: [sub(), azure], issued: [inv], period: march });
    expect(again.drafts).toEqual([]);
    expect(again.warnings).toEqual(['no usage bill among the inputs for Feb 2024: its issued usage lines stand as issued']);
  });

  it('with the same usage bill nothing changes; with a corrected one the difference is credited', () => {
    const inv = issued();
    const same = generateInvoices({ contract: c, subscriptions: [sub(), azure], usage: [feb('100.37')], issued: [inv], period: march });
    expect([same.drafts, same.warnings]).toEqual([[], undefined]);
    // Microsoft re-rates February to 90.00: 90 x 1.15 = 103.50; the issued 115.43 is reversed and 103.50 billed.
    const lower = generateInvoices({ contract: c, subscriptions: [sub(), azure], usage: [feb('90.00')], issued: [inv], period: march });
    expect(lower.warnings).toBeUndefined();
    expect(lower.drafts.map((x) => [x.kind, amounts(x)])).toEqual([
      ['invoice', ['103.5']],
      ['creditNote', ['-115.43']],
    ]);
  });
});
