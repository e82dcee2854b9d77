/**
 * `npm run pull`: a bill from Microsoft Graph's partner billing exports into Dynamics as an import
 * row with its lines, no file in anyone's hands (plugins/src/pull says how, step by step).
 *   npm run pull -- --invoice G000012345 --org https://contoso.crm.dynamics.com --client-id <app> --tenant <tenant>
 *   npm run pull -- --usage G000012345 --local-org
 *   npm run pull -- --unbilled current --currency USD --local-org build/workbench/org.json
 * Exit 0: imported, or already imported; 2: an error to act on (printed), or rows the import
 * rejected (listed on the import in Dynamics with their money); 1: a bug.
 */
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { DataverseClient } from '../dataverse/src/client/types';
import { LocalOrg } from '../dataverse/src/local-org';
import { clientCredentialsToken, NodeDataverseClient, staticToken } from '../dataverse/src/node';
import { GraphBillingClient, type ExportRequest } from '../plugins/src/pull/graph-billing';
import { graphClientCredentials, type GraphToken } from '../plugins/src/pull/graph-token';
import { pullBill } from '../plugins/src/pull/pull';
import { PullError } from '../plugins/src/pull/errors';
import { DuplicateImport, LinesRefused } from '../dataverse/src/imports/write-import';
import { parseArgs, runCommand, UsageError } from './cli-args';
import { builtCustomizationsXml } from './workbench/built-solution';

const ROOT = resolve(__dirname, '..');
export const DEFAULT_LOCAL_ORG = join(ROOT, 'build', 'workbench', 'org.json');

export const PULL_USAGE = `usage: npm run pull -- (--invoice <invoice id> | --usage <invoice id> | --unbilled current|last --currency <ISO code>)
       (--org https://<org>.crm.dynamics.com --client-id <app id> --tenant <tenant> | --local-org [<file>])
       [--state-dir <dir>] [--graph-url <url>] [--keep-staging]
  --invoice <id>        the billed invoice reconciliation (licences) of a Partner Center invoice
  --usage <id>          the billed daily rated usage (Azure) of that invoice
  --unbilled <period>   the unbilled invoice reconciliation of the current or last period, in --currency
  --org <url>           the Dataverse environment (client credentials: CSPB_CLIENT_SECRET, or CSPB_DATAVERSE_TOKEN)
  --local-org [<file>]  the workbench's embedded org (default build/workbench/org.json; stop the workbench first)
  --state-dir <dir>     staging and checkpoints of interrupted pulls (default build/pull)
  --graph-url <url>     Microsoft Graph's base (default https://graph.microsoft.com/v1.0)
  --keep-staging        keep the downloaded JSON Lines after the import
Graph sign-in (app registration with the PartnerBilling.Read.All application permission, admin consent):
  CSPB_GRAPH_TENANT_ID, CSPB_GRAPH_CLIENT_ID, CSPB_GRAPH_CLIENT_SECRET, or CSPB_GRAPH_TOKEN (a token obtained
  elsewhere, e.g. az account get-access-token --resource https://graph.microsoft.com).`;

/** Where a command reads and writes Dynamics: an environment by URL, or the workbench's embedded org. */
export type OrgArg = { kind: 'url'; url: string; clientId?: string; tenant?: string } | { kind: 'local'; file: string };

/** The org options every command that writes to Dynamics takes (--org with --client-id and --tenant, or --local-org). */
export const ORG_ARG_NAMES = ['org', 'client-id', 'tenant', 'local-org'] as const;

/**
 * --org <url> [--client-id <app> --tenant <tenant>] or --local-org <file>, or undefined when neither
 * is given. --org signs in with client credentials (the secret in CSPB_CLIENT_SECRET), or uses
 * CSPB_DATAVERSE_TOKEN when set (a token obtained elsewhere: az account get-access-token --resource
 * <org url>). Only https, except a loopback address (a Web API on this machine).
 */
export function orgArg(a: { value(name: string): string | undefined }, env: NodeJS.ProcessEnv): OrgArg | undefined {
  const url = a.value('org');
  const file = a.value('local-org');
  if (url !== undefined && file !== undefined) throw new UsageError('give --org or --local-org, not both');
  if (file !== undefined) return { kind: 'local', file: resolve(file) };
  if (url === undefined) return undefined;
  if (!/^https:\/\/[^/]+/.test(url) && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(url)) throw new UsageError('--org must be an https URL');
  const clientId = a.value('client-id');
  const tenant = a.value('tenant');
  if (!env.CSPB_DATAVERSE_TOKEN && (!clientId || !tenant))
    throw new UsageError('--org needs --client-id and --tenant (the secret in CSPB_CLIENT_SECRET), or a token in CSPB_DATAVERSE_TOKEN');
  return { kind: 'url', url: url.replace(/\/+$/, ''), ...(clientId ? { clientId } : {}), ...(tenant ? { tenant } : {}) };
}

export function parsePullArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): {
  request: ExportRequest;
  org: OrgArg;
  stateDir: string;
  graphUrl?: string;
  keepStaging: boolean;
} {
  // --local-org takes an optional file: a bare --local-org is given the default.
  const args = [...argv];
  const local = args.indexOf('--local-org');
  if (local >= 0 && (args[local + 1] === undefined || args[local + 1]!.startsWith('--'))) args.splice(local + 1, 0, DEFAULT_LOCAL_ORG);
  const a = parseArgs(args, {
    values: ['invoice', 'usage', 'unbilled', 'currency', ...ORG_ARG_NAMES, 'state-dir', 'graph-url'],
    flags: ['keep-staging'],
    usage: PULL_USAGE,
  });
  const kinds = ['invoice', 'usage', 'unbilled'].filter((k) => a.value(k) !== undefined);
  if (kinds.length !== 1) throw new UsageError(`give one of --invoice, --usage, --unbilled\n${PULL_USAGE}`);
  let request: ExportRequest;
  if (a.value('unbilled') !== undefined) {
    const period = a.value('unbilled');
    if (period !== 'current' && period !== 'last') throw new UsageError(`--unbilled ${period}: Graph exports the current or the last period`);
    const currency = a.value('currency');
    if (!currency || !/^[A-Z]{3}$/.test(currency)) throw new UsageError('--unbilled needs --currency, an ISO 4217 code such as USD');
    request = { kind: 'unbilled-reconciliation', billingPeriod: period, currencyCode: currency };
  } else {
    const invoice = (a.value('invoice') ?? a.value('usage'))!;
    if (!/^[A-Za-z0-9-]{1,50}$/.test(invoice)) throw new UsageError(`--${kinds[0]} ${invoice}: not an invoice id (such as G000012345)`);
    request = { kind: a.value('invoice') !== undefined ? 'billed-reconciliation' : 'billed-usage', invoiceId: invoice };
  }
  const org = orgArg(a, env);
  if (!org) throw new UsageError(`give one of --org, --local-org\n${PULL_USAGE}`);
  return {
    request,
    org,
    stateDir: resolve(a.value('state-dir') ?? join(ROOT, 'build', 'pull')),
    ...(a.value('graph-url') ? { graphUrl: a.value('graph-url')! } : {}),
    keepStaging: a.flag('keep-staging'),
  };
}

function graphToken(env: NodeJS.ProcessEnv): GraphToken {
  if (env.CSPB_GRAPH_TOKEN) {
    const token = env.CSPB_GRAPH_TOKEN;
    return async (fresh) => {
      if (fresh) throw new PullError('auth-failed', 'Graph refused CSPB_GRAPH_TOKEN (expired?): get a new token, or set CSPB_GRAPH_CLIENT_ID and its secret.');
      return token;
    };
  }
  const tenantId = env.CSPB_GRAPH_TENANT_ID;
  const clientId = env.CSPB_GRAPH_CLIENT_ID;
  const clientSecret = env.CSPB_GRAPH_CLIENT_SECRET;
  if (!tenantId || !clientId || !clientSecret)
    throw new UsageError('Graph sign-in: set CSPB_GRAPH_TENANT_ID, CSPB_GRAPH_CLIENT_ID and CSPB_GRAPH_CLIENT_SECRET (or CSPB_GRAPH_TOKEN)');
  return graphClientCredentials({ tenantId, clientId, clientSecret });
}

export async function openOrg(org: OrgArg, env: NodeJS.ProcessEnv): Promise<{ client: DataverseClient; close(): Promise<void> }> {
  if (org.kind === 'url') {
    const given = env.CSPB_DATAVERSE_TOKEN;
    if (given) return { client: await NodeDataverseClient.connect({ url: org.url, token: staticToken(given) }), close: async () => undefined };
    const clientSecret = env.CSPB_CLIENT_SECRET;
    if (!clientSecret) throw new UsageError("--org: set CSPB_CLIENT_SECRET (the Dataverse application user's secret), or CSPB_DATAVERSE_TOKEN");
    const client = await NodeDataverseClient.connect({
      url: org.url,
      token: clientCredentialsToken({ tenantId: org.tenant!, clientId: org.clientId!, clientSecret, orgUrl: org.url }),
    });
    return { client, close: async () => undefined };
  }
  const customizationsXml = builtCustomizationsXml();
  if (!customizationsXml) throw new UsageError('dist/CspBilling_managed.zip is missing: run `npm run build` first (the local org reads its tables from it)');
  if (!existsSync(org.file)) throw new UsageError(`${org.file} does not exist: start the workbench once (npm start) to create the local org`);
  const local = await LocalOrg.open(org.file, { customizationsXml });
  return { client: local, close: () => local.close() };
}

async function main(): Promise<void> {
  const options = parsePullArgs(process.argv.slice(2));
  const graph = new GraphBillingClient({
    token: graphToken(process.env),
    ...(options.graphUrl ? { baseUrl: options.graphUrl } : {}),
    onPoll: (status) => console.log(`  export ${status}`),
  });
  const org = await openOrg(options.org, process.env);
  try {
    const started = Date.now();
    const result = await pullBill({
      request: options.request,
      graph,
      client: org.client,
      stateDir: options.stateDir,
      keepStaging: options.keepStaging,
      onProgress: (m) => console.log(`  ${m}`),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.outcome === 'already-imported') {
      console.log(`already imported (billing import ${result.importId}, pull ${result.pullKey}): 0 new lines`);
      return;
    }
    const s = result.import!.summary;
    console.log(
      `imported as billing import ${result.importId} (pull ${result.pullKey}) in ${seconds} s: ` +
        `${result.blobsDownloaded} blob(s) downloaded, ${result.blobsReused} reused; ${s.rowsRead} rows read, ${s.rowsAccepted} accepted, ${s.rowsRejected} rejected; ` +
        `${result.linesWritten} lines written${result.linesAlreadyThere ? `, ${result.linesAlreadyThere} already there` : ''}; total ${s.total.toFixed()} ${s.currencies.join(', ')}`,
    );
    if (s.rowsRejected > 0) {
      const money = Object.entries(s.rejectedAmounts)
        .map(([currency, amount]) => `${amount.toFixed()} ${currency}`)
        .join(', ');
      console.error(`error: ${s.rowsRejected} row(s) rejected${money ? ` (${money})` : ''}: listed on the import's Rejected rows in Dynamics`);
      process.exitCode = 2;
    }
  } finally {
    await org.close();
  }
}

if (require.main === module) runCommand(main, (e) => e instanceof PullError || e instanceof LinesRefused || e instanceof DuplicateImport);
