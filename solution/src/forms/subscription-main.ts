import type { FormDef } from '../form-xml';

/** The subscription main form: what sales see and change. The script guards quantity changes. */
export const subscriptionMainForm: FormDef = {
  table: 'cspb_subscription',
  name: 'Subscription',
  description: 'Main form for a customer subscription.',
  sections: [
    {
      name: 'general',
      label: 'General',
      fields: ['cspb_name', 'cspb_customerid', 'cspb_vendorsubscriptionid', 'cspb_status'],
    },
    {
      name: 'quantity',
      label: 'Quantity',
      fields: ['cspb_quantity', 'cspb_changeeffectivedate', 'cspb_termenddate'],
    },
  ],
  library: 'cspb_/scripts/subscription.form.js',
  onLoad: 'Cspb.SubscriptionForm.onLoad',
};
