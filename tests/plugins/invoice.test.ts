import {
  CspbInvoiceInvoiceStatus as InvoiceStatus,
  CspbInvoiceLineLineType as LineType,
  CspbInvoiceRunRunStatus as RunStatus,
} from '../../dataverse/generated';
import { rerunJob, seededOrg, subscriptionBody } from './seed';

/** Contoso's 10 seats at 15.00 EUR under a monthly contract (net 30), bought on 2026-10-01. */
async function tenSeatsUnderContract() {
  const s = await seededOrg({ today: '2026-10-01' });
  const contractId = await s.org.create('cspb_billingcontracts', {
    cspb_name: 'Contoso monthly',
    'cspb_CustomerId@odata.bind': `/accounts(${s.accountId})`,
    cspb_currencycode: 'EUR',
    cspb_paymenttermdays: 30,
  });
  await s.org.create('cspb_subscriptions', subscriptionBody(s, 10, { 'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractId})` }));
  return { s, contractId };
}

/** The contract's November 2026 invoice run, created and run to its end. */
async function novemberRun(s: Awaited<ReturnType<typeof seededOrg>>, contractId: string): Promise<string> {
  const runId = await s.org.create('cspb_invoiceruns', {
    cspb_name: 'Nov',
    cspb_periodstart: '2026-11-01',
    cspb_periodend: '2026-11-30',
    'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractId})`,
  });
  await s.org.asyncIdle();
  return runId;
}

describe('invoice run on the local org', () => {
  test('writes the draft invoice and its lines; a re-run replaces the draft lines; an issued invoice is never touched', async () => {
    const { s, contractId } = await tenSeatsUnderContract();
    await s.org.asyncIdle(); // the ledger step runs after the save has committed, as in Dataverse
    const runId = await novemberRun(s, contractId);
    expect(s.org.asyncFailures).toEqual([]);
    expect(await s.org.retrieve('cspb_invoiceruns', runId)).toMatchObject({ cspb_runstatus: RunStatus.Completed, cspb_invoicecount: 1 });
    const invoices = (await s.org.retrieveMultiple<Record<string, unknown>>('cspb_invoices', {})).value;
    expect(invoices).toHaveLength(1);
    // 10 seats x 15.00 EUR for November, in advance, net 30.
    expect(invoices[0]).toMatchObject({
      cspb_invoicestatus: InvoiceStatus.Draft,
      cspb_periodstart: '2026-11-01',
      cspb_periodend: '2026-11-30',
      cspb_total: 150,
      cspb_invoicedate: '2026-11-01',
      cspb_duedate: '2026-12-01',
    });
    const lines = async () => (await s.org.retrieveMultiple<Record<string, unknown>>('cspb_invoicelines', {})).value;
    expect((await lines()).map((l) => [l['cspb_linetype'], l['cspb_quantity'], l['cspb_amount']])).toEqual([[LineType.Recurring, 10, 150]]);

    await rerunJob(s, 'invoicerun', runId, { cspb_runstatus: RunStatus.Pending });
    expect(s.org.count('cspb_invoices')).toBe(1);
    expect(await lines()).toHaveLength(1);

    await s.org.update('cspb_invoices', String(invoices[0]!['cspb_invoiceid']), { cspb_invoicestatus: InvoiceStatus.Issued });
    const lineId = (await lines())[0]!['cspb_invoicelineid'];
    await rerunJob(s, 'invoicerun', runId, { cspb_runstatus: RunStatus.Pending });
    expect((await lines()).map((l) => l['cspb_invoicelineid'])).toEqual([lineId]);
  });

  test('a draft is written whole or not at all: a line the org refuses leaves no header and no line, and the run says why', async () => {
    const { s, contractId } = await tenSeatsUnderContract();
    await s.org.asyncIdle();
    // Stands in for anything that refuses a line inside the transaction (a customer's own validation step).
    const off = s.org.register({
      message: 'Create',
      table: 'cspb_invoiceline',
      stage: 'PreOperation',
      handler: () => {
        throw new Error('line refused by a validation step');
      },
    } as never);
    const runId = await novemberRun(s, contractId);
    expect(s.org.count('cspb_invoices')).toBe(0);
    expect(s.org.count('cspb_invoicelines')).toBe(0);
    const run = await s.org.retrieve<Record<string, unknown>>('cspb_invoiceruns', runId);
    expect(run['cspb_runstatus']).toBe(RunStatus.Failed);
    expect(String(run['cspb_error'])).toContain('line refused by a validation step');
    off();
    // Fixed, the run again: the whole draft.
    await rerunJob(s, 'invoicerun', runId, { cspb_runstatus: RunStatus.Pending });
    expect([s.org.count('cspb_invoices'), s.org.count('cspb_invoicelines')]).toEqual([1, 1]);
  });
});
