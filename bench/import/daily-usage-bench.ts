/**
 * Issue 4 benchmark: a ~1 GB, 1,000,000-row daily-rated-usage file in os.tmpdir(), then, each in
 * its own child process so peak RSS is per measurement:
 *   (a) uDSV's bare parse of the file (string arrays, no typing: the baseline),
 *   (b) our whole import (decode, detect, parse, validate, aggregate, SHA-256 with node:crypto),
 *   (c) the same with the pure-TypeScript SHA-256 (what a browser gets),
 *   (d) (b) plus the exact duplicate check on every usage row (detectDuplicates: 'all').
 * Prints times (median of BENCH_RUNS=3 alternating runs for a and b), b/a, c/a and peak RSS (the
 * maximum over runs); checks the import's total against an independent BigInt sum.
 *
 *   npx tsx bench/import/daily-usage-bench.ts [rows]
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importBill } from '../../core/src/import';
import { generateDailyUsage } from './generate-daily-usage';
import { udsvRowCount } from './udsv';

interface PhaseResult {
  ms: number;
  maxRssMb: number;
  detail: Record<string, unknown>;
}

async function phaseUdsv(file: string): Promise<Record<string, unknown>> {
  return { rows: await udsvRowCount(file) };
}

async function phaseImport(file: string, nativeHash: boolean, usageDuplicates = false): Promise<Record<string, unknown>> {
  const createHasher = nativeHash
    ? () => {
        const h = crypto.createHash('sha256');
        return { update: (d: Uint8Array) => h.update(d), digestHex: () => h.digest('hex') };
      }
    : undefined;
  const r = await importBill(fs.createReadStream(file, { highWaterMark: 1 << 20 }), {
    fileName: path.basename(file),
    createHasher,
    detectDuplicates: usageDuplicates ? 'all' : undefined,
  });
  const s = r.summary;
  return {
    format: s.format,
    rowsRead: s.rowsRead,
    rowsAccepted: s.rowsAccepted,
    rowsRejected: s.rowsRejected,
    aggregates: r.usage.length,
    total: s.total.toString(),
    contentHash: s.contentHash,
    errors: s.errorCount,
  };
}

async function child(phase: string, file: string): Promise<void> {
  const t0 = performance.now();
  const detail = phase === 'udsv' ? await phaseUdsv(file) : await phaseImport(file, phase !== 'import-pure-hash', phase === 'import-usage-duplicates');
  const ms = performance.now() - t0;
  const result: PhaseResult = { ms, maxRssMb: process.resourceUsage().maxRSS / 1024, detail };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(phase: string, file: string): PhaseResult {
  const out = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--phase', phase, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (out.status !== 0) throw new Error(`${phase} failed: ${out.stderr}`);
  const line = out.stdout.trim().split('\n').pop() as string;
  return JSON.parse(line) as PhaseResult;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function median(rs: PhaseResult[]): PhaseResult {
  const sorted = [...rs].sort((x, y) => x.ms - y.ms);
  const mid = sorted[Math.floor(sorted.length / 2)] as PhaseResult;
  return { ...mid, maxRssMb: Math.max(...rs.map((r) => r.maxRssMb)) };
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cspb-bench-'));
  const file = path.join(dir, 'daily-rated-usage.csv');
  try {
    const t0 = performance.now();
    const gen = await generateDailyUsage(file, rows);
    console.log(
      `generated ${rows.toLocaleString('en-US')} rows, ${(gen.bytes / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${file}`,
    );
    // The machine is noisy: (a) and (b) alternate RUNS times and the medians are compared.
    const as: PhaseResult[] = [];
    const bs: PhaseResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      as.push(runChild('udsv', file));
      bs.push(runChild('import-native-hash', file));
    }
    const a = median(as);
    const b = median(bs);
    const c = runChild('import-pure-hash', file);
    const d = runChild('import-usage-duplicates', file);
    console.log(`runs (s): uDSV ${as.map((r) => (r.ms / 1000).toFixed(2)).join(' ')} | import ${bs.map((r) => (r.ms / 1000).toFixed(2)).join(' ')}`);
    const mbps = (ms: number) => (gen.bytes / 1e6 / (ms / 1000)).toFixed(0);
    console.log('');
    console.log(`(a) uDSV bare parse (median)   ${(a.ms / 1000).toFixed(2)} s  ${mbps(a.ms)} MB/s  peak RSS ${a.maxRssMb.toFixed(0)} MB`);
    console.log(`(b) our import (median)        ${(b.ms / 1000).toFixed(2)} s  ${mbps(b.ms)} MB/s  peak RSS ${b.maxRssMb.toFixed(0)} MB`);
    console.log(`(c) our import, pure SHA-256   ${(c.ms / 1000).toFixed(2)} s  ${mbps(c.ms)} MB/s  peak RSS ${c.maxRssMb.toFixed(0)} MB`);
    console.log(`(d) (b) + usage-row duplicates ${(d.ms / 1000).toFixed(2)} s  ${mbps(d.ms)} MB/s  peak RSS ${d.maxRssMb.toFixed(0)} MB`);
    console.log(`b/a = ${(b.ms / a.ms).toFixed(2)}   (target <= 1.5, later <= 1.0)`);
    console.log(`c/a = ${(c.ms / a.ms).toFixed(2)}   (browser path: SHA-256 in TypeScript)`);
    console.log(`d/a = ${(d.ms / a.ms).toFixed(2)}   (detectDuplicates: 'all', exact duplicate check on every usage row)`);
    console.log(`import: ${JSON.stringify(b.detail)}`);
    const fileHash = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const checks = [
      ['rows read = rows in file', b.detail.rowsRead === rows],
      ['rows read = accepted + rejected', b.detail.rowsRead === (b.detail.rowsAccepted as number) + (b.detail.rowsRejected as number)],
      ['total = independent BigInt sum', b.detail.total === gen.expectedTotal],
      ['content hash = sha256 of file (native and pure)', b.detail.contentHash === fileHash && c.detail.contentHash === fileHash],
      ['b/a <= 1.5', b.ms / a.ms <= 1.5],
      ['peak RSS (b) <= 256 MB', b.maxRssMb <= 256],
    ] as const;
    for (const [name, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
    if (!checks.every(([, ok]) => ok)) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const phaseAt = process.argv.indexOf('--phase');
if (phaseAt >= 0) void child(process.argv[phaseAt + 1] as string, process.argv[phaseAt + 2] as string);
else void main();
