import { choice, currencyCode, dateOnly, lookup, money, text, whole } from '../columns';
import type { TableDef } from '../types';

const name = text('cspb_Name', { display: 'Name', description: 'Change type, quantities and date, for lists.', required: 'required', maxLength: 200 });

/** The subscription ledger: one append-only row per change, never edited. */
export const subscriptionChange: TableDef = {
  logicalName: 'cspb_subscriptionchange',
  schemaName: 'cspb_SubscriptionChange',
  displayName: 'Subscription change',
  pluralName: 'Subscription changes',
  description: 'The append-only subscription ledger: every quantity, price, term and status change with its effective date.',
  entitySetName: 'cspb_subscriptionchanges',
  ownership: 'UserOwned',
  primaryName: name,
  columns: [
    name,
    lookup('cspb_SubscriptionId', {
      display: 'Subscription',
      description: 'The subscription this ledger row belongs to.',
      required: 'required',
      target: 'cspb_subscription',
      targetEntitySet: 'cspb_subscriptions',
      relationshipName: 'cspb_subscription_cspb_subscriptionchange_subscriptionid',
      // The ledger is evidence: a subscription with history cannot be deleted.
      onDelete: 'Restrict',
    }),
    whole('cspb_Sequence', { display: 'Sequence', description: 'Position in the subscription ledger (1, 2, 3...); replay order.', required: 'required', min: 1 }),
    choice('cspb_ChangeType', {
      display: 'Change type',
      description: 'What changed.',
      required: 'required',
      optionSetName: 'cspb_changetype',
      options: [
        ['New', 'New'], ['Add', 'Add seats'], ['Remove', 'Remove seats'], ['Cancel', 'Cancel'], ['Renew', 'Renew'],
        ['Convert', 'Convert'], ['Price', 'Price change'], ['Term', 'Term change'], ['BillingPlan', 'Billing plan change'],
        ['Suspend', 'Suspend'], ['Reactivate', 'Reactivate'],
      ],
    }),
    whole('cspb_QuantityBefore', { display: 'Quantity before', description: 'Quantity in force before the change.', required: 'required' }),
    whole('cspb_QuantityDelta', { display: 'Quantity delta', description: 'Signed change in quantity.', required: 'required', min: -1_000_000, max: 1_000_000 }),
    whole('cspb_QuantityAfter', { display: 'Quantity after', description: 'Quantity in force after the change (never negative).', required: 'required' }),
    dateOnly('cspb_EffectiveDate', { display: 'Effective date', description: 'The calendar date the change takes effect.', required: 'required' }),
    money('cspb_UnitPrice', { display: 'Customer unit price', description: 'Customer unit price in force from this change.' }),
    money('cspb_UnitCost', { display: 'Vendor unit cost', description: 'Vendor unit cost in force from this change.' }),
    currencyCode(),
    choice('cspb_Source', {
      display: 'Source',
      description: 'Where the change came from.',
      required: 'required',
      optionSetName: 'cspb_changesource',
      options: [['Form', 'Form'], ['Api', 'API'], ['Import', 'Import'], ['Sync', 'Partner Center sync']],
      defaultKey: 'Form',
    }),
    text('cspb_Reason', { display: 'Reason', description: 'Why the change was made, as the user gave it.', maxLength: 500 }),
    text('cspb_ReferenceId', { display: 'Reference id', description: "Id tying the change to the vendor's order or bill lines (ReferenceId).", maxLength: 100 }),
  ],
  keys: [{ schemaName: 'cspb_key_subscription_sequence', displayName: 'Subscription and sequence', columns: ['cspb_subscriptionid', 'cspb_sequence'] }],
};
