import type { IncomingMessage } from 'node:http';

/**
 * What the workbench refuses before routing a request: it serves a whole org to whoever reaches
 * it, so only this machine's browser may. A foreign Host is DNS rebinding (a page of another site
 * resolving its name to 127.0.0.1), a foreign Origin is a cross-site request (CSRF), and a write
 * the shell never sends (not JSON, not a $batch) is refused as well, so a "simple" cross-site form
 * post cannot reach the org even where a browser omits Origin.
 */
export interface Refusal {
  readonly status: number;
  readonly message: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function refusal(req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>, port: number, apiPrefix: string): Refusal | null {
  const host = req.headers.host ?? '';
  const [name, hostPort] = host.startsWith('[') ? [host.slice(0, host.indexOf(']') + 1), host.slice(host.indexOf(']') + 2)] : host.split(':');
  if (!LOOPBACK.has(name ?? '') || Number(hostPort) !== port)
    return { status: 403, message: `Host ${host || '(none)'} is not this workbench (127.0.0.1:${port}).` };
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !LOOPBACK.has(parsed.hostname === '::1' ? '[::1]' : parsed.hostname) || Number(parsed.port) !== port) {
      return { status: 403, message: `Requests from ${origin} are refused: only the workbench's own pages may call it.` };
    }
  } else if (origin === 'null') {
    return { status: 403, message: 'Requests from an opaque origin are refused.' };
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    return { status: 400, message: `Malformed URL: ${req.url ?? ''}` };
  }
  if (WRITES.has(req.method ?? '') && path.startsWith(apiPrefix)) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const batch = path.endsWith('/$batch') && type === 'multipart/mixed';
    if (req.method !== 'DELETE' && type !== 'application/json' && !batch) {
      return { status: 415, message: `A write to the Web API needs Content-Type application/json (a $batch multipart/mixed), not ${type || '(none)'}.` };
    }
  }
  return null;
}
