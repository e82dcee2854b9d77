/**
 * Issue 23: scale-out of a large usage bill over the webhook host's queue. A daily-usage file
 * (10,000,000 rows by default, generated, not committed) is planned in chunks (byte ranges that
 * start at a record, core/src/import/chunks.ts); one message per chunk goes to an Azure Storage
 * queue on Azurite (the JobQueue's encoding: base64 JSON); 1, then 2, worker processes take
 * messages with a visibility timeout, read their chunk, write it (node:v8) and delete the message.
 * The chunks are merged in file order and the total checked against the generator's independent
 * BigInt sum. Prints the throughput of one and of two workers.
 *
 *   npx tsx bench/scale-out.ts [rows] [--chunks N] [--files DIR]
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { QueueClient } from '@azure/storage-queue';
import { BillImporter, type UsageChunk, type UsageChunkPlan } from '../core/src/import';
import { decodeMessage, encodeMessage } from '../plugins/src/queue/job-queue';
import { planOf } from '../scripts/bill-file/parallel-import';
import { readChunkOfFile } from '../scripts/bill-file/read-chunk';
import { startAzurite } from '../scripts/azurite';
import { generateDailyUsage } from './import/generate-daily-usage';
import { runCommand } from '../scripts/cli-args';

const QUEUE = 'cspb-bench-chunks';
const OPTIONS = { fileName: 'daily-usage.csv', detectDuplicates: false as const };

interface ChunkMessage {
  readonly planFile: string;
  readonly index: number;
}

/** A queue worker process: chunks until the queue has none visible. */
async function worker(connection: string, dataFile: string, resultsDir: string): Promise<void> {
  const queue = new QueueClient(connection, QUEUE);
  const plans = new Map<string, UsageChunkPlan>();
  for (;;) {
    const received = await queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 300 });
    const item = received.receivedMessageItems[0];
    if (!item) return;
    const message = JSON.parse(decodeMessage(item.messageText)) as ChunkMessage;
    let plan = plans.get(message.planFile);
    if (!plan) {
      const raw = JSON.parse(fs.readFileSync(message.planFile, 'utf8')) as UsageChunkPlan & { header: number[] };
      plan = { ...raw, header: Uint8Array.from(raw.header) };
      plans.set(message.planFile, plan);
    }
    // node:v8, as the CLI's threads and the import parts hand theirs over: exact where JSON is not.
    fs.writeFileSync(path.join(resultsDir, `${message.index}.bin`), serialize(readChunkOfFile(dataFile, plan, message.index, OPTIONS)));
    await queue.deleteMessage(item.messageId, item.popReceipt);
  }
}

function runWorkers(count: number, connection: string, dataFile: string, resultsDir: string): Promise<void> {
  const exits = Array.from(
    { length: count },
    () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--worker', connection, dataFile, resultsDir], {
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
      }),
  );
  return Promise.all(exits).then(() => undefined);
}

async function main(): Promise<void> {
  const rows = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10_000_000);
  const chunksAt = process.argv.indexOf('--chunks');
  const chunkCount = chunksAt >= 0 ? Number(process.argv[chunksAt + 1]) : 20;
  const filesAt = process.argv.indexOf('--files');
  const keep = filesAt >= 0 ? path.resolve(process.argv[filesAt + 1] ?? '') : undefined;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cspb-bench-scale-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cspb-bench-scale-work-'));
  const azurite = await startAzurite();
  try {
    const dataFile = path.join(dir, `daily-usage-${rows}.csv`);
    const expectedFile = path.join(dir, `expected-${rows}.json`);
    if (!fs.existsSync(expectedFile)) {
      fs.mkdirSync(dir, { recursive: true });
      const g = await generateDailyUsage(dataFile, rows);
      fs.writeFileSync(expectedFile, JSON.stringify({ total: g.expectedTotal, bytes: g.bytes }));
    }
    const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as { total: string };
    const size = fs.statSync(dataFile).size;
    const plan = planOf(dataFile, size, chunkCount, OPTIONS);
    if (plan === null) throw new Error('the file could not be planned in chunks');
    const planFile = path.join(work, 'plan.json');
    fs.writeFileSync(planFile, JSON.stringify({ ...plan, header: [...plan.header] }));
    console.log(`file: ${rows.toLocaleString('en')} usage rows, ${(size / 1e9).toFixed(2)} GB, in ${plan.ranges.length} chunks; queue ${QUEUE} on Azurite`);
    const queue = new QueueClient(azurite.connectionString, QUEUE);
    await queue.createIfNotExists();
    const figures: Array<[number, number]> = [];
    for (const workers of [1, 2]) {
      const resultsDir = fs.mkdtempSync(path.join(work, `results-${workers}-`));
      await queue.clearMessages();
      for (let index = 0; index < plan.ranges.length; index++) await queue.sendMessage(encodeMessage({ planFile, index } satisfies ChunkMessage));
      const start = performance.now();
      await runWorkers(workers, azurite.connectionString, dataFile, resultsDir);
      const ms = performance.now() - start;
      const chunks = plan.ranges.map((_, i) => deserialize(fs.readFileSync(path.join(resultsDir, `${i}.bin`))) as UsageChunk);
      const mergeStart = performance.now();
      const merged = BillImporter.mergeChunks(plan.header, chunks, plan.seed, { contentHash: 'not-hashed-here', byteLength: size }, OPTIONS);
      const mergeMs = performance.now() - mergeStart;
      if (merged === null) throw new Error(`the chunks could not be merged: ${chunks.find((c) => !c.ok)?.why ?? ''}`);
      const ok = merged.summary.rowsRead === rows && merged.summary.total.toString() === expected.total;
      figures.push([workers, rows / (ms / 1000)]);
      console.log(
        `${workers} worker${workers > 1 ? 's' : ' '}: ${(ms / 1000).toFixed(1)} s, ${Math.round(rows / (ms / 1000)).toLocaleString('en')} rows/s (merge of ${chunks.length} chunks ${mergeMs.toFixed(0)} ms); rows ${merged.summary.rowsRead.toLocaleString('en')}, total ${merged.summary.total.toString()} ${ok ? '= the generator’s BigInt sum' : `!= ${expected.total}`}`,
      );
      if (!ok) process.exitCode = 1;
    }
    const [one, two] = figures.map(([, rate]) => rate) as [number, number];
    console.log(`two workers / one: ${(two / one).toFixed(2)}x (target: a throughput printed for each; the machine has ${os.availableParallelism()} cores)`);
  } finally {
    await azurite.stop();
    fs.rmSync(work, { recursive: true, force: true });
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

// A queue worker is this file again in a process of its own (`--worker`).
runCommand(process.argv[2] === '--worker' ? () => worker(process.argv[3] as string, process.argv[4] as string, process.argv[5] as string) : main);
