/**
 * npm run prices -- --file <price list.csv> (--org <url> [--client-id <app> --tenant <tenant>] | --local-org [<file>])
 *                   [--market XX] [--accept-rejected]
 * Imports Microsoft's new-commerce licence-based price list (the CSV of Partner Center's Pricing and
 * offers, or the price sheet API's file) into the org's Microsoft prices, one market's rows, upserted
 * by their price key (product, SKU, term, plan, market, currency, start, tier): importing the same
 * sheet again changes nothing, a newer sheet adds its new periods. The reconciliation run then checks
 * each term's CRM cost against them (stale CRM cost). Every row is written or listed as rejected with
 * its row, column and value; exit 2 when any was rejected (unless --accept-rejected) or on unusable input.
 */
import { retrieveAll } from '../dataverse/src/client/retrieve-all';
import type { DataverseClient, EntityRecord } from '../dataverse/src/client/types';
import { writeBulk } from '../dataverse/src/bulk';
import { MappingError, priceKeyOf, priceRowToRecord } from '../dataverse/src/mappers';
import type { PriceRow } from '../core/src';
import { parseArgs, runCommand, UsageError } from './cli-args';
import { DEFAULT_LOCAL_ORG, openOrg, ORG_ARG_NAMES, orgArg } from './pull';
import { InputError, readPriceSheetFile } from './cli-inputs';

export const PRICES_USAGE = `usage: npm run prices -- --file <price list.csv> (--org <url> [--client-id <app id> --tenant <tenant>] | --local-org [<file>])
       [--market XX] [--accept-rejected]
  --file <csv>          Microsoft's licence-based price list (Partner Center > Pricing and offers, or the price sheet API's file)
  --org <url>           the Dataverse environment (client credentials: CSPB_CLIENT_SECRET; or CSPB_DATAVERSE_TOKEN)
  --local-org [<file>]  the workbench's embedded org (default build/workbench/org.json; stop the workbench first)
  --market XX           the partner's market, when the sheet holds several (US, GB, ...)
  --accept-rejected     exit 0 although rows were rejected (they are listed)`;

/** Price rows written per UpsertMultiple request. */
const BATCH = 500;

export interface PricesResult {
  readonly market: string;
  readonly written: number;
  readonly rejected: ReadonlyArray<{ row: number; column: string; value: string; reason: string }>;
  readonly otherMarkets: number;
}

/** Imports a read sheet's rows of one market into the org (the command's work, callable from tests). */
export async function importPrices(client: DataverseClient, rows: readonly PriceRow[], market: string | undefined): Promise<PricesResult> {
  const markets = [...new Set(rows.map((r) => r.market))].sort();
  if (market === undefined && markets.length > 1)
    throw new UsageError(`the price sheet holds ${markets.length} markets (${markets.join(', ')}): give --market`);
  const wanted = (market ?? markets[0] ?? '').toUpperCase();
  if (market !== undefined && !markets.includes(wanted))
    throw new InputError(`the price sheet has no row for market ${wanted} (it holds ${markets.join(', ')})`);
  // The runs cannot tell two markets apart: the org keeps one market's prices.
  const other = await retrieveAll<EntityRecord>(client, 'cspb_microsoftprices', { select: ['cspb_market'], filter: `cspb_market ne '${wanted}'`, top: 1 });
  if (other.length > 0)
    throw new InputError(
      `the org holds Microsoft prices of market ${String(other[0]!['cspb_market'])}: delete them before importing ${wanted}'s (the runs price in one market)`,
    );
  const mine = rows.filter((r) => r.market === wanted);
  const rejected: Array<{ row: number; column: string; value: string; reason: string }> = [];
  const records: EntityRecord[] = [];
  // One price per key: a second row with the same key would overwrite the first (the runs would then
  // see one price where the file has two). Both are refused, as the price book refuses to guess.
  const rowsByKey = new Map<string, PriceRow[]>();
  for (const r of mine) rowsByKey.set(priceKeyOf(r), [...(rowsByKey.get(priceKeyOf(r)) ?? []), r]);
  for (const r of mine) {
    const same = rowsByKey.get(priceKeyOf(r))!;
    if (same.length > 1) {
      const others = same.filter((o) => o !== r).map((o) => o.row);
      rejected.push({
        row: r.row,
        column: 'ProductId',
        value: r.productId,
        reason: `the same product, SKU, term, plan, market, currency, start and tier as row ${others.join(', ')}`,
      });
      continue;
    }
    try {
      records.push(priceRowToRecord(r) as EntityRecord);
    } catch (e) {
      if (!(e instanceof MappingError)) throw e;
      rejected.push({ row: r.row, column: e.column, value: String(e.value), reason: e.message });
    }
  }
  const outcome = await writeBulk(client, records, { entitySet: 'cspb_microsoftprices', keyColumns: ['cspb_pricekey'], batchSize: BATCH });
  for (const e of outcome.errors) {
    const r = records[e.index]!;
    rejected.push({ row: Number(r['cspb_sheetrow']), column: '(row)', value: String(r['cspb_pricekey']), reason: `Dataverse refused it: ${e.error.message}` });
  }
  return { market: wanted, written: outcome.rowsWritten, rejected, otherMarkets: rows.length - mine.length };
}

async function main(argv: readonly string[]): Promise<void> {
  const given = [...argv];
  const local = given.indexOf('--local-org');
  if (local >= 0 && (given[local + 1] === undefined || given[local + 1]!.startsWith('--'))) given.splice(local + 1, 0, DEFAULT_LOCAL_ORG);
  const args = parseArgs(given, { values: ['file', 'market', ...ORG_ARG_NAMES], flags: ['accept-rejected'], usage: PRICES_USAGE });
  const file = args.value('file');
  if (!file) throw new UsageError(`--file is required\n${PRICES_USAGE}`);
  const target = orgArg(args, process.env);
  if (!target) throw new UsageError(`give one of --org, --local-org\n${PRICES_USAGE}`);
  const sheet = await readPriceSheetFile(file);
  const org = await openOrg(target, process.env);
  try {
    const result = await importPrices(org.client, sheet.rows, args.value('market'));
    const rejected = [...sheet.rejected, ...result.rejected].sort((a, b) => a.row - b.row);
    console.log(
      `${file}: ${sheet.rowsRead.toLocaleString('en-US')} price rows read; ${result.written.toLocaleString('en-US')} of market ${result.market} written${
        result.otherMarkets > 0 ? `, ${result.otherMarkets.toLocaleString('en-US')} of other markets left out` : ''
      }; ${rejected.length} rejected`,
    );
    for (const r of rejected.slice(0, 50)) console.log(`  row ${r.row}, ${r.column} ${JSON.stringify(r.value)}: ${r.reason}`);
    if (rejected.length > 50) console.log(`  ... and ${rejected.length - 50} more`);
    if (rejected.length > 0 && !args.flag('accept-rejected')) {
      console.error(`error: ${rejected.length} price row(s) were not imported (listed above): correct the file and import it again, or give --accept-rejected`);
      process.exitCode = 2;
    }
  } finally {
    await org.close();
  }
}

if (require.main === module)
  runCommand(
    () => main(process.argv.slice(2)),
    (error) => error instanceof InputError,
  );
