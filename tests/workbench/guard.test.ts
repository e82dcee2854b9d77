/**
 * The workbench's request guard (scripts/workbench/guard.ts): only this machine's browser, on the
 * workbench's own origin, reaches the org behind it.
 */
import { request } from 'node:http';
import { refusal } from '../../scripts/workbench/guard';
import { startWorkbench } from '../../scripts/workbench/server';

const API = '/api/data/v9.2/';
const PORT = 4321;
const req = (over: { method?: string; url?: string; headers?: Record<string, string> }) =>
  ({ method: over.method ?? 'GET', url: over.url ?? '/api/data/v9.2/accounts', headers: { host: `127.0.0.1:${PORT}`, ...over.headers } }) as never;

describe('workbench request guard', () => {
  it("lets the shell's own requests through: reads, JSON writes, a $batch, the upload", () => {
    expect(refusal(req({}), PORT, API)).toBeNull();
    expect(
      refusal(req({ method: 'POST', headers: { origin: `http://127.0.0.1:${PORT}`, 'content-type': 'application/json; charset=utf-8' } }), PORT, API),
    ).toBeNull();
    expect(
      refusal(req({ method: 'POST', url: '/api/data/v9.2/$batch', headers: { 'content-type': 'multipart/mixed; boundary=batch_1' } }), PORT, API),
    ).toBeNull();
    expect(
      refusal(
        req({
          method: 'POST',
          url: '/workbench/upload?name=bill.csv',
          headers: { origin: `http://localhost:${PORT}`, host: `localhost:${PORT}`, 'content-type': 'text/csv' },
        }),
        PORT,
        API,
      ),
    ).toBeNull();
  });

  it('refuses DNS rebinding: a Host that is not the loopback address and port', () => {
    expect(refusal(req({ headers: { host: `evil.example:${PORT}` } }), PORT, API)).toMatchObject({ status: 403 });
    expect(refusal(req({ headers: { host: '127.0.0.1:80' } }), PORT, API)).toMatchObject({ status: 403 });
  });

  it('refuses cross-site requests (CSRF): a foreign or opaque Origin', () => {
    expect(refusal(req({ method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' } }), PORT, API)).toMatchObject({
      status: 403,
    });
    expect(refusal(req({ method: 'POST', headers: { origin: 'null', 'content-type': 'application/json' } }), PORT, API)).toMatchObject({ status: 403 });
  });

  it("refuses a write the shell never sends: a 'simple' text/plain post to the Web API", () => {
    expect(refusal(req({ method: 'POST', headers: { 'content-type': 'text/plain' } }), PORT, API)).toMatchObject({ status: 415 });
    expect(refusal(req({ method: 'PATCH' }), PORT, API)).toMatchObject({ status: 415 });
  });

  it('answers 400 to a malformed URL instead of crashing the server (GET /%)', () => {
    expect(refusal(req({ url: '/%' }), PORT, API)).toEqual({ status: 400, message: 'Malformed URL: /%' });
  });
});

describe('the running workbench', () => {
  it('answers GET /% with 400 and a foreign Host with 403, and keeps serving', async () => {
    const wb = await startWorkbench({ serverSide: 'in-process' });
    try {
      const port = Number(new URL(wb.url).port);
      const get = (path: string, host = `127.0.0.1:${port}`) =>
        new Promise<number>((done, fail) => {
          const r = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
            res.resume();
            done(res.statusCode ?? 0);
          });
          r.on('error', fail);
          r.end();
        });
      expect(await get('/%')).toBe(400);
      expect(await get('/api/data/v9.2/accounts', `rebound.example:${port}`)).toBe(403);
      expect(await get('/')).toBe(200);
    } finally {
      await wb.close();
    }
  });
});
