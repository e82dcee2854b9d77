/**
 * Azurite, Microsoft's Azure Storage emulator (npm `azurite`), as a child process serving the Queue
 * service on a free loopback port: the real queue the webhook host's jobs go through in the
 * workbench and the tests, reached with the same SDK (@azure/storage-queue) and connection string
 * form as in Azure. The account is Azurite's documented development account.
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
  const main = require.resolve('azurite/dist/src/queue/main.js');
  const args = [
    main,
    '--queueHost',
    '127.0.0.1',
    '--queuePort',
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
      const queueEndpoint = `${m[1]}/${DEV_ACCOUNT}`;
      resolve({
        queueEndpoint,
        connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};QueueEndpoint=${queueEndpoint};`,
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
