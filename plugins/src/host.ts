import type { DataverseClient } from '../../dataverse/src/client/types';
import { DataverseError } from '../../dataverse/src/client/types';
import { authenticate, type WebhookAuth } from './auth';
import { ContextError, parseRemoteExecutionContext, type WebhookContext } from './context';
import { fromWebhookContext, ValidationError, type HandlerDeps } from './handlers/types';
import type { JobQueue } from './queue/job-queue';
import { findStep, firstJobMessage, type BoundStep } from './steps';

/**
 * The webhook host's request processing, independent of the server it runs in (Azure Functions
 * or a plain Node HTTP server): authenticate, bound the body, parse the RemoteExecutionContext,
 * stop self-triggering, answer redeliveries of async steps from the idempotency cache, then run an
 * inline step or queue a long one. Platform rules (plugins/README.md names each page):
 *
 * - Dataverse reads only the status code; the JSON body is for logs and tests.
 * - Any status other than 2xx fails the step: a sync step's save is rolled back, an async step's
 *   system job ends Failed. Only 502, 503 and 504 are retried, once: a transient failure of our
 *   own calls answers 503, anything else 500 (with a correlation id; the details go to the log).
 * - The webhook waits 60 s at most: a queue step answers 202 once its job is queued.
 * - OperationId is the async step's system job; a sync step's is the empty GUID, so sync calls are
 *   never deduplicated (two saves of one row would share a key).
 *
 * Answers: 200 done (or a redelivery of a done call, or a self-triggered call skipped); 202 job
 * queued; 400 malformed context; 401 not authenticated; 404 wrong path; 405 not POST; 413 body too
 * large; 415 not JSON; 422 the step's business refusal; 501 no handler for that message, table
 * and stage; 500 handler failure; 503 a transient failure (Dataverse retries once).
 */
export interface WebhookHostOptions {
  readonly auth: WebhookAuth;
  /** The client the handlers write through (the Node Web API client in production). */
  readonly client: DataverseClient;
  /** Where queue steps put their jobs (an Azure Storage queue). Required when such a step arrives. */
  readonly queue?: JobQueue;
  readonly deps?: HandlerDeps;
  /** Largest body accepted, in bytes (default 1 MiB; Dataverse trims contexts above 256 KB). */
  readonly maxBodyBytes?: number;
  /** Path served (default /api/dataverse). */
  readonly path?: string;
  /** Redelivered requests remembered (default 1,000) and for how long (default 1 h). */
  readonly idempotencyEntries?: number;
  readonly idempotencyTtlMs?: number;
  readonly log?: (line: string) => void;
  /**
   * The organizations whose calls this host serves (the RemoteExecutionContext's OrganizationId);
   * a context of another org is refused with 403. Empty or absent: not checked (set it in production).
   */
  readonly organizationIds?: readonly string[];
}

export interface HostRequest {
  readonly method: string;
  /** Path and query, e.g. `/api/dataverse?code=...`. */
  readonly url: string;
  /** Header names lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Uint8Array;
}

export interface HostResponse {
  readonly status: number;
  readonly body: { readonly ok: boolean; readonly message: string; readonly [key: string]: unknown };
}

const answer = (status: number, message: string, extra: Record<string, unknown> = {}): HostResponse => ({
  status,
  body: { ok: status < 300, message, ...extra },
});

/** Header Dataverse adds when it removed InputParameters, ParentContext and images (context over 256 KB). */
export const SIZE_EXCEEDED_HEADER = 'x-ms-dynamics-msg-size-exceeded';

/**
 * Identity of one delivery of an async step: its system job (OperationId) and the step. Undefined
 * for sync steps (no system job: OperationId is empty) and whenever OperationId is absent.
 */
export function deliveryKey(context: WebhookContext): string | undefined {
  if (context.mode !== 'async' || !context.operationId) return undefined;
  return [
    context.operationId,
    context.owningExtensionId ?? '',
    context.messageName,
    context.primaryEntityName,
    context.primaryEntityId ?? '',
    context.stageNumber,
  ].join('|');
}

/** This call was caused by our own handling of the same operation on the same row: a self-trigger. */
export function isSelfTriggered(context: WebhookContext): boolean {
  return context.parents.some(
    (p) => p.messageName === context.messageName && p.primaryEntityName === context.primaryEntityName && p.primaryEntityId === context.primaryEntityId,
  );
}

export class WebhookHost {
  readonly path: string;
  private readonly maxBodyBytes: number;
  private readonly done = new Map<string, { at: number; response: Promise<HostResponse> }>();

  constructor(private readonly options: WebhookHostOptions) {
    this.path = options.path ?? '/api/dataverse';
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  }

  get bodyLimit(): number {
    return this.maxBodyBytes;
  }

  /** Cheap checks before the body is read: method, path, authentication, declared length. */
  precheck(request: Omit<HostRequest, 'body'>): HostResponse | undefined {
    const url = new URL(request.url, 'http://host');
    if (url.pathname !== this.path) return answer(404, `no such endpoint: ${url.pathname}`);
    if (request.method !== 'POST') return answer(405, 'POST only');
    if (!authenticate(this.options.auth, { query: url.searchParams, headers: request.headers })) return answer(401, 'not authenticated');
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > this.maxBodyBytes) return answer(413, `the body is larger than ${this.maxBodyBytes} bytes`);
    return undefined;
  }

  async handle(request: HostRequest): Promise<HostResponse> {
    const early = this.precheck(request);
    if (early) return early;
    if (request.body.length > this.maxBodyBytes) return answer(413, `the body is larger than ${this.maxBodyBytes} bytes`);
    // Dataverse posts the context as application/json; anything else (none, json-patch+json...) is not one.
    const type = request.headers['content-type'];
    const media = (type ?? '').split(';')[0]!.trim().toLowerCase();
    if (media !== 'application/json') return answer(415, `expected application/json, got ${type ?? 'no content type'}`);
    let context: WebhookContext;
    try {
      context = parseRemoteExecutionContext(Buffer.from(request.body).toString('utf8'));
    } catch (error) {
      if (error instanceof ContextError) return answer(400, error.message);
      return answer(400, 'unusable context');
    }
    const orgs = this.options.organizationIds ?? [];
    if (orgs.length > 0 && !orgs.some((id) => id.toLowerCase() === (context.organizationId ?? '').toLowerCase())) {
      this.options.log?.(`refused a context of organization ${context.organizationId ?? '(none)'} (${context.correlationId})`);
      return answer(403, 'this host does not serve that organization');
    }
    const step = findStep(context.messageName, context.primaryEntityName, context.stage);
    if (!step) return answer(501, `no handler for ${context.messageName} of ${context.primaryEntityName} in ${context.stage}`);
    if (!context.primaryEntityId && !context.target?.id) return answer(400, 'the context names no record (PrimaryEntityId)');
    if (isSelfTriggered(context)) return answer(200, 'skipped: caused by our own handling of this row', { selfTriggered: true });
    const trimmed = /^true$/i.test(request.headers[SIZE_EXCEEDED_HEADER] ?? '');

    const key = deliveryKey(context);
    if (key === undefined) return this.run(step, context, trimmed);
    this.expire();
    const previous = this.done.get(key);
    if (previous) {
      const response = await previous.response;
      return { status: response.status, body: { ...response.body, redelivery: true } };
    }
    const response = this.run(step, context, trimmed);
    this.done.set(key, { at: Date.now(), response });
    const result = await response;
    if (result.status >= 500) this.done.delete(key); // a failure may be retried for real
    return result;
  }

  private async run(step: BoundStep, context: WebhookContext, trimmed: boolean): Promise<HostResponse> {
    const handlerContext = fromWebhookContext(context, this.options.client, trimmed);
    const name = `${context.messageName} ${context.primaryEntityName} ${context.stage}`;
    try {
      if (!step.handler) {
        if (!this.options.queue) throw new Error(`${step.def.key} queues its work, and this host has no queue configured`);
        const message = firstJobMessage(step.def, handlerContext);
        if (!message) return answer(200, 'nothing to queue', { step: name });
        await this.options.queue.send(message);
        return answer(202, 'queued', { step: name, job: message.job });
      }
      await step.handler(handlerContext, this.options.deps ?? {});
      return answer(200, 'done', { step: name });
    } catch (error) {
      if (error instanceof ValidationError) return answer(422, error.message);
      const message = error instanceof Error ? error.message : String(error);
      this.options.log?.(`handler failed (${context.correlationId}, ${name}): ${message}`);
      if (error instanceof DataverseError && error.status === 400) return answer(422, message);
      // Transient (throttled, unavailable, timed out): 503 is the status Dataverse retries.
      if (error instanceof DataverseError && error.transient) return answer(503, 'temporarily unavailable', { correlationId: context.correlationId });
      if (isTransientNetworkError(error)) return answer(503, 'temporarily unavailable', { correlationId: context.correlationId });
      return answer(500, 'the handler failed; see the host log', { correlationId: context.correlationId });
    }
  }

  private expire(): void {
    const ttl = this.options.idempotencyTtlMs ?? 3_600_000;
    const max = this.options.idempotencyEntries ?? 1000;
    const now = Date.now();
    for (const [key, entry] of this.done) {
      if (now - entry.at > ttl || this.done.size > max) this.done.delete(key);
      else break;
    }
  }
}

/** A refused or reset connection (the queue or Dataverse briefly unreachable). */
function isTransientNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].includes(code);
}
