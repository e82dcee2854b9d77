import { withCurrency } from './currency';
import { account } from './tables/account';
import * as billingContractTable from './tables/billing-contract';
import * as billingImportTable from './tables/billing-import';
import * as billingLineTable from './tables/billing-line';
import * as invoicingTables from './tables/invoicing';
import * as monthEndTable from './tables/month-end';
import { microsoftPrice } from './tables/microsoft-price';
import * as accrualTables from './tables/accrual';
import * as priceReviewTables from './tables/price-review';
import { accountingMapping, postingRun } from './tables/accounting';
import * as offerTable from './tables/offer';
import * as pricingTables from './tables/pricing';
import * as reconciliationTables from './tables/reconciliation';
import * as subscriptionTable from './tables/subscription';
import * as subscriptionChangeTable from './tables/subscription-change';
import type { TableDef, TableExtension } from './types';

// Every table as Dataverse holds it: a table with amounts also has its currency columns.
const offer = withCurrency(offerTable.offer);
const billingContract = withCurrency(billingContractTable.billingContract);
const subscription = withCurrency(subscriptionTable.subscription);
const subscriptionChange = withCurrency(subscriptionChangeTable.subscriptionChange);
const billingImport = withCurrency(billingImportTable.billingImport);
const billingLine = withCurrency(billingLineTable.billingLine);
const reconciliationRun = withCurrency(reconciliationTables.reconciliationRun);
const discrepancy = withCurrency(reconciliationTables.discrepancy);
const invoiceRun = withCurrency(invoicingTables.invoiceRun);
const invoice = withCurrency(invoicingTables.invoice);
const invoiceLine = withCurrency(invoicingTables.invoiceLine);
const invoiceNumbering = invoicingTables.invoiceNumbering;
const priceList = pricingTables.priceList;
const priceListItem = withCurrency(pricingTables.priceListItem);
const promotion = pricingTables.promotion;
const oneTimeCharge = withCurrency(pricingTables.oneTimeCharge);
const exchangeRate = invoicingTables.exchangeRate;
const monthEndRun = monthEndTable.monthEndRun;
const accrualRun = accrualTables.accrualRun;
const accrualLine = withCurrency(accrualTables.accrualLine);
const priceReview = priceReviewTables.priceReview;
const priceReviewLine = withCurrency(priceReviewTables.priceReviewLine);

export * from './types';
export * from './currency';
export {
  account,
  accountingMapping,
  accrualLine,
  accrualRun,
  billingContract,
  billingImport,
  billingLine,
  discrepancy,
  exchangeRate,
  invoice,
  invoiceLine,
  invoiceNumbering,
  invoiceRun,
  microsoftPrice,
  monthEndRun,
  offer,
  oneTimeCharge,
  priceList,
  priceListItem,
  postingRun,
  priceReview,
  priceReviewLine,
  promotion,
  reconciliationRun,
  subscription,
  subscriptionChange,
};

/**
 * Every table the solution owns, in dependency order (a table comes after the tables its
 * lookups point at), which is also the order the solution lists them in.
 */
export const tables: readonly TableDef[] = [
  offer,
  priceList,
  priceListItem,
  billingContract,
  subscription,
  promotion,
  oneTimeCharge,
  subscriptionChange,
  billingImport,
  billingLine,
  reconciliationRun,
  discrepancy,
  invoiceRun,
  invoice,
  invoiceLine,
  invoiceNumbering,
  exchangeRate,
  monthEndRun,
  microsoftPrice,
  accrualRun,
  accrualLine,
  priceReview,
  priceReviewLine,
  accountingMapping,
  postingRun,
];

/** Existing Dataverse tables the solution adds columns to. */
export const extensions: readonly TableExtension[] = [account];
export * from './steps';
