/**
 * `npm start`, the main job: writes the sample CSP partner and Microsoft's October 2026 bill,
 * reconciles the bill against the partner's ledger and prints the summary; the full report is
 * written as HTML and CSV under build/reports.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { resultToCsv, resultToHtml, summaryTable } from '../core/src';
import { writeSample } from './generate-sample';
import { reconcileFiles } from './reconcile';
import { parseArgs, runCommand } from './cli-args';

const root = resolve(__dirname, '..');

const USAGE = `usage: npm run reconcile:sample
  writes the sample partner, its October 2026 bill and the invoices it sent (build/sample-data/),
  reconciles them three-way and writes the reports (build/reports/)`;

async function main(): Promise<void> {
  parseArgs(process.argv.slice(2), { values: [], flags: [], usage: USAGE });
  const sample = writeSample(join(root, 'build', 'sample-data'));
  console.log(`sample partner and bill: ${relative(process.cwd(), join(root, 'build', 'sample-data'))}/`);
  // Three-way: the October invoices the partner sent, so Microsoft cost no invoice carries is leakage.
  const result = await reconcileFiles({ bills: [sample.licences, sample.usage], org: sample.snapshot, invoices: [sample.invoices] });
  console.log('\n' + summaryTable(result) + '\n');
  const reports = join(root, 'build', 'reports');
  mkdirSync(reports, { recursive: true });
  writeFileSync(join(reports, 'reconciliation-2026-10.html'), resultToHtml(result));
  writeFileSync(join(reports, 'reconciliation-2026-10.csv'), resultToCsv(result));
  console.log(`reports: ${relative(process.cwd(), reports)}/reconciliation-2026-10.{html,csv}`);
  console.log(`planted discrepancies to compare with: ${relative(process.cwd(), sample.manifest)}`);
}

runCommand(main);
