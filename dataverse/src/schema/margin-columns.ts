import { choice, decimal } from './columns';

/**
 * A margin rule's columns (core/src/prices/margin.ts), on a billing contract (the customer's deal,
 * which wins) and on an offer: how a renewal is priced from Microsoft's cost, and the least margin it
 * may leave. A fixed price is an offer's only: a contract covers many products.
 */
export function marginColumns(owner: 'contract' | 'offer') {
  const kinds: Array<[string, string, string]> = [
    ['PercentOnCost', 'Percent on cost', 'percentOnCost'],
    ['DiscountOffErp', 'Discount off ERP price', 'discountOffErp'],
  ];
  if (owner === 'offer') kinds.push(['FixedPrice', 'Fixed price', 'fixedPrice']);
  return [
    choice('cspb_MarginRule', {
      display: 'Margin rule',
      description:
        owner === 'contract'
          ? "How this contract's renewals are priced from Microsoft's price at renewal (it wins over the offer's rule)."
          : "How this offer's renewals are priced from Microsoft's price at renewal, where the contract has no rule.",
      optionSetName: `cspb_${owner}_marginrule`,
      options: kinds,
    }),
    decimal('cspb_MarginPercent', {
      display: 'Margin percent',
      description: "Percent on cost: the markup on Microsoft's price; discount off ERP: the discount off the ERP price.",
      precision: 2,
      min: -100,
      max: 1000,
    }),
    ...(owner === 'offer'
      ? [
          decimal('cspb_MarginFixedPrice', {
            display: 'Fixed renewal price',
            description: 'Fixed price: what a seat renews at for the customer, per billing cycle, in the offer currency.',
            precision: 2,
            min: 0,
            max: 100_000_000,
          }),
        ]
      : []),
    decimal('cspb_MarginFloor', {
      display: 'Margin floor (%)',
      description: 'The least margin a renewal may leave, as a percent of the customer price: a renewal below it is listed for review.',
      precision: 2,
      min: -100,
      max: 100,
    }),
  ];
}
