/**
 * The pull from Microsoft Graph at volume: 100,000 licence lines (the sample partner's October bill
 * repeated, as JSON Lines in 8 gzipped blobs on Azurite behind real SAS tokens, served by the local
 * Graph fake) pulled into an in-memory local org, against importing the same lines as one CSV file
 * through the same writer, each then reconciled against the sample partner's ledger as Dynamics runs it
 * (the findings compared one by one). Prints lines per second of each phase and the peak RSS of the pull: it
 * runs in a process of its own (this file with --child), so the fake's data and the CSV comparison
 * are not in its figure.
 *
 *   npm run bench:pull [-- --lines 100000 --blobs 8]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { importBytes } from '../core/src/import';
import { LocalOrg } from '../dataverse/src/local-org';
import { MemoryBillFileSource, registerPlugins } from '../plugins/src';
import { writeImport } from '../dataverse/src/imports/write-import';
import { retrieveAll } from '../dataverse/src/client/retrieve-all';
import { GraphBillingClient } from '../plugins/src/pull/graph-billing';
import { pullBill } from '../plugins/src/pull/pull';
import { graphClientCredentials } from '../plugins/src/pull/graph-token';
import { startAzuriteBlob } from '../scripts/azurite';
import { generateSample } from '../scripts/sample-data';
import { CLIENT_ID, CLIENT_SECRET, startFakeGraph, TENANT } from '../scripts/fakes/graph';
import { csvToGraphLines, parseCsv } from '../scripts/sample-data/graph-lines';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const LINES = arg('lines', 100_000);
const BLOBS = arg('blobs', 8);

/** The sample's licence rows repeated to LINES, each with its own ReferenceId (CSV text). */
function bigCsv(): string {
  const [header, ...rows] = parseCsv(generateSample().licenceCsv);
  const ref = header!.indexOf('ReferenceId');
  const quote = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const out = [header!.join(',')];
  for (let i = 0; i < LINES; i++) {
    const row = [...rows[i % rows.length]!];
    row[ref] = `${row[ref]}-${i}`;
    out.push(row.map(quote).join(','));
  }
  return out.join('\r\n') + '\r\n';
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} lines/s`;

async function main(): Promise<void> {
  const csv = bigCsv();
  const lines = csvToGraphLines(csv);
  const azurite = await startAzuriteBlob();
  const graph = await startFakeGraph({ blobConnectionString: azurite.connectionString, runningPolls: 1 });
  const stateDir = mkdtempSync(join(tmpdir(), 'cspb-bench-pull-'));
  try {
    graph.setDataset('billed-reconciliation', 'G0000012345', { lines, blobs: BLOBS });
    const client = new GraphBillingClient({
      baseUrl: graph.baseUrl,
      token: graphClientCredentials({
        tenantId: TENANT,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        authorityMetadata: graph.authorityMetadata,
        cloudDiscoveryMetadata: graph.cloudDiscoveryMetadata,
        networkClient: graph.msalNetwork,
      }),
    });
    // The export's files are made (gzip, upload) on the first success: once, before the timed pull.
    await client.waitForManifest(await client.startExport({ kind: 'billed-reconciliation', invoiceId: 'G0000012345' }));

    // The pull in its own process: its peak RSS is the pull's alone.
    const token = { access_token: await graph.accessToken() };
    const child = await runChild({ BENCH_GRAPH_URL: graph.baseUrl, BENCH_GRAPH_TOKEN: token.access_token, BENCH_STATE_DIR: stateDir });
    const { marks, total, peak, linesWritten, stored, pulledTotal, bytesDownloaded, recon } = child;
    const downloaded = marks.filter(([m]) => m.startsWith('blob ')).at(-1)?.[1] ?? 0;
    const parsed = marks.find(([m]) => m.includes('rows read'))?.[1] ?? 0;
    if (linesWritten !== LINES || stored !== LINES) throw new Error(`wrote ${linesWritten} lines, the org holds ${stored}, wanted ${LINES}`);

    // The same lines as one CSV file through the same writer (what the BillingImport control does).
    const csvOrg = await sampleOrg();
    const bytes = new Uint8Array(Buffer.from(csv, 'utf8'));
    const t1 = performance.now();
    const parsedCsv = importBytes(bytes, {
      fileName: 'bench.csv',
      detectDuplicates: false,
      createHasher: () => {
        const h = createHash('sha256');
        return { update: (d: Uint8Array) => h.update(d), digestHex: () => h.digest('hex') };
      },
    });
    const t2 = performance.now();
    const written = await writeImport(csvOrg, parsedCsv, null, () => undefined);
    const t3 = performance.now();
    const csvRecon = await reconcileIn(csvOrg, written.importId);

    console.log(
      `Graph pull, ${LINES.toLocaleString('en-US')} licence lines in ${BLOBS} gzipped blobs (${bytesDownloaded.toLocaleString('en-US')} bytes), local org in memory`,
    );
    console.log(`  export + poll + download + gunzip: ${Math.round(downloaded)} ms`);
    console.log(`  parse the staged JSON Lines:       ${Math.round(parsed - downloaded)} ms (${rate(LINES, parsed - downloaded)})`);
    console.log(`  write the import and its lines:    ${Math.round(total - parsed)} ms (${rate(LINES, total - parsed)})`);
    console.log(`  whole pull:                        ${Math.round(total)} ms (${rate(LINES, total)}), peak RSS ${mb(peak)}`);
    console.log(
      `the same lines as one CSV through the same writer: parse ${Math.round(t2 - t1)} ms (${rate(LINES, t2 - t1)}), write ${Math.round(t3 - t2)} ms, whole ${Math.round(t3 - t1)} ms (${rate(LINES, t3 - t1)})`,
    );
    console.log(`bill totals: ${parsedCsv.summary.total.toFixed()} (CSV), ${pulledTotal} (pull)`);
    console.log(`reconciliation over the pulled import (${Math.round(recon.ms)} ms): ${recon.totals}; findings digest ${recon.digest}`);
    console.log(`reconciliation over the CSV import    (${Math.round(csvRecon.ms)} ms): ${csvRecon.totals}; findings digest ${csvRecon.digest}`);
    const equal =
      parsedCsv.summary.total.toFixed() === pulledTotal &&
      recon.totals === csvRecon.totals &&
      recon.digest === csvRecon.digest &&
      recon.findings === csvRecon.findings;
    console.log(equal ? 'pull and CSV: equal to the cent, finding by finding' : 'pull and CSV DIFFER');
    if (!equal) process.exitCode = 1;
  } finally {
    await graph.close();
    await azurite.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

interface ChildResult {
  marks: Array<[string, number]>;
  total: number;
  recon: Awaited<ReturnType<typeof reconcileIn>>;
  peak: number;
  linesWritten: number;
  stored: number;
  pulledTotal: string;
  bytesDownloaded: number;
}

/** An in-memory org holding the sample partner, with the plug-ins in its pipeline (the runs as Dynamics does them). */
async function sampleOrg(): Promise<LocalOrg> {
  const org = new LocalOrg({ now: () => new Date('2026-11-05T12:00:00Z') });
  registerPlugins(org, { today: () => '2026-11-05', billFiles: new MemoryBillFileSource() });
  await org.importSnapshot(generateSample().snapshot);
  return org;
}

/** A reconciliation run over the import, as Dynamics runs it; its totals and a digest of every finding. */
async function reconcileIn(org: LocalOrg, importId: string): Promise<{ ms: number; totals: string; findings: number; digest: string }> {
  const t = performance.now();
  const runId = await org.create('cspb_reconciliationruns', {
    cspb_name: 'bench',
    'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
    cspb_currencycode: 'USD',
  });
  await org.asyncIdle();
  const ms = performance.now() - t;
  const run = await org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', runId);
  if (org.asyncFailures.length > 0 || run['cspb_runstatus'] !== 100000002) throw new Error(`the run did not complete: ${String(run['cspb_error'])}`);
  // Every page: a page holds 5,000 rows, as Dataverse's does.
  const rows = await retrieveAll<Record<string, unknown>>(org, 'cspb_discrepancies', { filter: `_cspb_runid_value eq ${runId}` });
  const lines = rows
    .map((d) =>
      [d['cspb_category'], d['cspb_vendorsubscriptionid'], d['cspb_chargetype'], d['cspb_billedamount'], d['cspb_expectedamount'], d['cspb_variance']].join(
        '|',
      ),
    )
    .sort();
  return {
    ms,
    totals: ['cspb_totalbilled', 'cspb_totalexpected', 'cspb_totalvariance', 'cspb_totalleakage', 'cspb_discrepancycount']
      .map((c) => `${c.slice(5)} ${String(run[c])}`)
      .join(', '),
    findings: rows.length,
    digest: createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16),
  };
}

function runChild(env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const tsx = join(__dirname, '../node_modules/tsx/dist/cli.mjs');
    const child = spawn(process.execPath, [tsx, __filename, '--child', '--lines', String(LINES)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`the pull process exited ${code}`))));
  });
}

/** The child: the pull alone, into an in-memory org, with a token the parent got. */
async function child(): Promise<void> {
  const org = await sampleOrg();
  const marks: Array<[string, number]> = [];
  const t0 = performance.now();
  const result = await pullBill({
    request: { kind: 'billed-reconciliation', invoiceId: 'G0000012345' },
    graph: new GraphBillingClient({ baseUrl: process.env['BENCH_GRAPH_URL']!, token: async () => process.env['BENCH_GRAPH_TOKEN']! }),
    client: org,
    stateDir: process.env['BENCH_STATE_DIR']!,
    onProgress: (m) => marks.push([m, performance.now() - t0]),
  });
  const total = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS * 1024;
  const recon = await reconcileIn(org, result.importId);
  const out: ChildResult = {
    marks,
    total,
    peak,
    recon,
    linesWritten: result.linesWritten,
    stored: org.count('cspb_billinglines'),
    pulledTotal: result.import!.summary.total.toFixed(),
    bytesDownloaded: result.bytesDownloaded,
  };
  process.stdout.write(JSON.stringify(out));
}

void (process.argv.includes('--child') ? child() : main());
