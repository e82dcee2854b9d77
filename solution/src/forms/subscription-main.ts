import type { FormDef } from '../form-xml';
import { SUBSCRIPTION_FORM_SCRIPT } from './controls';

/** The subscription main form: what sales see and change. The script guards quantity changes. */
export const subscriptionMainForm: FormDef = {
  table: 'cspb_subscription',
  name: 'Subscription',
  description: 'Main form for a customer subscription.',
  sections: [
    {
      name: 'general',
      label: 'General',
      fields: ['cspb_name', 'cspb_customerid', 'cspb_offerid', 'cspb_contractid', 'cspb_vendorsubscriptionid', 'cspb_status'],
    },
    { name: 'quantity', label: 'Quantity', fields: ['cspb_quantity', 'cspb_changeeffectivedate', 'cspb_changereason'] },
    {
      name: 'term',
      label: 'Term and prices',
      fields: [
        'cspb_termstartdate',
        'cspb_termenddate',
        'cspb_autorenew',
        'cspb_customerunitprice',
        'cspb_vendorunitcost',
        'cspb_currencycode',
        'transactioncurrencyid',
      ],
    },
    {
      name: 'ledger',
      label: 'Ledger',
      subgrids: [
        {
          id: 'ledger',
          label: 'Changes',
          targetTable: 'cspb_subscriptionchange',
          relationshipName: 'cspb_subscription_cspb_subscriptionchange_subscriptionid',
          view: 'active',
        },
      ],
    },
  ],
  // The invoice preview library first: the form script calls Cspb.InvoicePreview.
  libraries: ['cspb_/scripts/invoice-preview.js', SUBSCRIPTION_FORM_SCRIPT],
  // onLoad registers onQuantityChange, onEffectiveDateChange and onSave itself (webresources/src/subscription.form.ts).
  handlers: [{ event: 'onload', functionName: 'Cspb.SubscriptionForm.onLoad', library: SUBSCRIPTION_FORM_SCRIPT }],
};
