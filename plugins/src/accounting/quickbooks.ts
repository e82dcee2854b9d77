/**
 * QuickBooks Online Accounting API (developer.intuit.com/app/developer/qbo/docs/api/accounting/):
 * POST /invoice or /creditmemo with our number as DocNumber, found again by a query
 * (`select * from Invoice where DocNumber = '...'`, ".../data-queries"); a saved document is final.
 */
import { Decimal, qboDocumentBody } from '../../../core/src';
import { requestJson, type HttpOptions, type JsonAnswer } from './http';
import { AccountingApiError, type AccountingClient, type ExternalDocument } from './types';

export interface QboSettings {
  /** https://quickbooks.api.intuit.com/v3/company/{realmId} */
  readonly apiUrl: string;
  readonly token: (fresh: boolean) => Promise<string>;
  readonly http?: Omit<HttpOptions, 'system' | 'token'>;
}

/** Every request is served as minor version 75 since August 2025 (blogs.intuit.com/2025/01/21/changes-to-our-accounting-api-that-may-impact-your-application). */
const MINOR_VERSION = '75';
const ENTITY = { invoice: 'Invoice', creditNote: 'CreditMemo' } as const;
const d = (x: unknown) => new Decimal(String(x ?? 0));

function qboError(answer: JsonAnswer, what: string): AccountingApiError {
  const errors = (answer.body as { Fault?: { Error?: Array<{ Message?: string; Detail?: string; code?: string }> } } | undefined)?.Fault?.Error ?? [];
  const text = errors.map((e) => `${e.code ?? '?'} ${e.Detail || e.Message || ''}`.trim()).join('; ');
  return new AccountingApiError(
    'qbo',
    answer.status === 400 ? 'refused' : 'unexpected',
    `${what}: QuickBooks answered ${answer.status}${text ? `: ${text}` : ''}`,
    answer.status,
  );
}

function external(row: Record<string, unknown>): ExternalDocument {
  const total = d(row['TotalAmt']);
  const tax = d((row['TxnTaxDetail'] as { TotalTax?: unknown } | undefined)?.TotalTax);
  return { id: String(row['Id']), number: String(row['DocNumber'] ?? ''), status: 'Saved', posted: true, subtotal: total.minus(tax), tax, total };
}

export function quickBooksClient(settings: QboSettings): AccountingClient {
  const http: HttpOptions = { ...settings.http, system: 'qbo', token: settings.token };
  const api = settings.apiUrl.replace(/\/$/, '');
  return {
    system: 'qbo',
    async find(doc) {
      const query = `select * from ${ENTITY[doc.kind]} where DocNumber = '${doc.number.replace(/'/g, "\\'")}'`;
      const answer = await requestJson(http, 'GET', `${api}/query?query=${encodeURIComponent(query)}&minorversion=${MINOR_VERSION}`);
      if (answer.status !== 200) throw qboError(answer, `looking up ${doc.number}`);
      const rows =
        ((answer.body as { QueryResponse?: Record<string, unknown> }).QueryResponse?.[ENTITY[doc.kind]] as Array<Record<string, unknown>> | undefined) ?? [];
      return rows.map(external)[0];
    },
    async create(doc) {
      const answer = await requestJson(http, 'POST', `${api}/${ENTITY[doc.kind].toLowerCase()}?minorversion=${MINOR_VERSION}`, qboDocumentBody(doc), {}, true);
      if (answer.status !== 200 && answer.status !== 201) throw qboError(answer, `creating ${doc.number}`);
      return external((answer.body as Record<string, Record<string, unknown>>)[ENTITY[doc.kind]]!);
    },
    async finalize(_doc, created) {
      return created;
    },
  };
}
