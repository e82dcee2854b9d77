/**
 * Parsing in a Web Worker: the file is read in 1 MiB slices (Blob.arrayBuffer, off the main
 * thread), each slice transferred to the worker, which runs the core importer and acknowledges
 * it; the result comes back encoded (worker/protocol.ts) and is decoded here. Cancel terminates
 * the worker. A worker that cannot be created or never says `ready` (no Worker, a CSP that
 * refuses blob: workers) is reported as WorkerUnavailable so the control falls back to the
 * main-thread parser; errors after `ready` are real parse errors.
 */
import type { ImportResult } from '../../../core/src/import';
import { decodeResult, type FromWorker, type ToWorker, type WorkerImportOptions } from '../worker/protocol';
import { ImportCancelled, type CancelToken } from './parse';

export const WORKER_CHUNK_BYTES = 1024 * 1024;
const READY_TIMEOUT_MS = 5000;
const CANCEL_POLL_MS = 50;

/** The slice of a Worker the parser uses (a fake in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: { data: FromWorker }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
}

export class WorkerUnavailable extends Error {
  constructor(reason: string) {
    super(`Web Worker unavailable: ${reason}`);
  }
}

/** A Blob-like file: what File and Blob give. */
export interface FileLike {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

export async function parseInWorker(
  createWorker: () => WorkerLike,
  file: FileLike,
  options: WorkerImportOptions,
  onProgress: (done: number, total: number) => void,
  token: CancelToken,
): Promise<ImportResult> {
  let worker: WorkerLike;
  try {
    worker = createWorker();
  } catch (error) {
    throw new WorkerUnavailable((error as Error).message ?? String(error));
  }
  const inbox: FromWorker[] = [];
  let failure: string | null = null;
  let wake: (() => void) | null = null;
  worker.onmessage = (event) => {
    inbox.push(event.data);
    wake?.();
  };
  worker.onerror = (event) => {
    failure = event.message || 'worker error';
    wake?.();
  };
  let ready = false;
  /** The next message, or a rejection on cancel, worker failure or (before ready) timeout. */
  const next = (): Promise<FromWorker> =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const check = (): boolean => {
        if (token.cancelled) return (reject(new ImportCancelled()), true);
        const message = inbox.shift();
        if (message) return (resolve(message), true);
        if (failure !== null) return (reject(ready ? new Error(failure) : new WorkerUnavailable(failure)), true);
        if (!ready && Date.now() - started > READY_TIMEOUT_MS) return (reject(new WorkerUnavailable('no answer from the worker')), true);
        return false;
      };
      if (check()) return;
      const timer = setInterval(() => {
        if (check()) done();
      }, CANCEL_POLL_MS);
      const done = (): void => {
        clearInterval(timer);
        wake = null;
      };
      wake = () => {
        if (check()) done();
      };
    });
  const expect = async <K extends FromWorker['type']>(type: K): Promise<Extract<FromWorker, { type: K }>> => {
    const message = await next();
    if (message.type === 'error') throw new Error(message.message);
    if (message.type !== type) throw new Error(`worker protocol: expected ${type}, got ${message.type}`);
    return message as Extract<FromWorker, { type: K }>;
  };

  try {
    await expect('ready');
    ready = true;
    worker.postMessage({ type: 'start', options });
    onProgress(0, file.size);
    for (let offset = 0; offset < file.size; offset += WORKER_CHUNK_BYTES) {
      if (token.cancelled) throw new ImportCancelled();
      const bytes = new Uint8Array(await file.slice(offset, Math.min(file.size, offset + WORKER_CHUNK_BYTES)).arrayBuffer());
      worker.postMessage({ type: 'chunk', bytes }, [bytes.buffer]);
      const { done } = await expect('progress');
      onProgress(done, file.size);
    }
    worker.postMessage({ type: 'finish' });
    const { result } = await expect('result');
    return decodeResult<ImportResult>(result);
  } finally {
    worker.terminate();
  }
}
