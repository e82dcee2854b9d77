/**
 * The message protocol between the BillingImport control and its parse worker, and the worker's
 * side of it. Pure: no Worker, no DOM, so it is unit-tested with a fake channel.
 *
 *   control -> worker   { type: 'start', options }   then { type: 'chunk', bytes } ... { type: 'finish' }
 *   worker -> control   { type: 'ready' } once loaded; { type: 'progress', done } after each chunk;
 *                       { type: 'result', result } (encoded) or { type: 'error', message }
 *
 * Cancel is the control terminating the worker. Decimals do not survive structured clone (they
 * arrive as plain objects without methods) and errors lose their fields, so the result is encoded:
 * a Decimal becomes { $decimal: text }, an Error its own fields; everything else clones as is.
 */
import { BillImporter, type ImportResult } from '../../../core/src/import';
import { Decimal } from '../../../core/src/money';
import { BILL_DUPLICATES } from '../model/import-options';

/** The options that cross to the worker (no functions: they cannot be cloned). */
export interface WorkerImportOptions {
  readonly fileName?: string;
  readonly defaultCurrency?: string;
}

export type ToWorker =
  | { readonly type: 'start'; readonly options: WorkerImportOptions }
  | { readonly type: 'chunk'; readonly bytes: Uint8Array }
  | { readonly type: 'finish' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly done: number }
  | { readonly type: 'result'; readonly result: unknown }
  | { readonly type: 'error'; readonly message: string };

const DECIMAL = '$decimal';

/** A value made safe for structured clone (Decimals as text, errors as their fields). */
export function encodeResult(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Decimal.isDecimal(value)) return { [DECIMAL]: (value as Decimal).toString() };
  if (Array.isArray(value)) return value.map(encodeResult);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, encodeResult(v)]));
  if (value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    out['name'] = value.name;
    out['message'] = value.message;
  }
  for (const [k, v] of Object.entries(value)) out[k] = encodeResult(v);
  return out;
}

/** The inverse of encodeResult: Decimals are real Decimals again (core's clone, exact text). */
export function decodeResult<T = ImportResult>(value: unknown): T {
  return decode(value) as T;
}

function decode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decode);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, decode(v)]));
  if (value instanceof Uint8Array) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === DECIMAL) return new Decimal((value as Record<string, string>)[DECIMAL]!);
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = decode((value as Record<string, unknown>)[k]);
  return out;
}

/**
 * The worker's side: feeds chunks to the core importer, acknowledges each with the bytes done,
 * and answers `finish` with the encoded result. Any failure is reported as an error message.
 */
export function createWorkerHandler(post: (message: FromWorker) => void): (message: ToWorker) => void {
  let importer: BillImporter | null = null;
  let done = 0;
  return (message) => {
    try {
      switch (message.type) {
        case 'start':
          importer = new BillImporter({
            fileName: message.options.fileName,
            defaultCurrency: message.options.defaultCurrency,
            detectDuplicates: BILL_DUPLICATES,
          });
          done = 0;
          return;
        case 'chunk':
          if (!importer) throw new Error('chunk before start');
          importer.push(message.bytes);
          done += message.bytes.length;
          post({ type: 'progress', done });
          return;
        case 'finish': {
          if (!importer) throw new Error('finish before start');
          const result = importer.finish();
          importer = null;
          post({ type: 'result', result: encodeResult(result) });
          return;
        }
        default:
          throw new Error(`unknown message ${(message as { type?: unknown }).type}`);
      }
    } catch (error) {
      importer = null;
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  };
}
