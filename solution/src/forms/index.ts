import type { FormDef } from '../form-xml';
import { billingImportMainForm } from './billing-import-main';
import {
  billingContractMainForm,
  billingLineMainForm,
  discrepancyMainForm,
  invoiceLineMainForm,
  invoiceMainForm,
  invoiceNumberingMainForm,
  exchangeRateMainForm,
  invoiceRunMainForm,
  accrualRunMainForm,
  accrualLineMainForm,
  priceReviewMainForm,
  priceReviewLineMainForm,
  microsoftPriceMainForm,
  monthEndRunMainForm,
  offerMainForm,
  oneTimeChargeMainForm,
  priceListItemMainForm,
  priceListMainForm,
  promotionMainForm,
  subscriptionChangeMainForm,
} from './other-main';
import { reconciliationRunMainForm } from './reconciliation-run-main';
import { subscriptionMainForm } from './subscription-main';

/** One main form per table the solution owns. */
export const FORMS: readonly FormDef[] = [
  offerMainForm,
  priceListMainForm,
  priceListItemMainForm,
  billingContractMainForm,
  subscriptionMainForm,
  promotionMainForm,
  oneTimeChargeMainForm,
  subscriptionChangeMainForm,
  billingImportMainForm,
  billingLineMainForm,
  reconciliationRunMainForm,
  discrepancyMainForm,
  invoiceRunMainForm,
  invoiceMainForm,
  invoiceNumberingMainForm,
  exchangeRateMainForm,
  invoiceLineMainForm,
  monthEndRunMainForm,
  microsoftPriceMainForm,
  accrualRunMainForm,
  accrualLineMainForm,
  priceReviewMainForm,
  priceReviewLineMainForm,
];
