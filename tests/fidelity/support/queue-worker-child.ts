/**
 * A queue worker in its own process, so a test can kill it mid-chunk (SIGKILL) as a Functions
 * host instance dies: it works the job queue against the org's Web API, reading each import's bill
 * from a file (the org's notes stand-in). Settings come from the environment:
 *   CSPB_QUEUE_CONNECTION, CSPB_QUEUE_NAME, ORG_URL, CALLER_ID, BILL_FILES (JSON: import id -> path)
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { NodeDataverseClient } from '../../../dataverse/src/node';
import { AzureJobQueue, QueueWorker, type BillFileSource } from '../../../plugins/src';

async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const files = JSON.parse(env('BILL_FILES')) as Record<string, string>;
  const billFiles: BillFileSource = {
    get: async (importId) => {
      const path = files[importId.toLowerCase()];
      return path ? { fileName: basename(path), bytes: new Uint8Array(readFileSync(path)) } : undefined;
    },
  };
  const client = await NodeDataverseClient.connect({ url: env('ORG_URL'), callerId: env('CALLER_ID') });
  const worker = new QueueWorker({
    queue: new AzureJobQueue(env('CSPB_QUEUE_CONNECTION'), env('CSPB_QUEUE_NAME')),
    client,
    deps: { billFiles },
    visibilityTimeoutSeconds: 5,
    pollMs: 50,
  });
  worker.start();
  process.stdout.write('worker started\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
