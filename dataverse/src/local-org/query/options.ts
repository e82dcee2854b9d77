import type { ExpandOption, QueryOptions } from '../../client/types';
import { queryString } from '../../client/odata';
import { badRequest } from '../errors';

/**
 * Query options <-> the URL query string. The HTTP face parses requests with it, and the
 * in-process org uses the same text for its `nextLink`, so a next page is the same request
 * however the org is reached.
 */
export interface ParsedQuery extends QueryOptions {
  readonly skipToken?: string;
}

/** Splits on `sep` outside parentheses and quotes. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseExpand(text: string): ExpandOption[] {
  return splitTopLevel(text, ',').map((item) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?$/.exec(item);
    if (!m) throw badRequest(`Bad $expand item '${item}'.`);
    let select: string[] | undefined;
    for (const option of splitTopLevel(m[2] ?? '', ';')) {
      const eq = option.indexOf('=');
      const name = option.slice(0, eq).trim();
      if (name !== '$select') throw badRequest(`$expand option '${name}' is not supported by the local org (only $select).`);
      select = option
        .slice(eq + 1)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    }
    return select ? { property: m[1]!, select } : { property: m[1]! };
  });
}

/** `$select=a,b&$filter=...` (no leading `?`) -> options. Unknown `$` options are refused. */
export function parseQueryString(search: string): ParsedQuery {
  const out: { -readonly [K in keyof ParsedQuery]: ParsedQuery[K] } = {};
  const text = search.startsWith('?') ? search.slice(1) : search;
  const seen = new Set<string>();
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw badRequest(`The query string has a malformed %-escape: '${part}'.`);
    }
  };
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (name.startsWith('$')) {
      // Dataverse answers 400 to a repeated or an empty system query option, not a guess.
      if (seen.has(name)) throw badRequest(`The query option '${name}' is given more than once.`);
      seen.add(name);
      if (value.trim() === '') throw badRequest(`The query option '${name}' is empty.`);
    }
    switch (name) {
      case '$select':
        out.select = value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case '$filter':
        out.filter = value;
        break;
      case '$orderby':
        out.orderBy = value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case '$top': {
        const top = Number(value);
        if (!Number.isInteger(top) || top < 0) throw badRequest(`$top must be a non-negative integer, not '${value}'.`);
        out.top = top;
        break;
      }
      case '$expand':
        out.expand = parseExpand(value);
        break;
      case '$skiptoken':
        out.skipToken = value;
        break;
      default:
        if (name.startsWith('$')) throw badRequest(`The query option '${name}' is not supported by the local org.`);
    }
  }
  return out;
}

/** Query string for a next page: the same query plus the page position. */
export function nextPageQuery(options: QueryOptions, skipToken: string): string {
  const base = queryString({ ...options, pageSize: undefined });
  return `${base ? `${base}&` : ''}$skiptoken=${encodeURIComponent(skipToken)}`;
}

/** Opaque to callers; carries where the next page starts and its size. */
export function encodeSkipToken(offset: number, pageSize: number): string {
  return Buffer.from(JSON.stringify({ o: offset, p: pageSize })).toString('base64url');
}

export function decodeSkipToken(token: string): { offset: number; pageSize: number } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; p?: unknown };
    if (typeof parsed.o === 'number' && typeof parsed.p === 'number') return { offset: parsed.o, pageSize: parsed.p };
  } catch {
    // fall through to the error below
  }
  throw badRequest(`The skip token '${token}' is not one this org issued.`);
}
