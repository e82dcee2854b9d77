/**
 * A local stand-in (tests, the workbench's demo, bench:pull) for Entra ID's token endpoint and Microsoft Graph's partner billing exports,
 * built from the documented shapes (every page named where its shape is used), with the export's
 * blobs in Azurite's Blob service behind real SAS tokens (signed with the development account's key,
 * checked by Azurite as Azure Storage checks them).
 *
 * - Token: POST /{tenant}/oauth2/v2.0/token (client credentials) -> {token_type, expires_in,
 *   access_token} ("Microsoft identity platform and the OAuth 2.0 client credentials flow",
 *   learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow). MSAL reaches it
 *   through `msalNetwork` (its documented INetworkModule), with `authorityMetadata` and
 *   `cloudDiscoveryMetadata` given, so nothing leaves the machine.
 * - Export: POST /v1.0/reports/partners/billing/{reconciliation|usage}/{billed|unbilled}/export ->
 *   202 Accepted + Location (".../partners-billing-billedreconciliation-export").
 * - Operation: GET /v1.0/reports/partners/billing/operations/{id} -> 200 runningOperation with
 *   Retry-After while running, then exportSuccessOperation with the manifest inline under
 *   resourceLocation (or as resourceLocation@odata.navigationLink, the docs' example), or
 *   failedOperation {error: {code: "5000", message: "No data available"}} (".../partners-billing-operation-get").
 * - Manifest: GET /v1.0/reports/partners/billing/manifests/{id} (".../partners-billing-manifest-get"):
 *   dataFormat "compressedJSON", rootDirectory + sasToken (no leading "?") + blobs[{name, partitionValue}].
 *   Graph's SAS is an ADLS directory SAS (sr=d); Azurite's Blob service has no hierarchical
 *   namespace, so this fake signs a container SAS (sr=c, read + list): the client uses it the same way.
 * - Faults: 429 with Retry-After, 401 once tokens expire (Graph's InvalidAuthenticationToken body),
 *   a first manifest whose SAS has already expired (Azurite answers 403 AuthenticationFailed), a
 *   truncated gzip blob, a new data version (eTag).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { BlobSASPermissions, BlobServiceClient, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { INetworkModule } from '@azure/msal-node';
import { answerTokenRequest, CLIENT_ID, CLIENT_SECRET, msalToFake, TENANT, TOKEN_PATH } from './entra';
import { DEV_ACCOUNT, DEV_KEY } from '../azurite';

export { CLIENT_ID, CLIENT_SECRET, TENANT } from './entra';

export type FakeKind = 'billed-reconciliation' | 'billed-usage' | 'unbilled-reconciliation';

export interface Dataset {
  /** JSON Lines, one object per string. */
  readonly lines: readonly string[];
  /** Blobs the lines are split into (default 1). */
  readonly blobs?: number;
  /** Index of a blob whose gzip is cut in half. */
  readonly truncateBlob?: number;
  /** eTag of this data version (default a fixed one). */
  readonly eTag?: string;
}

export interface FakeGraphOptions {
  readonly blobConnectionString: string;
  /** Polls answered "running" before success (default 2). */
  readonly runningPolls?: number;
  /** Retry-After seconds on a running poll (default "0": tests do not wait). */
  readonly retryAfter?: string;
  /** 'link': the success names the manifest by navigation link only (the docs' example). */
  readonly manifestAs?: 'inline' | 'link';
}

export interface FakeGraph {
  /** http://127.0.0.1:<port>/v1.0 */
  readonly baseUrl: string;
  readonly authorityMetadata: string;
  readonly cloudDiscoveryMetadata: string;
  readonly msalNetwork: INetworkModule;
  /** Every Graph request: method, path, status answered. */
  readonly log: Array<{ method: string; path: string; status: number }>;
  readonly tokensIssued: () => number;
  /** A token from the token endpoint (client credentials), as a script run elsewhere would hold one (CSPB_GRAPH_TOKEN). */
  accessToken(): Promise<string>;
  setDataset(kind: FakeKind, key: string, dataset: Dataset): void;
  /** The next n Graph requests answer 429 with Retry-After (seconds). */
  throttle(n: number, retryAfter?: string): void;
  /** The Retry-After a running operation answers from now on (seconds). */
  setRetryAfter(seconds: string): void;
  /** Every token issued so far is refused (401) from now on. */
  expireTokens(): void;
  /** The next `count` manifests' SAS (default 1) expired an hour ago. */
  expireNextSas(count?: number): void;
  /** Operations answer 404 (an operation link past its lifetime) until told otherwise. */
  forgetOperations(forget?: boolean): void;
  /** 'link': successes name the manifest by navigation link only (the docs' example). */
  setManifestAs(as: 'inline' | 'link'): void;
  close(): Promise<void>;
}

interface Operation {
  readonly id: string;
  readonly kind: FakeKind;
  readonly key: string;
  polls: number;
  manifestId?: string;
}

export async function startFakeGraph(options: FakeGraphOptions): Promise<FakeGraph> {
  const blobService = BlobServiceClient.fromConnectionString(options.blobConnectionString);
  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY);
  const datasets = new Map<string, Dataset>();
  const uploaded = new Map<string, { container: string; directory: string; names: string[]; eTag: string }>();
  const operations = new Map<string, Operation>();
  const manifests = new Map<string, Record<string, unknown>>();
  const valid = new Set<string>();
  const log: FakeGraph['log'] = [];
  let issued = 0;
  let throttled = 0;
  let throttleAfter = '1';
  let sasExpired = 0;
  let forgotten = false;
  let baseUrl = '';
  let manifestAs = options.manifestAs ?? 'inline';
  let retryAfter = options.retryAfter ?? '0';

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const graphError = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void =>
    json(res, status, { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } }, headers);

  /** Uploads a dataset's blobs once per data version (the export's files). */
  async function upload(kind: FakeKind, key: string): Promise<{ container: string; directory: string; names: string[]; eTag: string }> {
    const data = datasets.get(`${kind}|${key}`)!;
    const eTag = data.eTag ?? 'WYjLro78HdMg6vUWR';
    const done = uploaded.get(`${kind}|${key}`);
    if (done && done.eTag === eTag) return done;
    const container = kind === 'billed-usage' ? 'billedusagefastpath' : kind === 'billed-reconciliation' ? 'billedreconfastpath' : 'unbilledreconfastpath';
    await blobService.getContainerClient(container).createIfNotExists();
    const directory = `v1/PartnerTenantId=${TENANT}/Key=${key.replace(/[^A-Za-z0-9]/g, '-')}/Version=${eTag}/Fragment=full/PartitionType=default`;
    const count = Math.max(1, data.blobs ?? 1);
    const per = Math.ceil(data.lines.length / count);
    const names: string[] = [];
    for (let b = 0; b < count; b++) {
      const name = `part-${String(b).padStart(5, '0')}-${randomUUID()}.c000.json.gz`;
      const text = data.lines.slice(b * per, (b + 1) * per).join('\n') + '\n';
      let gz = gzipSync(Buffer.from(text, 'utf8'));
      if (data.truncateBlob === b) gz = gz.subarray(0, Math.floor(gz.length / 2));
      await blobService.getContainerClient(container).getBlockBlobClient(`${directory}/${name}`).uploadData(gz);
      names.push(name);
    }
    const result = { container, directory, names, eTag };
    uploaded.set(`${kind}|${key}`, result);
    return result;
  }

  async function manifestFor(op: Operation): Promise<Record<string, unknown>> {
    const files = await upload(op.kind, op.key);
    const now = Date.now();
    const expiresOn = new Date(sasExpired > 0 ? now - 3600_000 : now + 3600_000);
    const startsOn = new Date(now - 7200_000);
    sasExpired = Math.max(0, sasExpired - 1);
    const sas = generateBlobSASQueryParameters(
      { containerName: files.container, permissions: BlobSASPermissions.parse('r'), startsOn, expiresOn, version: '2021-08-06' },
      credential,
    ).toString();
    const id = op.manifestId ?? randomUUID();
    op.manifestId = id;
    const manifest = {
      id,
      createdDateTime: new Date(now).toISOString(),
      schemaVersion: '2',
      dataFormat: 'compressedJSON',
      partitionType: 'default',
      eTag: files.eTag,
      partnerTenantId: TENANT,
      rootDirectory: `${blobService.url.replace(/\/$/, '')}/${files.container}/${files.directory}`,
      sasToken: sas,
      blobCount: files.names.length,
      blobs: files.names.map((name) => ({ name, partitionValue: 'default' })),
    };
    manifests.set(id, manifest);
    return manifest;
  }

  const EXPORTS: Record<string, FakeKind> = {
    '/v1.0/reports/partners/billing/reconciliation/billed/export': 'billed-reconciliation',
    '/v1.0/reports/partners/billing/usage/billed/export': 'billed-usage',
    '/v1.0/reports/partners/billing/reconciliation/unbilled/export': 'unbilled-reconciliation',
  };

  async function graph(req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<void> {
    if (throttled > 0) {
      throttled--;
      return graphError(res, 429, 'TooManyRequests', 'Too many requests.', { 'retry-after': throttleAfter });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !valid.has(token))
      return graphError(res, 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', { 'www-authenticate': 'Bearer' });
    const kind = EXPORTS[path];
    if (kind && req.method === 'POST') {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return graphError(res, 400, 'BadRequest', 'The request body is not JSON.');
      }
      const attributeSet = String(parsed['attributeSet'] ?? 'full').toLowerCase();
      if (attributeSet !== 'full' && attributeSet !== 'basic')
        return graphError(res, 400, 'BadRequest', `attributeSet "${attributeSet}" is not full or basic.`);
      let key: string;
      if (kind === 'unbilled-reconciliation') {
        const period = parsed['billingPeriod'];
        const currency = parsed['currencyCode'];
        if ((period !== 'current' && period !== 'last') || typeof currency !== 'string')
          return graphError(res, 400, 'BadRequest', 'billingPeriod and currencyCode are required.');
        key = `${period}:${currency}`;
      } else {
        if (typeof parsed['invoiceId'] !== 'string' || parsed['invoiceId'] === '') return graphError(res, 400, 'BadRequest', 'invoiceId is required.');
        key = parsed['invoiceId'];
      }
      const id = randomUUID();
      operations.set(id, { id, kind, key, polls: 0 });
      res.writeHead(202, { location: `${baseUrl}/reports/partners/billing/operations/${id}` });
      return void res.end();
    }
    const op = /^\/v1\.0\/reports\/partners\/billing\/operations\/([0-9a-f-]+)$/.exec(path);
    if (op && req.method === 'GET') {
      const operation = operations.get(op[1]!);
      if (!operation || forgotten) return graphError(res, 404, 'NotFound', 'The operation does not exist.');
      const base = { id: operation.id, createdDateTime: '2026-11-05T08:12:53Z', lastActionDateTime: new Date().toISOString() };
      if (operation.polls++ < (options.runningPolls ?? 2))
        return json(
          res,
          200,
          { '@odata.type': '#microsoft.graph.partners.billing.runningOperation', ...base, status: 'running' },
          { 'retry-after': retryAfter },
        );
      if (!datasets.has(`${operation.kind}|${operation.key}`))
        return json(res, 200, {
          '@odata.type': '#microsoft.graph.partners.billing.failedOperation',
          ...base,
          status: 'failed',
          error: { message: 'No data available', code: '5000' },
        });
      const manifest = await manifestFor(operation);
      const success = { '@odata.type': '#microsoft.graph.partners.billing.exportSuccessOperation', ...base, status: 'succeeded' };
      return json(
        res,
        200,
        manifestAs === 'link'
          ? { ...success, 'resourceLocation@odata.navigationLink': `${baseUrl}/reports/partners/billing/manifests/${String(manifest['id'])}` }
          : { ...success, resourceLocation: manifest },
      );
    }
    const man = /^\/v1\.0\/reports\/partners\/billing\/manifests\/([0-9a-f-]+)$/.exec(path);
    if (man && req.method === 'GET') {
      const manifest = manifests.get(man[1]!);
      return manifest ? json(res, 200, manifest) : graphError(res, 404, 'NotFound', 'No such manifest.');
    }
    return graphError(res, 404, 'NotFound', `No route ${req.method} ${path}.`);
  }

  function token(res: ServerResponse, body: string): void {
    if (answerTokenRequest(res, body, 'https://graph.microsoft.com/.default', valid, 'fake-graph-token')) issued++;
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'POST' && path === TOKEN_PATH) return token(res, body);
      const end = res.end.bind(res);
      res.end = ((...args: Parameters<typeof res.end>) => {
        log.push({ method: req.method ?? '', path, status: res.statusCode });
        return end(...args);
      }) as typeof res.end;
      graph(req, res, path, body).catch((e: Error) => graphError(res, 500, 'InternalServerError', e.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  baseUrl = `${origin}/v1.0`;

  const entra = msalToFake(origin);
  return {
    baseUrl,
    ...entra,
    log,
    tokensIssued: () => issued,
    accessToken: async () => {
      const answer = await fetch(`${origin}/${TENANT}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          scope: 'https://graph.microsoft.com/.default',
        }).toString(),
      });
      return ((await answer.json()) as { access_token: string }).access_token;
    },
    setDataset: (kind, key, dataset) => datasets.set(`${kind}|${key}`, dataset),
    setRetryAfter: (seconds) => void (retryAfter = seconds),
    throttle: (n, retryAfter = '1') => {
      throttled = n;
      throttleAfter = retryAfter;
    },
    expireTokens: () => valid.clear(),
    expireNextSas: (count = 1) => void (sasExpired = count),
    forgetOperations: (forget = true) => (forgotten = forget),
    setManifestAs: (as) => (manifestAs = as),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
