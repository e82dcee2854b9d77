import type { DataverseClient, EntityRecord } from '../client/types';

/**
 * The event pipeline, shaped like Dataverse's: steps registered on a message (Create, Update,
 * Delete or a custom message), a table and a stage, run in rank order. Sync steps run inside the
 * operation's transaction: a throw rolls everything back (the row, and whatever the steps wrote
 * through `context.client`) and reaches the caller as its error. Async PostOperation steps run
 * after the commit; their failures are recorded on the org, never thrown to the caller.
 */
export type Stage = 'PreValidation' | 'PreOperation' | 'PostOperation';
export type Mode = 'sync' | 'async';

/** Dataverse stops a chain of plug-ins calling each other at depth 8 (the infinite-loop guard). */
export const MAX_DEPTH = 8;

export interface PluginContext {
  readonly messageName: string;
  /** Logical name of the table; '' for an unbound custom message. */
  readonly primaryEntityName: string;
  readonly primaryEntityId: string | undefined;
  readonly stage: Stage;
  readonly mode: Mode;
  /** 1 for a caller's request; +1 for each write a plug-in makes that triggers this one. */
  readonly depth: number;
  /** Shared by every step and nested operation of one caller request. */
  readonly correlationId: string;
  /**
   * Create/Update: the columns being written, in read shape (lookups as `_x_value`) with the
   * primary id. Steps in PreValidation and PreOperation may change it; the changed Target is
   * validated and written. Delete: `{ <primaryid>: id }`.
   */
  readonly target: Record<string, unknown>;
  /** Update/Delete: the row before the operation, as `PreImage`. */
  readonly preEntityImages: Readonly<Record<string, EntityRecord>>;
  /** Create/Update in PostOperation: the row as written, as `PostImage`. */
  readonly postEntityImages: Readonly<Record<string, EntityRecord>>;
  /** Custom messages: the parameters the caller passed. */
  readonly inputParameters: Readonly<Record<string, unknown>>;
  /** Custom messages: what the caller receives (steps may add to it). Create: `id`. */
  readonly outputParameters: Record<string, unknown>;
  /** Passed from step to step within one operation. */
  readonly sharedVariables: Map<string, unknown>;
  /**
   * A client bound to this operation: its writes join the operation's transaction (sync steps)
   * and run one level deeper, so they trigger steps in turn.
   */
  readonly client: DataverseClient;
}

export type PluginHandler = (context: PluginContext) => void | Promise<void>;

export interface PluginStep {
  readonly message: string;
  /** Logical name of the table; omitted = every table (and unbound custom messages). */
  readonly table?: string;
  readonly stage: Stage;
  /** Default sync; async is allowed for PostOperation only, as in Dataverse. */
  readonly mode?: Mode;
  /** Lower runs first (Dataverse's execution order). */
  readonly rank?: number;
  /** Update only: run only when one of these columns (read names) is in the Target. */
  readonly filteringAttributes?: readonly string[];
  /** Shown in recorded async failures. */
  readonly name?: string;
  readonly handler: PluginHandler;
}

export interface AsyncFailure {
  readonly step: string;
  readonly messageName: string;
  readonly primaryEntityName: string;
  readonly primaryEntityId: string | undefined;
  readonly correlationId: string;
  readonly error: Error;
}

/** The implementation of a custom message (a Custom API's main operation). */
export type MessageHandler = (
  input: Readonly<Record<string, unknown>>,
  context: {
    readonly client: DataverseClient;
    readonly depth: number;
    readonly correlationId: string;
    readonly bound?: { readonly table: string; readonly id?: string };
  },
) => Record<string, unknown> | void | Promise<Record<string, unknown> | void>;

export class Pipeline {
  private readonly steps: PluginStep[] = [];
  private readonly messages = new Map<string, MessageHandler>();

  register(step: PluginStep): () => void {
    if (step.mode === 'async' && step.stage !== 'PostOperation') throw new Error(`${step.name ?? step.message}: async steps run in PostOperation only`);
    this.steps.push(step);
    return () => {
      const i = this.steps.indexOf(step);
      if (i >= 0) this.steps.splice(i, 1);
    };
  }

  registerMessage(name: string, handler: MessageHandler): () => void {
    this.messages.set(name, handler);
    return () => {
      if (this.messages.get(name) === handler) this.messages.delete(name);
    };
  }

  message(name: string): MessageHandler | undefined {
    return this.messages.get(name);
  }

  hasSteps(message: string, table?: string): boolean {
    return this.steps.some((s) => s.message === message && (table === undefined || s.table === undefined || s.table === table));
  }

  /** Steps for this message, table and stage, by rank then registration order. */
  stepsFor(message: string, table: string, stage: Stage, mode: Mode, target?: Readonly<Record<string, unknown>>): PluginStep[] {
    return this.steps
      .filter(
        (s) =>
          s.message === message &&
          s.stage === stage &&
          (s.mode ?? 'sync') === mode &&
          (s.table === undefined || s.table === table) &&
          (!s.filteringAttributes || !target || s.filteringAttributes.some((a) => a in target)),
      )
      .map((s, i) => ({ s, i }))
      .sort((a, b) => (a.s.rank ?? 1) - (b.s.rank ?? 1) || a.i - b.i)
      .map(({ s }) => s);
  }
}
