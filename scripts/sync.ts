/**
 * npm run sync -- --customer <tenant id> [--snapshot <org-snapshot.json> | --local-org [<file>]] [--as-of YYYY-MM-DD]
 *                 [--skus] [--apply [--yes]] [--pc-base-url <url>] [--graph-base-url <url>]
 * Reads the customer's subscriptions from Partner Center and prints the drift against the CRM (a
 * cspb-snapshot such as `npm run sample` writes, or the workbench's embedded org), the ledger changes
 * that would take Microsoft's side, and the renewals of the next 60 days with their prices.
 * --skus also reads the customer's licences from Microsoft Graph (subscribedSkus) and prints the seats
 * bought but not assigned, with what they cost a month at the CRM's customer prices.
 * --apply (with --local-org) saves the proposed changes on the subscriptions after a "y" (or --yes):
 * the same save a form makes, so the ledger plugin appends the ledger rows (source sync).
 * Credentials come from the environment (see SYNC_USAGE). Exits 2 on unusable input, a refusal from
 * Microsoft or a change the org refused, naming it; 1 only on a bug.
 */
import { createInterface } from 'node:readline';
import {
  Decimal,
  driftReport,
  formatIso,
  formatMoney,
  isKnownCurrency,
  minorUnits,
  proposedChanges,
  renewalInputs,
  renewalsDue,
  RENEWAL_BUCKETS,
  SyncInputError,
  type CalendarDate,
  type DriftFinding,
  type DriftReport,
  type PcSubscription,
  type ProposedChange,
  type RenewalReport,
} from '../core/src';
import { unassignedSeats, type SkuCrmSubscription, type SkuSeats, type UnassignedSeatsReport } from '../core/src/sync/unassigned-seats';
import {
  CspbSubscriptionChangeAutoRenew,
  CspbSubscriptionChangeChangeTypeKeys,
  CspbSubscriptionChangeOrigin,
  CspbSubscriptionChangeSource,
  CspbSubscriptionChangeSourceKeys,
  CspbSubscriptionStatus,
  type AccountExtensionRow,
  type CspbOfferRow,
  type CspbSubscriptionChangeRow,
  type CspbSubscriptionRow,
} from '../dataverse/generated';
import { retrieveAll } from '../dataverse/src/client/retrieve-all';
import { DataverseError, type DataverseClient } from '../dataverse/src/client/types';
import { LocalOrg } from '../dataverse/src/local-org';
import { choiceMap, crmSubscriptionsOfAccount, MappingError, type ReconRows } from '../dataverse/src/mappers';
import { registerPlugins } from '../plugins/src';
import { PullError } from '../plugins/src/pull/errors';
import { graphClientCredentials } from '../plugins/src/pull/graph-token';
import { GraphSkusError, GraphSubscribedSkusClient, type CustomerGraphToken } from '../plugins/src/sync/graph-subscribed-skus';
import { PARTNER_CENTER_SCOPE, PartnerCenterClient, PartnerCenterError, type PartnerCenterToken } from '../plugins/src/sync/partner-center-client';
import { asOfArg, parseArgs, runCommand, UsageError } from './cli-args';

export { asOfArg };
import { DEFAULT_LOCAL_ORG, openOrg, ORG_ARG_NAMES, orgArg } from './pull';
import { InputError, readSnapshot } from './cli-inputs';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const SYNC_USAGE = `usage: npm run sync -- --customer <tenant id>
       [--snapshot <org-snapshot.json> | --local-org [<file>] | --org <url> [--client-id <app id> --tenant <tenant>]]
       [--as-of YYYY-MM-DD] [--skus] [--apply [--yes]] [--pc-base-url <url>] [--graph-base-url <url>]
  --customer <id>       the customer's Microsoft tenant id (a GUID)
  --snapshot <file>     the CRM to compare with (cspb-snapshot version 1, as npm run sample writes org-snapshot.json)
  --local-org [<file>]  the CRM is the workbench's embedded org (default build/workbench/org.json; stop the workbench first)
  --org <url>           the CRM is this Dataverse environment (client credentials: --client-id, --tenant and
                        CSPB_CLIENT_SECRET; or a token obtained elsewhere in CSPB_DATAVERSE_TOKEN)
  --as-of YYYY-MM-DD    the day the drift is seen, changes take effect and renewals count from (default: today, UTC)
  --skus                also read the customer's licences from Microsoft Graph (subscribedSkus): seats bought
                        but not assigned, and what they cost a month at the CRM's customer unit prices
  --apply               save the proposed ledger changes on the org's subscriptions (--local-org or --org), after
                        asking "Apply N changes? [y/N]"; a form's save: the ledger step appends the rows (source sync)
  --yes                 apply without asking (required when stdin is not a terminal)
  --pc-base-url <url>   Partner Center's REST base (default https://api.partnercenter.microsoft.com/v1)
  --graph-base-url <url>  Microsoft Graph's base for --skus (default https://graph.microsoft.com/v1.0)
environment:
  CSPB_PC_TENANT_ID, CSPB_PC_CLIENT_ID, CSPB_PC_CLIENT_SECRET
                        the partner's app registration (client credentials, scope ${PARTNER_CENTER_SCOPE})
  CSPB_PC_ACCESS_TOKEN  a bearer token obtained elsewhere, used instead (never refreshed)
  CSPB_GRAPH_CUSTOMER_TOKEN
                        --skus: a Graph token issued by the customer's tenant (app + user through GDAP, obtained
                        elsewhere), with Organization.Read.All or a directory reader role; never refreshed
  CSPB_GRAPH_CLIENT_ID, CSPB_GRAPH_CLIENT_SECRET
                        --skus, without a token: a multi-tenant app granted Organization.Read.All (admin consent)
                        in the customer's tenant; client credentials with the customer's tenant as authority
Without --apply nothing is written.
Exit codes: 0 done, 2 unusable input, a refusal from Microsoft or a change the org refused, 1 a bug.`;

/** The token: a given one, or client credentials through MSAL (graph-token.ts) for Partner Center's scope. */
export function tokenFromEnv(env: NodeJS.ProcessEnv): PartnerCenterToken {
  const given = env['CSPB_PC_ACCESS_TOKEN']?.trim();
  if (given) return async () => given;
  const names = ['CSPB_PC_TENANT_ID', 'CSPB_PC_CLIENT_ID', 'CSPB_PC_CLIENT_SECRET'] as const;
  const missing = names.filter((n) => !env[n]?.trim());
  if (missing.length > 0) throw new InputError(`set ${missing.join(', ')} (the app registration Partner Center trusts), or CSPB_PC_ACCESS_TOKEN`);
  return graphClientCredentials(
    { tenantId: env['CSPB_PC_TENANT_ID']!.trim(), clientId: env['CSPB_PC_CLIENT_ID']!.trim(), clientSecret: env['CSPB_PC_CLIENT_SECRET']!.trim() },
    PARTNER_CENTER_SCOPE,
  );
}

/**
 * A Graph token of the customer's tenant for --skus: the one given (never refreshed: a 401 is the end),
 * or client credentials with the customer's tenant as the authority (graph-token.ts).
 */
export function customerGraphTokenFromEnv(env: NodeJS.ProcessEnv, customerTenantId: string): CustomerGraphToken {
  const given = env['CSPB_GRAPH_CUSTOMER_TOKEN']?.trim();
  if (given)
    return async (fresh) => {
      if (fresh)
        throw new GraphSkusError(
          'auth-failed',
          `Graph refused CSPB_GRAPH_CUSTOMER_TOKEN (expired, or not issued by the customer's tenant ${customerTenantId}): get a new one, or set CSPB_GRAPH_CLIENT_ID and CSPB_GRAPH_CLIENT_SECRET`,
        );
      return given;
    };
  const clientId = env['CSPB_GRAPH_CLIENT_ID']?.trim();
  const clientSecret = env['CSPB_GRAPH_CLIENT_SECRET']?.trim();
  if (!clientId || !clientSecret)
    throw new InputError(
      "--skus: set CSPB_GRAPH_CUSTOMER_TOKEN (a Graph token issued by the customer's tenant), or CSPB_GRAPH_CLIENT_ID and CSPB_GRAPH_CLIENT_SECRET (an app granted Organization.Read.All in the customer's tenant)",
    );
  return graphClientCredentials({ tenantId: customerTenantId, clientId, clientSecret });
}

/** The customer's CRM subscriptions (dataverse/src/mappers/crm-subscriptions.ts), found by its tenant id. */
export function crmSubscriptionsOf(
  rows: ReconRows,
  customerTenantId: string,
  asOf: CalendarDate,
  source = 'the snapshot',
): { customer: string; subscriptions: SkuCrmSubscription[] } {
  const account = rows.account.find((a) => a.cspb_tenantid?.trim().toLowerCase() === customerTenantId.toLowerCase());
  if (!account) throw new InputError(`no account in ${source} has tenant id ${customerTenantId}`);
  return crmSubscriptionsOfAccount(rows, account, asOf);
}

/** The rows the report needs, from an org: the customer's account and subscriptions, and the offers. */
export async function crmRowsFromOrg(client: DataverseClient, customerTenantId: string): Promise<ReconRows> {
  const account = await retrieveAll<AccountExtensionRow>(client, 'accounts', { filter: `cspb_tenantid eq '${customerTenantId}'` });
  const cspb_subscription =
    account.length === 0
      ? []
      : await retrieveAll<CspbSubscriptionRow>(client, 'cspb_subscriptions', { filter: `_cspb_customerid_value eq ${account[0]!.accountid}` });
  const cspb_offer = await retrieveAll<CspbOfferRow>(client, 'cspb_offers', {});
  return { account, cspb_offer, cspb_subscription, cspb_billingcontract: [], cspb_subscriptionchange: [] };
}

/** Money as plain text ("USD 26.40"): Intl puts a no-break space after the code, which greps and pipes trip on. */
const money = (amount: Decimal, currency: string | undefined, exact = true) =>
  formatMoney(amount, currency, 'en-US', { code: true, exact }).replace(/\u00a0/g, ' ');

/** A unit price per month: exact when it ends within the currency's places, else four places and "…" (100.00 / 12). */
function unitText(amount: Decimal, currency: string): string {
  const places = isKnownCurrency(currency) ? minorUnits(currency) : 2;
  if (amount.decimalPlaces() <= places) return money(amount, currency, false);
  return `${currency} ${amount.toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed(4)}…`;
}

function valueText(f: DriftFinding, side: 'microsoft' | 'crm'): string {
  const v = f[side];
  if (v === null) return f.kind === 'termEnd' ? '(none)' : f.kind === 'autoRenew' ? '(unknown)' : '(absent)';
  if (typeof v === 'object') return `${v.quantity} units, ${v.status}`;
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (f.kind === 'termEnd') return formatIso(v as CalendarDate);
  return String(v);
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`);
}

function changeText(c: ProposedChange): string {
  const e = c.change;
  const seats =
    e.quantityDelta !== undefined ? ` ${e.quantityDelta > 0 ? '+' : ''}${e.quantityDelta} (${e.quantityBefore} -> ${e.quantityBefore! + e.quantityDelta})` : '';
  const renew = e.autoRenew !== undefined ? ` auto-renew ${e.autoRenew ? 'on' : 'off'} (term ${e.term})` : '';
  return `${e.kind}${seats}${renew}`;
}

export function driftText(report: DriftReport, applying = false): string[] {
  const lines = [`Drift (${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}):`];
  if (report.findings.length === 0) return [...lines, '  none: the CRM agrees with Partner Center'];
  lines.push(
    ...table([
      ['kind', 'subscription', 'name', 'Microsoft', 'CRM'],
      ...report.findings.map((f) => [f.kind, f.vendorSubscriptionId || '(no vendor id)', f.name, valueText(f, 'microsoft'), valueText(f, 'crm')]),
    ]),
  );
  const proposal = proposedChanges(report.findings);
  const what = applying ? 'applied below once confirmed' : 'nothing is applied';
  lines.push('', `Proposed ledger changes (source "sync", effective ${formatIso(report.asOf)}; ${what}):`);
  if (proposal.changes.length === 0) lines.push('  none');
  for (const c of proposal.changes) lines.push(`  ${c.vendorSubscriptionId}  ${changeText(c)}  ref ${c.change.referenceId}`);
  if (proposal.needsPerson.length > 0) {
    lines.push('', 'For a person to settle:');
    for (const n of proposal.needsPerson) lines.push(`  ${n.finding.kind}  ${n.finding.vendorSubscriptionId || n.finding.name}: ${n.reason}`);
  }
  return lines;
}

export function renewalsText(report: RenewalReport): string[] {
  const lines = [`Renewals from ${formatIso(report.asOf)}:`];
  for (const bucket of RENEWAL_BUCKETS) {
    const list = report.buckets[bucket];
    lines.push(`  within ${bucket} days: ${list.length === 0 ? 'none' : ''}`.trimEnd());
    for (const r of list) {
      const price = r.customerUnitPrice ? money(r.customerUnitPrice, r.currency) : 'no CRM price';
      const cost = r.vendorUnitCost ? `, cost ${money(r.vendorUnitCost, r.currency)}` : '';
      const renew = r.autoRenew === null ? 'auto-renew unknown' : r.autoRenew ? 'auto-renew on' : 'auto-renew OFF';
      lines.push(`    ${formatIso(r.renewsOn)} (${r.daysUntil} days)  ${r.vendorSubscriptionId}  ${r.name}  ${r.quantity} units  ${renew}  at ${price}${cost}`);
    }
  }
  return lines;
}

function seatsMoneyText(s: SkuSeats): string {
  if (s.monthly !== null) {
    const m = s.monthly;
    const notes = [
      ...(m.seats < s.unassigned ? [`${m.seats} of the ${s.unassigned} are the partner's`] : []),
      ...(m.lowestOf > 1 ? [`the lowest of ${m.lowestOf} prices`] : []),
    ];
    return `${money(m.amount, m.currency, false)} (${m.seats} x ${unitText(m.monthlyUnitPrice, m.currency)}${notes.length ? `; ${notes.join('; ')}` : ''})`;
  }
  return s.notCounted === null ? '-' : `not counted: ${s.notCounted}`;
}

export function seatsText(report: UnassignedSeatsReport, tenant: string): string[] {
  const n = report.skus.length;
  const lines = [
    `Licences of tenant ${tenant} (Microsoft Graph subscribedSkus): ${n} SKU${n === 1 ? '' : 's'}, ${report.unassigned} seat${report.unassigned === 1 ? '' : 's'} bought but not assigned${report.overAssigned ? `, ${report.overAssigned} assigned over what is enabled` : ''}`,
  ];
  if (n === 0) return [...lines, '  none'];
  lines.push(
    ...table([
      ['SKU', 'status', 'enabled', 'assigned', 'unassigned', 'CRM', 'a month'],
      ...report.skus.map((s) => [
        s.sku.skuPartNumber,
        s.sku.capabilityStatus,
        String(s.enabled),
        String(s.consumed),
        s.overAssigned ? `0 (${s.overAssigned} over)` : String(s.unassigned),
        s.crm.length === 0 ? '-' : s.crm.map((m) => m.subscription.vendorSubscriptionId ?? m.subscription.id).join(', '),
        seatsMoneyText(s),
      ]),
    ]),
  );
  if (report.totals.length === 0) lines.push('Unassigned seats with a CRM price: none, nothing to save.');
  for (const t of report.totals)
    lines.push(
      `Unassigned seats cost ${t.atLeast ? 'at least ' : ''}${money(t.amount, t.currency, false)} a month (${t.seats} seat${t.seats === 1 ? '' : 's'} at the CRM's customer unit prices): what giving them back saves the customer.`,
    );
  return lines;
}

// ---------------------------------------------------------------------------------------------
// --apply
// ---------------------------------------------------------------------------------------------

/** One subscription's save: the columns a form would write to take Microsoft's side. */
export interface SubscriptionSave {
  readonly subscriptionId: string;
  readonly vendorSubscriptionId: string;
  readonly changes: readonly ProposedChange[];
  readonly body: Readonly<Record<string, unknown>>;
}

const STATUS_OF: Readonly<Record<string, number>> = {
  suspend: CspbSubscriptionStatus.Suspended,
  reactivate: CspbSubscriptionStatus.Active,
  cancel: CspbSubscriptionStatus.Cancelled,
};

/**
 * The proposed changes as saves, one per subscription (in the proposal's order): the new quantity,
 * status or auto-renew, dated and explained as the form's save is (cspb_changeeffectivedate,
 * cspb_changereason), and marked as Partner Center sync's (cspb_changeorigin), which the ledger step
 * records as the rows' source.
 */
export function savesOf(changes: readonly ProposedChange[], asOf: CalendarDate): SubscriptionSave[] {
  const bySubscription = new Map<string, ProposedChange[]>();
  for (const c of changes) bySubscription.set(c.subscriptionId, [...(bySubscription.get(c.subscriptionId) ?? []), c]);
  return [...bySubscription.entries()].map(([subscriptionId, list]) => {
    const body: Record<string, unknown> = {};
    for (const { change: e } of list) {
      if (e.kind === 'add' || e.kind === 'remove') body['cspb_quantity'] = e.quantityBefore! + e.quantityDelta!;
      else if (e.kind === 'term') body['cspb_autorenew'] = e.autoRenew;
      else if (STATUS_OF[e.kind] !== undefined) body['cspb_status'] = STATUS_OF[e.kind];
      else throw new Error(`a "${e.kind}" change cannot be saved on the subscription`);
    }
    const reason = `Partner Center sync: ${list.map((c) => c.change.reason).join('; ')}`;
    return {
      subscriptionId,
      vendorSubscriptionId: list[0]!.vendorSubscriptionId,
      changes: list,
      body: {
        ...body,
        cspb_changeeffectivedate: formatIso(asOf),
        cspb_changereason: reason.length > 500 ? `${reason.slice(0, 499)}…` : reason,
        cspb_changeorigin: CspbSubscriptionChangeOrigin.Sync,
      },
    };
  });
}

const changeKinds = choiceMap(CspbSubscriptionChangeChangeTypeKeys, 'cspb_changetype');
const changeSources = choiceMap(CspbSubscriptionChangeSourceKeys, 'cspb_source');

function ledgerRowText(r: CspbSubscriptionChangeRow): string {
  const kind = changeKinds.fromWebApi(r.cspb_changetype) ?? '?';
  const seats = r.cspb_quantitydelta
    ? ` ${r.cspb_quantitydelta > 0 ? '+' : ''}${r.cspb_quantitydelta} (${r.cspb_quantitybefore} -> ${r.cspb_quantityafter})`
    : '';
  const renew =
    r.cspb_autorenew === null || r.cspb_autorenew === undefined ? '' : ` auto-renew ${r.cspb_autorenew === CspbSubscriptionChangeAutoRenew.On ? 'on' : 'off'}`;
  return `#${r.cspb_sequence} ${kind}${seats}${renew} (source ${changeSources.fromWebApi(r.cspb_source) ?? '?'})`;
}

const ledgerOf = (client: DataverseClient, id: string) =>
  retrieveAll<CspbSubscriptionChangeRow>(client, 'cspb_subscriptionchanges', { filter: `_cspb_subscriptionid_value eq ${id}`, orderBy: ['cspb_sequence'] });

/** What the apply did: the saves made, the ones the org refused, and the ledger rows appended. */
export interface ApplyResult {
  readonly lines: string[];
  readonly applied: number;
  readonly refused: number;
}

/** How long --apply waits for a real org's asynchronous ledger step to append a save's rows. */
export const LEDGER_WAIT_MS = 120_000;

/**
 * Saves each subscription as a form would (If-Match the row version read for the report: a row
 * changed since is refused, not overwritten), then waits for the asynchronous ledger steps and lists
 * the rows they appended. A save the org refuses (the NCE seat-decrease or cancellation window, a date
 * before the ledger's last entry) is listed with the org's reason; the others go on.
 *
 * The embedded org runs its steps in this process and says when they are done and which failed. A
 * Dataverse environment runs the ledger step in its asynchronous service after the save commits:
 * the command polls each saved subscription's ledger until a row of the sync's own appears, and a
 * save whose row has not appeared in `ledgerWaitMs` is listed as not confirmed (System Jobs shows
 * the step's state), never counted as applied.
 */
export async function applySaves(
  org: DataverseClient,
  saves: readonly SubscriptionSave[],
  etags: ReadonlyMap<string, string>,
  options: { readonly ledgerWaitMs?: number; readonly pollMs?: number } = {},
): Promise<ApplyResult> {
  const lines: string[] = [];
  let applied = 0;
  let refused = 0;
  const local = org instanceof LocalOrg ? org : undefined;
  const failuresBefore = local?.asyncFailures.length ?? 0;
  const done: Array<{ save: SubscriptionSave; lastSequence: number }> = [];
  for (const save of saves) {
    const before = await ledgerOf(org, save.subscriptionId);
    const etag = etags.get(save.subscriptionId);
    try {
      await org.update('cspb_subscriptions', save.subscriptionId, save.body, etag ? { ifMatch: etag } : {});
      done.push({ save, lastSequence: before.reduce((n, r) => Math.max(n, r.cspb_sequence), 0) });
    } catch (error) {
      if (!(error instanceof DataverseError) && !(error instanceof Error && error.name === 'ValidationError')) throw error;
      refused += save.changes.length;
      const why = error instanceof DataverseError && error.status === 412 ? 'the subscription changed since it was read: run sync again' : error.message;
      lines.push(`  ${save.vendorSubscriptionId}  ${save.changes.map(changeText).join(', ')}: refused by the org: ${why}`);
    }
  }
  if (local) await local.asyncIdle();
  const failures = local ? local.asyncFailures.slice(failuresBefore) : [];
  const deadline = Date.now() + (options.ledgerWaitMs ?? LEDGER_WAIT_MS);
  for (const { save, lastSequence } of done) {
    const failure = failures.find((f) => f.primaryEntityId === save.subscriptionId);
    let appended = (await ledgerOf(org, save.subscriptionId)).filter((r) => r.cspb_sequence > lastSequence);
    while (!local && !appended.some((r) => r.cspb_source === CspbSubscriptionChangeSource.Sync) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
      appended = (await ledgerOf(org, save.subscriptionId)).filter((r) => r.cspb_sequence > lastSequence);
    }
    if (failure) {
      refused += save.changes.length;
      lines.push(`  ${save.vendorSubscriptionId}  saved, but the ledger step failed: ${failure.error.message}`);
      continue;
    }
    if (!local && !appended.some((r) => r.cspb_source === CspbSubscriptionChangeSource.Sync)) {
      refused += save.changes.length;
      lines.push(
        `  ${save.vendorSubscriptionId}  saved, but no ledger row of the sync appeared within ${Math.round((options.ledgerWaitMs ?? LEDGER_WAIT_MS) / 1000)} s: see the ledger step in System Jobs`,
      );
      continue;
    }
    applied += save.changes.length;
    lines.push(`  ${save.vendorSubscriptionId}  saved; ledger: ${appended.length === 0 ? 'no row appended' : appended.map(ledgerRowText).join(', ')}`);
  }
  return { lines, applied, refused };
}

/** Where the command reads its answer and writes its output (the terminal; tests give their own). */
export interface SyncIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  print(text: string): void;
  /** Without a newline: the question before the answer. */
  write(text: string): void;
}

const processIo: SyncIo = {
  stdin: process.stdin,
  print: (text) => console.log(text),
  write: (text) => void process.stdout.write(text),
};

async function firstLine(stdin: NodeJS.ReadableStream): Promise<string> {
  const lines = createInterface({ input: stdin, terminal: false });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
  }
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, io: SyncIo = processIo): Promise<void> {
  // --local-org takes an optional file: a bare --local-org is given the default (as npm run pull does).
  const given = [...argv];
  const local = given.indexOf('--local-org');
  if (local >= 0 && (given[local + 1] === undefined || given[local + 1]!.startsWith('--'))) given.splice(local + 1, 0, DEFAULT_LOCAL_ORG);
  const args = parseArgs(given, {
    values: ['customer', 'snapshot', ...ORG_ARG_NAMES, 'as-of', 'pc-base-url', 'graph-base-url'],
    flags: ['skus', 'apply', 'yes'],
    usage: SYNC_USAGE,
  });
  const customerId = args.value('customer');
  if (customerId === undefined) throw new UsageError(`--customer is required\n${SYNC_USAGE}`);
  if (!GUID.test(customerId)) throw new UsageError(`--customer ${customerId}: expected the customer's tenant id, a GUID`);
  const asOf = asOfArg(args.value('as-of'));
  for (const option of ['pc-base-url', 'graph-base-url']) {
    const url = args.value(option);
    if (url !== undefined && !/^https?:\/\/[^/]/i.test(url)) throw new UsageError(`--${option} ${url}: expected an http(s) URL`);
  }
  const snapshotFile = args.value('snapshot');
  const orgGiven = orgArg(args, env);
  if (snapshotFile !== undefined && orgGiven !== undefined) throw new UsageError('give --snapshot or an org (--local-org, --org), not both');
  const orgFile = orgGiven === undefined ? undefined : orgGiven.kind === 'local' ? orgGiven.file : orgGiven.url;
  const apply = args.flag('apply');
  if (apply && orgGiven === undefined)
    throw new UsageError('--apply writes to an org: give --local-org [<file>] or --org <url> (a snapshot file is only read)');
  if (args.flag('yes') && !apply) throw new UsageError('--yes answers the question --apply asks: give --apply too');
  // Every credential is checked before anything is read: a missing one fails at once.
  const pcToken = tokenFromEnv(env);
  const graphToken = args.flag('skus') ? customerGraphTokenFromEnv(env, customerId) : undefined;

  // The CRM side is read before Microsoft is asked anything: a wrong snapshot or org fails first.
  let crm: { customer: string; subscriptions: SkuCrmSubscription[] } | undefined;
  let org: { client: DataverseClient; close(): Promise<void> } | undefined;
  const etags = new Map<string, string>();
  try {
    if (snapshotFile !== undefined) crm = crmOf(() => readSnapshot(snapshotFile), snapshotFile, customerId, asOf, 'the snapshot');
    if (orgGiven !== undefined && orgFile !== undefined) {
      org = await openOrg(orgGiven, env);
      // The suite's plug-ins in the org's pipeline, as the workbench's --in-process runs them: a save
      // here is validated and appends its ledger rows exactly as a save in Dynamics does.
      if (org.client instanceof LocalOrg) registerPlugins(org.client);
      const rows = await crmRowsFromOrg(org.client, customerId);
      for (const row of rows.cspb_subscription) {
        const etag = (row as unknown as Record<string, unknown>)['@odata.etag'];
        if (typeof etag === 'string') etags.set(row.cspb_subscriptionid, etag);
      }
      crm = crmOf(() => rows, orgFile, customerId, asOf, 'the org');
    }
    await report(customerId, asOf, crm, { pcToken, graphToken, apply, yes: args.flag('yes'), orgFile, org, etags, args, io });
  } finally {
    await org?.close();
  }
}

function crmOf(
  read: () => ReconRows,
  where: string,
  customerId: string,
  asOf: CalendarDate,
  source: string,
): { customer: string; subscriptions: SkuCrmSubscription[] } {
  try {
    return crmSubscriptionsOf(read(), customerId, asOf, source);
  } catch (error) {
    if (error instanceof MappingError) throw new InputError(`${where}: ${error.message}`);
    throw error;
  }
}

async function report(
  customerId: string,
  asOf: CalendarDate,
  crm: { customer: string; subscriptions: SkuCrmSubscription[] } | undefined,
  o: {
    pcToken: PartnerCenterToken;
    graphToken: CustomerGraphToken | undefined;
    apply: boolean;
    yes: boolean;
    orgFile: string | undefined;
    org: { client: DataverseClient } | undefined;
    etags: ReadonlyMap<string, string>;
    args: { value(name: string): string | undefined };
    io: SyncIo;
  },
): Promise<void> {
  const pcBase = o.args.value('pc-base-url');
  const client = new PartnerCenterClient({ token: o.pcToken, ...(pcBase ? { baseUrl: pcBase } : {}) });
  const microsoft: PcSubscription[] = await client.customerSubscriptions(customerId);
  const graphBase = o.args.value('graph-base-url');
  const skus = o.graphToken
    ? await new GraphSubscribedSkusClient({ token: o.graphToken, ...(graphBase ? { baseUrl: graphBase } : {}) }).subscribedSkus()
    : undefined;

  const who = crm ? `${customerId} (${crm.customer})` : customerId;
  const out = [`Partner Center subscriptions of customer ${who}, as of ${formatIso(asOf)}: ${microsoft.length} at Microsoft`];
  let drift: DriftReport | undefined;
  if (crm) {
    drift = driftReport(microsoft, crm.subscriptions, asOf, { customer: crm.customer });
    out[0] += `, ${crm.subscriptions.length} in the CRM, ${drift.paired} paired${drift.endedOnOneSide ? `, ${drift.endedOnOneSide} ended on one side only` : ''}`;
    out.push('', ...driftText(drift, o.apply));
  } else {
    out.push('  (no --snapshot: no comparison with the CRM)');
  }
  out.push('', ...renewalsText(renewalsDue(renewalInputs(microsoft, crm?.subscriptions ?? []), asOf)));
  if (skus) out.push('', ...seatsText(unassignedSeats(skus, crm?.subscriptions ?? []), customerId));
  o.io.print(out.join('\n'));
  if (!o.apply || !drift || !o.org) return;

  const changes = proposedChanges(drift.findings).changes;
  o.io.print('');
  if (changes.length === 0) {
    o.io.print('Nothing to apply: the CRM holds every change the ledger can take from Partner Center.');
    return;
  }
  const saves = savesOf(changes, asOf);
  const question = `Apply ${changes.length} change${changes.length === 1 ? '' : 's'} to ${saves.length} subscription${saves.length === 1 ? '' : 's'} in ${o.orgFile}? [y/N] `;
  if (!o.yes) {
    if (!o.io.stdin.isTTY)
      throw new InputError(
        `--apply asks "${question.trim()}" and stdin is not a terminal to answer it: add --yes to apply the ${changes.length} change(s) listed`,
      );
    o.io.write(question);
    const answer = (await firstLine(o.io.stdin)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      o.io.print('Nothing applied.');
      return;
    }
  }
  const result = await applySaves(o.org.client, saves, o.etags);
  o.io.print(
    [
      `Applied ${result.applied} of ${changes.length} change${changes.length === 1 ? '' : 's'} (saved as Partner Center sync, effective ${formatIso(asOf)}):`,
      ...result.lines,
    ].join('\n'),
  );
  if (result.refused > 0) throw new ApplyRefused(`${result.refused} change(s) not applied: each is listed above with the org's reason`);
}

/** Some saves were refused by the org: the others stand; the command exits 2. */
export class ApplyRefused extends Error {}

if (require.main === module)
  runCommand(
    () => main(process.argv.slice(2)),
    (error) =>
      error instanceof InputError ||
      error instanceof PartnerCenterError ||
      error instanceof GraphSkusError ||
      error instanceof PullError ||
      error instanceof SyncInputError ||
      error instanceof ApplyRefused,
  );
