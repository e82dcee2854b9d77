import type { FormatId, UsageAggregate } from '../../../core/src';
import {
  CspbBillingImportFormat as Format,
  CspbInvoiceInvoiceStatus as InvoiceStatus,
  type CspbInvoiceLineRow,
  type CspbInvoiceRow,
  type AccountExtensionRow,
  type CspbBillingContractRow,
  type CspbBillingImportRow,
  type CspbBillingLineRow,
  type CspbExchangeRateRow,
  type CspbOneTimeChargeRow,
  type CspbPriceListItemRow,
  type CspbPromotionRow,
  type CspbOfferRow,
  type CspbSubscriptionChangeRow,
  type CspbSubscriptionRow,
  type CspbMicrosoftPriceRow,
} from '../../generated';
import { retrieveAll } from '../client/retrieve-all';
import type { DataverseClient } from '../client/types';
import { issuedRevenueFromRows, priceRowFromRecord, rowToBillLine, type ReconRows } from '../mappers';
import { PriceBook, type PriceRow, type RevenueLine } from '../../../core/src';

/** The import's format as the importer names it (Partner Center JSON holds the licence lines). */
export const FORMAT_ID: Readonly<Record<number, FormatId>> = {
  [Format.NceLicense]: 'nce-license',
  [Format.NceDailyUsage]: 'nce-daily-usage',
  [Format.LegacyLicense]: 'legacy-license',
  [Format.LegacyUsage]: 'legacy-usage',
  [Format.PartnerCenterJson]: 'nce-license',
  [Format.DistributorProfile]: 'profile:distributor',
};
export const formatIdOf = (format: number | null | undefined): FormatId => FORMAT_ID[format ?? Format.NceLicense] ?? 'nce-license';

/** Every CRM row reconciliation and invoicing read. */
export async function loadReconRows(client: DataverseClient): Promise<ReconRows> {
  const [account, cspb_offer, cspb_billingcontract, cspb_subscription, cspb_subscriptionchange] = await Promise.all([
    retrieveAll<AccountExtensionRow>(client, 'accounts', {}),
    retrieveAll<CspbOfferRow>(client, 'cspb_offers', {}),
    retrieveAll<CspbBillingContractRow>(client, 'cspb_billingcontracts', {}),
    retrieveAll<CspbSubscriptionRow>(client, 'cspb_subscriptions', {}),
    retrieveAll<CspbSubscriptionChangeRow>(client, 'cspb_subscriptionchanges', {}),
  ]);
  return { account, cspb_offer, cspb_billingcontract, cspb_subscription, cspb_subscriptionchange };
}

/** The rows one contract's invoice needs: the contract, its customer, its subscriptions with their ledgers; the offers and exchange rates (read once per pass) are given. */
export async function loadContractRows(
  client: DataverseClient,
  contract: CspbBillingContractRow,
  shared: { readonly offers: readonly CspbOfferRow[]; readonly rates: readonly CspbExchangeRateRow[] },
): Promise<ReconRows> {
  const subscriptions = await retrieveAll<CspbSubscriptionRow>(client, 'cspb_subscriptions', {
    filter: `_cspb_contractid_value eq ${contract.cspb_billingcontractid}`,
  });
  const changes: CspbSubscriptionChangeRow[] = [];
  for (const s of subscriptions)
    changes.push(
      ...(await retrieveAll<CspbSubscriptionChangeRow>(client, 'cspb_subscriptionchanges', {
        filter: `_cspb_subscriptionid_value eq ${s.cspb_subscriptionid}`,
      })),
    );
  const account = contract._cspb_customerid_value ? [await client.retrieve<AccountExtensionRow>('accounts', contract._cspb_customerid_value)] : [];
  // What the contract's customer was already sent: a period invoiced before gets corrections.
  const cspb_invoice = await retrieveAll<CspbInvoiceRow>(client, 'cspb_invoices', {
    filter: `_cspb_contractid_value eq ${contract.cspb_billingcontractid} and cspb_invoicestatus eq ${InvoiceStatus.Issued}`,
  });
  const cspb_invoiceline: CspbInvoiceLineRow[] = [];
  for (const invoice of cspb_invoice)
    cspb_invoiceline.push(
      ...(await retrieveAll<CspbInvoiceLineRow>(client, 'cspb_invoicelines', { filter: `_cspb_invoiceid_value eq ${invoice.cspb_invoiceid}` })),
    );
  const ofContract = { filter: `_cspb_contractid_value eq ${contract.cspb_billingcontractid}` };
  const cspb_promotion = await retrieveAll<CspbPromotionRow>(client, 'cspb_promotions', ofContract);
  const cspb_onetimecharge = await retrieveAll<CspbOneTimeChargeRow>(client, 'cspb_onetimecharges', ofContract);
  const listId = contract._cspb_pricelistid_value;
  const cspb_pricelistitem = listId
    ? await retrieveAll<CspbPriceListItemRow>(client, 'cspb_pricelistitems', { filter: `_cspb_pricelistid_value eq ${listId}` })
    : [];
  return {
    account,
    cspb_offer: shared.offers,
    cspb_billingcontract: [contract],
    cspb_subscription: subscriptions,
    cspb_subscriptionchange: changes,
    cspb_invoice,
    cspb_invoiceline,
    cspb_exchangerate: shared.rates,
    cspb_promotion,
    cspb_onetimecharge,
    cspb_pricelistitem,
  };
}

/** The lines of one import, in file order, as the importer gave them. */
export async function loadImportLines(client: DataverseClient, bill: CspbBillingImportRow) {
  const rows = await retrieveAll<CspbBillingLineRow>(client, 'cspb_billinglines', {
    filter: `_cspb_importid_value eq ${bill.cspb_billingimportid}`,
    orderBy: ['cspb_sourcerow', 'cspb_linekey'],
  });
  return rows.map((r) => rowToBillLine(r, formatIdOf(bill.cspb_format), bill.cspb_invoicenumber ?? undefined));
}

/** Imported usage of every import (the engine bills what falls in a contract's usage window and is not yet invoiced). */
export async function loadImportedUsage(client: DataverseClient): Promise<UsageAggregate[]> {
  const imports = await retrieveAll<CspbBillingImportRow>(client, 'cspb_billingimports', {
    select: ['cspb_billingimportid', 'cspb_format', 'cspb_invoicenumber'],
  });
  const usage: UsageAggregate[] = [];
  for (const bill of imports) {
    const rows = await retrieveAll<CspbBillingLineRow>(client, 'cspb_billinglines', {
      filter: `_cspb_importid_value eq ${bill.cspb_billingimportid} and cspb_firstusagedate ne null`,
      orderBy: ['cspb_sourcerow', 'cspb_linekey'],
    });
    for (const r of rows) {
      const line = rowToBillLine(r, formatIdOf(bill.cspb_format), bill.cspb_invoicenumber ?? undefined);
      if (line.kind === 'usage') usage.push(line);
    }
  }
  return usage;
}

/** The lines of every issued invoice and credit note, as revenue for the leakage check (see `issuedRevenueFromRows`). */
export async function loadIssuedRevenue(client: DataverseClient): Promise<RevenueLine[] | undefined> {
  const issued = await retrieveAll<CspbInvoiceRow>(client, 'cspb_invoices', { filter: `cspb_invoicestatus eq ${InvoiceStatus.Issued}` });
  const lines: CspbInvoiceLineRow[] = [];
  for (const invoice of issued)
    lines.push(...(await retrieveAll<CspbInvoiceLineRow>(client, 'cspb_invoicelines', { filter: `_cspb_invoiceid_value eq ${invoice.cspb_invoiceid}` })));
  return issuedRevenueFromRows(issued, lines);
}

/** Product ids per price query: an $filter of ors stays well inside the URL limit. */
const PRODUCTS_PER_QUERY = 25;

/**
 * Microsoft's prices of the products the CRM sells (the offers' product ids), as core rows: the
 * table may hold a whole price list (300,000 rows); a run reads only what it can look up.
 */
export async function loadMicrosoftPrices(client: DataverseClient, productIds: readonly string[]): Promise<PriceRow[]> {
  const ids = [...new Set(productIds.map((p) => p.trim().toUpperCase()).filter((p) => /^[A-Z0-9-]{1,50}$/.test(p)))].sort();
  const out: PriceRow[] = [];
  for (let i = 0; i < ids.length; i += PRODUCTS_PER_QUERY) {
    const filter = ids
      .slice(i, i + PRODUCTS_PER_QUERY)
      .map((p) => `cspb_productid eq '${p}'`)
      .join(' or ');
    const rows = await retrieveAll<CspbMicrosoftPriceRow>(client, 'cspb_microsoftprices', { filter, orderBy: ['cspb_pricekey'] });
    out.push(...rows.map(priceRowFromRecord));
  }
  return out;
}

/**
 * The org's Microsoft prices as a price book, or undefined when it holds none: every product a term
 * can be on (the offers', and those the ledger moved seats to in a conversion, as the engine looks
 * them up by the ledger's product; the CLI's price book holds the whole file). Throws PriceBookError
 * when the table holds what one book cannot (several markets).
 */
export async function loadPriceBook(client: DataverseClient, rows: ReconRows): Promise<PriceBook | undefined> {
  const priceRows = await loadMicrosoftPrices(client, [
    ...rows.cspb_offer.flatMap((o) => (o.cspb_productid ? [o.cspb_productid] : [])),
    ...rows.cspb_subscriptionchange.flatMap((c) => [c.cspb_productid, c.cspb_targetproductid].flatMap((p) => (p ? [p] : []))),
  ]);
  return priceRows.length === 0 ? undefined : new PriceBook(priceRows);
}
