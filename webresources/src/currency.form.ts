/**
 * Form script of the tables users create that have amounts but no script of their own (the offer):
 * `Cspb.CurrencyForm.onLoad` keeps the Currency lookup equal to the ISO code (see currency.ts).
 */
import { bindCurrency } from './currency';

export function onLoad(executionContext: Xrm.Events.EventContext): Promise<void> {
  return bindCurrency(executionContext.getFormContext());
}

/** Rows of a contract (one-time charges): a new row takes its contract's currency code. */
export function onLoadUnderContract(executionContext: Xrm.Events.EventContext): Promise<void> {
  return bindCurrency(executionContext.getFormContext(), 'cspb_contractid');
}
