/**
 * npm run renewals -- --org <snapshot.json> [--as-of YYYY-MM-DD] [--price-sheet <file> [--market XX]] [--below-floor]
 * The price review of coming renewals: every active subscription whose term renews in the next 60
 * days, the price its margin rule gives for the next term (the contract's rule, else the offer's:
 * percent on cost, discount off the ERP price, or a fixed price) from Microsoft's price on the
 * renewal day (the price list's, else the CRM cost), and the margin that leaves; those below their
 * floor first. The Dynamics *Price review* makes the same call (dataverse/src/runs/price-review-run.ts).
 * Exit 2 on unusable input.
 */
import { formatIso, reviewLine, type RenewalReview } from '../core/src';
import { MappingError } from '../dataverse/src/mappers';
import { reviewRenewalsFromRows } from '../dataverse/src/runs';
import { asOfArg, parseArgs, runCommand, UsageError } from './cli-args';
import { InputError, readPrices, readSnapshot } from './cli-inputs';

export const RENEWALS_USAGE = `usage: npm run renewals -- --org <snapshot.json> [--as-of YYYY-MM-DD] [--price-sheet <file> [--market XX]] [--below-floor]
  --org <snapshot.json> the CRM snapshot (cspb-snapshot version 1)
  --as-of YYYY-MM-DD    the day renewals are counted from (default: today, UTC)
  --price-sheet <file>  Microsoft's licence-based price list: the cost of the next term on its first day
  --market <code>       the partner's market in a price sheet of several
  --below-floor         list only the renewals whose margin would fall below their floor`;

export async function reviewText(argv: readonly string[]): Promise<string> {
  const args = parseArgs(argv, { values: ['org', 'as-of', 'price-sheet', 'market'], flags: ['below-floor'], usage: RENEWALS_USAGE });
  const org = args.value('org');
  if (!org) throw new UsageError(`--org is required\n${RENEWALS_USAGE}`);
  const asOf = asOfArg(args.value('as-of'));
  const sheet = args.value('price-sheet');
  if (args.value('market') !== undefined && sheet === undefined) throw new UsageError('--market names the market of a --price-sheet: give the price sheet too');
  const prices = sheet === undefined ? undefined : await readPrices(sheet, args.value('market'));
  const rows = readSnapshot(org);
  let reviewed: RenewalReview[];
  try {
    reviewed = reviewRenewalsFromRows(rows, asOf, prices?.book).map((r) => r.review);
  } catch (error) {
    if (error instanceof MappingError) throw new InputError(`${org}: ${error.message}`);
    throw error;
  }
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
