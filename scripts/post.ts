/**
 * npm run post -- --to bc|xero|qbo --period YYYY-MM (--org <url> --client-id <app> --tenant <tenant> | --local-org [<file>]) [--dry-run]
 * Posts every issued invoice and credit note of the month that is not yet in the books to the
 * accounting system, with the call the Dynamics Posting run makes (plugins/src/accounting/post-period.ts),
 * and records each outcome on its invoice. The system's credentials come from settings only
 * (environment variables, docs/ADMIN.md "Posting to the accounting system"). Exit 0 when every
 * document is posted, 1 when the system refused some (each listed with its words), 2 on unusable
 * input, a mapping missing, or a run stopped (sign-in, throttling, the network: run it again).
 */
import { ACCOUNTING_SYSTEMS, type AccountingSystem } from '../core/src';
import { MappingError } from '../dataverse/src/mappers';
import { accountingClientFromSettings, AccountingApiError, postPeriod, SETTINGS } from '../plugins/src/accounting';
import { monthArg, parseArgs, runCommand, UsageError } from './cli-args';
import { openOrg, orgArg, ORG_ARG_NAMES } from './pull';

export const POST_USAGE = `usage: npm run post -- --to bc|xero|qbo --period YYYY-MM (--org <url> --client-id <app> --tenant <tenant> | --local-org [<file>]) [--dry-run]
  --to <system>         bc (Business Central), xero or qbo (QuickBooks Online)
  --period YYYY-MM      the billing month whose issued invoices and credit notes post
  --org <url>           the Dataverse environment (CSPB_CLIENT_SECRET, or CSPB_DATAVERSE_TOKEN)
  --local-org [<file>]  the workbench's embedded org (default build/workbench/org.json)
  --dry-run             list what would post, and the mappings missing; send nothing, write nothing
Settings (environment):
  bc    ${SETTINGS.bc.join(', ')} [CSPB_BC_LOCAL_CURRENCY, CSPB_BC_API_URL]
  xero  ${SETTINGS.xero.join(', ')} [CSPB_XERO_API_URL, CSPB_XERO_TOKEN_URL]
  qbo   ${SETTINGS.qbo.join(', ')} [CSPB_QBO_API_URL, CSPB_QBO_TOKEN_URL]`;

export class PostStopped extends Error {}

/** Runs the post; returns the text it prints and the exit code. */
export async function postCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ text: string; exitCode: number }> {
  const args = parseArgs(argv, { values: ['to', 'period', ...ORG_ARG_NAMES], flags: ['dry-run'], usage: POST_USAGE });
  const to = args.value('to');
  if (!to || !ACCOUNTING_SYSTEMS.includes(to as AccountingSystem)) throw new UsageError(`--to must be bc, xero or qbo\n${POST_USAGE}`);
  const system = to as AccountingSystem;
  const period = args.value('period');
  if (!period) throw new UsageError(`--period is required\n${POST_USAGE}`);
  monthArg(period);
  const org = orgArg(args, env);
  if (!org) throw new UsageError(`give --org or --local-org\n${POST_USAGE}`);
  const dry = args.flag('dry-run');
  const accounting = dry ? undefined : accountingClientFromSettings(system, env);
  const opened = await openOrg(org, env);
  const lines: string[] = [];
  try {
    const result = await postPeriod({
      system,
      month: period,
      dataverse: opened.client,
      ...(accounting ? { accounting } : {}),
      onOutcome: (o) => lines.push(`  ${o.number}: ${o.outcome}${o.externalNumber ? ` as ${o.externalNumber}` : ''}${o.reason ? `: ${o.reason}` : ''}`),
    });
    if (result.missing.length > 0)
      return {
        text: [
          `Nothing posted: ${result.missing.length} mapping(s) missing (Accounting mappings in Dynamics):`,
          ...result.missing.map((m) => `  ${m.label}: ${m.documents.join(', ')}`),
        ].join('\n'),
        exitCode: 2,
      };
    const failed = result.outcomes.filter((o) => o.outcome === 'failed').length;
    const head = dry
      ? `${result.documents} document(s) of ${period} would post (dry run: nothing sent):`
      : `${result.documents} document(s) of ${period}: ${result.documents - failed} in the books, ${failed} refused`;
    return { text: [head, ...lines].join('\n'), exitCode: failed > 0 ? 1 : 0 };
  } catch (e) {
    if (e instanceof AccountingApiError)
      throw new PostStopped(`${e.message}\n${lines.length ? `Recorded before it stopped:\n${lines.join('\n')}\n` : ''}Run the post again: it resumes.`);
    if (e instanceof MappingError) throw new PostStopped(e.message);
    throw e;
  } finally {
    await opened.close();
  }
}

if (require.main === module)
  runCommand(
    async () => {
      const { text, exitCode } = await postCommand(process.argv.slice(2));
      console.log(text);
      process.exitCode = exitCode;
    },
    (error) => error instanceof PostStopped || error instanceof AccountingApiError,
  );
