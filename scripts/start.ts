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

const root = resolve(__dirname, '..');

async function main(): Promise<void> {
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

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
