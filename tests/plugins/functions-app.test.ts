/**
 * The packaged Azure Functions app (dist/functions-app, written by `npm run build`): its package.json
 * points the runtime at the bundle, and the bundle registers the `dataverse` HTTP function whose
 * handler is the webhook host. The Functions runtime cannot be installed here, so a stand-in
 * `@azure/functions` records the registration and the test calls the handler as the runtime would.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const app = resolve(__dirname, '../../dist/functions-app');

const STAND_IN = `
const registrations = [];
exports.app = {
  http: (name, options) => registrations.push({ kind: 'http', name, options }),
  storageQueue: (name, options) => registrations.push({ kind: 'storageQueue', name, options }),
  timer: (name, options) => registrations.push({ kind: 'timer', name, options }),
};
exports.__registrations = registrations;
`;

const RUN = `
const stub = require('@azure/functions');
require(process.env.APP_MAIN);
(async () => {
  const r = stub.__registrations.find((x) => x.kind === 'http');
  const queues = stub.__registrations.filter((x) => x.kind === 'storageQueue').map((x) => [x.name, x.options.queueName, x.options.connection]);
  const call = async (url, body) => {
    const request = { url, method: 'POST', headers: new Map([['content-type', 'application/json']]), arrayBuffer: async () => new TextEncoder().encode(body).buffer };
    const warnings = [];
    const response = await r.options.handler(request, { warn: (m) => warnings.push(m) });
    return { status: response.status, message: response.jsonBody && response.jsonBody.message, warnings };
  };
  const timers = stub.__registrations.filter((x) => x.kind === 'timer').map((x) => [x.name, x.options.schedule]);
  const out = {
    name: r.name, route: r.options.route, methods: r.options.methods, authLevel: r.options.authLevel, queues, timers,
    wrongKey: await call('https://app.azurewebsites.net/api/dataverse?code=nope', '{}'),
    malformed: await call('https://app.azurewebsites.net/api/dataverse?code=s3cret-key-of-the-endpoint', '{not json'),
  };
  process.stdout.write(JSON.stringify(out));
})();
`;

describe('Azure Functions app package', () => {
  it('has a package.json whose main is the bundle, and the host.json route prefix the endpoint uses', () => {
    if (!existsSync(join(app, 'package.json'))) throw new Error(`${app} is missing: run \`npm run build\` first`);
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };
    expect(existsSync(join(app, pkg.main))).toBe(true);
    expect(Object.keys(pkg.dependencies)).toEqual(['@azure/functions']);
    expect(JSON.parse(readFileSync(join(app, 'host.json'), 'utf8')).extensions.http.routePrefix).toBe('api');
  });

  const SETTINGS = {
    DATAVERSE_URL: 'http://127.0.0.1:9',
    CSPB_WEBHOOK_KEY: 's3cret-key-of-the-endpoint',
    DATAVERSE_TENANT_ID: '',
    CSPB_QUEUE_CONNECTION:
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;',
  };

  function runApp(env: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'cspb-functions-'));
    try {
      mkdirSync(join(dir, 'node_modules/@azure/functions'), { recursive: true });
      writeFileSync(join(dir, 'node_modules/@azure/functions/index.js'), STAND_IN);
      writeFileSync(join(dir, 'run.js'), RUN);
      // A copy beside the stand-in, so the bundle resolves @azure/functions to it, not to the real package.
      copyFileSync(join(app, 'dist/main.js'), join(dir, 'main.js'));
      return spawnSync(process.execPath, [join(dir, 'run.js')], { encoding: 'utf8', env: { ...process.env, APP_MAIN: join(dir, 'main.js'), ...env } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('refuses to start on a bad setting, naming it', () => {
    const result = runApp({ ...SETTINGS, CSPB_MAX_BODY_BYTES: 'ten', DATAVERSE_URL: 'ftp://org' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('CSPB_MAX_BODY_BYTES must be a whole number of bytes');
    expect(result.stderr).toContain('DATAVERSE_URL must be https');
  });

  it('registers POST /api/dataverse whose handler authenticates and parses like the host, and the job queue triggers', () => {
    const result = runApp(SETTINGS);
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ name: 'dataverse', route: 'dataverse', methods: ['POST'], authLevel: 'anonymous' });
    expect(out['queues']).toEqual([
      ['jobs', 'cspb-jobs', 'CSPB_QUEUE_CONNECTION'],
      ['jobs-poison', 'cspb-jobs-poison', 'CSPB_QUEUE_CONNECTION'],
    ]);
    expect(out['wrongKey']).toMatchObject({ status: 401 });
    expect(out['malformed']).toMatchObject({ status: 400 });
    // No Graph settings: no month-end timer (it would fail every day).
    expect(out['timers']).toEqual([]);
  });

  it('registers the month-end timer when Graph is configured, on its NCRONTAB schedule; a wrong schedule stops the app', () => {
    const graph = { CSPB_GRAPH_TENANT_ID: 't', CSPB_GRAPH_CLIENT_ID: 'c', CSPB_GRAPH_CLIENT_SECRET: 's' };
    const daily = runApp({ ...SETTINGS, ...graph });
    expect(daily.stderr).toBe('');
    expect((JSON.parse(daily.stdout) as Record<string, unknown>)['timers']).toEqual([['monthEnd', '0 0 6 * * *']]);
    const custom = runApp({ ...SETTINGS, ...graph, CSPB_MONTH_END_SCHEDULE: '0 30 5 1-10 * *' });
    expect((JSON.parse(custom.stdout) as Record<string, unknown>)['timers']).toEqual([['monthEnd', '0 30 5 1-10 * *']]);
    const wrong = runApp({ ...SETTINGS, ...graph, CSPB_MONTH_END_SCHEDULE: '0 6 * * *' });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain('CSPB_MONTH_END_SCHEDULE must be an NCRONTAB expression of six fields');
    const half = runApp({ ...SETTINGS, CSPB_GRAPH_TENANT_ID: 't' });
    expect(half.stderr).toContain('CSPB_GRAPH_TENANT_ID, CSPB_GRAPH_CLIENT_ID and CSPB_GRAPH_CLIENT_SECRET go together');
  });
});
