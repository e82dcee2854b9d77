/**
 * Issued invoices read back from their rows: what the Dynamics invoice run corrects. The rows are
 * written by the run's own row builders and read by the mapper; corrections from them must equal the
 * engine's corrections from the issued objects themselves, to the cent.
 */
import { generateInvoice, generateInvoices, issueInvoice, type Invoice, type InvoiceSubscription } from '../../core/src';
import { CspbInvoiceInvoiceStatus as Status, type CspbInvoiceLineRow, type CspbInvoiceRow } from '../../dataverse/generated';
import type { EntityRecord } from '../../dataverse/src/client/types';
import { issuedInvoicesFromRows } from '../../dataverse/src/mappers';
import { invoiceLineRows, invoiceRow } from '../../dataverse/src/runs';
import { contract, d, ledger, period } from '../core/invoicing/fixtures';

const march = period('2024-03-01', '2024-04-01');
const terms = contract({
  tax: { rates: [{ jurisdiction: 'US-WA', ratePercent: '10.1' }], calculation: 'perLine' },
  discounts: [{ id: 'spring', kind: 'percent', value: '5', description: 'Spring promotion' }],
});

function subscription(): InvoiceSubscription {
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

/** A row as the Web API returns it: binds read back as `_x_value`, the id and the status added. */
function stored(record: EntityRecord, idColumn: string, id: string, extra: EntityRecord = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { [idColumn]: id };
  for (const [key, value] of Object.entries(record)) {
    const bind = /^(\w+)@odata\.bind$/.exec(key);
    if (bind) out[`_${bind[1]!.toLowerCase()}_value`] = /\(([^)]+)\)$/.exec(String(value))?.[1];
    else out[key] = value;
  }
  return { ...out, ...extra };
}

/** The issued document as cspb_invoice and cspb_invoiceline rows. */
function rowsOf(invoice: Invoice, id: string, status: number = Status.Issued, rowIds?: Parameters<typeof invoiceRow>[2]) {
  const header = stored(invoiceRow(invoice, 'Contoso', rowIds), 'cspb_invoiceid', id, {
    cspb_invoicestatus: status,
    _cspb_contractid_value: invoice.contractId,
    cspb_name: invoice.invoiceNumber ?? 'draft',
  }) as unknown as CspbInvoiceRow;
  const lines = invoiceLineRows(invoice, rowIds).map(
    (line, i) => stored(line, 'cspb_invoicelineid', `${id}-line-${i + 1}`, { _cspb_invoiceid_value: id }) as unknown as CspbInvoiceLineRow,
  );
  return { header, lines };
}

const comparable = (inv: Invoice) =>
  inv.lines.map((l) => [
    l.id,
    l.key,
    l.type,
    l.subscriptionId,
    l.servicePeriod,
    l.quantity?.toFixed(),
    l.amount.toFixed(2),
    l.cost?.toFixed(2),
    l.taxable,
    l.discountId,
    l.appliesToLineId,
    l.correctsLineId,
  ]);

describe('issued invoices read back from their rows', () => {
  const issued = issueInvoice(generateInvoice({ contract: terms, subscriptions: [subscription()], period: march }), d('2024-03-01'), 'INV-0001');
  const { header, lines } = rowsOf(issued, 'inv-1');

  it('carry every line with its key, type, service period, amount, cost, tax flag, discount and derived-from line', () => {
    const [read] = issuedInvoicesFromRows([header], lines).issued;
    // discounts and per-line tax present, so appliesTo and discount ids are exercised
    expect(issued.lines.map((l) => l.type)).toEqual(expect.arrayContaining(['recurring', 'prorated', 'discount', 'tax']));
    expect(comparable(read!)).toEqual(comparable(issued));
    expect([read!.draftKey, read!.kind, read!.revision, read!.status, read!.invoiceNumber]).toEqual([issued.draftKey, 'invoice', 0, 'issued', 'INV-0001']);
    expect(read!.total.toFixed(2)).toBe(issued.total.toFixed(2));
  });

  it('a re-run of the period with nothing new gives no document', () => {
    const again = generateInvoices({ contract: terms, subscriptions: [subscription()], period: march, issued: issuedInvoicesFromRows([header], lines).issued });
    expect(again.drafts).toEqual([]);
  });

  it('a decrease after issue gives the credit note the engine gives from the issued invoice itself, bound to the stored rows', () => {
    const later = subscription();
    later.ledger!.append({ kind: 'remove', effectiveDate: d('2024-03-25'), referenceId: 'r-3', quantityDelta: -3 });
    const fromRows = issuedInvoicesFromRows([header], lines);
    const [viaRows] = generateInvoices({
      contract: terms,
      subscriptions: [later],
      period: march,
      issued: fromRows.issued,
      invoiceDate: d('2024-03-25'),
    }).drafts;
    const [viaCore] = generateInvoices({ contract: terms, subscriptions: [later], period: march, issued: [issued], invoiceDate: d('2024-03-25') }).drafts;
    expect(viaRows!.kind).toBe('creditNote');
    expect(comparable(viaRows!)).toEqual(comparable(viaCore!));
    // -3 seats x 12.00 x 7/31 days = -8.13 (its discount and tax follow as lines of their own)
    const credit = viaRows!.lines.find((l) => l.type === 'credit')!;
    expect(credit.amount.toFixed(2)).toBe('-8.13');
    const recurringRow = lines.find((l) => l.cspb_linekey === 'sub-1|recurring')!;
    const creditRow = invoiceLineRows(viaRows!, fromRows).find((l) => l['cspb_linekey'] === credit.key)!;
    expect(creditRow['cspb_CorrectsLineId@odata.bind']).toBe(`/cspb_invoicelines(${recurringRow.cspb_invoicelineid})`);
    expect(invoiceRow(viaRows!, 'Contoso', fromRows)).toMatchObject({
      'cspb_CreditOfId@odata.bind': '/cspb_invoices(inv-1)',
      cspb_name: 'DRAFT 2024-03-01 credit note 1 Contoso',
    });
  });

  it('leave drafts and cancelled documents out: only what was sent is corrected', () => {
    const draft = rowsOf(issued, 'inv-2', Status.Draft);
    const cancelled = rowsOf(issued, 'inv-3', Status.Cancelled);
    expect(issuedInvoicesFromRows([draft.header, cancelled.header], [...draft.lines, ...cancelled.lines]).issued).toEqual([]);
  });

  it('refuse a document whose draft key this suite did not write, naming the row and value', () => {
    const foreign = { ...header, cspb_draftkey: 'credit:inv-1' };
    expect(() => issuedInvoicesFromRows([foreign], lines)).toThrow(/cspb_invoice inv-1\.cspb_draftkey.*credit:inv-1/);
  });
});
