import { DataverseError, type DataverseClient, type EntityRecord } from '../../../dataverse/src/client/types';
import type { HandlerDeps } from '../handlers/types';
import { billingImportJob } from '../handlers/billing-import';
import { invoiceRunJob } from '../handlers/invoice';
import { reconciliationRunJob } from '../handlers/reconciliation';
import { monthEndRunJob } from '../handlers/month-end';
import { accrualRunJob } from '../handlers/accrual';
import { priceReviewJob } from '../handlers/price-review';
import { postingRunJob } from '../handlers/posting-run';
import { JobFailure, type Job, type JobKind, type JobMessage } from './job';
import { bindingCurrencies } from '../../../dataverse/src/client/currency-binding';

export const JOBS: Readonly<Record<JobKind, Job>> = {
  billingimport: billingImportJob,
  reconciliationrun: reconciliationRunJob,
  invoicerun: invoiceRunJob,
  monthendrun: monthEndRunJob,
  accrualrun: accrualRunJob,
  pricereview: priceReviewJob,
  postingrun: postingRunJob,
};

/** The job a step's table queues. */
export function jobForTable(table: string): JobKind {
  const kind = `${table.replace(/^cspb_/, '')}` as JobKind;
  if (!(kind in JOBS)) throw new Error(`no queued job for table ${table}`);
  return kind;
}

const chunkOfRow = (row: EntityRecord): number => (typeof row['cspb_jobchunk'] === 'number' ? row['cspb_jobchunk'] : 0);

async function readRow(client: DataverseClient, job: Job, id: string): Promise<EntityRecord | undefined> {
  try {
    return await client.retrieve<EntityRecord>(job.entitySet, id);
  } catch (error) {
    if (error instanceof DataverseError && error.status === 404) return undefined; // the row was deleted: nothing to do
    throw error;
  }
}

/**
 * Moves the row's resume point from `chunk` to `to` (chunk + 1; chunk itself for a chunk that
 * comes back) with the chunk's results, unless another worker did first (then this worker must not
 * queue the next chunk). Re-reads and retries on 412, so a user editing the row meanwhile does not
 * stop the job.
 */
async function advance(client: DataverseClient, job: Job, id: string, chunk: number, patch: EntityRecord, to = chunk + 1): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const row = await readRow(client, job, id);
    if (!row || chunkOfRow(row) !== chunk || job.finished(row)) return false;
    const etag = row['@odata.etag'];
    try {
      await client.update(job.entitySet, id, { ...patch, cspb_jobchunk: to }, typeof etag === 'string' ? { ifMatch: etag } : {});
      return true;
    } catch (error) {
      if (error instanceof DataverseError && error.status === 412 && attempt < 5) continue;
      throw error;
    }
  }
}

/**
 * Does what a message asks for and returns the messages to queue next: the next chunk's, the parts
 * a chunk fanned out beside it, the same chunk again when it waits for its parts; none when the job
 * is complete, failed, or the message was stale. A JobFailure marks the row failed; any other error
 * propagates so the queue redelivers the message (and, after its last attempt, poisons it).
 */
export async function runMessage(message: JobMessage, org: DataverseClient, deps: HandlerDeps): Promise<JobMessage[]> {
  // Every row a job writes takes the currency its ISO code names (see currency-binding.ts).
  const client = bindingCurrencies(org);
  const job = JOBS[message.job];
  const row = await readRow(client, job, message.id);
  if (!row || job.finished(row) || chunkOfRow(row) !== message.chunk) return [];
  const context = { client, deps, id: message.id, correlationId: message.correlationId };
  if (message.part !== undefined) {
    try {
      if (!job.part) throw new JobFailure(`a ${message.job} job has no parts (a message asked for part ${message.part})`);
      await job.part(context, message.chunk, message.part, row);
    } catch (error) {
      if (!(error instanceof JobFailure)) throw error;
      await advance(client, job, message.id, message.chunk, job.failed(error.message));
    }
    return [];
  }
  let outcome;
  try {
    outcome = await job.chunk(context, message.chunk, row);
  } catch (error) {
    if (!(error instanceof JobFailure)) throw error;
    await advance(client, job, message.id, message.chunk, job.failed(error.message));
    return [];
  }
  const base = { v: 1 as const, job: message.job, id: message.id, correlationId: message.correlationId };
  const delayed = (m: JobMessage): JobMessage => (outcome.delaySeconds ? { ...m, delaySeconds: outcome.delaySeconds } : m);
  if (outcome.again) {
    const held = await advance(client, job, message.id, message.chunk, outcome.patch, message.chunk);
    const lost = (outcome.lostParts ?? []).map((part): JobMessage => ({ ...base, chunk: message.chunk, part }));
    return held ? [delayed({ ...base, chunk: message.chunk }), ...lost] : [];
  }
  const moved = await advance(client, job, message.id, message.chunk, outcome.patch);
  if (!moved || outcome.done) return [];
  const chunk = message.chunk + 1;
  const parts = Array.from({ length: outcome.parts ?? 0 }, (_, part): JobMessage => ({ ...base, chunk, part }));
  // The chunk's message first: if a part's is lost in sending, the waiting chunk sends it again.
  return [delayed({ ...base, chunk }), ...parts];
}

/**
 * The next chunk's message after this one's (undefined when the job is complete, failed, or the
 * message was stale), for callers that run a job in this process: parts a chunk fans out are done
 * here, one after the other, before the chunk that waits for them is returned.
 */
export async function runChunk(message: JobMessage, org: DataverseClient, deps: HandlerDeps): Promise<JobMessage | undefined> {
  const out = await runMessage(message, org, deps);
  for (const part of out.filter((m) => m.part !== undefined)) await runMessage(part, org, deps);
  return out.find((m) => m.part === undefined);
}

/** Marks a job's row failed (a poisoned message: every attempt failed). */
export async function failJob(message: JobMessage, reason: string, client: DataverseClient): Promise<void> {
  const job = JOBS[message.job];
  const row = await readRow(client, job, message.id);
  if (!row || job.finished(row)) return;
  await client.update(job.entitySet, message.id, job.failed(reason));
}

/** Runs every chunk in this process (the local org's in-process pipeline, the CLI): no queue between them. */
export async function runJobToEnd(first: JobMessage, client: DataverseClient, deps: HandlerDeps): Promise<void> {
  try {
    for (let message: JobMessage | undefined = first; message; message = await runChunk(message, client, deps)) {
      // In process there is no queue to hold a delayed chunk: wait here (the work it waits on runs meanwhile).
      if (message.delaySeconds) await new Promise((resolve) => setTimeout(resolve, message!.delaySeconds! * 1000 * (deps.delayScale ?? 1)));
    }
  } catch (error) {
    await failJob(first, error instanceof Error ? error.message : String(error), client);
    throw error;
  }
}
