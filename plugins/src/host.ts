import type { DataverseClient } from '../../dataverse/src/client/types';
import { DataverseError } from '../../dataverse/src/client/types';
import { authenticate, type WebhookAuth } from './auth';
import { ContextError, parseRemoteExecutionContext, type WebhookContext } from './context';
import { fromWebhookContext, ValidationError, type HandlerDeps } from './handlers/types';
import { findStep } from './steps';

/**
 * The webhook host's request processing, independent of the server it runs in (Azure Functions
 * or a plain Node HTTP server): authenticate, bound the body, parse the RemoteExecutionContext,
 * guard the depth, answer redeliveries from the idempotency cache, dispatch to the handler.
 *
 * Answers: 200 done (or a redelivery of a done call); 400 malformed context (with the reason);
 * 401 not authenticated; 404 wrong path; 405 not POST; 409 Depth above the limit (a loop);
 * 413 body too large; 415 not JSON; 422 the step's business refusal (a sync step's message
 * cancels the user's save); 501 no handler for that message, table and stage; 500 handler failure
 * (Dataverse retries async steps).
 */
export interface WebhookHostOptions {
  readonly auth: WebhookAuth;
  /** The client the handlers write through (the Node Web API client in production). */
  readonly client: DataverseClient;
  readonly deps?: HandlerDeps;
  /** Largest body accepted, in bytes (default 1 MiB; Dataverse trims contexts above 256 KB). */
  readonly maxBodyBytes?: number;
  /** Calls deeper than this are refused (default 1: only the user's own operation). */
  readonly maxDepth?: number;
  /** Path served (default /api/dataverse). */
  readonly path?: string;
  /** Redelivered requests remembered (default 1,000) and for how long (default 1 h). */
  readonly idempotencyEntries?: number;
  readonly idempotencyTtlMs?: number;
  readonly log?: (line: string) => void;
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

const answer = (status: number, message: string, extra: Record<string, unknown> = {}): HostResponse => ({ status, body: { ok: status < 300, message, ...extra } });

/** Identity of one delivery: redeliveries of the same step for the same operation share it. */
export function deliveryKey(context: WebhookContext): string {
  return [
    context.operationId ?? context.requestId ?? context.correlationId,
    context.owningExtensionId ?? '',
    context.messageName,
    context.primaryEntityName,
    context.primaryEntityId ?? '',
    context.stageNumber,
  ].join('|');
}

export class WebhookHost {
  readonly path: string;
  private readonly maxBodyBytes: number;
  private readonly maxDepth: number;
  private readonly done = new Map<string, { at: number; response: Promise<HostResponse> }>();

  constructor(private readonly options: WebhookHostOptions) {
    this.path = options.path ?? '/api/dataverse';
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.maxDepth = options.maxDepth ?? 1;
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
    const type = request.headers['content-type'];
    if (type !== undefined && !/^application\/json\b/i.test(type)) return answer(415, `expected application/json, got ${type}`);
    let context: WebhookContext;
    try {
      context = parseRemoteExecutionContext(Buffer.from(request.body).toString('utf8'));
    } catch (error) {
      if (error instanceof ContextError) return answer(400, error.message);
      return answer(400, 'unusable context');
    }
    if (context.depth > this.maxDepth) return answer(409, `Depth ${context.depth} exceeds ${this.maxDepth}: refused to stop a plug-in loop`);
    const step = findStep(context.messageName, context.primaryEntityName, context.stage);
    if (!step) return answer(501, `no handler for ${context.messageName} of ${context.primaryEntityName} in ${context.stage}`);
    if (!context.primaryEntityId && !context.target?.id) return answer(400, 'the context names no record (PrimaryEntityId)');

    this.expire();
    const key = deliveryKey(context);
    const previous = this.done.get(key);
    if (previous) {
      const response = await previous.response;
      return { status: response.status, body: { ...response.body, redelivery: true } };
    }
    const response = this.run(step.handler, context);
    this.done.set(key, { at: Date.now(), response });
    const result = await response;
    if (result.status >= 500) this.done.delete(key); // a failure may be retried for real
    return result;
  }

  private async run(handler: (typeof import('./steps'))['STEP_HANDLERS'][number]['handler'], context: WebhookContext): Promise<HostResponse> {
    try {
      await handler(fromWebhookContext(context, this.options.client), this.options.deps ?? {});
      return answer(200, 'done', { step: `${context.messageName} ${context.primaryEntityName} ${context.stage}` });
    } catch (error) {
      if (error instanceof ValidationError) return answer(422, error.message);
      const message = error instanceof Error ? error.message : String(error);
      this.options.log?.(`handler failed (${context.correlationId}): ${message}`);
      if (error instanceof DataverseError && error.status === 400) return answer(422, message);
      return answer(500, message);
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
