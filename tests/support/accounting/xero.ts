/**
 * A local Xero Accounting API built from Xero's documented shapes (its OpenAPI spec,
 * github.com/XeroAPI/Xero-OpenAPI xero_accounting.yaml, which developer.xero.com documents):
 * - Token: POST /connect/token, client_credentials with Basic client authentication (a custom
 *   connection) -> { access_token, expires_in: 1800, token_type: "Bearer" }.
 * - PUT /api.xro/2.0/Invoices | CreditNotes (create), `unitdp=4`, header xero-tenant-id -> 200
 *   { Id, Status: "OK", Invoices | CreditNotes: [...] } with SubTotal, TotalTax, Total.
 * - POST /api.xro/2.0/Invoices/{id} | CreditNotes/{id}: a draft's Status to AUTHORISED or DELETED.
 * - GET /api.xro/2.0/Invoices?InvoiceNumbers=... and /CreditNotes?where=CreditNoteNumber=="...".
 * - 400 { ErrorNumber: 10, Type: "ValidationException", Message, Elements: [{ ...document, ValidationErrors: [{ Message }] }] }:
 *   an unknown contact, account code or tax type, a line total that is not quantity x unit amount,
 *   a number already used ("Invoice # must be unique.").
 * - 429 with Retry-After and X-Rate-Limit-Problem: minute (developer.xero.com/faq/limits).
 * Tax: each line's TaxAmount as given (Xero lets it be overridden), else LineAmount x rate per line,
 * to the cent ("Rounding in Xero": tax per line, then summed).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Decimal } from '../../../core/src/money';
import { basicAuth, cents, dec, out, sendJson, startFakeServer, type FakeRequest, type FakeServer } from './server';

export const XERO_CLIENT_ID = 'F0C1C27A6C2A4A2C9D0A1D7C6B3C6A11';
export const XERO_CLIENT_SECRET = 'local-xero-secret';
export const XERO_TENANT = '3c1f0a62-7d2e-4f4b-9c1a-2b5e7d9f0a01';

export interface XeroOrganisation {
  readonly contacts: readonly string[];
  readonly accountCodes: readonly string[];
  /** TaxType -> percent. */
  readonly taxTypes: Readonly<Record<string, string>>;
}

interface XeroDocument {
  readonly id: string;
  readonly kind: 'Invoices' | 'CreditNotes';
  readonly number: string;
  readonly body: Record<string, unknown>;
  readonly lines: Array<{ amount: Decimal; tax: Decimal }>;
  status: string;
}

export interface FakeXero extends FakeServer {
  readonly apiUrl: string;
  readonly tokenUrl: string;
  /** The documents not deleted. */
  readonly documents: () => ReadonlyArray<{ kind: string; number: string; status: string; total: number; tax: number }>;
}

export async function startFakeXero(org: XeroOrganisation): Promise<FakeXero> {
  const valid = new Set<string>();
  const docs: XeroDocument[] = [];
  const NUMBER = { Invoices: 'InvoiceNumber', CreditNotes: 'CreditNoteNumber' } as const;
  const ID = { Invoices: 'InvoiceID', CreditNotes: 'CreditNoteID' } as const;
  const view = (d: XeroDocument) => {
    const sub = d.lines.reduce((s, l) => s.plus(l.amount), dec(0));
    const tax = d.lines.reduce((s, l) => s.plus(l.tax), dec(0));
    return {
      ...d.body,
      [ID[d.kind]]: d.id,
      [NUMBER[d.kind]]: d.number,
      Status: d.status,
      SubTotal: out(sub),
      TotalTax: out(tax),
      Total: out(sub.plus(tax)),
      HasErrors: false,
    };
  };
  const envelope = (kind: XeroDocument['kind'], items: unknown[]) => ({
    Id: randomUUID(),
    Status: 'OK',
    ProviderName: 'CSP Billing',
    DateTimeUTC: `/Date(${Date.now()})/`,
    [kind]: items,
  });
  const invalid = (res: ServerResponse, document: unknown, messages: string[]) =>
    sendJson(res, 400, {
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: 'A validation exception occurred',
      Elements: [{ ...(document as object), ValidationErrors: messages.map((Message) => ({ Message })) }],
    });

  function create(kind: XeroDocument['kind'], r: FakeRequest, res: ServerResponse) {
    const list = ((r.body as Record<string, unknown> | undefined)?.[kind] as Array<Record<string, unknown>> | undefined) ?? [];
    const created: unknown[] = [];
    for (const body of list) {
      const messages: string[] = [];
      const contact = (body['Contact'] as { ContactID?: string } | undefined)?.ContactID;
      if (!contact || !org.contacts.includes(contact)) messages.push('The contact could not be found.');
      const number = String(body[NUMBER[kind]] ?? '');
      if (docs.some((d) => d.kind === kind && d.number === number))
        messages.push(kind === 'Invoices' ? 'Invoice # must be unique.' : 'Credit Note # must be unique.');
      const lines: XeroDocument['lines'] = [];
      for (const l of (body['LineItems'] as Array<Record<string, unknown>> | undefined) ?? []) {
        if (!org.accountCodes.includes(String(l['AccountCode'])))
          messages.push(`Account code '${String(l['AccountCode'])}' is not a valid code for this document.`);
        const rate = org.taxTypes[String(l['TaxType'])];
        if (rate === undefined) messages.push(`The TaxType code '${String(l['TaxType'])}' does not exist or cannot be used for this type of transaction.`);
        if (dec(l['UnitAmount']).decimalPlaces() > (r.url.searchParams.get('unitdp') === '4' ? 4 : 2))
          messages.push('The UnitAmount has too many decimal places.');
        const amount = cents(dec(l['Quantity']).times(dec(l['UnitAmount'])));
        if (l['LineAmount'] !== undefined && !dec(l['LineAmount']).equals(amount))
          messages.push(`The line total ${String(l['LineAmount'])} does not match the quantity multiplied by the unit amount (${amount.toFixed(2)}).`);
        const tax = l['TaxAmount'] !== undefined ? dec(l['TaxAmount']) : cents(amount.times(dec(rate)).div(100));
        lines.push({ amount, tax });
      }
      const total = lines.reduce((s, l) => s.plus(l.amount).plus(l.tax), dec(0));
      if (total.isNegative()) messages.push('The document total cannot be negative.');
      if (messages.length > 0) return invalid(res, body, messages);
      const doc: XeroDocument = { id: randomUUID(), kind, number, body, lines, status: String(body['Status'] ?? 'DRAFT') };
      docs.push(doc);
      created.push(view(doc));
    }
    sendJson(res, 200, envelope(kind, created), { 'x-minlimit-remaining': '59', 'x-daylimit-remaining': '4999' });
  }

  function route(r: FakeRequest, res: ServerResponse) {
    if (r.path === '/connect/token' && r.method === 'POST') {
      const client = basicAuth(r.req);
      const form = new URLSearchParams(r.raw);
      if (client?.id !== XERO_CLIENT_ID || client.secret !== XERO_CLIENT_SECRET || form.get('grant_type') !== 'client_credentials')
        return sendJson(res, 400, { error: 'invalid_client' });
      const token = `fake-xero-token-${randomUUID()}`;
      valid.add(token);
      return sendJson(res, 200, { access_token: token, expires_in: 1800, token_type: 'Bearer', scope: 'accounting.transactions accounting.contacts' });
    }
    const bearer = /^Bearer (.+)$/.exec(r.req.headers.authorization ?? '')?.[1];
    if (!bearer || !valid.has(bearer)) return sendJson(res, 401, { Type: null, Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' });
    if (r.req.headers['xero-tenant-id'] !== XERO_TENANT)
      return sendJson(res, 403, { Type: null, Title: 'Forbidden', Status: 403, Detail: 'AuthorizationUnsuccessful' });
    const one = /^\/api\.xro\/2\.0\/(Invoices|CreditNotes)\/([0-9a-f-]+)$/.exec(r.path);
    if (one && r.method === 'POST') {
      // An update of one document: the status moves DRAFT -> AUTHORISED or DELETED (a draft only).
      const doc = docs.find((d) => d.kind === one[1] && d.id === one[2]);
      if (!doc) return sendJson(res, 404, { Title: 'Not Found', Status: 404 });
      const wanted = String((((r.body as Record<string, unknown>)[doc.kind] as Array<Record<string, unknown>> | undefined)?.[0] ?? {})['Status'] ?? '');
      if (doc.status !== 'DRAFT' || (wanted !== 'AUTHORISED' && wanted !== 'DELETED'))
        return invalid(res, view(doc), [`A ${doc.status} document cannot become ${wanted}.`]);
      doc.status = wanted;
      return sendJson(res, 200, envelope(doc.kind, [view(doc)]));
    }
    const m = /^\/api\.xro\/2\.0\/(Invoices|CreditNotes)$/.exec(r.path);
    if (!m) return sendJson(res, 404, { Title: 'Not Found', Status: 404 });
    const kind = m[1] as XeroDocument['kind'];
    if (r.method === 'PUT') return create(kind, r, res);
    if (r.method === 'GET') {
      const numbers = r.url.searchParams.get('InvoiceNumbers');
      const where = /^CreditNoteNumber=="(.*)"$/.exec(r.url.searchParams.get('where') ?? '')?.[1];
      const wanted = kind === 'Invoices' ? numbers?.split(',') : where !== undefined ? [where] : undefined;
      return sendJson(res, 200, envelope(kind, docs.filter((d) => d.kind === kind && (!wanted || wanted.includes(d.number))).map(view)));
    }
    return sendJson(res, 405, { Title: 'Method Not Allowed', Status: 405 });
  }

  const server = await startFakeServer({
    route,
    isTokenRequest: (r) => r.path === '/connect/token',
    isCreate: (r) => r.method === 'PUT',
    throttled: (res) => sendJson(res, 429, { Title: 'Too Many Requests', Status: 429 }, { 'retry-after': '1', 'x-rate-limit-problem': 'minute' }),
    serverError: (res) => sendJson(res, 500, { Title: 'An error occurred', Status: 500 }),
  });
  return {
    ...server,
    apiUrl: `${server.origin}/api.xro/2.0`,
    tokenUrl: `${server.origin}/connect/token`,
    documents: () =>
      docs
        .filter((d) => d.status !== 'DELETED')
        .map((d) => ({
          kind: d.kind,
          number: d.number,
          status: d.status,
          total: (view(d) as { Total: number }).Total,
          tax: (view(d) as { TotalTax: number }).TotalTax,
        })),
  };
}
