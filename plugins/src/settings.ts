import type { WebhookAuth } from './auth';

/**
 * The Functions app's settings, read and checked once at start: a setting that is missing, not a
 * number, or not a URL stops the host with every problem named, instead of silently disabling a
 * limit (`Number('ten')` is NaN, and every comparison with NaN is false).
 *
 *   CSPB_WEBHOOK_KEY         the key the service endpoint sends (WebhookKey, `code` query parameter)
 *   DATAVERSE_URL            https://<org>.crm.dynamics.com (or a local org's http://127.0.0.1 URL)
 *   DATAVERSE_TENANT_ID, DATAVERSE_CLIENT_ID, DATAVERSE_CLIENT_SECRET   application user (client credentials); all three or none
 *   CSPB_QUEUE_CONNECTION    Azure Storage connection string of the job queue (Azurite locally)
 *   CSPB_QUEUE_NAME          optional, default cspb-jobs
 *   CSPB_PARTS_CONNECTION    optional, Azure Storage connection string of the blob container a large
 *                            usage bill's parts go to (container cspb-job-parts; it may be the queue's
 *                            account): billing imports then read such a file in parts on parallel
 *                            queue messages; without it, in one pass
 *   CSPB_MAX_BODY_BYTES      optional, whole number of bytes (default 1 MiB)
 *   CSPB_ORGANIZATION_IDS    optional, the organization ids served, comma-separated (contexts of other orgs: 403)
 */
export interface HostSettings {
  readonly auth: WebhookAuth;
  readonly dataverseUrl: string;
  readonly credentials?: { readonly tenantId: string; readonly clientId: string; readonly clientSecret: string };
  readonly queueConnection: string;
  readonly queueName: string;
  /** Blob storage for a billing import's parts (large usage files read on parallel messages). */
  readonly partsConnection?: string;
  readonly maxBodyBytes?: number;
  /** The organizations served (their contexts' OrganizationId); others are refused. */
  readonly organizationIds?: readonly string[];
  /** Microsoft Graph and Partner Center (month-end): the app registration with PartnerBilling.Read.All. */
  readonly graph?: { readonly tenantId: string; readonly clientId: string; readonly clientSecret: string };
  /** NCRONTAB of the month-end timer (default daily at 06:00 UTC: it starts runs only for new invoices). */
  readonly monthEndSchedule: string;
  /** Where pulls stage their downloads (default the OS temp folder). */
  readonly pullStateDir?: string;
}

export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the webhook host cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

export function readSettings(env: Readonly<Record<string, string | undefined>>): HostSettings {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is missing`);
    return value ?? '';
  };
  const key = required('CSPB_WEBHOOK_KEY');
  if (key && key.length < 16) problems.push('CSPB_WEBHOOK_KEY must be at least 16 characters');
  const url = required('DATAVERSE_URL');
  if (url) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      problems.push(`DATAVERSE_URL is not a URL: ${url}`);
    }
    if (parsed && parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname))) {
      problems.push(`DATAVERSE_URL must be https (http only for a local org on loopback): ${url}`);
    }
  }
  const creds = ['DATAVERSE_TENANT_ID', 'DATAVERSE_CLIENT_ID', 'DATAVERSE_CLIENT_SECRET'].map((n) => env[n]?.trim() || undefined);
  if (creds.some((c) => c) && !creds.every((c) => c))
    problems.push('DATAVERSE_TENANT_ID, DATAVERSE_CLIENT_ID and DATAVERSE_CLIENT_SECRET go together: give all three or none');
  const queueConnection = required('CSPB_QUEUE_CONNECTION');
  const queueName = env['CSPB_QUEUE_NAME']?.trim() || 'cspb-jobs';
  // Azure Storage queue names: 3-63 lower-case letters, digits and single hyphens.
  if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(queueName)) problems.push(`CSPB_QUEUE_NAME is not a valid queue name: ${queueName}`);
  let maxBodyBytes: number | undefined;
  const body = env['CSPB_MAX_BODY_BYTES']?.trim();
  if (body) {
    if (!/^\d+$/.test(body) || Number(body) < 1024 || Number(body) > 64 * 1024 * 1024)
      problems.push(`CSPB_MAX_BODY_BYTES must be a whole number of bytes between 1024 and 67108864, got ${body}`);
    else maxBodyBytes = Number(body);
  }
  const orgText = env['CSPB_ORGANIZATION_IDS']?.trim();
  const organizationIds = orgText ? orgText.split(',').map((id) => id.trim().toLowerCase()) : [];
  for (const id of organizationIds) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))
      problems.push(`CSPB_ORGANIZATION_IDS must be organization GUIDs separated by commas, got ${id}`);
  }
  const graphCreds = ['CSPB_GRAPH_TENANT_ID', 'CSPB_GRAPH_CLIENT_ID', 'CSPB_GRAPH_CLIENT_SECRET'].map((n) => env[n]?.trim() || undefined);
  if (graphCreds.some((c) => c) && !graphCreds.every((c) => c))
    problems.push('CSPB_GRAPH_TENANT_ID, CSPB_GRAPH_CLIENT_ID and CSPB_GRAPH_CLIENT_SECRET go together: give all three or none');
  const monthEndSchedule = env['CSPB_MONTH_END_SCHEDULE']?.trim() || '0 0 6 * * *';
  // NCRONTAB: six fields, seconds first ("Timer trigger for Azure Functions", learn.microsoft.com/azure/azure-functions/functions-bindings-timer).
  if (monthEndSchedule.split(/\s+/).length !== 6)
    problems.push(`CSPB_MONTH_END_SCHEDULE must be an NCRONTAB expression of six fields, got ${monthEndSchedule}`);
  if (problems.length > 0) throw new SettingsError(problems);
  const [graphTenant, graphClient, graphSecret] = graphCreds as [string | undefined, string | undefined, string | undefined];
  const pullStateDir = env['CSPB_PULL_STATE_DIR']?.trim();
  const partsConnection = env['CSPB_PARTS_CONNECTION']?.trim();
  const [tenantId, clientId, clientSecret] = creds as [string | undefined, string | undefined, string | undefined];
  return {
    auth: { kind: 'WebhookKey', key },
    dataverseUrl: url,
    ...(tenantId && clientId && clientSecret ? { credentials: { tenantId, clientId, clientSecret } } : {}),
    queueConnection,
    queueName,
    ...(partsConnection ? { partsConnection } : {}),
    ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
    ...(organizationIds.length > 0 ? { organizationIds } : {}),
    ...(graphTenant && graphClient && graphSecret ? { graph: { tenantId: graphTenant, clientId: graphClient, clientSecret: graphSecret } } : {}),
    monthEndSchedule,
    ...(pullStateDir ? { pullStateDir } : {}),
  };
}
