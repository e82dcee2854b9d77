import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { DataverseError } from '../../client/types';
import type { StepDef } from '../../schema/steps';
import type { LocalOrg } from '../local-org';
import { readNameOf } from '../metadata';
import type { PluginContext } from '../pipeline';
import { PAYLOAD_LIMIT_BYTES, remoteExecutionContext, trimmed, type ImageSpec } from './remote-context';

/**
 * Webhook mode: the org calls registered steps the way Dataverse calls a service endpoint, as an
 * HTTP POST of the RemoteExecutionContext to another process that answers over its own
 * connection. Every rule here is from "Use webhooks to create external handlers for server events"
 * (learn.microsoft.com/power-apps/developer/data-platform/use-webhooks):
 *
 * - "The timeout is 60 seconds ... if no response is returned before the timeout period or if the
 *   response StatusCode value isn't within the 2xx range ... the operation fails."
 * - "It only looks at the response StatusCode value": the body never reaches the user; a failed
 *   synchronous step fails the save with the same words whatever the endpoint answered.
 * - "The WebHook service makes one more attempt only when these error codes are returned": 502,
 *   503, 504.
 * - Over 256 KB, ParentContext, InputParameters and the images are removed and the
 *   x-ms-dynamics-msg-size-exceeded header is sent.
 * - A synchronous PreOperation or PostOperation step runs inside the save's transaction; the
 *   endpoint's own calls back are other requests, which wait for the rows the transaction holds
 *   (the org's lock) until the step times out (database-transactions:
 *   learn.microsoft.com/power-apps/developer/data-platform/scalable-customization-design/database-transactions).
 *   PreValidation runs before the transaction exists (event-framework: "before the database
 *   transaction is created").
 */
export interface ServiceEndpointOptions {
  /** The endpoint's URL (the webhook host's `/api/dataverse`), query string included. */
  readonly url: string;
  /** Extra headers (HttpHeader authentication). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default 60,000 ms, Microsoft's; tests shorten it. */
  readonly timeoutMs?: number;
  /** Wait before the one retry of a 502/503/504 (default 0). */
  readonly retryDelayMs?: number;
  readonly organizationId?: string;
  readonly organizationName?: string;
  /** The calling user's systemuserid in the context. */
  readonly userId?: string;
  /** Every delivery, for tests: body sent, headers, status answered (0: timed out). */
  readonly onDelivery?: (delivery: Delivery) => void;
}

export interface Delivery {
  readonly step: string;
  readonly body: Record<string, unknown>;
  readonly headers: Readonly<Record<string, string>>;
  readonly status: number;
  readonly attempt: number;
}

/** The error a failed synchronous step gives the caller: Dataverse's words, never the endpoint's. */
export function endpointUnavailable(step: string, status: number): DataverseError {
  const what = status === 0 ? 'did not answer within the timeout' : `answered HTTP ${status}`;
  return new DataverseError(
    `Endpoint unavailable: the webhook service endpoint of step '${step}' ${what}. It may be configured incorrectly or not be available.`,
    400,
    '0x80040266',
  );
}

function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve(0);
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const RETRIED = new Set([502, 503, 504]);

/** Registers each step on the org as a webhook call to `options.url`; returns the function that unregisters them. */
export function registerServiceEndpoint(org: LocalOrg, steps: readonly StepDef[], options: ServiceEndpointOptions): () => void {
  const organizationId = options.organizationId ?? '4ef5b371-e89e-e711-8122-000d3aa2331c';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const host = new URL(options.url).host;
  const undo = steps.map((step) => {
    const stepId = randomUUID();
    const meta = org.metadata.tryByLogical(step.table);
    if (!meta) throw new Error(`step ${step.key}: unknown table ${step.table}`);
    const readName = (column: string) => {
      const c = meta.columns.get(column);
      return c ? readNameOf(c) : column;
    };
    const images: ImageSpec[] = step.images.map((i) => ({
      name: i.name,
      type: i.type,
      attributes: i.attributes.map((a) => meta.columns.get(a)?.logicalName ?? a),
    }));
    const deliver = async (context: PluginContext): Promise<void> => {
      const operationId = step.mode === 'async' ? randomUUID() : undefined;
      let body = remoteExecutionContext(
        context,
        org.metadata,
        {
          organizationId,
          organizationName: options.organizationName ?? 'localorg',
          businessUnitId: organizationId,
          userId: options.userId ?? '75c2dd85-e89e-e711-8122-000d3aa2331c',
          stepId,
          operationId,
        },
        images,
      );
      let text = JSON.stringify(body);
      const headers: Record<string, string> = {
        ...options.headers,
        'x-ms-dynamics-organization': host,
        'x-ms-dynamics-entity-name': step.table,
        'x-ms-dynamics-request-name': step.message,
        'x-ms-correlation-request-id': context.correlationId,
      };
      if (Buffer.byteLength(text) > PAYLOAD_LIMIT_BYTES) {
        body = trimmed(body);
        text = JSON.stringify(body);
        headers['x-ms-dynamics-msg-size-exceeded'] = 'true';
      }
      let status = 0;
      for (let attempt = 1; attempt <= 2; attempt++) {
        status = await post(options.url, text, headers, timeoutMs);
        options.onDelivery?.({ step: step.key, body, headers, status, attempt });
        if (!RETRIED.has(status) || attempt === 2) break;
        if (options.retryDelayMs) await new Promise((r) => setTimeout(r, options.retryDelayMs));
      }
      if (status < 200 || status > 299) throw endpointUnavailable(step.key, status);
    };
    return org.register({
      name: `webhook:${step.key}`,
      message: step.message,
      table: step.table,
      stage: step.stage,
      mode: step.mode,
      ...(step.filteringAttributes ? { filteringAttributes: step.filteringAttributes.map(readName) } : {}),
      handler: deliver,
    });
  });
  return () => undo.forEach((u) => u());
}
