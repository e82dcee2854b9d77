/**
 * Posting run Create (PostOperation, async, queued as `postingRunJob`): every issued invoice and
 * credit note of the run's month posted to its accounting system with `postPeriod`, the call
 * `npm run post` makes, each outcome written to its invoice as it is known. The accounting client
 * comes from the webhook host's app settings (plugins/src/accounting/settings.ts). One chunk: a
 * redelivered message posts nothing twice (posted documents are skipped, the rest are looked up by
 * number first); a run stopped by sign-in, throttling or the network is Failed with the reason and
 * a new run resumes it.
 */
import type { EntityRecord } from '../../../dataverse/src/client/types';
import { retrieveAll } from '../../../dataverse/src/client/retrieve-all';
import { CspbPostingRunRunStatus as Status, CspbPostingRunTable, type CspbPostingRunRow } from '../../../dataverse/generated';
import { MappingError } from '../../../dataverse/src/mappers';
import { systems } from '../../../dataverse/src/runs/posting-run';
import { accountingClientFromSettings, AccountingApiError, postPeriod } from '../accounting';
import { JobFailure, type ChunkOutcome, type Job, type JobContext } from '../jobs/job';

const max = CspbPostingRunTable.maxLengths;
const cut = (text: string, length: number): string => (text.length <= length ? text : `${text.slice(0, length - 1)}…`);

async function chunk(context: JobContext, _n: number, row: EntityRecord): Promise<ChunkOutcome> {
  const run = row as unknown as CspbPostingRunRow;
  const system = systems.fromWebApi(run.cspb_system, 'cspb_system');
  if (!system || !run.cspb_periodstart) throw new JobFailure('The posting run names no accounting system or billing month.');
  const month = run.cspb_periodstart.slice(0, 7);
  // One post of a month to a system at a time: two would both miss a document in the lookup and both create it.
  if (!run.cspb_dryrun) {
    const others = await retrieveAll<CspbPostingRunRow>(context.client, CspbPostingRunTable.entitySetName, {
      select: ['cspb_name'],
      filter: `cspb_system eq ${run.cspb_system} and cspb_periodstart eq ${run.cspb_periodstart.slice(0, 10)} and cspb_runstatus eq ${Status.Running} and cspb_dryrun ne true and cspb_postingrunid ne ${context.id}`,
    });
    if (others.length > 0)
      throw new JobFailure(
        `'${others[0]!.cspb_name}' is posting ${month} to the same system: run this again once it has finished (it resumes, posting nothing twice).`,
      );
    await context.client.update(CspbPostingRunTable.entitySetName, context.id, { cspb_runstatus: Status.Running, cspb_jobprogress: 'Posting' });
  }
  let result;
  try {
    const accounting = run.cspb_dryrun ? undefined : accountingClientFromSettings(system, context.deps.env ?? process.env, context.deps.accountingExtras ?? {});
    result = await postPeriod({ system, month, dataverse: context.client, ...(accounting ? { accounting } : {}) });
  } catch (e) {
    if (e instanceof AccountingApiError || e instanceof MappingError) throw new JobFailure(`${e.message} (a new run resumes where this one stopped)`);
    throw e;
  }
  if (result.missing.length > 0)
    return {
      done: true,
      patch: {
        cspb_runstatus: Status.Failed,
        cspb_error: cut(
          `Nothing was posted: mappings are missing.\n${result.missing.map((m) => `${m.label} (${m.documents.join(', ')})`).join('\n')}`,
          max.cspb_error,
        ),
        cspb_jobprogress: 'Mappings missing',
      },
    };
  const failed = result.outcomes.filter((o) => o.outcome === 'failed').length;
  const posted = result.outcomes.filter((o) => o.outcome === 'posted' || o.outcome === 'already-posted').length;
  const summary = result.outcomes
    .map((o) => `${o.number}: ${o.outcome}${o.externalNumber ? ` (${o.externalNumber})` : ''}${o.reason ? ` ${o.reason}` : ''}`)
    .join('\n');
  return {
    done: true,
    patch: {
      cspb_runstatus: failed > 0 ? Status.CompletedWithErrors : Status.Completed,
      cspb_postedcount: posted,
      cspb_failedcount: failed,
      cspb_summary: cut(summary || `No issued document of ${month} is left to post.`, max.cspb_summary),
      cspb_error: null,
      cspb_jobprogress: `${result.documents} document${result.documents === 1 ? '' : 's'} ${run.cspb_dryrun ? 'listed (dry run)' : 'posted'}`,
    },
  };
}

export const postingRunJob: Job = {
  kind: 'postingrun',
  entitySet: CspbPostingRunTable.entitySetName,
  chunk,
  finished: (row) => [Status.Completed, Status.CompletedWithErrors, Status.Failed].includes(row['cspb_runstatus'] as never),
  failed: (reason) => ({ cspb_runstatus: Status.Failed, cspb_error: cut(reason, max.cspb_error ?? 10_000), cspb_jobprogress: 'Failed' }),
};
