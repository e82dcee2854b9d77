/**
 * npm run sync -- --customer <tenant id> [--snapshot <org-snapshot.json>] [--as-of YYYY-MM-DD] [--pc-base-url <url>]
 * Reads the customer's subscriptions from Partner Center and prints the drift against the CRM (with
 * --snapshot: a cspb-snapshot such as `npm run sample` writes), the ledger changes that would take
 * Microsoft's side (never applied here), and the renewals of the next 60 days with their prices.
 * Credentials come from the environment (see SYNC_USAGE). Exits 2 on unusable input or a refusal
 * from Microsoft, naming it; 1 only on a bug.
 */
import {
  dateOf,
  driftReport,
  formatIso,
  formatMoney,
  proposedChanges,
  renewalInputs,
  renewalsDue,
  RENEWAL_BUCKETS,
  SyncInputError,
  termEndAt,
  type CalendarDate,
  type CrmSubscription,
  type Decimal,
  type DriftFinding,
  type DriftReport,
  type PcSubscription,
  type RenewalReport,
  type Term,
} from '../core/src';
import { CspbOfferTermKeys, CspbSubscriptionStatusKeys } from '../dataverse/generated';
import { choiceMap, dateFromWebApi, decimalFromWebApi, MappingError, required, type ReconRows } from '../dataverse/src/mappers';
import { graphClientCredentials } from '../plugins/src/pull/graph-token';
import { PARTNER_CENTER_SCOPE, PartnerCenterClient, PartnerCenterError, type PartnerCenterToken } from '../plugins/src/sync/partner-center-client';
import { parseArgs, runCommand, UsageError } from './cli-args';
import { InputError, readSnapshot } from './reconcile';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const SYNC_USAGE = `usage: npm run sync -- --customer <tenant id> [--snapshot <org-snapshot.json>] [--as-of YYYY-MM-DD] [--pc-base-url <url>]
  --customer <id>       the customer's Microsoft tenant id (a GUID)
  --snapshot <file>     the CRM to compare with (cspb-snapshot version 1, as npm run sample writes org-snapshot.json)
  --as-of YYYY-MM-DD    the day the drift is seen and renewals count from (default: today, UTC)
  --pc-base-url <url>   Partner Center's REST base (default https://api.partnercenter.microsoft.com/v1)
environment:
  CSPB_PC_TENANT_ID, CSPB_PC_CLIENT_ID, CSPB_PC_CLIENT_SECRET
                        the partner's app registration (client credentials, scope ${PARTNER_CENTER_SCOPE})
  CSPB_PC_ACCESS_TOKEN  a bearer token obtained elsewhere, used instead (never refreshed)
Nothing is written: the proposed ledger changes are for a person to confirm in Dynamics.
Exit codes: 0 done, 2 unusable input or a refusal from Partner Center, 1 a bug.`;

/** `--as-of YYYY-MM-DD`, a real day, or a usage error naming it. */
export function asOfArg(value: string | undefined, today: Date = new Date()): CalendarDate {
  if (value === undefined) return dateOf(today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate());
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  try {
    if (m) return dateOf(Number(m[1]), Number(m[2]), Number(m[3]));
  } catch {
    // an impossible day: the same usage error
  }
  throw new UsageError(`--as-of ${value}: expected a date YYYY-MM-DD`);
}

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

const statuses = choiceMap(CspbSubscriptionStatusKeys, 'cspb_status');
const terms = choiceMap(CspbOfferTermKeys, 'cspb_term');

/**
 * The customer's CRM subscriptions from a snapshot. A row without a term end (the sample's rows have
 * none) gets the end of its current term from its term start and its offer's term, the way Microsoft
 * counts terms; a row that knows neither has no term end.
 */
export function crmSubscriptionsOf(rows: ReconRows, customerTenantId: string, asOf: CalendarDate): { customer: string; subscriptions: CrmSubscription[] } {
  const account = rows.account.find((a) => a.cspb_tenantid?.trim().toLowerCase() === customerTenantId.toLowerCase());
  if (!account) throw new InputError(`no account in the snapshot has tenant id ${customerTenantId}`);
  const customer = account.name ?? account.accountid;
  const offers = new Map(rows.cspb_offer.map((o) => [o.cspb_offerid, o]));
  const subscriptions = rows.cspb_subscription
    .filter((s) => s._cspb_customerid_value === account.accountid)
    .map((s): CrmSubscription => {
      const where = `cspb_subscription ${s.cspb_subscriptionid}`;
      const term = terms.fromWebApi(offers.get(s._cspb_offerid_value ?? '')?.cspb_term, `${where} offer's cspb_term`);
      const start = dateFromWebApi(s.cspb_termstartdate, `${where}.cspb_termstartdate`);
      const end = dateFromWebApi(s.cspb_termenddate, `${where}.cspb_termenddate`);
      const derived = start !== undefined && term !== undefined && term !== 'none' ? termEndAt(start, term as Term, asOf) : undefined;
      const customerUnitPrice = decimalFromWebApi(s.cspb_customerunitprice, `${where}.cspb_customerunitprice`);
      const vendorUnitCost = decimalFromWebApi(s.cspb_vendorunitcost, `${where}.cspb_vendorunitcost`);
      return {
        id: s.cspb_subscriptionid,
        vendorSubscriptionId: s.cspb_vendorsubscriptionid,
        name: s.cspb_name,
        customer,
        quantity: s.cspb_quantity,
        status: required(statuses.fromWebApi(s.cspb_status, `${where}.cspb_status`), `${where}.cspb_status`),
        autoRenew: s.cspb_autorenew,
        termEnd: end ?? derived ?? null,
        ...(customerUnitPrice !== undefined ? { customerUnitPrice } : {}),
        ...(vendorUnitCost !== undefined ? { vendorUnitCost } : {}),
        currency: s.cspb_currencycode,
      };
    });
  return { customer, subscriptions };
}

/** Money as plain text ("USD 26.40"): Intl puts a no-break space after the code, which greps and pipes trip on. */
const money = (amount: Decimal, currency: string | undefined) => formatMoney(amount, currency, 'en-US', { code: true, exact: true }).replace(/\u00a0/g, ' ');

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

export function driftText(report: DriftReport): string[] {
  const lines = [`Drift (${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}):`];
  if (report.findings.length === 0) return [...lines, '  none: the CRM agrees with Partner Center'];
  lines.push(
    ...table([
      ['kind', 'subscription', 'name', 'Microsoft', 'CRM'],
      ...report.findings.map((f) => [f.kind, f.vendorSubscriptionId || '(no vendor id)', f.name, valueText(f, 'microsoft'), valueText(f, 'crm')]),
    ]),
  );
  const proposal = proposedChanges(report.findings);
  lines.push('', `Proposed ledger changes (source "sync", effective ${formatIso(report.asOf)}; nothing is applied):`);
  if (proposal.changes.length === 0) lines.push('  none');
  for (const c of proposal.changes) {
    const e = c.change;
    const seats =
      e.quantityDelta !== undefined
        ? ` ${e.quantityDelta > 0 ? '+' : ''}${e.quantityDelta} (${e.quantityBefore} -> ${e.quantityBefore! + e.quantityDelta})`
        : '';
    const renew = e.autoRenew !== undefined ? ` auto-renew ${e.autoRenew ? 'on' : 'off'} (term ${e.term})` : '';
    lines.push(`  ${c.vendorSubscriptionId}  ${e.kind}${seats}${renew}  ref ${e.referenceId}`);
  }
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

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const args = parseArgs(argv, { values: ['customer', 'snapshot', 'as-of', 'pc-base-url'], flags: [], usage: SYNC_USAGE });
  const customerId = args.value('customer');
  if (customerId === undefined) throw new UsageError(`--customer is required\n${SYNC_USAGE}`);
  if (!GUID.test(customerId)) throw new UsageError(`--customer ${customerId}: expected the customer's tenant id, a GUID`);
  const asOf = asOfArg(args.value('as-of'));
  const baseUrl = args.value('pc-base-url');
  if (baseUrl !== undefined && !/^https?:\/\/[^/]/i.test(baseUrl)) throw new UsageError(`--pc-base-url ${baseUrl}: expected an http(s) URL`);
  // The CRM side is read first: a wrong snapshot fails before Microsoft is asked anything.
  const snapshotFile = args.value('snapshot');
  let crm: { customer: string; subscriptions: CrmSubscription[] } | undefined;
  if (snapshotFile !== undefined) {
    try {
      crm = crmSubscriptionsOf(readSnapshot(snapshotFile), customerId, asOf);
    } catch (error) {
      if (error instanceof MappingError) throw new InputError(`${snapshotFile}: ${error.message}`);
      throw error;
    }
  }
  const client = new PartnerCenterClient({ token: tokenFromEnv(env), ...(baseUrl ? { baseUrl } : {}) });
  const microsoft: PcSubscription[] = await client.customerSubscriptions(customerId);

  const who = crm ? `${customerId} (${crm.customer})` : customerId;
  const out = [`Partner Center subscriptions of customer ${who}, as of ${formatIso(asOf)}: ${microsoft.length} at Microsoft`];
  if (crm) {
    const report = driftReport(microsoft, crm.subscriptions, asOf, { customer: crm.customer });
    out[0] += `, ${crm.subscriptions.length} in the CRM, ${report.paired} paired${report.endedOnOneSide ? `, ${report.endedOnOneSide} ended on one side only` : ''}`;
    out.push('', ...driftText(report));
  } else {
    out.push('  (no --snapshot: no comparison with the CRM)');
  }
  out.push('', ...renewalsText(renewalsDue(renewalInputs(microsoft, crm?.subscriptions ?? []), asOf)));
  console.log(out.join('\n'));
}

if (require.main === module)
  runCommand(
    () => main(process.argv.slice(2)),
    (error) => error instanceof InputError || error instanceof PartnerCenterError || error instanceof SyncInputError,
  );
