import type { DataverseClient, EntityRecord } from '../../../dataverse/src/client/types';
import { bindingCurrencies } from '../../../dataverse/src/client/currency-binding';
import type { PluginContext } from '../../../dataverse/src/local-org';
import { toReadShape, type StageName, type WebhookContext } from '../context';

/**
 * What every handler receives, whoever calls it: the local org's pipeline (PluginContext) or the
 * webhook host (a parsed RemoteExecutionContext). Records are in Web API read shape.
 */
export interface HandlerContext {
  readonly messageName: string;
  readonly primaryEntityName: string;
  readonly primaryEntityId: string | undefined;
  readonly stage: StageName;
  readonly mode: 'sync' | 'async';
  readonly depth: number;
  readonly correlationId: string;
  /** The columns written (Create/Update). */
  readonly target: Readonly<Record<string, unknown>>;
  readonly preImage: EntityRecord | undefined;
  readonly postImage: EntityRecord | undefined;
  /**
   * Dataverse sent the context without InputParameters, ParentContext and images because it was
   * over 256 KB (header x-ms-dynamics-msg-size-exceeded): the handler reads what it needs instead.
   */
  readonly payloadTrimmed: boolean;
  readonly client: DataverseClient;
}

export interface HandlerDeps {
  /** Today's date as 'YYYY-MM-DD' (UTC by default): the effective date when the form gave none. */
  readonly today?: () => string;
  /** Where a billing import's file is read from (annotations in Dataverse, memory in tests). */
  readonly billFiles?: import('./billing-import').BillFileSource;
  /** Attempts for optimistic-concurrency retries (412), default 5. */
  readonly maxAttempts?: number;
  /** Microsoft Graph for the month-end pulls (the Functions app builds it from CSPB_GRAPH_* settings). */
  readonly pull?: {
    readonly graph: import('../pull/graph-billing').GraphBillingClient;
    readonly stateDir: string;
    /** Bill lines a month-end message writes at most (default PULL_LINES_PER_MESSAGE; tests take it small). */
    readonly linesPerMessage?: number;
  };
  /** The settings the accounting clients read (the host's app settings; default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** MSAL's metadata and network, the HTTP's sleep: what tests give the accounting clients besides settings. */
  readonly accountingExtras?: import('../accounting/settings').ClientExtras;
  /**
   * Where a large daily-usage bill's parts go (a blob container; plugins/src/handlers/
   * billing-import-parts.ts): with it, a billing import reads such a file in parts on parallel
   * queue messages; without it, in one pass. `partBytes`: bytes per part (default PART_BYTES).
   */
  readonly parts?: { readonly store: import('../jobs/part-store').PartStore; readonly partBytes?: number };
  /** Tests: scales the in-process wait of a delayed chunk (0: no wait). */
  readonly delayScale?: number;
}

export type Handler = (context: HandlerContext, deps: HandlerDeps) => Promise<void>;

/**
 * A business refusal (negative quantity, NCE window closed): a sync step's refusal cancels the
 * operation with this message. The webhook host answers it 422, the local org rethrows it.
 */
export class ValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

export function fromPluginContext(context: PluginContext): HandlerContext {
  return {
    messageName: context.messageName,
    primaryEntityName: context.primaryEntityName,
    primaryEntityId: context.primaryEntityId,
    stage: context.stage,
    mode: context.mode,
    depth: context.depth,
    correlationId: context.correlationId,
    target: context.target,
    preImage: context.preEntityImages['PreImage'],
    postImage: context.postEntityImages['PostImage'],
    payloadTrimmed: false,
    client: bindingCurrencies(context.client),
  };
}

export function fromWebhookContext(context: WebhookContext, client: DataverseClient, payloadTrimmed = false): HandlerContext {
  const pre = context.preEntityImages['PreImage'];
  const post = context.postEntityImages['PostImage'];
  return {
    messageName: context.messageName,
    primaryEntityName: context.primaryEntityName,
    primaryEntityId: context.primaryEntityId ?? context.target?.id,
    stage: context.stage,
    mode: context.mode,
    depth: context.depth,
    correlationId: context.correlationId,
    target: context.target ? toReadShape(context.target) : {},
    preImage: pre ? toReadShape(pre) : undefined,
    postImage: post ? toReadShape(post) : undefined,
    payloadTrimmed,
    client: bindingCurrencies(client),
  };
}

/** Every row of a query, following nextLink pages. */
/** Every page of a query (kept here for the handlers; dataverse/ owns it). */
export { retrieveAll } from '../../../dataverse/src/client/retrieve-all';

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
