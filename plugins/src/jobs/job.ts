import type { DataverseClient, EntityRecord } from '../../../dataverse/src/client/types';
import type { HandlerDeps } from '../handlers/types';

/**
 * Long work (a bill's import, a reconciliation run, an invoice run) never runs inside a webhook
 * call: Dataverse waits 60 s for an answer. The webhook step queues a JobMessage and answers 202;
 * a queue worker (the Functions app's queue trigger, or QueueWorker locally) does the work one
 * chunk per message. Each chunk is idempotent (rows are written by alternate key), and the row's
 * cspb_jobchunk is the resume point: a chunk moves it on, then queues the next chunk's message, so
 * a worker killed mid-chunk is redelivered that chunk and a duplicated message finds it stale.
 */
export type JobKind = 'billingimport' | 'reconciliationrun' | 'invoicerun' | 'monthendrun' | 'accrualrun' | 'pricereview' | 'postingrun';

export interface JobMessage {
  readonly v: 1;
  readonly job: JobKind;
  /** The row the job works on (its primary id). */
  readonly id: string;
  /** Which chunk this message asks for (0 first). */
  readonly chunk: number;
  /**
   * One part of the chunk's work that runs beside the others on any worker (parts.ts): chunk
   * `chunk - 1` fanned it out, and chunk `chunk` waits for every part before it goes on.
   */
  readonly part?: number;
  /** The Dataverse operation that started the job, for logs. */
  readonly correlationId: string;
  /**
   * Deliver no sooner than this (a chunk waiting on other work): the queue message's visibility
   * timeout ("Put Message": 0 to 7 days, learn.microsoft.com/rest/api/storageservices/put-message).
   */
  readonly delaySeconds?: number;
}

/** What one chunk did: the row's new columns (progress, results) and whether the job is complete. */
export interface ChunkOutcome {
  readonly patch: EntityRecord;
  readonly done: boolean;
  /** The next chunk waits this long (it depends on work other messages are doing). */
  readonly delaySeconds?: number;
  /** Parts 0 to parts - 1 of the next chunk are queued beside it (their messages run in parallel). */
  readonly parts?: number;
  /**
   * The chunk is not done yet (parts are still running): the patch (its progress) is written, the
   * resume point stays, and the same chunk comes back after delaySeconds.
   */
  readonly again?: boolean;
  /** With again: parts of this chunk whose messages were lost, queued again. */
  readonly lostParts?: readonly number[];
}

export interface JobContext {
  readonly client: DataverseClient;
  readonly deps: HandlerDeps;
  readonly id: string;
  readonly correlationId: string;
}

export interface Job {
  readonly kind: JobKind;
  readonly entitySet: string;
  /** Does chunk `n` (a repeat writes nothing twice) given the row as read before it. */
  chunk(context: JobContext, n: number, row: EntityRecord): Promise<ChunkOutcome>;
  /**
   * Does part `part` of chunk `n` (queued by chunk n - 1's `parts`): idempotent, its result kept
   * where chunk n reads it (a redelivered part writes the same result again).
   */
  part?(context: JobContext, n: number, part: number, row: EntityRecord): Promise<void>;
  /** The row is finished (completed or failed): any message for it is stale. */
  finished(row: EntityRecord): boolean;
  /** The columns that mark the row failed, with a reason a user can read. */
  failed(reason: string): EntityRecord;
}

/** A failure no retry can cure (a bad file, a run with no import): the row is marked failed at once. */
export class JobFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobFailure';
  }
}

/** A queue message that is not a JobMessage (poisoned or foreign): never retried. */
export class JobMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobMessageError';
  }
}

const KINDS: ReadonlySet<string> = new Set<JobKind>([
  'billingimport',
  'reconciliationrun',
  'invoicerun',
  'monthendrun',
  'accrualrun',
  'pricereview',
  'postingrun',
]);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseJobMessage(text: string): JobMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new JobMessageError(`the queue message is not JSON: ${text.slice(0, 80)}`);
  }
  const m = json as Partial<Record<keyof JobMessage, unknown>>;
  if (typeof json !== 'object' || json === null || m.v !== 1) throw new JobMessageError('the queue message is not a version 1 job message');
  if (typeof m.job !== 'string' || !KINDS.has(m.job)) throw new JobMessageError(`unknown job ${JSON.stringify(m.job)}`);
  if (typeof m.id !== 'string' || !GUID.test(m.id)) throw new JobMessageError(`job id must be a GUID, got ${JSON.stringify(m.id)}`);
  if (typeof m.chunk !== 'number' || !Number.isSafeInteger(m.chunk) || m.chunk < 0)
    throw new JobMessageError(`chunk must be a whole number, got ${JSON.stringify(m.chunk)}`);
  if (m.part !== undefined && (typeof m.part !== 'number' || !Number.isSafeInteger(m.part) || m.part < 0))
    throw new JobMessageError(`part must be a whole number, got ${JSON.stringify(m.part)}`);
  const delay = m.delaySeconds;
  if (delay !== undefined && (typeof delay !== 'number' || !Number.isSafeInteger(delay) || delay < 0 || delay > 7 * 86_400))
    throw new JobMessageError(`delaySeconds must be whole seconds from 0 to 7 days, got ${JSON.stringify(delay)}`);
  return {
    v: 1,
    job: m.job as JobKind,
    id: m.id.toLowerCase(),
    chunk: m.chunk,
    ...(m.part !== undefined ? { part: m.part } : {}),
    correlationId: typeof m.correlationId === 'string' ? m.correlationId : '',
    ...(delay ? { delaySeconds: delay } : {}),
  };
}

/** Rows of a list a chunk covers: [n * size, (n + 1) * size). */
export function chunkOf<T>(items: readonly T[], n: number, size: number): { slice: readonly T[]; last: boolean } {
  return { slice: items.slice(n * size, (n + 1) * size), last: (n + 1) * size >= items.length };
}
