import { badRequest } from '../errors';
import type { TableMeta } from '../metadata';
import { propertyKind, type PropertyKind } from './properties';

/**
 * The `$filter` subset the suite uses, parsed and compiled to a predicate over stored rows:
 * eq ne gt ge lt le, and or not, parentheses, contains/startswith/endswith, string (with ''
 * escaping), number, true/false, null, GUID and date literals, `_x_value` lookup properties.
 * Strings compare case-insensitively, as Dataverse's default SQL collation does.
 */

type Literal = string | number | boolean | null;

type Token =
  | { readonly t: 'punct'; readonly v: '(' | ')' | ',' }
  | { readonly t: 'ident'; readonly v: string }
  | { readonly t: 'literal'; readonly v: Literal; readonly raw: string };

const COMPARISONS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
type Comparison = (typeof COMPARISONS)[number];
const FUNCTIONS = ['contains', 'startswith', 'endswith'] as const;
type FunctionName = (typeof FUNCTIONS)[number];

export type FilterAst =
  | { readonly k: 'and' | 'or'; readonly l: FilterAst; readonly r: FilterAst }
  | { readonly k: 'not'; readonly e: FilterAst }
  | { readonly k: 'cmp'; readonly op: Comparison; readonly prop: string; readonly value: Literal }
  | { readonly k: 'fn'; readonly name: FunctionName; readonly prop: string; readonly value: string };

/** A date literal names a real day (Dataverse answers 400 to 2026-02-30, not an empty page). */
function realDate(raw: string): string {
  const [y, m, d] = raw.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) throw badRequest(`The literal '${raw}' is not a valid date.`);
  const time = /T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(raw);
  if (time && (Number(time[1]) > 23 || Number(time[2]) > 59 || Number(time[3] ?? 0) > 59)) throw badRequest(`The literal '${raw}' is not a valid time.`);
  return raw;
}

/** A number literal a column can hold: 1e400 is not Infinity, it is refused. */
function finiteNumber(raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value)) throw badRequest(`The number literal '${raw}' is out of range.`);
  return value;
}

const LITERAL_PATTERNS: readonly [RegExp, (raw: string) => Literal][] = [
  [/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/, (raw) => raw.toLowerCase()],
  [/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/, realDate],
  [/^\d{4}-\d{2}-\d{2}/, realDate],
  [/^-?\d+(\.\d+)?([eE][+-]?\d+)?/, finiteNumber],
];

/** Parentheses and `not` nested deeper than this are refused (a hostile query must not exhaust the stack). */
export const MAX_FILTER_DEPTH = 100;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    if (c === "'") {
      let out = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw badRequest(`Syntax error: unterminated string literal at position ${i} in $filter '${text}'.`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            out += "'";
            j += 2;
            continue;
          }
          break;
        }
        out += text[j];
        j++;
      }
      tokens.push({ t: 'literal', v: out, raw: text.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    const guid = LITERAL_PATTERNS[0]![0].exec(rest);
    if (guid && !/^[A-Za-z0-9_]/.test(rest.charAt(guid[0].length))) {
      tokens.push({ t: 'literal', v: guid[0].toLowerCase(), raw: guid[0] });
      i += guid[0].length;
      continue;
    }
    if (/^[0-9-]/.test(c)) {
      const hit = LITERAL_PATTERNS.map(([re, make]) => [re.exec(rest), make] as const).find(([m]) => m);
      if (!hit) throw badRequest(`Syntax error at position ${i} in $filter '${text}'.`);
      const raw = hit[0]![0];
      tokens.push({ t: 'literal', v: hit[1](raw), raw });
      i += raw.length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (!ident) throw badRequest(`Syntax error: unexpected '${c}' at position ${i} in $filter '${text}'.`);
    const word = ident[0];
    if (word === 'true' || word === 'false') tokens.push({ t: 'literal', v: word === 'true', raw: word });
    else if (word === 'null') tokens.push({ t: 'literal', v: null, raw: word });
    else tokens.push({ t: 'ident', v: word });
    i += word.length;
  }
  return tokens;
}

export function parseFilter(text: string): FilterAst {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (what: string): never => {
    throw badRequest(`Syntax error: ${what} at token ${pos + 1} in $filter '${text}'.`);
  };
  const isWord = (tok: Token | undefined, word: string): boolean => tok?.t === 'ident' && tok.v === word;
  const expectPunct = (v: '(' | ')' | ','): void => {
    const tok = peek();
    if (tok?.t !== 'punct' || tok.v !== v) fail(`expected '${v}'`);
    pos++;
  };

  const parseOr = (): FilterAst => {
    let left = parseAnd();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { k: 'or', l: left, r: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterAst => {
    let left = parseUnary();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { k: 'and', l: left, r: parseUnary() };
    }
    return left;
  };
  let depth = 0;
  const deeper = (): void => {
    if (++depth > MAX_FILTER_DEPTH) throw badRequest(`The $filter nests deeper than ${MAX_FILTER_DEPTH} levels.`);
  };
  const parseUnary = (): FilterAst => {
    if (isWord(peek(), 'not')) {
      pos++;
      deeper();
      const e = parseUnary();
      depth--;
      return { k: 'not', e };
    }
    return parsePrimary();
  };
  const parsePrimary = (): FilterAst => {
    const tok = peek();
    if (tok?.t === 'punct' && tok.v === '(') {
      pos++;
      deeper();
      const inner = parseOr();
      depth--;
      expectPunct(')');
      return inner;
    }
    if (tok?.t !== 'ident') return fail('expected a property or a function');
    pos++;
    const next = peek();
    if (next?.t === 'punct' && next.v === '(') {
      if (!(FUNCTIONS as readonly string[]).includes(tok.v)) fail(`unknown function '${tok.v}' (supported: ${FUNCTIONS.join(', ')})`);
      pos++;
      const prop = peek();
      if (prop?.t !== 'ident') return fail(`expected a property as the first argument of ${tok.v}`);
      pos++;
      expectPunct(',');
      const lit = peek();
      if (lit?.t !== 'literal' || typeof lit.v !== 'string') return fail(`expected a string as the second argument of ${tok.v}`);
      pos++;
      expectPunct(')');
      return { k: 'fn', name: tok.v as FunctionName, prop: prop.v, value: lit.v };
    }
    const op = peek();
    if (op?.t !== 'ident' || !(COMPARISONS as readonly string[]).includes(op.v)) return fail(`expected a comparison operator after '${tok.v}'`);
    pos++;
    const lit = peek();
    if (lit?.t !== 'literal') return fail(`expected a literal after '${tok.v} ${op.v}'`);
    pos++;
    return { k: 'cmp', op: op.v as Comparison, prop: tok.v, value: lit.v };
  };

  if (tokens.length === 0) fail('empty expression');
  const ast = parseOr();
  if (pos < tokens.length) fail('unexpected trailing input');
  return ast;
}

export type RowPredicate = (row: Readonly<Record<string, unknown>>) => boolean;

/** Orders two stored values the way Dataverse's SQL does (strings case-insensitively). */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  return 0;
}

function checkLiteral(meta: TableMeta, prop: string, kind: PropertyKind, value: Literal, text: string): void {
  if (value === null) return;
  const ok = kind === 'string' ? typeof value === 'string' : kind === 'number' ? typeof value === 'number' : typeof value === 'boolean';
  if (!ok)
    throw badRequest(
      `A binary operator with incompatible types was detected: '${prop}' of '${meta.logicalName}' is a ${kind}, the literal ${JSON.stringify(value)} is not (in $filter '${text}').`,
    );
}

export function compileFilter(meta: TableMeta, text: string): RowPredicate {
  const compile = (ast: FilterAst): RowPredicate => {
    switch (ast.k) {
      case 'and': {
        const l = compile(ast.l);
        const r = compile(ast.r);
        return (row) => l(row) && r(row);
      }
      case 'or': {
        const l = compile(ast.l);
        const r = compile(ast.r);
        return (row) => l(row) || r(row);
      }
      case 'not': {
        const e = compile(ast.e);
        return (row) => !e(row);
      }
      case 'fn': {
        const kind = propertyKind(meta, ast.prop);
        if (kind !== 'string') throw badRequest(`${ast.name} needs a text property; '${ast.prop}' of '${meta.logicalName}' is a ${kind}.`);
        const needle = ast.value.toLowerCase();
        const test =
          ast.name === 'contains'
            ? (s: string) => s.includes(needle)
            : ast.name === 'startswith'
              ? (s: string) => s.startsWith(needle)
              : (s: string) => s.endsWith(needle);
        const prop = ast.prop;
        return (row) => {
          const v = row[prop];
          return typeof v === 'string' && test(v.toLowerCase());
        };
      }
      case 'cmp': {
        const kind = propertyKind(meta, ast.prop);
        checkLiteral(meta, ast.prop, kind, ast.value, text);
        const { prop, op, value } = ast;
        if (value === null) {
          if (op === 'eq') return (row) => row[prop] === null || row[prop] === undefined;
          if (op === 'ne') return (row) => row[prop] !== null && row[prop] !== undefined;
          return () => false;
        }
        return (row) => {
          const v = row[prop];
          if (v === null || v === undefined) return op === 'ne';
          const c = compareValues(v, value);
          switch (op) {
            case 'eq':
              return c === 0;
            case 'ne':
              return c !== 0;
            case 'gt':
              return c > 0;
            case 'ge':
              return c >= 0;
            case 'lt':
              return c < 0;
            case 'le':
              return c <= 0;
          }
        };
      }
    }
  };
  return compile(parseFilter(text));
}
