/**
 * The local workbench: the embedded org seeded with the sample partner, the plug-in handlers in
 * its pipeline, and a model-driven-like shell on 127.0.0.1 that hosts the real built web
 * resources and PCF controls against the org's Web API.
 *
 *   GET  /                         the shell (client/, bundled with esbuild at start)
 *   *    /api/data/v9.2/...        the local org's Web API (serveLocalOrg, proxied)
 *   GET  /WebResources/<name>      build/webresources/<name> (form scripts, RESX)
 *   GET  /pcf/<Control>/<file>     pcf-controls/out/controls/<Control>/<file>
 *   GET  /lib/{react,react-dom,fluent}.js   the platform libraries (React 16.14, Fluent 8.29) from node_modules
 *   GET  /workbench/meta.json      schema, forms, views, site map, commands, controls, strings
 *   POST /workbench/upload?name=f  a vendor bill: creates the billing import (the import plug-in parses it)
 *   GET  /workbench/sample/<file>  the sample bill files, to upload
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { refusal } from './guard';
import { builtCustomizationsXml } from './built-solution';
import { startGraphDemo, type GraphDemo } from './graph-demo';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { LocalOrg } from '../../dataverse/src/local-org';
import { startWebhookMode, type WebhookMode } from '../webhook-mode';
import { serveLocalOrg } from '../../dataverse/src/local-org/http';
import { CspbBillingImportImportStatus, CspbBillingImportVendor } from '../../dataverse/generated';
import { MemoryBillFileSource, registerPlugins } from '../../plugins/src';
import { generateSample, type SampleData } from '../sample-data';
import { writeSentInvoices } from '../sample-data/invoices';
import { buildMeta } from './meta';

export const ROOT = resolve(__dirname, '..', '..');
export const DEFAULT_DATA_FILE = join(ROOT, 'build', 'workbench', 'org.json');
const API = '/api/data/v9.2/';
const MAX_UPLOAD = 256 * 1024 * 1024;

export interface WorkbenchOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Keep the org in this file (created and seeded when missing); memory only when absent. */
  readonly dataFile?: string;
  /** Sample partner seed (scripts/sample-data DEFAULT_SEED when absent). */
  readonly seed?: number;
  /**
   * How the server side runs: 'webhook' (default) as in a real org: the webhook host over HTTP,
   * long work through Azurite's queue and a queue worker (scripts/webhook-mode.ts); 'in-process':
   * the handlers in the org's pipeline (no Azurite).
   */
  readonly serverSide?: 'webhook' | 'in-process';
  /** Microsoft Graph played locally (the sample's October bill as an invoice) for pulls and month-end; default on. */
  readonly graphDemo?: boolean;
}

export interface Workbench {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly org: LocalOrg;
  /** Files of billing imports, by import id (what the import plug-in reads). */
  readonly billFiles: MemoryBillFileSource;
  /** The sample partner's bills (what a user uploads). */
  readonly sample: SampleData;
  /** The webhook host, queue and worker, in webhook mode. */
  readonly webhook: WebhookMode | undefined;
  /** The local Graph the month-end runs pull from. */
  readonly graphDemo: GraphDemo | undefined;
  close(): Promise<void>;
}

/**
 * The people a user can act as, each holding App Opener's equivalent and one shipped role (what
 * docs/ADMIN.md tells an admin to assign), and the webhook host's application user.
 */
export const WORKBENCH_USERS = [
  { id: '5a1e5000-0000-4000-8000-00000000a101', name: 'Sam (Sales)', roles: ['CSP Sales'] },
  { id: 'f1a00000-0000-4000-8000-00000000a102', name: 'Fran (Finance)', roles: ['CSP Finance'] },
  { id: 'ad000000-0000-4000-8000-00000000a103', name: 'Ada (Admin)', roles: ['CSP Billing Admin'] },
] as const;
export const INTEGRATION_USER = { id: 'a9900000-0000-4000-8000-00000000a199', name: 'CSP Billing webhook host', roles: ['CSP Billing Integration'] } as const;
/** The cookie a sign-in would set: who the browser is (the proxy turns it into MSCRMCallerID). */
export const ACT_AS_COOKIE = 'cspb-act-as';

/** The managed solution's customizations.xml from dist/ (the org enforces what ships), if built. */
const TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.resx': 'application/xml; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const LIBS: Record<string, string> = {
  'react.js': 'node_modules/react/umd/react.production.min.js',
  'react-dom.js': 'node_modules/react-dom/umd/react-dom.production.min.js',
  'fluent.js': 'node_modules/@fluentui/react/dist/fluentui-react.umd.js',
};

/** The shell page: platform libraries first (as the platform loads them for PCF controls), then the shell. */
const SHELL_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CSP Billing workbench</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/workbench/shell.css">
</head><body><div id="app">Loading the workbench...</div>
<script>window.FabricConfig = { fontBaseUrl: '/fluent-assets', iconBaseUrl: '/fluent-assets/icons/' };</script>
<script src="/lib/react.js"></script><script src="/lib/react-dom.js"></script><script src="/lib/fluent.js"></script>
<script>window.Reactv16 = window.React; window.ReactDOMv16 = window.ReactDOM; window.FluentUIReactv8290 = window.FluentUIReact;
// The platform serves Fluent's icon font itself; here it stays on 127.0.0.1 (absent: icons show as boxes), never a CDN.
window.FluentUIReact.initializeIcons('/fluent-assets/icons/', { disableWarnings: true });</script>
<script src="/workbench/client.js"></script>
</body></html>`;

async function bundleClient(): Promise<string> {
  const result = await build({
    entryPoints: [join(__dirname, 'client', 'main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`Upload larger than ${limit} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A file under `base`, or undefined when the path escapes it or does not exist. */
function fileUnder(base: string, relativePath: string): string | undefined {
  const file = normalize(join(base, relativePath));
  if (!file.startsWith(base + sep)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': TYPES['.json']!, 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(value));
}

function sendFile(res: ServerResponse, file: string | undefined): void {
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('Not found (run `npm run build` for the web resources and PCF controls).');
    return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
  res.end(readFileSync(file));
}

/** Creates the org (seeded when new), registers the plug-ins and serves the workbench. */
export async function startWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const sample = generateSample(options.seed === undefined ? {} : { seed: options.seed });
  let org: LocalOrg;
  const customizationsXml = builtCustomizationsXml();
  if (!customizationsXml) throw new Error('dist/CspBilling_managed.zip is missing: run `npm run build` first (the workbench enforces the roles it ships)');
  if (options.dataFile) {
    mkdirSync(dirname(options.dataFile), { recursive: true });
    org = await LocalOrg.open(options.dataFile, { customizationsXml });
  } else {
    org = new LocalOrg({ customizationsXml });
  }
  for (const user of [...WORKBENCH_USERS, INTEGRATION_USER]) org.registerUser({ ...user, roles: [...user.roles] });
  if (org.count('cspb_subscriptions') === 0) {
    await org.importSnapshot(sample.snapshot);
    // What the partner already sent (October and November, one subscription forgotten): reconciliation here is three-way.
    await writeSentInvoices(org, sample.sent, new Map(sample.snapshot.tables.cspb_billingcontract.map((c) => [c.cspb_billingcontractid, c.cspb_name])));
  }
  const billFiles = new MemoryBillFileSource();
  const graphDemo = options.graphDemo === false ? undefined : await startGraphDemo(sample);
  const pull = graphDemo ? { pull: graphDemo.pull } : {};
  const webhook =
    options.serverSide === 'in-process'
      ? undefined
      : await startWebhookMode(org, {
          deps: { billFiles, ...pull },
          callerId: INTEGRATION_USER.id,
          azuriteLocation: options.dataFile ? join(dirname(options.dataFile), 'azurite') : undefined,
        });
  const unregister = webhook ? () => undefined : registerPlugins(org, { billFiles, ...pull });
  const api = await serveLocalOrg(org);
  const apiPort = Number(new URL(api.url).port);
  const client = await bundleClient();
  let meta = '';
  let baseUrl = '';

  const proxy = (req: IncomingMessage, res: ServerResponse): void => {
    // The browser's identity is its cookie, as a Dynamics session's is; the org reads MSCRMCallerID.
    const actAs = /(?:^|;\s*)cspb-act-as=([0-9a-f-]{36})/.exec(req.headers.cookie ?? '')?.[1];
    const headers = { ...req.headers, host: `127.0.0.1:${apiPort}`, ...(actAs ? { mscrmcallerid: actAs } : {}) };
    const upstream = request({ host: '127.0.0.1', port: apiPort, method: req.method, path: req.url, headers }, (answer) => {
      const headers = { ...answer.headers };
      // OData-EntityId and nextLink name the upstream port: the shell only reads ids from them.
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => sendJson(res, 502, { error: { code: '0x80040216', message: error.message } }));
    req.pipe(upstream);
  };

  const upload = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const bytes = await readBody(req, MAX_UPLOAD);
    const fileName = (url.searchParams.get('name') ?? 'bill.csv').slice(0, 260);
    if (bytes.length === 0) return sendJson(res, 400, { error: { message: 'The file is empty.' } });
    const id = randomUUID();
    billFiles.put(id, { fileName, bytes: new Uint8Array(bytes) });
    const hash = createHash('sha256').update(bytes).digest('hex');
    try {
      // Created with its id so the file is in place before the import plug-in (async, Create) asks for it.
      await org.upsert('cspb_billingimports', id, {
        cspb_name: `Microsoft ${fileName}`.slice(0, 200),
        cspb_filename: fileName,
        cspb_vendor: CspbBillingImportVendor.Microsoft,
        cspb_contenthash: hash,
        cspb_importstatus: CspbBillingImportImportStatus.Pending,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const status = (error as { status?: number }).status ?? 400;
      return sendJson(res, status, { error: { message: status === 412 ? `This file was already imported (${message})` : message } });
    }
    sendJson(res, 201, { id });
  };

  const server = createServer((req, res) => {
    const refused = refusal(req, (server.address() as AddressInfo).port, API);
    if (refused) return sendJson(res, refused.status, { error: { message: refused.message } });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    if (path.startsWith(API)) return proxy(req, res);
    void (async () => {
      if (path === '/' || path === '/index.html') {
        res.writeHead(200, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-store' });
        res.end(SHELL_HTML);
      } else if (path === '/workbench/client.js') {
        res.writeHead(200, { 'Content-Type': TYPES['.js']!, 'Cache-Control': 'no-store' });
        res.end(client);
      } else if (path === '/workbench/shell.css') {
        sendFile(res, join(__dirname, 'client', 'shell.css'));
      } else if (path === '/workbench/meta.json') {
        meta ||= JSON.stringify(
          buildMeta(
            org,
            ROOT,
            `${baseUrl}workbench/upload`,
            WORKBENCH_USERS.map((u) => u.id),
          ),
        );
        res.writeHead(200, { 'Content-Type': TYPES['.json']!, 'Cache-Control': 'no-store' });
        res.end(meta);
      } else if (path === '/workbench/upload' && req.method === 'POST') {
        await upload(req, res, url);
      } else if (path.startsWith('/workbench/sample/')) {
        const name = path.slice('/workbench/sample/'.length);
        const text = name === 'nce-invoice-2026-10.csv' ? sample.licenceCsv : name === 'nce-daily-usage-2026-10.csv' ? sample.usageCsv : undefined;
        if (text === undefined) return sendFile(res, undefined);
        res.writeHead(200, { 'Content-Type': TYPES['.csv']!, 'Content-Disposition': `attachment; filename="${name}"` });
        res.end(text);
      } else if (path.startsWith('/WebResources/')) {
        sendFile(res, fileUnder(join(ROOT, 'build', 'webresources'), path.slice('/WebResources/'.length)));
      } else if (path.startsWith('/pcf/')) {
        sendFile(res, fileUnder(join(ROOT, 'pcf-controls', 'out', 'controls'), path.slice('/pcf/'.length)));
      } else if (path.startsWith('/lib/') && LIBS[path.slice(5)]) {
        sendFile(res, join(ROOT, LIBS[path.slice(5)]!));
      } else {
        sendFile(res, undefined);
      }
    })().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: error instanceof Error ? error.message : String(error) } });
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}/`;
  return {
    url: baseUrl,
    org,
    billFiles,
    sample,
    webhook,
    graphDemo,
    close: async () => {
      await webhook?.close();
      await graphDemo?.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await api.close();
      await org.close();
      unregister();
    },
  };
}

/** Rows per table, for the CLI's summary. */
export function counts(org: LocalOrg): Record<string, number> {
  return Object.fromEntries(org.metadata.all.map((t) => [t.entitySet, org.count(t.entitySet)]));
}
