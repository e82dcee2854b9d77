/**
 * npm run renewals -- --org <snapshot.json> [--as-of YYYY-MM-DD] [--price-sheet <file> [--market XX]] [--below-floor]
 * The price review of coming renewals: every active subscription whose term renews in the next 60
 * days, the price its margin rule gives for the next term (the contract's rule, else the offer's:
 * percent on cost, discount off the ERP price, or a fixed price) from Microsoft's price on the
 * renewal day (the price list's, else the CRM cost), and the margin that leaves; those below their
 * floor first (core/src/prices/margin.ts). Exit 2 on unusable input.
 */
import { formatIso, renewalInputs, renewalsDue, reviewLine, reviewRenewals, RENEWAL_BUCKETS, type ReviewSubject, type Term } from '../core/src';
import { contractMarginRule, MappingError, offerMarginRule } from '../dataverse/src/mappers';
import { asOfArg, parseArgs, runCommand, UsageError } from './cli-args';
import { InputError, readPrices, readSnapshot } from './reconcile';
import { crmSubscriptionsOf } from './sync';

export const RENEWALS_USAGE = `usage: npm run renewals -- --org <snapshot.json> [--as-of YYYY-MM-DD] [--price-sheet <file> [--market XX]] [--below-floor]
  --org <snapshot.json> the CRM snapshot (cspb-snapshot version 1)
  --as-of YYYY-MM-DD    the day renewals are counted from (default: today, UTC)
  --price-sheet <file>  Microsoft's licence-based price list: the cost of the next term on its first day
  --market <code>       the partner's market in a price sheet of several
  --below-floor         list only the renewals whose margin would fall below their floor`;

const TERMS: Readonly<Record<number, Term>> = { 100000000: 'P1M', 100000001: 'P1Y', 100000002: 'P3Y' };
const PLANS = { 100000000: 'monthly', 100000001: 'annual', 100000002: 'triennial' } as const;

export async function reviewText(argv: readonly string[]): Promise<string> {
  const args = parseArgs(argv, { values: ['org', 'as-of', 'price-sheet', 'market'], flags: ['below-floor'], usage: RENEWALS_USAGE });
  const org = args.value('org');
  if (!org) throw new UsageError(`--org is required\n${RENEWALS_USAGE}`);
  const asOf = asOfArg(args.value('as-of'));
  const sheet = args.value('price-sheet');
  if (args.value('market') !== undefined && sheet === undefined) throw new UsageError('--market names the market of a --price-sheet: give the price sheet too');
  const prices = sheet === undefined ? undefined : await readPrices(sheet, args.value('market'));
  const rows = readSnapshot(org);
  const offers = new Map(rows.cspb_offer.map((o) => [o.cspb_offerid, o]));
  const contracts = new Map(rows.cspb_billingcontract.map((c) => [c.cspb_billingcontractid, c]));
  const byId = new Map(
    rows.cspb_subscription.flatMap((s) => [
      [s.cspb_subscriptionid.toLowerCase(), s] as const,
      ...(s.cspb_vendorsubscriptionid ? [[s.cspb_vendorsubscriptionid.toLowerCase(), s] as const] : []),
    ]),
  );
  const subjects: ReviewSubject[] = [];
  try {
    for (const account of rows.account.filter((a) => a.cspb_tenantid)) {
      const crm = crmSubscriptionsOf(rows, account.cspb_tenantid!, asOf, org);
      const due = renewalsDue(renewalInputs([], crm.subscriptions), asOf);
      for (const renewal of RENEWAL_BUCKETS.flatMap((b) => due.buckets[b])) {
        const row = byId.get(renewal.vendorSubscriptionId.toLowerCase());
        const offer = row?._cspb_offerid_value ? offers.get(row._cspb_offerid_value) : undefined;
        const contract = row?._cspb_contractid_value ? contracts.get(row._cspb_contractid_value) : undefined;
        const fromContract = contract ? contractMarginRule(contract) : undefined;
        const fromOffer = offer ? offerMarginRule(offer) : undefined;
        const rule = fromContract
          ? { rule: fromContract, source: `contract '${contract!.cspb_name}'` }
          : fromOffer
            ? { rule: fromOffer, source: `offer '${offer!.cspb_name}'` }
            : undefined;
        subjects.push({
          renewal,
          ...(offer?.cspb_productid ? { productId: offer.cspb_productid } : {}),
          ...(offer?.cspb_skuid ? { skuId: offer.cspb_skuid } : {}),
          ...(offer && TERMS[offer.cspb_term] ? { term: TERMS[offer.cspb_term] } : {}),
          ...(offer && offer.cspb_billingplan in PLANS ? { billingPlan: PLANS[offer.cspb_billingplan as keyof typeof PLANS] } : {}),
          ...(rule ? { rule } : {}),
        });
      }
    }
  } catch (error) {
    if (error instanceof MappingError) throw new InputError(`${org}: ${error.message}`);
    throw error;
  }
  const reviewed = reviewRenewals(subjects, prices?.book);
  const below = reviewed.filter((r) => r.belowFloor);
  const shown = args.flag('below-floor') ? below : reviewed;
  return [
    `Renewals in the next 60 days as of ${formatIso(asOf)}: ${reviewed.length}, ${below.length} below their margin floor${prices ? '' : " (costs: the CRM; give --price-sheet for Microsoft's price on the renewal day)"}`,
    ...shown.map((r) => `  ${reviewLine(r, asOf)}`),
  ].join('\n');
}

if (require.main === module)
  runCommand(
    async () => console.log(await reviewText(process.argv.slice(2))),
    (error) => error instanceof InputError,
  );
