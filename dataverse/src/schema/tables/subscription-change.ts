import { choice, currencyCode, dateOnly, lookup, money, text, whole, yesNo } from '../columns';
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
    whole('cspb_Sequence', {
      display: 'Sequence',
      description: 'Position in the subscription ledger (1, 2, 3...); replay order.',
      required: 'required',
      min: 1,
    }),
    choice('cspb_ChangeType', {
      display: 'Change type',
      description: 'What changed.',
      required: 'required',
      optionSetName: 'cspb_changetype',
      options: [
        ['New', 'New', 'new'],
        ['Add', 'Add seats', 'add'],
        ['Remove', 'Remove seats', 'remove'],
        ['Cancel', 'Cancel', 'cancel'],
        ['Renew', 'Renew', 'renew'],
        ['Convert', 'Convert', 'convert'],
        ['Price', 'Price change', 'price'],
        ['Term', 'Term change', 'term'],
        ['BillingPlan', 'Billing plan change', 'billingPlan'],
        ['Suspend', 'Suspend', 'suspend'],
        ['Reactivate', 'Reactivate', 'reactivate'],
      ],
    }),
    whole('cspb_QuantityBefore', { display: 'Quantity before', description: 'Quantity in force before the change.', required: 'required' }),
    whole('cspb_QuantityDelta', {
      display: 'Quantity delta',
      description: 'Signed change in quantity.',
      required: 'required',
      min: -1_000_000,
      max: 1_000_000,
    }),
    whole('cspb_QuantityAfter', { display: 'Quantity after', description: 'Quantity in force after the change (never negative).', required: 'required' }),
    dateOnly('cspb_EffectiveDate', { display: 'Effective date', description: 'The calendar date the change takes effect.', required: 'required' }),
    money('cspb_UnitPrice', { display: 'Customer unit price', description: 'Customer unit price in force from this change.' }),
    money('cspb_UnitCost', { display: 'Vendor unit cost', description: 'Vendor (Microsoft) unit price in force from this change, in the pricing currency.' }),
    currencyCode(),
    text('cspb_ProductId', { display: 'Product id', description: 'Product in force from this change (set on new and convert).', maxLength: 50 }),
    text('cspb_ProductName', { display: 'Product name', description: 'Product name in force from this change.', maxLength: 200 }),
    choice('cspb_Term', {
      display: 'Term',
      description: 'Term in force from this change (set on new, renew and term changes).',
      optionSetName: 'cspb_subscriptionchange_term',
      options: [
        ['P1M', 'Monthly (P1M)', 'P1M'],
        ['P1Y', 'Annual (P1Y)', 'P1Y'],
        ['P3Y', 'Three years (P3Y)', 'P3Y'],
      ],
    }),
    choice('cspb_BillingPlan', {
      display: 'Billing plan',
      description: 'Billing plan in force from this change.',
      optionSetName: 'cspb_subscriptionchange_billingplan',
      options: [
        ['Monthly', 'Monthly', 'monthly'],
        ['Annual', 'Annual', 'annual'],
        ['Triennial', 'Triennial', 'triennial'],
      ],
    }),
    // A choice, not yes/no: empty means "unchanged by this entry", which a yes/no column cannot say.
    choice('cspb_AutoRenew', {
      display: 'Auto-renew',
      description: 'Auto-renew switched on or off by this change; empty when unchanged.',
      optionSetName: 'cspb_subscriptionchange_autorenew',
      options: [
        ['On', 'On', 'on'],
        ['Off', 'Off', 'off'],
      ],
    }),
    yesNo('cspb_OpenedByConversion', {
      display: 'Opened by conversion',
      description: "Opened by another subscription's partial conversion: the source subscription's ledger bills the move.",
      defaultValue: false,
    }),
    text('cspb_TargetProductId', { display: 'Converted to product', description: 'For a conversion: the product the seats move to.', maxLength: 50 }),
    text('cspb_TargetProductName', { display: 'Converted to product name', description: 'For a conversion: the target product name.', maxLength: 200 }),
    money('cspb_TargetUnitPrice', {
      display: 'Converted unit price',
      description: 'For a conversion: the target product unit price, in the pricing currency.',
    }),
    whole('cspb_ConvertedQuantity', { display: 'Converted quantity', description: 'For a conversion: how many seats move.' }),
    text('cspb_TargetVendorSubscriptionId', {
      display: 'Converted into subscription',
      description: 'For a partial conversion: the vendor subscription id the seats move into.',
      maxLength: 100,
    }),
    choice('cspb_Source', {
      display: 'Source',
      description: 'Where the change came from.',
      required: 'required',
      optionSetName: 'cspb_changesource',
      options: [
        ['Form', 'Form', 'form'],
        ['Api', 'API', 'api'],
        ['Import', 'Import', 'import'],
        ['Sync', 'Partner Center sync', 'sync'],
      ],
      defaultKey: 'Form',
    }),
    text('cspb_Reason', { display: 'Reason', description: 'Why the change was made, as the user gave it.', maxLength: 500 }),
    text('cspb_ReferenceId', {
      display: 'Reference id',
      description: "Id tying the change to the vendor's order or bill lines (ReferenceId).",
      maxLength: 100,
    }),
    text('cspb_ChangeKey', {
      display: 'Change key',
      description:
        'Identity of the change that wrote this row (v<row version>.<n> for a saved subscription): a redelivered ledger step finds it and writes nothing.',
      required: 'required',
      maxLength: 100,
    }),
  ],
  keys: [
    { schemaName: 'cspb_key_subscription_sequence', displayName: 'Subscription and sequence', columns: ['cspb_subscriptionid', 'cspb_sequence'] },
    { schemaName: 'cspb_key_subscription_changekey', displayName: 'Subscription and change key', columns: ['cspb_subscriptionid', 'cspb_changekey'] },
  ],
};
