/** `npm run deploy -- --url https://<org>.crm.dynamics.com [--managed] [--client-id … --tenant …] [--dry-run]`. */
export class UsageError extends Error {}

export interface DeployOptions {
  /** Organisation URL, no trailing slash. */
  readonly url: string;
  readonly managed: boolean;
  readonly dryRun: boolean;
  readonly clientId?: string;
  readonly tenant?: string;
  /** Environment variable values to set, by schema name (from --set name=value and the defaults below). */
  readonly values: Readonly<Record<string, string>>;
  /** Webhook key (WebhookKey auth: sent as ?code=…), from the CSPB_WEBHOOK_KEY environment variable. */
  readonly webhookKey?: string;
  /** Client secret for client-credentials login, from the CSPB_CLIENT_SECRET environment variable. */
  readonly clientSecret?: string;
  /** Seconds between async-operation polls. */
  readonly pollSeconds: number;
  readonly timeoutSeconds: number;
}

export const USAGE = `usage: npm run deploy -- --url https://<org>.crm.dynamics.com [--managed] [--dry-run]
       [--client-id <app id> --tenant <tenant id or domain>]
       [--webhook-base-url https://<app>.azurewebsites.net] [--tolerance 0.01] [--currency USD]
       [--set <environment variable schema name>=<value>]...
secrets come from the environment: CSPB_CLIENT_SECRET (client credentials; without it, device-code
login), CSPB_WEBHOOK_KEY (the Azure Functions key the webhook sends as ?code=).`;

const VALUE_OPTIONS = ['url', 'client-id', 'tenant', 'webhook-base-url', 'tolerance', 'currency', 'set', 'poll-seconds', 'timeout-seconds'];
const FLAGS = ['managed', 'dry-run', 'help'];

export function parseDeployArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DeployOptions | 'help' {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (FLAGS.includes(name)) {
      flags.add(name);
      continue;
    }
    if (!VALUE_OPTIONS.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    if (name !== 'set' && values.has(name)) throw new UsageError(`--${name} given twice`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  if (flags.has('help')) return 'help';
  const one = (name: string): string | undefined => values.get(name)?.[0];

  const rawUrl = one('url');
  if (!rawUrl) throw new UsageError('--url is required');
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UsageError(`--url ${rawUrl} is not a URL`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !loopback) throw new UsageError('--url must be https');
  if ((one('client-id') === undefined) !== (one('tenant') === undefined)) throw new UsageError('--client-id and --tenant go together');

  const set: Record<string, string> = {};
  const webhookBase = one('webhook-base-url');
  if (webhookBase !== undefined) {
    if (!/^https:\/\/[^/]+/.test(webhookBase)) throw new UsageError('--webhook-base-url must be an https URL');
    set.cspb_WebhookBaseUrl = webhookBase.replace(/\/+$/, '');
  }
  const tolerance = one('tolerance');
  if (tolerance !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(tolerance)) throw new UsageError('--tolerance must be a non-negative decimal');
    set.cspb_ReconciliationTolerance = tolerance;
  }
  const currency = one('currency');
  if (currency !== undefined) {
    if (!/^[A-Z]{3}$/.test(currency)) throw new UsageError('--currency must be an ISO 4217 code such as USD');
    set.cspb_DefaultCurrency = currency;
  }
  for (const pair of values.get('set') ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${pair}: expected name=value`);
    set[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const seconds = (name: string, fallback: number): number => {
    const v = one(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number of seconds`);
    return n;
  };
  return {
    url: url.origin,
    managed: flags.has('managed'),
    dryRun: flags.has('dry-run'),
    ...(one('client-id') !== undefined ? { clientId: one('client-id')!, tenant: one('tenant')! } : {}),
    values: set,
    ...(env.CSPB_WEBHOOK_KEY ? { webhookKey: env.CSPB_WEBHOOK_KEY } : {}),
    ...(env.CSPB_CLIENT_SECRET ? { clientSecret: env.CSPB_CLIENT_SECRET } : {}),
    pollSeconds: seconds('poll-seconds', 5),
    timeoutSeconds: seconds('timeout-seconds', 1800),
  };
}
