/**
 * The parse worker's entry. scripts/build-pcf.ts bundles it with esbuild (core importer included)
 * into generated/workerSource.ts, which the control turns into a Blob URL for `new Worker`.
 */
import { createWorkerHandler, type FromWorker, type ToWorker } from './protocol';

interface WorkerScope {
  postMessage(message: FromWorker): void;
  onmessage: ((event: { data: ToWorker }) => void) | null;
}

const scope = self as unknown as WorkerScope;
const handle = createWorkerHandler((message) => scope.postMessage(message));
scope.onmessage = (event) => handle(event.data);
scope.postMessage({ type: 'ready' });
