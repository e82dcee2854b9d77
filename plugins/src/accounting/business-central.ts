/**
 * Business Central API v2.0 (learn.microsoft.com/dynamics365/business-central/dev-itpro/api-reference/v2.0/):
 * a sales invoice or credit memo created with its lines in one deep insert, found again by our
 * number in externalDocumentNumber, posted with the bound action Microsoft.NAV.post (204), and a
 * draft whose totals disagree deleted (If-Match: *). Token: client credentials through MSAL, scope
 * https://api.businesscentral.dynamics.com/.default ("Using service-to-service authentication",
 * .../administration/automation-apis-using-s2s-authentication).
 */
import { bcDocumentBody, Decimal, type BcOptions, type PostingDocument } from '../../../core/src';
import { graphClientCredentials, type GraphCredentials } from '../pull/graph-token';
import { requestJson, type HttpOptions, type JsonAnswer } from './http';
import { AccountingApiError, type AccountingClient, type ExternalDocument } from './types';

export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';

export interface BcSettings extends BcOptions {
  /** .../v2.0/{tenant}/{environment}/api/v2.0 */
  readonly apiUrl: string;
  readonly companyId: string;
  readonly credentials: GraphCredentials;
  readonly http?: Omit<HttpOptions, 'system' | 'token'>;
}

const SETS = { invoice: 'salesInvoices', creditNote: 'salesCreditMemos' } as const;
const d = (x: unknown) => new Decimal(String(x ?? 0));

function bcError(answer: JsonAnswer, what: string): AccountingApiError {
  const e = (answer.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const message = `${what}: Business Central answered ${answer.status}${e ? ` ${e.code}: ${(e.message ?? '').replace(/\s+CorrelationId:.*$/s, '')}` : ''}`;
  return new AccountingApiError('bc', answer.status >= 400 && answer.status < 500 ? 'refused' : 'unexpected', message, answer.status);
}

function external(row: Record<string, unknown>): ExternalDocument {
  const status = String(row['status'] ?? '');
  const net = d(row['totalAmountExcludingTax']);
  const tax = d(row['totalTaxAmount']);
  return {
    id: String(row['id']),
    number: String(row['number'] ?? ''),
    status,
    posted: status !== 'Draft' && status !== 'In Review',
    subtotal: net,
    tax,
    total: d(row['totalAmountIncludingTax']),
  };
}

export function businessCentralClient(settings: BcSettings): AccountingClient {
  const http: HttpOptions = { ...settings.http, system: 'bc', token: graphClientCredentials(settings.credentials, BC_SCOPE) };
  const company = `${settings.apiUrl.replace(/\/$/, '')}/companies(${settings.companyId})`;
  const get = async (doc: PostingDocument, id: string) => {
    const answer = await requestJson(http, 'GET', `${company}/${SETS[doc.kind]}(${id})`);
    if (answer.status !== 200) throw bcError(answer, `reading ${doc.number}`);
    return external(answer.body as Record<string, unknown>);
  };
  return {
    system: 'bc',
    async find(doc) {
      const filter = `externalDocumentNumber eq '${doc.number.replace(/'/g, "''")}'`;
      const answer = await requestJson(http, 'GET', `${company}/${SETS[doc.kind]}?$filter=${encodeURIComponent(filter)}`);
      if (answer.status !== 200) throw bcError(answer, `looking up ${doc.number}`);
      const rows = ((answer.body as { value?: Array<Record<string, unknown>> }).value ?? []).map(external);
      // A posted document first: a draft beside it would be a leftover.
      return rows.find((r) => r.posted) ?? rows[0];
    },
    async create(doc) {
      const answer = await requestJson(http, 'POST', `${company}/${SETS[doc.kind]}`, bcDocumentBody(doc, settings), {}, true);
      if (answer.status !== 201 && answer.status !== 200) throw bcError(answer, `creating ${doc.number}`);
      return external(answer.body as Record<string, unknown>);
    },
    async finalize(doc, created) {
      if (created.posted) return created;
      let answer: JsonAnswer | undefined;
      try {
        answer = await requestJson(http, 'POST', `${company}/${SETS[doc.kind]}(${created.id})/Microsoft.NAV.post`, undefined, {}, true);
      } catch (e) {
        if (!(e instanceof AccountingApiError) || e.code !== 'network') throw e;
      }
      if (answer?.status === 204 || answer?.status === 200) return get(doc, created.id);
      // No answer, or a refusal: the document's status says whether it was posted (a lost answer to a post that was done).
      const now = await get(doc, created.id);
      if (now.posted) return now;
      throw answer
        ? bcError(answer, `posting ${doc.number}`)
        : new AccountingApiError('bc', 'network', `posting ${doc.number}: no answer, and the draft is not posted`);
    },
    async discard(doc, created) {
      const answer = await requestJson(http, 'DELETE', `${company}/${SETS[doc.kind]}(${created.id})`, undefined, { 'if-match': '*' });
      if (answer.status !== 204 && answer.status !== 200) throw bcError(answer, `deleting the draft of ${doc.number}`);
    },
  };
}
