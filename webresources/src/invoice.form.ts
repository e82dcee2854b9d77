/**
 * Invoice main form (`Cspb.InvoiceForm`): totals are computed by the invoice run and never typed;
 * an issued invoice (or a cancelled one) is locked entirely. "Issue" and "Credit note" are
 * command-bar actions in the commands bundle.
 */
import { CspbInvoiceInvoiceStatus } from '../../dataverse/generated/cspb_invoice';
import { bindCurrency } from './currency';
import { notify } from './notify';
import { t } from './strings';

export const TOTALS = ['cspb_subtotal', 'cspb_taxtotal', 'cspb_total', 'cspb_cost', 'cspb_margin'] as const;
export const ISSUED_ID = 'cspb-invoice-issued';

export function onLoad(executionContext: Xrm.Events.EventContext): Promise<void> {
  const form = executionContext.getFormContext();
  const currency = bindCurrency(form);
  for (const name of TOTALS) form.getControl<Xrm.Controls.StandardControl>(name)?.setDisabled(true);
  const status = form.getAttribute('cspb_invoicestatus')?.getValue() as number | null | undefined;
  if (status === CspbInvoiceInvoiceStatus.Issued || status === CspbInvoiceInvoiceStatus.Cancelled) {
    form.ui.controls.forEach((control) => {
      const c = control as Xrm.Controls.StandardControl;
      if (typeof c.setDisabled === 'function') c.setDisabled(true);
    });
    notify(form, t(status === CspbInvoiceInvoiceStatus.Cancelled ? 'invoiceCancelledLocked' : 'invoiceIssuedLocked'), 'INFO', ISSUED_ID);
  } else {
    form.ui.clearFormNotification(ISSUED_ID);
  }
  return currency;
}
