import { choice, currencyCode, dateOnly, lookup, money, text, whole, yesNo } from '../columns';
import type { TableDef } from '../types';

const name = text('cspb_Name', {
  display: 'Name',
  description: 'Product and customer, as sales recognise the subscription.',
  required: 'required',
  maxLength: 200,
});

/** A customer's subscription to a Microsoft (or distributor) offer. Quantity is kept from the ledger. */
export const subscription: TableDef = {
  logicalName: 'cspb_subscription',
  schemaName: 'cspb_Subscription',
  displayName: 'Subscription',
  pluralName: 'Subscriptions',
  description: 'A customer subscription billed by Microsoft or a distributor; its ledger is the authority on quantity.',
  entitySetName: 'cspb_subscriptions',
  ownership: 'UserOwned',
  primaryName: name,
  columns: [
    name,
    whole('cspb_Quantity', {
      display: 'Quantity',
      description: 'Licences in force, maintained from the subscription ledger.',
      required: 'required',
      min: 0,
      max: 1_000_000,
    }),
    choice('cspb_Status', {
      display: 'Subscription status',
      description: 'Lifecycle status as Partner Center reports it.',
      required: 'required',
      optionSetName: 'cspb_subscription_status',
      options: [
        ['Active', 'Active', 'active'],
        ['Suspended', 'Suspended', 'suspended'],
        ['Cancelled', 'Cancelled', 'cancelled'],
        ['Expired', 'Expired', 'expired'],
      ],
      defaultKey: 'Active',
    }),
    text('cspb_VendorSubscriptionId', {
      display: 'Vendor subscription id',
      description: 'The SubscriptionId on Microsoft or distributor bills; the first key for matching bill lines.',
      required: 'recommended',
      maxLength: 100,
    }),
    dateOnly('cspb_TermStartDate', { display: 'Term start date', description: 'First day of the current commitment term.' }),
    dateOnly('cspb_TermEndDate', { display: 'Term end date', description: 'Last day of the current commitment term (inclusive, as Partner Center shows it).' }),
    yesNo('cspb_AutoRenew', { display: 'Auto-renew', description: 'Whether the term renews by itself at its end.', defaultValue: true }),
    money('cspb_CustomerUnitPrice', {
      display: 'Customer unit price',
      description: 'What the customer pays per unit per billing period, in the contract currency.',
    }),
    money('cspb_VendorUnitCost', { display: 'Vendor unit cost', description: 'What the vendor charges per unit per billing period, in the vendor currency.' }),
    currencyCode(),
    dateOnly('cspb_ChangeEffectiveDate', {
      display: 'Change effective date',
      description: 'The date a pending quantity change takes effect; the form asks for it and the ledger records it.',
    }),
    text('cspb_ChangeReason', { display: 'Change reason', description: 'Why the pending quantity change is made; the ledger records it.', maxLength: 500 }),
    choice('cspb_ChangeOrigin', {
      display: 'Change origin',
      description:
        'Where the pending change comes from when its writer says so (Partner Center sync writes Sync); the ledger records it. Empty: Form when the save carries a change effective date, else API.',
      optionSetName: 'cspb_subscription_changeorigin',
      options: [
        ['Form', 'Form', 'form'],
        ['Api', 'API', 'api'],
        ['Import', 'Import', 'import'],
        ['Sync', 'Partner Center sync', 'sync'],
      ],
    }),
    lookup('cspb_CustomerId', {
      display: 'Customer',
      description: 'The account billed for this subscription.',
      required: 'required',
      target: 'account',
      targetEntitySet: 'accounts',
      relationshipName: 'cspb_account_cspb_subscription_customerid',
      onDelete: 'Restrict',
    }),
    lookup('cspb_ContractId', {
      display: 'Billing contract',
      description: 'The contract the customer is invoiced under for this subscription.',
      target: 'cspb_billingcontract',
      targetEntitySet: 'cspb_billingcontracts',
      relationshipName: 'cspb_billingcontract_cspb_subscription_contractid',
      onDelete: 'Restrict',
    }),
    lookup('cspb_OfferId', {
      display: 'Offer',
      description: 'The SKU subscribed to.',
      required: 'required',
      target: 'cspb_offer',
      targetEntitySet: 'cspb_offers',
      relationshipName: 'cspb_offer_cspb_subscription_offerid',
      onDelete: 'Restrict',
    }),
  ],
  keys: [{ schemaName: 'cspb_key_vendorsubscriptionid', displayName: 'Vendor subscription id', columns: ['cspb_vendorsubscriptionid'] }],
};
