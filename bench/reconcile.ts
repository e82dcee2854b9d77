/**
 * Issue 5 benchmark: the `reconcile` path on a partner-sized month.
 *   - a 1,000,000-row daily-rated-usage file (~1 GB, bench/import's generator) and a 50,000-line
 *     new-commerce licence file, against 20,000 licence subscriptions (plus the Azure plans);
 *   - (a) uDSV's bare parse of both files, (b) our import of both + the reconciliation, each in its
 *     own child process so peak RSS is per phase.
 * Prints times, the ratio b/a, peak RSS and the reconciliation's counts.
 *
 *   npx tsx bench/reconcile.ts [usageRows] [--cpu-prof] [--files DIR] [--flat-memory]
 * (a) and (b) alternate BENCH_RUNS times (default 3); medians are compared, the highest peak RSS printed.
 * --cpu-prof: one more (b) runs under `node --cpu-prof`; the functions taking the most time are printed.
 * --files DIR: generate the files into DIR once and reuse them on later runs (kept afterwards).
 * --flat-memory: (b) only, over 1,000,000 and then 10,000,000 usage rows (10 GB): both peak RSS.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  addDays,
  dateOf,
  expectedCharges,
  prepareReconciliation,
  reconcile,
  SubscriptionLedger,
  type NceOffer,
  type ReconSubscription,
  type UsageAggregate,
} from '../core/src';
import { billCsv, rowFromCharge, type BillRow } from '../scripts/sample-data/bill';
import type { SampleSubscription } from '../scripts/sample-data/partner';
import { Random } from '../scripts/sample-data/random';
import { generateDailyUsage } from './import/generate-daily-usage';
import { udsvRowCount } from './import/udsv';
import { topSelfTime, type CpuProfile } from './profile-summary';
import { billFileOptions, importBillFile } from '../scripts/bill-file/parallel-import';
import { collectGarbage } from '../scripts/bill-file/collect-garbage';
import { runCommand } from '../scripts/cli-args';

const LICENCES = 20_000;
const WITH_CHANGE = 15_000; // each adds a wipe + recreate pair: 20,000 + 30,000 = 50,000 lines
const OFFER: NceOffer = {
  productId: 'CFQ7TTC0LDPB',
  productName: 'Microsoft 365 Business Standard',
  term: 'P1M',
  billingPlan: 'monthly',
  unitPrice: '12.50',
  pricingCurrency: 'USD',
};
const OCTOBER = { start: dateOf(2026, 10, 1), end: dateOf(2026, 11, 1) };

/** The 20,000 licence subscriptions, deterministic: bought in September, 15,000 grow in October. */
function licenceSubscriptions(): ReconSubscription[] {
  const rng = new Random(7);
  const out: ReconSubscription[] = [];
  for (let i = 0; i < LICENCES; i++) {
    const id = rng.guid();
    const bought = dateOf(2026, 9, 1 + (i % 28));
    const quantity = rng.int(1, 300);
    const entries: Parameters<typeof SubscriptionLedger.of>[1][number][] = [
      { kind: 'new', effectiveDate: bought, referenceId: `n-${i}`, quantityDelta: quantity, productId: OFFER.productId },
    ];
    if (i < WITH_CHANGE) entries.push({ kind: 'add', effectiveDate: addDays(bought, 33), referenceId: `a-${i}`, quantityAfter: quantity + rng.int(1, 20) });
    out.push({
      id: `crm-${id}`,
      vendorSubscriptionId: id,
      customerTenantId: `tenant-${i % 2000}`,
      vendor: 'Microsoft',
      kind: 'licence',
      status: 'active',
      offer: OFFER,
      ledger: SubscriptionLedger.of(id, entries),
      contractId: `c-${i % 2000}`,
    });
  }
  return out;
}

function writeLicenceFile(file: string, subs: readonly ReconSubscription[]): number {
  const rows: BillRow[] = [];
  for (const s of subs) {
    const fake = {
      customer: { tenantId: s.customerTenantId!, name: `Customer ${s.customerTenantId}`, domain: `${s.customerTenantId}.onmicrosoft.com` },
      offer: { productId: OFFER.productId, skuId: '0001', name: OFFER.productName },
    } as unknown as SampleSubscription;
    for (const line of expectedCharges(s.ledger!, OFFER, { from: OCTOBER.start, to: OCTOBER.end }))
      rows.push(rowFromCharge(fake, line, `ORD-${line.referenceId}`));
  }
  fs.writeFileSync(file, billCsv(rows));
  return rows.length;
}

async function ours(licenceFile: string, usageFile: string, usageSubs: Array<{ id: string; customerId: string }>): Promise<Record<string, unknown>> {
  const setupStart = performance.now();
  const subscriptions = licenceSubscriptions();
  for (const u of usageSubs)
    subscriptions.push({
      id: `crm-${u.id}`,
      vendorSubscriptionId: u.id,
      customerTenantId: u.customerId,
      vendor: 'Microsoft',
      kind: 'usage',
      status: 'active',
      contractId: `c-${u.customerId}`,
    });
  const setupMs = performance.now() - setupStart;
  const start = performance.now();
  // As the CLI runs (scripts/reconcile.ts): both files at once, the usage file by worker threads in
  // chunks; the licence pass prepared as soon as the file that can hold lines is read.
  const options = { billPeriod: OCTOBER };
  const chunkedFiles: boolean[] = [];
  const imports = [licenceFile, usageFile].map((file, i) =>
    importBillFile(file, billFileOptions(path.basename(file)), { onPlanned: (chunked) => (chunkedFiles[i] = chunked) }),
  );
  const licenceLines = (await imports[0]!).lines;
  const prepareStart = performance.now();
  const prepared = chunkedFiles[1] ? prepareReconciliation({ lines: licenceLines, subscriptions, options }) : undefined;
  const prepareMs = performance.now() - prepareStart;
  // As the CLI does (scripts/reconcile.ts): the pass's garbage, while the threads read.
  if (chunkedFiles[1]) collectGarbage();
  const results = await Promise.all(imports);
  collectGarbage();
  const usage: UsageAggregate[] = results.flatMap((r) => [...r.usage]);
  const chunks = results.map((r) => r.chunks);
  const importMs = performance.now() - start;
  const importPeakRssMb = process.resourceUsage().maxRSS / 1024;
  const result = reconcile({ lines: licenceLines, usage, subscriptions, options }, prepared);
  const totalMs = performance.now() - start;
  const counts = Object.fromEntries(
    Object.entries(result.byCategory)
      .filter(([, t]) => t.count > 0)
      .map(([c, t]) => [c, t.count]),
  );
  return {
    setupMs,
    importMs,
    reconcileMs: totalMs - importMs,
    ms: totalMs,
    billLines: result.billLineCount,
    chunks,
    importPeakRssMb,
    preparedMs: prepared?.used ? prepareMs : undefined,
    variance: result.totals.variance.toFixed(2),
    counts,
  };
}

async function child(): Promise<void> {
  const [phase, licenceFile, usageFile, subsFile] = process.argv.slice(3);
  let detail: Record<string, unknown>;
  if (phase === 'udsv') {
    const start = performance.now();
    const rows = (await udsvRowCount(licenceFile!)) + (await udsvRowCount(usageFile!));
    detail = { ms: performance.now() - start, rows };
  } else {
    detail = await ours(licenceFile!, usageFile!, JSON.parse(fs.readFileSync(subsFile!, 'utf8')) as Array<{ id: string; customerId: string }>);
  }
  process.stdout.write(JSON.stringify({ ...detail, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

type Phase = Record<string, unknown> & { ms: number; maxRssMb: number };

/** The project's folder (this file runs from bench/ or bundled from build/run/<name>/). */
function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const ROOT = projectRoot();
/** Each phase runs this bench bundled by scripts/run.js, as package.json's `reconcile` runs the CLI. */
const SELF = [path.join(ROOT, 'scripts/run.js'), path.join(ROOT, 'bench/reconcile.ts')];
/** The Node flags of `npm run reconcile`, read from package.json: `node <flags> scripts/run.js ...`. */
const CLI_NODE_FLAGS = (() => {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = (scripts['reconcile'] ?? '').split(' ');
  return words.slice(1, words.indexOf('scripts/run.js'));
})();

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);

/** The median run by time, with the highest peak RSS of all runs. */
function median(runs: readonly Phase[]): Phase {
  const sorted = [...runs].sort((x, y) => x.ms - y.ms);
  return { ...(sorted[Math.floor(sorted.length / 2)] as Phase), maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)) };
}

function runPhase(phase: string, args: string[], profileDir?: string): Record<string, unknown> & { ms: number; maxRssMb: number } {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  // uDSV in plain Node; ours as `npm run reconcile` starts: the bundle and the CLI's Node flags.
  const flags = phase === 'ours' ? CLI_NODE_FLAGS : [];
  const out = spawnSync(process.execPath, [...profile, ...flags, ...SELF, '--child', phase, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`${phase} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout) as Record<string, unknown> & { ms: number; maxRssMb: number };
}

interface BenchFiles {
  readonly usageFile: string;
  readonly licenceFile: string;
  readonly subsFile: string;
}

/** The files of a run of `usageRows` usage rows, generated into `dir` (reused when kept). */
async function filesFor(dir: string, usageRows: number, reuse: boolean): Promise<BenchFiles> {
  const usageFile = path.join(dir, `daily-usage-${usageRows}.csv`);
  const licenceFile = path.join(dir, 'licences.csv');
  const subsFile = path.join(dir, `usage-subscriptions-${usageRows}.json`);
  if (!reuse || !fs.existsSync(subsFile)) {
    fs.mkdirSync(dir, { recursive: true });
    const generated = await generateDailyUsage(usageFile, usageRows);
    fs.writeFileSync(subsFile, JSON.stringify(generated.subscriptions));
  }
  const usagePlans = (JSON.parse(fs.readFileSync(subsFile, 'utf8')) as unknown[]).length;
  const licenceLines = writeLicenceFile(licenceFile, licenceSubscriptions());
  const mb = (fs.statSync(usageFile).size + fs.statSync(licenceFile).size) / 1e6;
  console.log(
    `files: ${usageRows.toLocaleString('en')} usage rows + ${licenceLines.toLocaleString('en')} licence lines (${mb.toFixed(0)} MB) against ${LICENCES.toLocaleString('en')} licence subscriptions and ${usagePlans} Azure plans`,
  );
  return { usageFile, licenceFile, subsFile };
}

function describeOurs(b: Record<string, unknown> & { ms: number; maxRssMb: number }): string {
  return `${(b.ms / 1000).toFixed(2)} s   peak RSS ${b.maxRssMb.toFixed(0)} MB   (import ${(Number(b['importMs']) / 1000).toFixed(2)} s, reconcile ${(Number(b['reconcileMs']) / 1000).toFixed(2)} s; ledgers built in ${(Number(b['setupMs']) / 1000).toFixed(2)} s beforehand; read in ${JSON.stringify(b['chunks'])} chunks; ${b['preparedMs'] === undefined ? 'no licence pass prepared' : `licence pass prepared during the usage import in ${(Number(b['preparedMs']) / 1000).toFixed(2)} s`}; peak RSS by the end of the import ${Number(b['importPeakRssMb']).toFixed(0)} MB)`;
}

/** Prints the main thread's profile and the worker threads' together (Node writes one file per thread: CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile). */
function printProfiles(profileDir: string): void {
  const files = fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(profileDir, f), 'utf8')) as CpuProfile;
  const isMain = (f: string) => /\.0\.\d+\.cpuprofile$/.test(f);
  const main = files.filter(isMain).map(read);
  const workers = files.filter((f) => !isMain(f)).map(read);
  for (const [title, profiles] of [
    ['main thread (licences, hashing, reconciliation)', main],
    [`${workers.length} worker threads (usage chunks), together`, workers],
  ] as const) {
    if (profiles.length === 0) continue;
    const totals = new Map<string, number>();
    for (const p of profiles) for (const [name, ms] of topSelfTime(p, 40)) totals.set(name, (totals.get(name) ?? 0) + ms);
    console.log(`(b) under --cpu-prof, ${title}, the functions taking the most self time:`);
    for (const [name, ms] of [...totals.entries()].sort((x, y) => y[1] - x[1]).slice(0, 12)) console.log(`  ${(ms / 1000).toFixed(2).padStart(6)} s  ${name}`);
  }
}

async function main(): Promise<void> {
  const usageRows = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000_000);
  const cpuProf = process.argv.includes('--cpu-prof');
  const filesAt = process.argv.indexOf('--files');
  const keep = filesAt >= 0 ? path.resolve(process.argv[filesAt + 1] ?? '') : undefined;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cspb-bench-reconcile-'));
  try {
    if (process.argv.includes('--flat-memory')) {
      // Memory must not grow with the file: the same run over 1M and 10M usage rows.
      const runs = [];
      for (const rows of [1_000_000, 10_000_000]) {
        const f = await filesFor(dir, rows, keep !== undefined);
        const b = runPhase('ours', [f.licenceFile, f.usageFile, f.subsFile]);
        console.log(`(b) ${rows.toLocaleString('en')} usage rows: ${describeOurs(b)}`);
        runs.push(b.maxRssMb);
        if (!keep) fs.rmSync(f.usageFile, { force: true });
      }
      const [small, large] = runs as [number, number];
      console.log(`peak RSS 10M / 1M: ${(large / small).toFixed(2)} (target: within 10%, <= 1.10)`);
      return;
    }
    const f = await filesFor(dir, usageRows, keep !== undefined);
    // The machine is noisy (a run moves by 20%): (a) and (b) alternate RUNS times, medians compared.
    const as: Phase[] = [];
    const bs: Phase[] = [];
    for (let i = 0; i < RUNS; i++) {
      as.push(runPhase('udsv', [f.licenceFile, f.usageFile]));
      bs.push(runPhase('ours', [f.licenceFile, f.usageFile, f.subsFile]));
    }
    const a = median(as);
    const b = median(bs);
    console.log(`runs (s): uDSV ${as.map((r) => (r.ms / 1000).toFixed(2)).join(' ')} | ours ${bs.map((r) => (r.ms / 1000).toFixed(2)).join(' ')}`);
    const profileDir = cpuProf ? fs.mkdtempSync(path.join(os.tmpdir(), 'cspb-bench-profile-')) : undefined;
    if (profileDir) runPhase('ours', [f.licenceFile, f.usageFile, f.subsFile], profileDir);
    console.log(`(a) uDSV bare parse of both files (median)   ${(a.ms / 1000).toFixed(2)} s   peak RSS ${a.maxRssMb.toFixed(0)} MB`);
    console.log(`(b) import both + reconcile (median)        ${describeOurs(b)}; peak RSS over the runs ${b.maxRssMb.toFixed(0)} MB`);
    console.log(
      `ratio b/a ${(b.ms / a.ms).toFixed(2)} (target <= 0.50); peak RSS (b) ${b.maxRssMb.toFixed(0)} MB (target <= 256); ${String(b['billLines'])} bill lines reconciled, variance ${String(b['variance'])}; categories ${JSON.stringify(b['counts'])}`,
    );
    if (profileDir) {
      printProfiles(profileDir);
      fs.rmSync(profileDir, { recursive: true, force: true });
    }
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Each phase runs this file again as its own process (`--child`), so its peak RSS is its own.
runCommand(process.argv[2] === '--child' ? child : main);
