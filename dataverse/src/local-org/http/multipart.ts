import { randomUUID } from 'node:crypto';
import { badRequest } from '../errors';

/**
 * The `$batch` wire format (OData 4.0 multipart/mixed, as Dataverse speaks it): parsing a batch
 * into requests and change sets, and writing the batch response.
 */
export interface BatchRequestPart {
  readonly method: string;
  /** As written in the part: absolute, `/api/data/v9.2/...`, relative, or `$1/...`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly contentId?: string;
}

export type BatchItem =
  | { readonly kind: 'request'; readonly part: BatchRequestPart }
  | { readonly kind: 'changeset'; readonly parts: readonly BatchRequestPart[] };

export interface ResponsePart {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly contentId?: string;
}

export type BatchResponseItem =
  | { readonly kind: 'response'; readonly part: ResponsePart }
  | { readonly kind: 'changeset'; readonly parts: readonly ResponsePart[] };

export function boundaryOf(contentType: string | undefined): string {
  const m = /boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  if (!m || !/^multipart\/mixed/i.test(contentType ?? ''))
    throw badRequest(`A $batch request needs Content-Type multipart/mixed with a boundary (got '${contentType ?? ''}').`);
  return m[2]!;
}

/** Splits a multipart body into its parts (text between the boundary lines). */
function splitParts(body: string, boundary: string): string[] {
  const segments = body.split(`--${boundary}`);
  const parts: string[] = [];
  for (const segment of segments.slice(1)) {
    if (segment.startsWith('--')) break;
    parts.push(segment.replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
  }
  return parts;
}

/** Header lines up to the first empty line; the rest is the content. */
function headersAndRest(text: string): { headers: Record<string, string>; rest: string } {
  const headers: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      break;
    }
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, rest: lines.slice(i).join('\r\n') };
}

function parseHttpPart(text: string, outer: Record<string, string>): BatchRequestPart {
  const { rest } = { rest: text };
  const lines = rest.split(/\r?\n/);
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === '') first++;
  const requestLine = /^([A-Z]+)\s+(\S+)(\s+HTTP\/\d\.\d)?\s*$/.exec(lines[first] ?? '');
  if (!requestLine) throw badRequest(`Bad request line in $batch part: '${lines[first] ?? ''}'.`);
  const { headers, rest: body } = headersAndRest(lines.slice(first + 1).join('\r\n'));
  const contentId = outer['content-id'] ?? headers['content-id'];
  return { method: requestLine[1]!, url: requestLine[2]!, headers, body: body.trim(), ...(contentId ? { contentId } : {}) };
}

export function parseBatch(body: string, contentType: string | undefined): BatchItem[] {
  const items: BatchItem[] = [];
  for (const raw of splitParts(body, boundaryOf(contentType))) {
    const { headers, rest } = headersAndRest(raw);
    const type = headers['content-type'] ?? '';
    if (/^multipart\/mixed/i.test(type)) {
      const parts = splitParts(rest, boundaryOf(type)).map((p) => {
        const inner = headersAndRest(p);
        return parseHttpPart(inner.rest, inner.headers);
      });
      for (const p of parts) if (p.method === 'GET') throw badRequest('GET requests are not allowed in a change set.');
      items.push({ kind: 'changeset', parts });
    } else if (/^application\/http/i.test(type)) {
      items.push({ kind: 'request', part: parseHttpPart(rest, headers) });
    } else {
      throw badRequest(`A $batch part must be application/http or multipart/mixed, not '${type}'.`);
    }
  }
  return items;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  404: 'Not Found',
  412: 'Precondition Failed',
  424: 'Failed Dependency',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reason(status: number): string {
  return REASONS[status] ?? 'Status';
}

function writePart(part: ResponsePart): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (part.contentId) lines.push(`Content-ID: ${part.contentId}`);
  lines.push('', `HTTP/1.1 ${part.status} ${reason(part.status)}`);
  for (const [k, v] of Object.entries(part.headers)) lines.push(`${k}: ${v}`);
  lines.push('', part.body ?? '');
  return lines.join('\r\n');
}

export function writeBatchResponse(items: readonly BatchResponseItem[]): { contentType: string; body: string } {
  const boundary = `batchresponse_${randomUUID()}`;
  const chunks: string[] = [];
  for (const item of items) {
    if (item.kind === 'response') {
      chunks.push(`--${boundary}\r\n${writePart(item.part)}`);
    } else {
      const cs = `changesetresponse_${randomUUID()}`;
      const inner = item.parts.map((p) => `--${cs}\r\n${writePart(p)}`).join('\r\n');
      chunks.push(`--${boundary}\r\nContent-Type: multipart/mixed; boundary=${cs}\r\n\r\n${inner}\r\n--${cs}--`);
    }
  }
  chunks.push(`--${boundary}--\r\n`);
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: chunks.join('\r\n') };
}
