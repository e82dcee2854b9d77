/**
 * Writes the sample partner (snapshot), Microsoft's October 2026 bill (licences and daily usage),
 * the October invoices the partner sent (one billed subscription forgotten) and the manifest of planted discrepancies to a folder (default build/sample-data).
 *   npm run sample -- [--out <dir>] [--clean] [--seed <n>]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { invoicesToJson } from '../core/src';
import { parseArgs, runCommand, wholeArg } from './cli-args';
import { DEFAULT_SEED, generateSample } from './sample-data';

export const SAMPLE_FILES = {
  snapshot: 'org-snapshot.json',
  licences: 'nce-invoice-2026-10.csv',
  usage: 'nce-daily-usage-2026-10.csv',
  invoices: 'invoices-sent-2026-10.json',
  manifest: 'planted-discrepancies.json',
} as const;

export function writeSample(dir: string, options: { clean?: boolean; seed?: number } = {}): Record<keyof typeof SAMPLE_FILES, string> {
  const sample = generateSample(options);
  mkdirSync(dir, { recursive: true });
  const paths = Object.fromEntries(Object.entries(SAMPLE_FILES).map(([k, f]) => [k, join(dir, f)])) as Record<keyof typeof SAMPLE_FILES, string>;
  writeFileSync(paths.snapshot, JSON.stringify(sample.snapshot, null, 2) + '\n');
  writeFileSync(paths.licences, sample.licenceCsv);
  writeFileSync(paths.usage, sample.usageCsv);
  writeFileSync(paths.invoices, invoicesToJson(sample.sent.invoices) + '\n');
  writeFileSync(
    paths.manifest,
    JSON.stringify(
      { seed: options.seed ?? DEFAULT_SEED, clean: options.clean === true, planted: sample.planted, forgottenOnInvoices: sample.sent.forgotten },
      null,
      2,
    ) + '\n',
  );
  return paths;
}

const SAMPLE_USAGE = `usage: npm run sample -- [--out <dir>] [--clean] [--seed <n>]
  --out <dir>   where to write (default build/sample-data)
  --clean       a bill generated from the ledger with no planted discrepancy
  --seed <n>    another partner (default: the documented sample)`;

if (require.main === module)
  runCommand(async () => {
    const args = parseArgs(process.argv.slice(2), { values: ['out', 'seed'], flags: ['clean'], usage: SAMPLE_USAGE });
    const dir = resolve(args.value('out') ?? join(__dirname, '..', 'build', 'sample-data'));
    const paths = writeSample(dir, { clean: args.flag('clean'), seed: wholeArg(args.value('seed'), '--seed') });
    console.log(`sample partner written to ${dir}:\n  ${Object.values(paths).join('\n  ')}`);
  });
