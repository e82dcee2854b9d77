/**
 * `npm run deploy` against a loopback server on 127.0.0.1 that records every request and answers
 * the way the Dataverse Web API does (ImportSolutionAsync -> AsyncOperationId, asyncoperations(id)
 * polled to statuscode 30, PublishAllXml 204, PATCH upserts 204, environmentvariablevalues).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deploy } from '../../scripts/deploy';
import { stableGuid } from '../../dataverse/src/codegen/stable-guid';

const root = join(__dirname, '../..');
const ASYNC_ID = '11111111-2222-4333-8444-555555555555';
const DEFINITION_IDS: Record<string, string> = {
  cspb_WebhookBaseUrl: 'aaaaaaaa-0000-4000-8000-000000000001',
  cspb_ReconciliationTolerance: 'aaaaaaaa-0000-4000-8000-000000000002',
  cspb_DefaultCurrency: 'aaaaaaaa-0000-4000-8000-000000000003',
};
const EXISTING_VALUE_ID = 'bbbbbbbb-0000-4000-8000-000000000002';

interface Recorded {
  method: string;
  path: string;
  auth: string | undefined;
  body: Record<string, unknown> | undefined;
}

interface FakeOrg {
  server: Server;
  url: string;
  requests: Recorded[];
  /** statuscode answers for successive asyncoperations polls; the last repeats. */
  pollAnswers: Array<{ statecode: number; statuscode: number; message?: string }>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function startOrg(): Promise<FakeOrg> {
  const org: FakeOrg = { server: undefined as unknown as Server, url: '', requests: [], pollAnswers: [] };
  let polls = 0;
  org.server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = decodeURIComponent(req.url ?? '');
      org.requests.push({ method: req.method!, path, auth: req.headers.authorization, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined });
      const json = (status: number, body: unknown): void => {
        res.writeHead(status, { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' });
        res.end(JSON.stringify(body));
      };
      const empty = (): void => {
        res.writeHead(204, { 'OData-Version': '4.0' });
        res.end();
      };
      if (req.headers.authorization !== 'Bearer test-token')
        return json(401, { error: { code: '0x80072560', message: 'The user is not a member of the organization.' } });
      const p = path.replace('/api/data/v9.2/', '');
      if (req.method === 'POST' && p === 'ImportSolutionAsync') return json(200, { '@odata.context': 'x', AsyncOperationId: ASYNC_ID, ImportJobKey: 'k' });
      if (req.method === 'GET' && p.startsWith(`asyncoperations(${ASYNC_ID})`)) {
        const answer = org.pollAnswers[Math.min(polls++, org.pollAnswers.length - 1)]!;
        return json(200, { asyncoperationid: ASYNC_ID, message: null, friendlymessage: null, ...answer });
      }
      if (req.method === 'POST' && p === 'PublishAllXml') return empty();
      if (req.method === 'GET' && p.startsWith('environmentvariabledefinitions?')) {
        const name = /schemaname eq '([^']+)'/.exec(p)?.[1] ?? '';
        const id = DEFINITION_IDS[name];
        if (!id) return json(200, { value: [] });
        const values = name === 'cspb_ReconciliationTolerance' ? [{ environmentvariablevalueid: EXISTING_VALUE_ID, value: '0.01' }] : [];
        return json(200, {
          value: [{ environmentvariabledefinitionid: id, defaultvalue: null, environmentvariabledefinition_environmentvariablevalue: values }],
        });
      }
      if (req.method === 'POST' && p === 'environmentvariablevalues') return empty();
      // AddSolutionComponent (Web API action): answers the solutioncomponent id.
      if (req.method === 'POST' && p === 'AddSolutionComponent')
        return json(200, { id: stableGuid(`solutioncomponent/${String(JSON.parse(raw).ComponentId)}`) });
      if (
        req.method === 'PATCH' &&
        /^(environmentvariablevalues|serviceendpoints|sdkmessageprocessingsteps|sdkmessageprocessingstepimages)\([0-9a-f-]{36}\)$/.test(p)
      )
        return empty();
      if (req.method === 'GET' && p.startsWith('sdkmessagefilters?')) {
        const table = /primaryobjecttypecode eq '([^']+)'/.exec(p)?.[1] ?? '';
        const message = /_sdkmessageid_value eq ([0-9a-f-]{36})/.exec(p)?.[1] ?? '';
        return json(200, { value: [{ sdkmessagefilterid: stableGuid(`test-filter/${table}/${message}`) }] });
      }
      return json(404, { error: { code: '0x80060888', message: `Resource not found for the segment '${p}'.` } });
    })();
  });
  await new Promise<void>((resolve) => org.server.listen(0, '127.0.0.1', resolve));
  org.url = `http://127.0.0.1:${(org.server.address() as AddressInfo).port}`;
  return org;
}

const token = async (): Promise<string> => 'test-token';
const noSleep = async (): Promise<void> => undefined;
const zip = (managed: boolean): string => join(root, 'dist', managed ? 'CspBilling_managed.zip' : 'CspBilling_unmanaged.zip');

beforeAll(() => {
  if (!existsSync(zip(true)) || !existsSync(zip(false))) throw new Error('dist zips missing: run `npm run build` first');
});

describe('npm run deploy against a loopback Dataverse', () => {
  let org: FakeOrg;
  beforeEach(async () => {
    org = await startOrg();
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => org.server.close(() => resolve()));
  });

  const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const lines: string[] = [];
    const code = await deploy(['--url', org.url, ...args], { log: (l) => lines.push(l), token, sleep: noSleep }, env);
    return { code, lines, calls: org.requests.map((r) => `${r.method} ${r.path.replace('/api/data/v9.2/', '').replace(/\?.*/, '')}`) };
  };

  it('imports the unmanaged zip, polls until succeeded, publishes, sets variables, registers the webhook and its steps', async () => {
    org.pollAnswers = [
      { statecode: 0, statuscode: 0 },
      { statecode: 2, statuscode: 20 },
      { statecode: 3, statuscode: 30 },
    ];
    const { code, lines, calls } = await run(['--webhook-base-url', 'https://cspb-host.azurewebsites.net/', '--tolerance', '0.05'], {
      CSPB_WEBHOOK_KEY: 'function-key-1',
    });
    expect(lines.join('\n')).not.toContain('deploy failed');
    expect(code).toBe(0);

    const importCall = org.requests[0]!;
    expect(importCall.method).toBe('POST');
    expect(importCall.path).toBe('/api/data/v9.2/ImportSolutionAsync');
    expect(importCall.body!.OverwriteUnmanagedCustomizations).toBe(true);
    expect(importCall.body!.PublishWorkflows).toBe(true);
    expect(Buffer.from(importCall.body!.CustomizationFile as string, 'base64').equals(readFileSync(zip(false)))).toBe(true);
    expect(org.requests.every((r) => r.auth === 'Bearer test-token')).toBe(true);

    expect(calls.slice(0, 5)).toEqual([
      'POST ImportSolutionAsync',
      `GET asyncoperations(${ASYNC_ID})`,
      `GET asyncoperations(${ASYNC_ID})`,
      `GET asyncoperations(${ASYNC_ID})`,
      'POST PublishAllXml',
    ]);

    // Existing value is updated in place; a missing one is created bound to its definition.
    const tolerance = org.requests.find((r) => r.method === 'PATCH' && r.path.endsWith(`environmentvariablevalues(${EXISTING_VALUE_ID})`));
    expect(tolerance?.body).toEqual({ value: '0.05' });
    const webhookValue = org.requests.find((r) => r.method === 'POST' && r.path.endsWith('environmentvariablevalues'));
    expect(webhookValue?.body).toEqual({
      schemaname: 'cspb_WebhookBaseUrl_value',
      value: 'https://cspb-host.azurewebsites.net',
      'EnvironmentVariableDefinitionId@odata.bind': `/environmentvariabledefinitions(${DEFINITION_IDS.cspb_WebhookBaseUrl})`,
    });

    const endpointId = stableGuid('serviceendpoint/cspb_webhook');
    const endpoint = org.requests.find((r) => r.method === 'PATCH' && r.path.endsWith(`serviceendpoints(${endpointId})`));
    expect(endpoint?.body).toMatchObject({
      contract: 8,
      authtype: 4,
      messageformat: 2,
      url: 'https://cspb-host.azurewebsites.net/api/dataverse',
      authvalue: 'function-key-1',
    });

    const steps = org.requests.filter((r) => r.method === 'PATCH' && r.path.includes('sdkmessageprocessingsteps('));
    expect(steps).toHaveLength(12);
    const summary = steps.map((s) => [s.body!.name, s.body!.stage, s.body!.mode]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['CSP Billing: Create of cspb_subscription (PreValidation, sync)', 10, 0],
        ['CSP Billing: Update of cspb_subscription (PreValidation, sync)', 10, 0],
        ['CSP Billing: Create of cspb_subscription (PostOperation, async)', 40, 1],
        ['CSP Billing: Update of cspb_subscription (PostOperation, async)', 40, 1],
        ['CSP Billing: Create of cspb_billingimport (PostOperation, async)', 40, 1],
        ['CSP Billing: Create of cspb_reconciliationrun (PostOperation, async)', 40, 1],
        ['CSP Billing: Create of cspb_invoicerun (PostOperation, async)', 40, 1],
        ['CSP Billing: Create of cspb_monthendrun (PostOperation, async)', 40, 1],
        ['CSP Billing: Update of cspb_monthendrun (PostOperation, async)', 40, 1],
        ['CSP Billing: Create of cspb_accrualrun (PostOperation, async)', 40, 1],
      ]),
    );
    for (const s of steps) {
      expect(s.body!['eventhandler_serviceendpoint@odata.bind']).toBe(`/serviceendpoints(${endpointId})`);
      expect(s.body!['sdkmessageid@odata.bind']).toMatch(/^\/sdkmessages\((9ebdbb1b-ea3e-db11-86a7-000a3a5473e8|20bebb1b-ea3e-db11-86a7-000a3a5473e8)\)$/);
      expect(s.body!['sdkmessagefilterid@odata.bind']).toMatch(/^\/sdkmessagefilters\([0-9a-f-]{36}\)$/);
    }
    const images = org.requests.filter((r) => r.method === 'PATCH' && r.path.includes('sdkmessageprocessingstepimages('));
    // Update validate: pre; Create ledger: post; Update ledger: pre + post; month-end restart: post.
    expect(images.map((i) => `${i.body!.name}:${i.body!.imagetype}:${i.body!.messagepropertyname}`).sort()).toEqual(
      ['PostImage:1:Id', 'PostImage:1:Target', 'PreImage:0:Target', 'PreImage:0:Target', 'PostImage:1:Target'].sort(),
    );
    // The ledger images carry the row version: the identity of the save a ledger row records.
    const ledgerImages = images.filter((i) => String(i.body!.name) === 'PostImage' && String(i.body!.attributes).includes('cspb_quantity'));
    expect(ledgerImages).toHaveLength(2);
    for (const i of ledgerImages) expect(String(i.body!.attributes).split(',')).toContain('versionnumber');
    // The restart's image carries the row's resume point: the message it queues asks for that chunk.
    expect(images.filter((i) => String(i.body!.attributes) === 'cspb_restart,cspb_jobchunk,cspb_runstatus')).toHaveLength(1);
    // Steps are registered here, not imported (the zip carries none): each joins the unmanaged solution.
    const added = org.requests.filter((r) => r.method === 'POST' && r.path.endsWith('AddSolutionComponent'));
    expect(added.map((a) => [a.body!.ComponentType, a.body!.SolutionUniqueName])).toEqual(steps.map(() => [92, 'CspBilling']));
    expect(added.map((a) => a.body!.ComponentId)).toEqual(steps.map((s) => /\(([0-9a-f-]{36})\)$/.exec(s.path)![1]));
  });

  it('does not publish a managed import, and reads the webhook URL from the environment variable when not given', async () => {
    org.pollAnswers = [{ statecode: 3, statuscode: 30 }];
    const { code, calls, lines } = await run(['--managed']);
    expect(code).toBe(0);
    expect(calls).not.toContain('POST PublishAllXml');
    expect(Buffer.from(org.requests[0]!.body!.CustomizationFile as string, 'base64').equals(readFileSync(zip(true)))).toBe(true);
    // No value in the org for the base URL: the endpoint is left alone and the admin is told.
    expect(calls.filter((c) => c.startsWith('PATCH serviceendpoints') || c.startsWith('PATCH sdkmessageprocessingsteps'))).toEqual([]);
    expect(lines.join('\n')).toMatch(/warning: cspb_WebhookBaseUrl has no value/);
  });

  it('fails with the import job message when the async operation fails', async () => {
    org.pollAnswers = [{ statecode: 3, statuscode: 31, message: 'Solution import failed: missing dependency' }];
    const { code, lines, calls } = await run([]);
    expect(code).toBe(1);
    expect(lines.join('\n')).toContain('solution import failed (statuscode 31): Solution import failed: missing dependency');
    expect(calls).not.toContain('POST PublishAllXml');
  });

  it('--dry-run prints the plan and sends nothing', async () => {
    const { code, lines } = await run(['--dry-run', '--webhook-base-url', 'https://cspb-host.azurewebsites.net', '--currency', 'EUR']);
    expect(code).toBe(0);
    expect(org.requests).toEqual([]);
    const text = lines.join('\n');
    expect(text).toContain('1. import');
    expect(text).toContain('CspBilling_unmanaged.zip');
    expect(text).toContain('publish all customizations (PublishAllXml)');
    expect(text).toContain('set environment variable cspb_DefaultCurrency = EUR');
    expect(text).toContain('https://cspb-host.azurewebsites.net/api/dataverse');
    expect(lines.filter((l) => /^\d+\. register step/.test(l))).toHaveLength(12);
    // A URL was given, no key (run() passes an empty environment): only the key is warned about.
    expect(lines.filter((l) => l.startsWith('warning:'))).toEqual([expect.stringContaining('CSPB_WEBHOOK_KEY is not set')]);
    const keyed = await run(['--dry-run', '--webhook-base-url', 'https://cspb-host.azurewebsites.net'], { CSPB_WEBHOOK_KEY: 'k' });
    expect(keyed.lines.filter((l) => l.startsWith('warning:'))).toEqual([]);
  });

  it('--dry-run without a webhook base URL or key warns that subscription saves would fail, and names where the URL comes from', async () => {
    const lines: string[] = [];
    const code = await deploy(['--url', org.url, '--dry-run'], { log: (l) => lines.push(l), token }, {});
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(text).toContain("at the org's cspb_WebhookBaseUrl value + /api/dataverse");
    expect(text).not.toContain('at from');
    expect(lines.filter((l) => l.startsWith('warning:'))).toEqual([
      expect.stringContaining('subscription saves fail'),
      expect.stringContaining('CSPB_WEBHOOK_KEY is not set'),
    ]);
  });

  it('refuses bad arguments with exit code 2', async () => {
    expect((await run(['--tolerance', 'abc'])).code).toBe(2);
    expect((await run(['--client-id', 'x'])).code).toBe(2);
    const lines: string[] = [];
    expect(await deploy(['--url', 'http://contoso.crm.dynamics.com'], { log: (l) => lines.push(l), token }, {})).toBe(2);
    expect(org.requests).toEqual([]);
  });
});
