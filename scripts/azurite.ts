/**
 * Azurite, Microsoft's Azure Storage emulator (npm `azurite`), as a child process serving the Queue
 * service (or the Blob service) on a free loopback port: the real queue the webhook host's jobs go
 * through in the workbench and the tests, and the blob store Graph's billing exports are downloaded
 * from in the pull tests, reached with the same SDKs (@azure/storage-queue, @azure/storage-blob) and
 * connection string form as in Azure. The account is Azurite's documented development account.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Azurite's well-known development account and key (learn.microsoft.com/azure/storage/common/storage-use-azurite, "Well-known storage account and key"). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  readonly queueEndpoint: string;
  /** Azure Storage connection string of the queue service (what CSPB_QUEUE_CONNECTION takes). */
  readonly connectionString: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Keep queues in this folder (survives restarts); memory only when absent. */
  readonly location?: string;
  /** Milliseconds to wait for it to listen (default 30,000). */
  readonly startTimeoutMs?: number;
}

export function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  return spawnAzurite('queue', options).then((r) => ({
    queueEndpoint: r.endpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};QueueEndpoint=${r.endpoint};`,
    process: r.process,
    stop: r.stop,
  }));
}

export interface RunningAzuriteBlob {
  /** http://127.0.0.1:<port>/devstoreaccount1 */
  readonly blobEndpoint: string;
  readonly connectionString: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Azurite's Blob service alone (it checks SAS signatures and expiry as Azure Storage does). */
export function startAzuriteBlob(options: AzuriteOptions = {}): Promise<RunningAzuriteBlob> {
  return spawnAzurite('blob', options).then((r) => ({
    blobEndpoint: r.endpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${r.endpoint};`,
    process: r.process,
    stop: r.stop,
  }));
}

function spawnAzurite(service: 'queue' | 'blob', options: AzuriteOptions): Promise<{ endpoint: string; process: ChildProcess; stop(): Promise<void> }> {
  const main = require.resolve(`azurite/dist/src/${service}/main.js`);
  const args = [
    main,
    `--${service}Host`,
    '127.0.0.1',
    `--${service}Port`,
    '0',
    '--disableTelemetry',
    '--silent',
    ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence', '--extentMemoryLimit', '256']),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`Azurite did not start within ${options.startTimeoutMs ?? 30_000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = /listens on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      child.stderr?.resume();
      resolve({
        endpoint: `${m[1]}/${DEV_ACCOUNT}`,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited (${code}) before listening:\n${output}`));
    });
  });
}
