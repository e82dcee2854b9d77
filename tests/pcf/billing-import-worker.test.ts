import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal } from '../../core/src/money';
import { parseBytes, ImportCancelled } from '../../pcf-controls/BillingImport/model/parse';
import { parseInWorker, WorkerUnavailable, WORKER_CHUNK_BYTES, type WorkerLike } from '../../pcf-controls/BillingImport/model/worker-parser';
import { createWorkerHandler, decodeResult, encodeResult, type FromWorker, type ToWorker } from '../../pcf-controls/BillingImport/worker/protocol';

const SAMPLE = new Uint8Array(readFileSync(join(__dirname, '../../../shared/samples/pc-docs-nce-scenarios/nce-seat-changes-march-2022.csv')));
const blob = (bytes: Uint8Array) => ({
  size: bytes.length,
  slice: (start: number, end: number) => ({ arrayBuffer: async () => bytes.slice(start, end).buffer }),
});

/**
 * A worker in the same process: messages cross through structuredClone (what postMessage does,
 * so a Decimal loses its methods unless the protocol encodes it), asynchronously, both ways.
 */
function fakeWorker(opts: { ready?: boolean; crash?: string } = {}): WorkerLike & { sent: ToWorker['type'][]; terminated: boolean } {
  const w = {
    sent: [] as ToWorker['type'][],
    terminated: false,
    onmessage: null as WorkerLike['onmessage'],
    onerror: null as WorkerLike['onerror'],
    postMessage(message: ToWorker) {
      w.sent.push(message.type);
      const copy = structuredClone(message);
      setTimeout(() => (opts.crash && message.type === 'chunk' ? w.onerror?.({ message: opts.crash }) : handle(copy)), 0);
    },
    terminate() {
      w.terminated = true;
    },
  };
  const handle = createWorkerHandler((message: FromWorker) => setTimeout(() => !w.terminated && w.onmessage?.({ data: structuredClone(message) }), 0));
  if (opts.ready !== false) setTimeout(() => w.onmessage?.({ data: { type: 'ready' } }), 0);
  return w;
}

describe('BillingImport worker protocol', () => {
  it('encodes Decimals and errors so they survive structured clone, and decodes them back exactly', () => {
    const error = Object.assign(new Error('bad amount'), { row: 3, column: 'Subtotal' });
    const decoded = decodeResult<{ total: Decimal; list: Decimal[]; error: { row: number; column: string; message: string } }>(
      structuredClone(encodeResult({ total: new Decimal('0.30000000000000000000000001'), list: [new Decimal('-2.5')], error })),
    );
    expect(Decimal.isDecimal(decoded.total)).toBe(true);
    expect(decoded.total.toString()).toBe('0.30000000000000000000000001');
    expect(decoded.list[0]!.plus(1).toString()).toBe('-1.5');
    expect(decoded.error).toMatchObject({ row: 3, column: 'Subtotal', message: 'bad amount' });
  });

  it('parses in the worker with the same result as the main thread, reporting progress per chunk', async () => {
    const worker = fakeWorker();
    const progress: number[] = [];
    const result = await parseInWorker(
      () => worker,
      blob(SAMPLE),
      { defaultCurrency: 'USD', fileName: 'nce.csv' },
      (done) => progress.push(done),
      { cancelled: false },
    );
    const local = await parseBytes(SAMPLE, { defaultCurrency: 'USD', fileName: 'nce.csv' }, () => undefined);
    expect(result.summary.rowsAccepted).toBe(11);
    expect(result.summary.total.toFixed(2)).toBe('275.23');
    expect(result.summary.contentHash).toBe(local.summary.contentHash);
    expect(result.lines.map((l) => l.amount.toString())).toEqual(local.lines.map((l) => l.amount.toString()));
    expect(worker.sent).toEqual(['start', 'chunk', 'finish']);
    expect(progress).toEqual([0, SAMPLE.length]);
    expect(worker.terminated).toBe(true);
  });

  it("sends a large file in 1 MiB chunks and reports the worker's errors as parse errors", async () => {
    const big = new Uint8Array(WORKER_CHUNK_BYTES * 2 + 10).fill(0x41);
    const worker = fakeWorker();
    const result = await parseInWorker(
      () => worker,
      blob(big),
      {},
      () => undefined,
      { cancelled: false },
    );
    expect(worker.sent).toEqual(['start', 'chunk', 'chunk', 'chunk', 'finish']);
    expect(result.summary.failed).toBe(true); // not a bill: a file-level error, as on the main thread
    await expect(
      parseInWorker(
        () => fakeWorker({ crash: 'out of memory' }),
        blob(big),
        {},
        () => undefined,
        { cancelled: false },
      ),
    ).rejects.toThrow(/out of memory/);
  });

  it('cancel terminates the worker', async () => {
    const worker = fakeWorker();
    const token = { cancelled: false };
    const big = new Uint8Array(WORKER_CHUNK_BYTES * 3).fill(0x41);
    const run = parseInWorker(
      () => worker,
      blob(big),
      {},
      (done) => done > 0 && (token.cancelled = true),
      token,
    );
    await expect(run).rejects.toBeInstanceOf(ImportCancelled);
    expect(worker.terminated).toBe(true);
    expect(worker.sent).not.toContain('finish');
  });

  it('reports a worker that cannot start as unavailable (the control then parses on the main thread)', async () => {
    await expect(
      parseInWorker(
        () => {
          throw new Error('SecurityError: blob: refused');
        },
        blob(SAMPLE),
        {},
        () => undefined,
        { cancelled: false },
      ),
    ).rejects.toBeInstanceOf(WorkerUnavailable);
    const silent = fakeWorker({ ready: false });
    silent.postMessage = () => undefined;
    setTimeout(() => silent.onerror?.({ message: 'Refused to create a worker (CSP worker-src)' }), 10);
    await expect(
      parseInWorker(
        () => silent,
        blob(SAMPLE),
        {},
        () => undefined,
        { cancelled: false },
      ),
    ).rejects.toBeInstanceOf(WorkerUnavailable);
    expect(silent.terminated).toBe(true);
  });
});
