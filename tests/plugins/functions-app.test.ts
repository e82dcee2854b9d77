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
exports.app = { http: (name, options) => registrations.push({ name, options }) };
exports.__registrations = registrations;
`;

const RUN = `
const stub = require('@azure/functions');
require(process.env.APP_MAIN);
(async () => {
  const [r] = stub.__registrations;
  const call = async (url, body) => {
    const request = { url, method: 'POST', headers: new Map([['content-type', 'application/json']]), arrayBuffer: async () => new TextEncoder().encode(body).buffer };
    const warnings = [];
    const response = await r.options.handler(request, { warn: (m) => warnings.push(m) });
    return { status: response.status, message: response.jsonBody && response.jsonBody.message, warnings };
  };
  const out = {
    name: r.name, route: r.options.route, methods: r.options.methods, authLevel: r.options.authLevel,
    wrongKey: await call('https://app.azurewebsites.net/api/dataverse?code=nope', '{}'),
    malformed: await call('https://app.azurewebsites.net/api/dataverse?code=s3cret', '{not json'),
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

  it('registers POST /api/dataverse whose handler authenticates and parses like the host', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cspb-functions-'));
    try {
      mkdirSync(join(dir, 'node_modules/@azure/functions'), { recursive: true });
      writeFileSync(join(dir, 'node_modules/@azure/functions/index.js'), STAND_IN);
      writeFileSync(join(dir, 'run.js'), RUN);
      // A copy beside the stand-in, so the bundle resolves @azure/functions to it, not to the real package.
      copyFileSync(join(app, 'dist/main.js'), join(dir, 'main.js'));
      const result = spawnSync(process.execPath, [join(dir, 'run.js')], {
        encoding: 'utf8',
        env: { ...process.env, APP_MAIN: join(dir, 'main.js'), DATAVERSE_URL: 'http://127.0.0.1:9', CSPB_WEBHOOK_KEY: 's3cret', DATAVERSE_TENANT_ID: '' },
      });
      expect(result.stderr).toBe('');
      const out = JSON.parse(result.stdout) as Record<string, { status: number; message: string } | string | string[]>;
      expect(out).toMatchObject({ name: 'dataverse', route: 'dataverse', methods: ['POST'], authLevel: 'anonymous' });
      expect(out['wrongKey']).toMatchObject({ status: 401 });
      expect(out['malformed']).toMatchObject({ status: 400 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
