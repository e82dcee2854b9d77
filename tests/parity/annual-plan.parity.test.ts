/**
 * The 12x invoice: an annual-billed offer priced 180.00 a seat a year, 10 seats, on a monthly
 * contract. By hand: 180.00 / 12 months x 10 seats = 150.00 for November 2026 (the whole month, in
 * advance). The Dynamics invoice run once mapped contracts with its own code, ignored the billing
 * plan and invoiced 1,800.00; both paths now call runInvoices and must both say 150.00.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CspbInvoiceRunRunStatus as RunStatus,
  CspbOfferBillingPlan as Plan,
  CspbOfferTerm as Term,
  CspbOfferVendor as Vendor,
  CspbSubscriptionStatus as Status,
} from '../../dataverse/generated';
import { invoiceFiles } from '../../scripts/invoice';
import { seededOrg } from '../plugins/seed';
import { monthlyEurContract } from './support';

test('parity of the annual-billed offer: 180.00 a seat a year x 10 seats invoices 150.00 for November on both paths', async () => {
  const s = await seededOrg({ today: '2026-10-01' });
  const offerId = await s.org.create('cspb_offers', {
    cspb_name: 'Microsoft 365 E3 (annual billing)',
    cspb_vendor: Vendor.Microsoft,
    cspb_productid: 'CFQ7TTC0LFLZ',
    cspb_skuid: '0002',
    cspb_term: Term.P1Y,
    cspb_billingplan: Plan.Annual,
    cspb_unitcost: 150,
    cspb_currencycode: 'EUR',
  });
  const contractId = await s.org.create('cspb_billingcontracts', monthlyEurContract(s.accountId, 'Contoso monthly'));
  await s.org.create('cspb_subscriptions', {
    cspb_name: 'Contoso M365 E3',
    cspb_quantity: 10,
    cspb_status: Status.Active,
    cspb_vendorsubscriptionid: 'sub-annual',
    cspb_vendorunitcost: 150,
    cspb_customerunitprice: 180,
    cspb_currencycode: 'EUR',
    'cspb_CustomerId@odata.bind': `/accounts(${s.accountId})`,
    'cspb_OfferId@odata.bind': `/cspb_offers(${offerId})`,
    'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractId})`,
  });
  await s.org.asyncIdle(); // the ledger step records the purchase on 2026-10-01

  const dir = mkdtempSync(join(tmpdir(), 'cspb-annual-'));
  try {
    const snapshot = join(dir, 'org.json');
    writeFileSync(snapshot, JSON.stringify(s.org.exportSnapshot()));
    const cli = await invoiceFiles({ org: snapshot, period: '2026-11' });
    expect(cli.invoices.map((i) => [i.period.start, i.total.toFixed(2)])).toEqual([[expect.anything(), '150.00']]);

    const runId = await s.org.create('cspb_invoiceruns', { cspb_name: 'Nov', cspb_periodstart: '2026-11-01', cspb_periodend: '2026-11-30' });
    await s.org.asyncIdle();
    expect(await s.org.retrieve('cspb_invoiceruns', runId)).toMatchObject({ cspb_runstatus: RunStatus.Completed, cspb_invoicecount: 1 });
    const invoices = (await s.org.retrieveMultiple<Record<string, unknown>>('cspb_invoices', {})).value;
    expect(invoices.map((i) => [i['cspb_periodstart'], i['cspb_total']])).toEqual([['2026-11-01', 150]]);
    const lines = (await s.org.retrieveMultiple<Record<string, unknown>>('cspb_invoicelines', {})).value;
    expect(lines.map((l) => [l['cspb_quantity'], l['cspb_unitprice'], l['cspb_amount']])).toEqual([[10, 15, 150]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
