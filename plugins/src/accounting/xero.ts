/**
 * Xero Accounting API (developer.xero.com/documentation/api/accounting/invoices and creditnotes):
 * PUT /Invoices or /CreditNotes creates the document as a DRAFT (unit amounts to 4 places,
 * summarizeErrors=false, an Idempotency-Key of our number and the body), which is AUTHORISED
 * (POST /Invoices/{id}) once its totals are ours, or DELETED when they are not; found again by
 * InvoiceNumbers or `where CreditNoteNumber==`, sales documents only (ACCREC, ACCRECCREDIT); every
 * call names the organisation in xero-tenant-id.
 */
import { createHash } from 'node:crypto';
import { Decimal, xeroDocumentBody, type PostingDocument } from '../../../core/src';
import { requestJson, type HttpOptions, type JsonAnswer } from './http';
import { AccountingApiError, type AccountingClient, type ExternalDocument } from './types';

export interface XeroSettings {
  /** https://api.xero.com/api.xro/2.0 */
  readonly apiUrl: string;
  readonly tenantId: string;
  readonly token: (fresh: boolean) => Promise<string>;
  readonly http?: Omit<HttpOptions, 'system' | 'token' | 'headers'>;
}

const SETS = { invoice: 'Invoices', creditNote: 'CreditNotes' } as const;
const d = (x: unknown) => new Decimal(String(x ?? 0));

function xeroError(answer: JsonAnswer, what: string): AccountingApiError {
  const body = answer.body as { Message?: string; Elements?: Array<{ ValidationErrors?: Array<{ Message?: string }> }> } | undefined;
  const reasons = (body?.Elements ?? []).flatMap((e) => (e.ValidationErrors ?? []).map((v) => v.Message ?? '')).filter((m) => m);
  return new AccountingApiError(
    'xero',
    answer.status === 400 ? 'refused' : 'unexpected',
    `${what}: Xero answered ${answer.status}${reasons.length ? `: ${reasons.join('; ')}` : body?.Message ? `: ${body.Message}` : ''}`,
    answer.status,
  );
}

function external(row: Record<string, unknown>, kind: PostingDocument['kind']): ExternalDocument {
  const status = String(row['Status'] ?? '');
  return {
    id: String(row[kind === 'invoice' ? 'InvoiceID' : 'CreditNoteID']),
    number: String(row[kind === 'invoice' ? 'InvoiceNumber' : 'CreditNoteNumber'] ?? ''),
    status,
    posted: status === 'AUTHORISED' || status === 'PAID',
    subtotal: d(row['SubTotal']),
    tax: d(row['TotalTax']),
    total: d(row['Total']),
  };
}

export function xeroClient(settings: XeroSettings): AccountingClient {
  const http: HttpOptions = { ...settings.http, system: 'xero', token: settings.token, headers: { 'xero-tenant-id': settings.tenantId } };
  const api = settings.apiUrl.replace(/\/$/, '');
  return {
    system: 'xero',
    async find(doc) {
      const query =
        doc.kind === 'invoice'
          ? `InvoiceNumbers=${encodeURIComponent(doc.number)}`
          : `where=${encodeURIComponent(`CreditNoteNumber=="${doc.number.replace(/"/g, '\\"')}"`)}`;
      const answer = await requestJson(http, 'GET', `${api}/${SETS[doc.kind]}?${query}`);
      if (answer.status !== 200) throw xeroError(answer, `looking up ${doc.number}`);
      const rows = ((answer.body as Record<string, unknown>)[SETS[doc.kind]] as Array<Record<string, unknown>> | undefined) ?? [];
      // Sales documents only: a supplier's bill (ACCPAY) may carry the same number.
      const type = doc.kind === 'invoice' ? 'ACCREC' : 'ACCRECCREDIT';
      const found = rows
        .filter((r) => r['Type'] === type)
        .map((r) => external(r, doc.kind))
        .filter((r) => r.number === doc.number && r.status !== 'DELETED' && r.status !== 'VOIDED');
      return found.find((r) => r.posted) ?? found[0];
    },
    async create(doc) {
      const body = xeroDocumentBody(doc);
      const answer = await requestJson(
        http,
        'PUT',
        `${api}/${SETS[doc.kind]}?unitdp=4&summarizeErrors=false`,
        body,
        {
          // The number and the body: a corrected post is a new request, a resent one the same.
          'idempotency-key': `cspb-${doc.number}-${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32)}`,
        },
        true,
      );
      if (answer.status !== 200) throw xeroError(answer, `creating ${doc.number}`);
      const row = ((answer.body as Record<string, unknown>)[SETS[doc.kind]] as Array<Record<string, unknown>> | undefined)?.[0];
      const errors = (row?.['ValidationErrors'] as Array<{ Message?: string }> | undefined) ?? [];
      if (!row || row['HasErrors'] === true || errors.length > 0)
        throw new AccountingApiError('xero', 'refused', `creating ${doc.number}: ${errors.map((e) => e.Message).join('; ') || 'Xero created nothing'}`, 200);
      return external(row, doc.kind);
    },
    async finalize(doc, created) {
      return created.posted ? created : setStatus(doc, created, 'AUTHORISED');
    },
    async discard(doc, created) {
      if (!created.posted) await setStatus(doc, created, 'DELETED');
    },
  };

  async function setStatus(doc: PostingDocument, created: ExternalDocument, status: 'AUTHORISED' | 'DELETED'): Promise<ExternalDocument> {
    const id = doc.kind === 'invoice' ? 'InvoiceID' : 'CreditNoteID';
    const answer = await requestJson(http, 'POST', `${api}/${SETS[doc.kind]}/${created.id}?unitdp=4`, {
      [SETS[doc.kind]]: [{ [id]: created.id, Status: status }],
    });
    if (answer.status !== 200) throw xeroError(answer, `${status === 'AUTHORISED' ? 'authorising' : 'deleting'} ${doc.number}`);
    const row = ((answer.body as Record<string, unknown>)[SETS[doc.kind]] as Array<Record<string, unknown>> | undefined)?.[0];
    if (!row) throw new AccountingApiError('xero', 'unexpected', `${doc.number}: Xero answered the status change without the document`, 200);
    return external(row, doc.kind);
  }
}
