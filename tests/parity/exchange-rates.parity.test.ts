/**
 * A EUR contract re-billing a USD-cost offer: the invoice converts the vendor cost with the org's
 * exchange-rate rows (the latest on or before the rate date), on both paths. By hand: 10 seats x
 * 12.00 EUR = 120.00 EUR for November 2026; cost 10 x 10.00 USD x 0.9 (USD->EUR from 2026-01-01;
 * the 0.95 from 2026-12-01 is not yet in force) = 90.00 EUR; margin 30.00. Without a rate the run
 * fails naming the pair and date, and the CLI says the same.
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
import { parseDate } from '../../core/src';
import { exchangeRatesFromRows } from '../../dataverse/src/mappers';
import { invoiceFiles } from '../../scripts/invoice';
import { seededOrg } from '../plugins/seed';
import { monthlyEurContract } from './support';

type Row = Record<string, unknown>;

async function eurContractOnUsdOffer() {
  const s = await seededOrg({ today: '2026-10-01' });
  const offerId = await s.org.create('cspb_offers', {
    cspb_name: 'Microsoft 365 Business Premium (USD)',
    cspb_vendor: Vendor.Microsoft,
    cspb_productid: 'CFQ7TTC0LCHC',
    cspb_skuid: '0002',
    cspb_term: Term.P1M,
    cspb_billingplan: Plan.Monthly,
    cspb_unitcost: 10,
    cspb_currencycode: 'USD',
  });
  const contractId = await s.org.create('cspb_billingcontracts', monthlyEurContract(s.accountId, 'Contoso EUR'));
  await s.org.create('cspb_subscriptions', {
    cspb_name: 'Contoso Business Premium',
    cspb_quantity: 10,
    cspb_status: Status.Active,
    cspb_vendorsubscriptionid: 'sub-usd',
    cspb_vendorunitcost: 10,
    cspb_customerunitprice: 12,
    cspb_currencycode: 'EUR',
    'cspb_CustomerId@odata.bind': `/accounts(${s.accountId})`,
    'cspb_OfferId@odata.bind': `/cspb_offers(${offerId})`,
    'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractId})`,
  });
  await s.org.asyncIdle();
  return s;
}

async function bothPaths(org: Awaited<ReturnType<typeof eurContractOnUsdOffer>>['org']) {
  const dir = mkdtempSync(join(tmpdir(), 'cspb-rates-'));
  try {
    const snapshot = join(dir, 'org.json');
    writeFileSync(snapshot, JSON.stringify(org.exportSnapshot()));
    const cli = await invoiceFiles({ org: snapshot, period: '2026-11' }).then(
      (r) => r,
      (error: Error) => error,
    );
    const runId = await org.create('cspb_invoiceruns', { cspb_name: 'Nov', cspb_periodstart: '2026-11-01', cspb_periodend: '2026-11-30' });
    await org.asyncIdle();
    return { cli, run: await org.retrieve<Row>('cspb_invoiceruns', runId) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('parity of a EUR contract on a USD-cost offer: the cost converts at the rate in force, 90.00 EUR on both paths', async () => {
  const s = await eurContractOnUsdOffer();
  await s.org.create('cspb_exchangerates', {
    cspb_name: 'USD to EUR 2026',
    cspb_fromcurrency: 'USD',
    cspb_tocurrency: 'EUR',
    cspb_rate: 0.9,
    cspb_validfrom: '2026-01-01',
  });
  await s.org.create('cspb_exchangerates', {
    cspb_name: 'USD to EUR December',
    cspb_fromcurrency: 'USD',
    cspb_tocurrency: 'EUR',
    cspb_rate: 0.95,
    cspb_validfrom: '2026-12-01',
  });
  const { cli, run } = await bothPaths(s.org);
  if (cli instanceof Error) throw cli;
  expect(
    cli.invoices.map((i) => [
      i.currency,
      i.total.toFixed(2),
      i.cost.toFixed(2),
      i.margin.toFixed(2),
      i.exchangeRates.map((r) => `${r.from}->${r.to} ${r.rate.toFixed()}`),
    ]),
  ).toEqual([['EUR', '120.00', '90.00', '30.00', ['USD->EUR 0.9']]]);
  expect(run).toMatchObject({ cspb_runstatus: RunStatus.Completed, cspb_invoicecount: 1 });
  const invoices = (await s.org.retrieveMultiple<Row>('cspb_invoices', {})).value;
  expect(invoices.map((i) => [i['cspb_currencycode'], i['cspb_total'], i['cspb_cost'], i['cspb_margin']])).toEqual([['EUR', 120, 90, 30]]);
});

test('without a rate both paths refuse to invoice, naming the pair and the date', async () => {
  const s = await eurContractOnUsdOffer();
  const { cli, run } = await bothPaths(s.org);
  expect(cli).toBeInstanceOf(Error);
  expect(String((cli as Error).message)).toMatch(/no USD->EUR rate on 2026-11-01/);
  expect(run['cspb_runstatus']).toBe(RunStatus.Failed);
  expect(String(run['cspb_error'])).toMatch(/no USD->EUR rate on 2026-11-01/);
});

test('a rate row that is not a positive rate or names no ISO currency is refused, naming the row and column', () => {
  const row = {
    cspb_exchangerateid: 'r1',
    cspb_name: 'x',
    cspb_fromcurrency: 'USD',
    cspb_tocurrency: 'EUR',
    cspb_rate: 0.9,
    cspb_validfrom: '2026-01-01',
  } as never as Parameters<typeof exchangeRatesFromRows>[0][number];
  expect(
    exchangeRatesFromRows([row])
      .rate('USD' as never, 'EUR' as never, parseDate('2026-06-01'))
      .toFixed(),
  ).toBe('0.9');
  expect(() => exchangeRatesFromRows([{ ...row, cspb_rate: 0 }])).toThrow(/cspb_exchangerate r1\.cspb_rate/);
  expect(() => exchangeRatesFromRows([{ ...row, cspb_tocurrency: 'euro' }])).toThrow(/cspb_exchangerate r1\.cspb_tocurrency/);
});
