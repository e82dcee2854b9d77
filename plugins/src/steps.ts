import type { LocalOrg } from '../../dataverse/src/local-org';
import type { EntityRecord } from '../../dataverse/src/client/types';
import { findStepDef, STEPS, type StepDef, type StepStage } from '../../dataverse/src/schema/steps';
import { recordSubscriptionChange, validateSubscription } from './handlers/subscription';
import { fromPluginContext, type Handler, type HandlerContext, type HandlerDeps } from './handlers/types';
import type { JobMessage } from './jobs/job';
import { jobForTable, runJobToEnd } from './jobs/runner';

/**
 * Each step of the one step table (dataverse/src/schema/steps.ts) with what runs it: an inline
 * handler, or, for `queue` steps, the job the step queues.
 */
const INLINE: Readonly<Record<string, Handler>> = {
  'subscription-create-validate': validateSubscription,
  'subscription-update-validate': validateSubscription,
  'subscription-create-ledger': recordSubscriptionChange,
  'subscription-update-ledger': recordSubscriptionChange,
};

export interface BoundStep {
  readonly def: StepDef;
  /** Inline steps: the handler. */
  readonly handler?: Handler;
}

for (const step of STEPS) {
  if (step.work === 'inline' && !INLINE[step.key]) throw new Error(`step ${step.key} has no handler`);
}

export function findStep(message: string, table: string, stage: StepStage): BoundStep | undefined {
  const def = findStepDef(message, table, stage);
  if (!def) return undefined;
  const handler = INLINE[def.key];
  return handler ? { def, handler } : { def };
}

/**
 * The message a queue step sends for a row: the job's first chunk, or, for a step that resumes a
 * job (a restart), the row's resume point; undefined when the step has nothing to queue (a restart
 * column written back to No).
 */
export function firstJobMessage(
  def: StepDef,
  context: Pick<HandlerContext, 'primaryEntityId' | 'correlationId'> & { readonly postImage?: EntityRecord | undefined },
): JobMessage | undefined {
  if (!context.primaryEntityId) throw new Error(`${def.key}: the context names no row`);
  const message: JobMessage = { v: 1, job: jobForTable(def.table), id: context.primaryEntityId, chunk: 0, correlationId: context.correlationId };
  if (!def.resume) return message;
  const image = context.postImage;
  if (!image) throw new Error(`${def.key}: Dataverse sent no PostImage (the step registers one with ${def.resume.when} and cspb_jobchunk)`);
  if (image[def.resume.when] !== true) return undefined;
  const chunk = image['cspb_jobchunk'];
  return { ...message, chunk: typeof chunk === 'number' ? chunk : 0 };
}

/** Filtering attributes in the local org's read names (lookups as `_x_value`). */
function readNames(columns: readonly string[]): string[] {
  return columns.map((c) => (c === 'cspb_offerid' || c === 'cspb_customerid' ? `_${c}_value` : c));
}

/**
 * Registers every step on a local org's own (in-process) pipeline, at the stage and mode the
 * solution registers them. A queue step's job runs to its end after the commit, chunk by chunk,
 * in this process. Returns the function that unregisters them all.
 */
export function registerPlugins(org: LocalOrg, deps: HandlerDeps = {}): () => void {
  const undo = STEPS.map((def) => {
    const bound = findStep(def.message, def.table, def.stage) as BoundStep;
    return org.register({
      name: `cspb:${def.key}`,
      message: def.message,
      table: def.table,
      stage: def.stage,
      mode: def.mode,
      ...(def.filteringAttributes ? { filteringAttributes: readNames(def.filteringAttributes) } : {}),
      handler: (context) => {
        const handlerContext = fromPluginContext(context);
        if (bound.handler) return bound.handler(handlerContext, deps);
        const message = firstJobMessage(def, handlerContext);
        return message ? runJobToEnd(message, context.client, deps) : undefined;
      },
    });
  });
  return () => undo.forEach((u) => u());
}
