import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A call a test endpoint received: the parsed RemoteExecutionContext and the headers. */
export interface Received {
  readonly body: Record<string, unknown>;
  readonly headers: IncomingMessage['headers'];
}

/**
 * A stand-in webhook endpoint for platform tests: `answer` decides each call's status (and may
 * wait, or call back into the org, before answering).
 */
export interface TestEndpoint {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

export async function startEndpoint(
  answer: (call: Received, n: number) => Promise<{ status: number; body?: string }> | { status: number; body?: string },
): Promise<TestEndpoint> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = { body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, headers: req.headers };
      received.push(call);
      void Promise.resolve(answer(call, received.length)).then(
        (a) => {
          if (res.destroyed) return;
          res.writeHead(a.status, { 'content-type': 'application/json' });
          res.end(a.body ?? '{}');
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/dataverse`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `check` holds (async work of another process), failing after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, what = 'the condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
