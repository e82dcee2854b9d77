/**
 * Subscription main form. Bundled by esbuild into one IIFE exposed as
 * `Cspb.SubscriptionForm`; the form's OnLoad event calls `Cspb.SubscriptionForm.onLoad`
 * with "pass execution context" on.
 */
import { messages } from './messages';

const QUANTITY = 'cspb_quantity';
const EFFECTIVE_DATE = 'cspb_changeeffectivedate';
const NEGATIVE_QUANTITY_ID = 'cspb-quantity-negative';

/** Quantity as loaded: a change is judged against it, not against isDirty (which never resets on undo). */
let quantityAtLoad: number | null = null;

export function onLoad(executionContext: Xrm.Events.EventContext): void {
  const form = executionContext.getFormContext();
  const quantity = form.getAttribute<Xrm.Attributes.NumberAttribute>(QUANTITY);
  quantityAtLoad = quantity?.getValue() ?? null;
  quantity?.addOnChange(onQuantityChange);
  form.getAttribute(EFFECTIVE_DATE)?.setRequiredLevel('none');
}

/**
 * A negative quantity is refused with a notification on the control (Dataverse will not save a
 * form with a control notification); any other change asks for the date it takes effect.
 */
export function onQuantityChange(executionContext: Xrm.Events.EventContext): void {
  const form = executionContext.getFormContext();
  const quantity = form.getAttribute<Xrm.Attributes.NumberAttribute>(QUANTITY);
  const control = form.getControl<Xrm.Controls.NumberControl>(QUANTITY);
  const effectiveDate = form.getAttribute(EFFECTIVE_DATE);
  if (!quantity) return;

  const value = quantity.getValue();
  if (value !== null && value < 0) {
    control?.setNotification(messages.negativeQuantity(value), NEGATIVE_QUANTITY_ID);
    return;
  }
  control?.clearNotification(NEGATIVE_QUANTITY_ID);
  effectiveDate?.setRequiredLevel(value !== quantityAtLoad ? 'required' : 'none');
}
