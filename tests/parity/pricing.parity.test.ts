/**
 * What a contract invoices besides the ledger's own prices, on both paths (the CLI on the org's
 * snapshot, the Dynamics invoice run): a tiered price list, a dated promotion and a one-time charge.
 * By hand, November 2026, 10 seats of an offer the subscription has no price of its own for:
 * - tiered list price: 5 x 12.00 + 5 x 10.00 + a 5.00 tier fee = 115.00;
 * - the 10 % promotion of 10-19 November (10 of November's 30 days): 115.00 x 10 % x 10/30 = 3.833... -> -3.83;
 * - the setup charge of 5 November: 2 x 150.00 = 300.00 (cost 2 x 100.00), tax exempt;
 * total 115.00 - 3.83 + 300.00 = 411.17.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CspbInvoiceLineLineType as LineType,
  CspbInvoiceRunRunStatus as RunStatus,
  CspbPriceListItemTierMode as TierMode,
  CspbPromotionDiscountKind as DiscountKind,
  CspbSubscriptionStatus as Status,
} from '../../dataverse/generated';
import { oneTimeChargesFromRows, priceListFromRows, promotionsFromRows } from '../../dataverse/src/mappers';
import { invoiceFiles } from '../../scripts/invoice';
import { seededOrg } from '../plugins/seed';
import { monthlyEurContract } from './support';

type Row = Record<string, unknown>;
const TIERS = JSON.stringify([
  { upTo: 5, unitPrice: '12' },
  { upTo: null, unitPrice: '10', flatFee: '5' },
]);

test('parity of a price list with tiers, a dated promotion and a one-time charge: 411.17 for November on both paths', async () => {
  const s = await seededOrg({ today: '2026-10-01' });
  const listId = await s.org.create('cspb_pricelists', { cspb_name: 'Standard 2026', cspb_currencycode: 'EUR' });
  await s.org.create('cspb_pricelistitems', {
    cspb_name: 'Business Standard, tiered',
    'cspb_PriceListId@odata.bind': `/cspb_pricelists(${listId})`,
    'cspb_OfferId@odata.bind': `/cspb_offers(${s.offerId})`,
    cspb_currencycode: 'EUR',
    cspb_permonths: 1,
    cspb_tiermode: TierMode.Tiered,
    cspb_tiers: TIERS,
  });
  const contractId = await s.org.create(
    'cspb_billingcontracts',
    monthlyEurContract(s.accountId, 'Contoso list prices', { 'cspb_PriceListId@odata.bind': `/cspb_pricelists(${listId})` }),
  );
  await s.org.create('cspb_subscriptions', {
    cspb_name: 'Contoso M365 BS',
    cspb_quantity: 10,
    cspb_status: Status.Active,
    cspb_vendorsubscriptionid: 'sub-list',
    cspb_vendorunitcost: 12.5,
    cspb_currencycode: 'EUR',
    'cspb_CustomerId@odata.bind': `/accounts(${s.accountId})`,
    'cspb_OfferId@odata.bind': `/cspb_offers(${s.offerId})`,
    'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractId})`,
  });
  await s.org.create('cspb_promotions', {
    cspb_name: 'Autumn promotion 10 %',
    'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractId})`,
    cspb_discountkind: DiscountKind.Percent,
    cspb_value: 10,
    cspb_startdate: '2026-11-10',
    cspb_enddate: '2026-11-19',
  });
  await s.org.create('cspb_onetimecharges', {
    cspb_name: 'Tenant migration',
    'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractId})`,
    cspb_chargedate: '2026-11-05',
    cspb_quantity: 2,
    cspb_unitprice: 150,
    cspb_unitcost: 100,
    cspb_currencycode: 'EUR',
    cspb_taxexempt: true,
  });
  await s.org.asyncIdle();

  const dir = mkdtempSync(join(tmpdir(), 'cspb-pricing-'));
  try {
    const snapshot = join(dir, 'org.json');
    writeFileSync(snapshot, JSON.stringify(s.org.exportSnapshot()));
    const cli = await invoiceFiles({ org: snapshot, period: '2026-11' });
    expect(cli.invoices).toHaveLength(1);
    const invoice = cli.invoices[0]!;
    expect(invoice.lines.map((l) => [l.type, l.amount.toFixed(2)])).toEqual([
      ['recurring', '115.00'],
      ['oneTime', '300.00'],
      ['discount', '-3.83'],
    ]);
    expect([invoice.total.toFixed(2), invoice.cost.toFixed(2)]).toEqual(['411.17', '325.00']);

    const runId = await s.org.create('cspb_invoiceruns', { cspb_name: 'Nov', cspb_periodstart: '2026-11-01', cspb_periodend: '2026-11-30' });
    await s.org.asyncIdle();
    expect(await s.org.retrieve('cspb_invoiceruns', runId)).toMatchObject({ cspb_runstatus: RunStatus.Completed, cspb_invoicecount: 1 });
    const [stored] = (await s.org.retrieveMultiple<Row>('cspb_invoices', {})).value;
    expect([stored!['cspb_total'], stored!['cspb_cost']]).toEqual([411.17, 325]);
    const lines = (await s.org.retrieveMultiple<Row>('cspb_invoicelines', { orderBy: ['cspb_linenumber'] })).value;
    expect(lines.map((l) => [l['cspb_linetype'], l['cspb_amount'], l['cspb_taxable']])).toEqual([
      [LineType.Recurring, 115, true],
      [LineType.OneTime, 300, false],
      [LineType.Discount, -3.83, true],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('price list, promotion and one-time charge rows', () => {
  const item = {
    cspb_pricelistitemid: 'i1',
    _cspb_pricelistid_value: 'L',
    _cspb_offerid_value: 'O',
    cspb_currencycode: 'EUR',
    cspb_permonths: 1,
    cspb_tiermode: TierMode.Tiered,
    cspb_tiers: TIERS,
    cspb_unitprice: null,
  } as never as Parameters<typeof priceListFromRows>[1][number];

  it('read tiers as the engine takes them, and a flat price as a unit price', () => {
    expect(priceListFromRows('L', [item]).prices['O']).toEqual({
      currency: 'EUR',
      perMonths: 1,
      tiers: {
        mode: 'tiered',
        tiers: [
          { upTo: 5, unitPrice: '12' },
          { upTo: null, unitPrice: '10', flatFee: '5' },
        ],
      },
    });
    expect(priceListFromRows('L', [{ ...item, cspb_tiermode: TierMode.Flat, cspb_unitprice: 9.5 }]).prices['O']!.unitPrice!.toString()).toBe('9.5');
  });

  it('refuse tiers out of order, unbounded before the last, prices as numbers, or a flat item without a price, naming the row', () => {
    for (const tiers of [
      '[{"upTo":5,"unitPrice":"12"},{"upTo":3,"unitPrice":"10"},{"upTo":null,"unitPrice":"9"}]',
      '[{"upTo":null,"unitPrice":"12"},{"upTo":null,"unitPrice":"10"}]',
      '[{"upTo":null,"unitPrice":12}]',
      'tiers',
      '[]',
    ]) {
      expect(() => priceListFromRows('L', [{ ...item, cspb_tiers: tiers }])).toThrow(/cspb_pricelistitem i1\.cspb_tiers/);
    }
    expect(() => priceListFromRows('L', [{ ...item, cspb_tiermode: TierMode.Flat }])).toThrow(/cspb_pricelistitem i1\.cspb_unitprice/);
  });

  it('refuse a percent promotion above 100 and read the inclusive end as the exclusive one', () => {
    const promo = {
      cspb_promotionid: 'p1',
      _cspb_contractid_value: 'C',
      cspb_name: 'P',
      cspb_discountkind: DiscountKind.Percent,
      cspb_value: 10,
      cspb_startdate: '2026-11-10',
      cspb_enddate: '2026-11-19',
      _cspb_subscriptionid_value: 'S',
    } as never as Parameters<typeof promotionsFromRows>[1][number];
    const [discount] = promotionsFromRows('C', [promo]);
    expect([discount!.end! - discount!.start!, discount!.scope]).toEqual([10, { subscriptionIds: ['S'] }]);
    expect(() => promotionsFromRows('C', [{ ...promo, cspb_value: 150 }])).toThrow(/cspb_promotion p1\.cspb_value/);
  });

  it('refuse a one-time charge without a quantity, naming the row', () => {
    const charge = {
      cspb_onetimechargeid: 'c1',
      _cspb_contractid_value: 'C',
      cspb_name: 'Setup',
      cspb_chargedate: '2026-11-05',
      cspb_quantity: null,
      cspb_unitprice: 10,
      cspb_currencycode: 'EUR',
    } as never as Parameters<typeof oneTimeChargesFromRows>[1][number];
    expect(() => oneTimeChargesFromRows('C', [charge])).toThrow(/cspb_onetimecharge c1\.cspb_quantity/);
  });
});

test('parity of a minimum commitment: 10 seats x 15.00 = 150.00 against a 200.00 minimum adds a 50.00 commitment line on both paths', async () => {
  const s = await seededOrg({ today: '2026-10-01' });
  const contractId = await s.org.create('cspb_billingcontracts', monthlyEurContract(s.accountId, 'Contoso with a minimum', { cspb_minimumcommitment: 200 }));
  await s.org.create('cspb_subscriptions', {
    cspb_name: 'Contoso M365 BS',
    cspb_quantity: 10,
    cspb_status: Status.Active,
    cspb_vendorsubscriptionid: 'sub-min',
    cspb_vendorunitcost: 12.5,
    cspb_customerunitprice: 15,
    cspb_currencycode: 'EUR',
    'cspb_CustomerId@odata.bind': `/accounts(${s.accountId})`,
    'cspb_OfferId@odata.bind': `/cspb_offers(${s.offerId})`,
    'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractId})`,
  });
  await s.org.asyncIdle();
  const dir = mkdtempSync(join(tmpdir(), 'cspb-minimum-'));
  try {
    const snapshot = join(dir, 'org.json');
    writeFileSync(snapshot, JSON.stringify(s.org.exportSnapshot()));
    const [invoice] = (await invoiceFiles({ org: snapshot, period: '2026-11' })).invoices;
    expect(invoice!.lines.map((l) => [l.type, l.amount.toFixed(2)])).toEqual([
      ['recurring', '150.00'],
      ['commitment', '50.00'],
    ]);
    await s.org.create('cspb_invoiceruns', { cspb_name: 'Nov', cspb_periodstart: '2026-11-01', cspb_periodend: '2026-11-30' });
    await s.org.asyncIdle();
    const lines = (await s.org.retrieveMultiple<Row>('cspb_invoicelines', { orderBy: ['cspb_linenumber'] })).value;
    expect(lines.map((l) => [l['cspb_linetype'], l['cspb_amount']])).toEqual([
      [LineType.Recurring, 150],
      [LineType.Commitment, 50],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
