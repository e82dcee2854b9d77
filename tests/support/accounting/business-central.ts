/**
 * A local Business Central API v2.0 (company scope) built from Microsoft's documented shapes, with
 * Entra ID's client-credentials token (scripts/fakes/entra.ts):
 * - POST .../companies({id})/salesInvoices | salesCreditMemos with the lines in one deep insert
 *   -> 201 with the document, "status": "Draft" ("Create salesInvoices",
 *   learn.microsoft.com/dynamics365/business-central/dev-itpro/api-reference/v2.0/api/dynamics_salesinvoice_create).
 * - GET .../salesInvoices?$filter=externalDocumentNumber eq '...' -> { value: [...] }.
 * - POST .../salesInvoices({id})/Microsoft.NAV.post -> 204; the document is then Open with its posted number.
 * - DELETE .../salesInvoices({id}) with If-Match -> 204 (drafts only).
 * - Errors { error: { code, message } } ("Error codes", .../webservices/dynamics-error-codes):
 *   Internal_RecordNotFound for an unknown customer, item or account, Application_FieldValidationException
 *   for an unknown tax code; 429 when throttled ("API limits", .../api-reference/v2.0/dynamics-rate-limits;
 *   no Retry-After, which Microsoft documents only for 502/503).
 * Amounts: a line's amountExcludingTax is quantity x unitPrice to the cent; tax per tax code on the
 * document's sum of that code's lines, half up to the cent (the docs' example: 164.70 at 5% = 8.24).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { answerTokenRequest, msalToFake, TENANT, TOKEN_PATH, type MsalToFake } from '../../../scripts/fakes/entra';
import type { Decimal } from '../../../core/src/money';
import { cents, dec, out, sendJson, startFakeServer, type FakeRequest, type FakeServer } from './server';

export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';
export const BC_ENVIRONMENT = 'production';
export const BC_COMPANY = '9a1c0f2e-4b7d-4c55-9a3e-5b2f7d8e1c01';

export interface BcLedger {
  readonly customers: readonly string[];
  readonly items: readonly string[];
  readonly accounts: readonly string[];
  /** Tax code -> percent. */
  readonly taxCodes: Readonly<Record<string, string>>;
}

interface BcDocument {
  id: string;
  kind: 'invoice' | 'creditNote';
  number: string;
  externalDocumentNumber: string;
  customerNumber: string;
  status: 'Draft' | 'Open';
  currencyCode: string;
  date: string;
  lines: Array<{ lineType: string; lineObjectNumber: string; description: string; quantity: number; unitPrice: number; taxCode: string; amount: Decimal }>;
  etag: number;
}

export interface FakeBusinessCentral extends FakeServer, MsalToFake {
  /** The API root: .../v2.0/{tenant}/{environment}/api/v2.0 */
  readonly apiUrl: string;
  readonly documents: () => ReadonlyArray<{ kind: string; number: string; externalDocumentNumber: string; status: string; total: number; tax: number }>;
  expireTokens(): void;
  /** A tax code's percent as the company has it (another rate than the invoice's: the totals disagree). */
  setTaxRate(code: string, percent: string): void;
}

export async function startFakeBusinessCentral(given: BcLedger): Promise<FakeBusinessCentral> {
  const ledger = { ...given, taxCodes: { ...given.taxCodes } };
  const valid = new Set<string>();
  const docs = new Map<string, BcDocument>();
  let drafts = 1000;
  let posted = 103000;
  const error = (res: ServerResponse, status: number, code: string, message: string) =>
    sendJson(res, status, { error: { code, message: `${message}  CorrelationId:  ${randomUUID()}.` } });
  const totals = (d: BcDocument) => {
    const byCode = new Map<string, Decimal>();
    for (const l of d.lines) byCode.set(l.taxCode, (byCode.get(l.taxCode) ?? dec(0)).plus(l.amount));
    let tax = dec(0);
    for (const [code, base] of byCode) tax = tax.plus(cents(base.times(dec(ledger.taxCodes[code])).div(100)));
    const net = d.lines.reduce((s, l) => s.plus(l.amount), dec(0));
    return { net, tax };
  };
  const view = (d: BcDocument) => {
    const { net, tax } = totals(d);
    return {
      '@odata.etag': `W/"JzE5OzEyMzQ1Njc4OTA7MDA7${d.etag}Jzs="`,
      id: d.id,
      number: d.number,
      externalDocumentNumber: d.externalDocumentNumber,
      [d.kind === 'invoice' ? 'invoiceDate' : 'creditMemoDate']: d.date,
      customerNumber: d.customerNumber,
      currencyCode: d.currencyCode,
      status: d.status,
      totalAmountExcludingTax: out(net),
      totalTaxAmount: out(tax),
      totalAmountIncludingTax: out(net.plus(tax)),
    };
  };
  const SETS = { salesInvoices: 'invoice', salesCreditMemos: 'creditNote' } as const;
  const LINES = { invoice: 'salesInvoiceLines', creditNote: 'salesCreditMemoLines' } as const;
  const base = `/v2.0/${TENANT}/${BC_ENVIRONMENT}/api/v2.0/companies(${BC_COMPANY})`;

  function create(kind: 'invoice' | 'creditNote', body: Record<string, unknown>, res: ServerResponse) {
    const customer = String(body['customerNumber'] ?? '');
    if (!customer) return error(res, 400, 'Application_DialogException', 'A customerNumber or a customerID must be provided.');
    if (!ledger.customers.includes(customer))
      return error(res, 404, 'Internal_RecordNotFound', `The Customer does not exist. Identification fields and values: No.='${customer}'`);
    const lines = (body[LINES[kind]] as Array<Record<string, unknown>> | undefined) ?? [];
    const stored: BcDocument['lines'] = [];
    for (const l of lines) {
      const type = String(l['lineType']);
      const no = String(l['lineObjectNumber']);
      const known = type === 'Item' ? ledger.items : type === 'Account' ? ledger.accounts : [];
      if (!known.includes(no))
        return error(
          res,
          404,
          'Internal_RecordNotFound',
          `The ${type === 'Item' ? 'Item' : 'G/L Account'} does not exist. Identification fields and values: No.='${no}'`,
        );
      const taxCode = String(l['taxCode'] ?? '');
      if (!(taxCode in ledger.taxCodes))
        return error(
          res,
          400,
          'Application_FieldValidationException',
          `The field Tax Group Code of table Sales Line contains a value (${taxCode}) that cannot be found in the related table (Tax Group).`,
        );
      if (String(l['description'] ?? '').length > 100)
        return error(
          res,
          400,
          'Application_StringExceededLength',
          'The length of the string is greater than the maximum length of the field Description (100).',
        );
      stored.push({
        lineType: type,
        lineObjectNumber: no,
        description: String(l['description'] ?? ''),
        quantity: Number(l['quantity']),
        unitPrice: Number(l['unitPrice']),
        taxCode,
        amount: cents(dec(l['quantity']).times(dec(l['unitPrice']))),
      });
    }
    const doc: BcDocument = {
      id: randomUUID(),
      kind,
      number: String(++drafts),
      externalDocumentNumber: String(body['externalDocumentNumber'] ?? ''),
      customerNumber: customer,
      status: 'Draft',
      currencyCode: String(body['currencyCode'] ?? ''),
      date: String(body[kind === 'invoice' ? 'invoiceDate' : 'creditMemoDate'] ?? ''),
      lines: stored,
      etag: 1,
    };
    docs.set(doc.id, doc);
    sendJson(res, 201, view(doc));
  }

  function route(r: FakeRequest, res: ServerResponse) {
    if (r.method === 'POST' && r.path === TOKEN_PATH) return void answerTokenRequest(res, r.raw, BC_SCOPE, valid, 'fake-bc-token');
    const bearer = /^Bearer (.+)$/.exec(r.req.headers.authorization ?? '')?.[1];
    if (!bearer || !valid.has(bearer)) return error(res, 401, 'Authentication_InvalidCredentials', 'The server has rejected the client credentials.');
    if (!r.path.startsWith(base)) return error(res, 404, 'BadRequest_NotFound', `No such endpoint: ${r.path}`);
    const rest = r.path.slice(base.length);
    const set = /^\/(salesInvoices|salesCreditMemos)(?:\(([0-9a-f-]+)\)(\/Microsoft\.NAV\.post)?)?$/.exec(rest);
    if (!set) return error(res, 404, 'BadRequest_NotFound', `No such endpoint: ${rest}`);
    const kind = SETS[set[1] as keyof typeof SETS];
    const id = set[2];
    if (!id && r.method === 'POST') return create(kind, (r.body ?? {}) as Record<string, unknown>, res);
    if (!id && r.method === 'GET') {
      const filter = r.url.searchParams.get('$filter') ?? '';
      const m = /^externalDocumentNumber eq '((?:[^']|'')*)'$/.exec(filter);
      if (filter && !m) return error(res, 400, 'BadRequest', `The fake understands only externalDocumentNumber eq '...': ${filter}`);
      const wanted = m?.[1]!.replace(/''/g, "'");
      const found = [...docs.values()].filter((d) => d.kind === kind && (wanted === undefined || d.externalDocumentNumber === wanted));
      return sendJson(res, 200, { '@odata.context': 'fake', value: found.map(view) });
    }
    const doc = id ? docs.get(id) : undefined;
    if (!doc || doc.kind !== kind)
      return error(res, 404, 'Internal_RecordNotFound', `The ${kind === 'invoice' ? 'Sales Invoice' : 'Sales Credit Memo'} does not exist.`);
    if (set[3] && r.method === 'POST') {
      if (doc.status !== 'Draft') return error(res, 400, 'Application_DialogException', 'The document is already posted.');
      doc.status = 'Open';
      doc.number = `${kind === 'invoice' ? 'PS-INV' : 'PS-CR'}${++posted}`;
      doc.etag++;
      res.writeHead(204);
      return void res.end();
    }
    if (r.method === 'DELETE') {
      if (!r.req.headers['if-match']) return error(res, 400, 'BadRequest', "PATCH and DELETE need the 'If-Match' header.");
      if (doc.status !== 'Draft') return error(res, 400, 'Application_DialogException', 'A posted document cannot be deleted.');
      docs.delete(doc.id);
      res.writeHead(204);
      return void res.end();
    }
    if (r.method === 'GET') return sendJson(res, 200, view(doc));
    return error(res, 405, 'BadRequest_MethodNotAllowed', `${r.method} is not allowed here.`);
  }

  const server = await startFakeServer({
    route,
    isTokenRequest: (r) => r.path === TOKEN_PATH,
    isCreate: (r) => r.method === 'POST' && /\/(salesInvoices|salesCreditMemos)$/.test(r.path),
    throttled: (res) => error(res, 429, 'Application_TooManyRequests', 'Too many requests reached. Actual (6001). Maximum (6000).'),
    serverError: (res) => error(res, 500, 'Internal_ServerError', 'Something went wrong.'),
  });
  return {
    ...server,
    ...msalToFake(server.origin),
    apiUrl: `${server.origin}/v2.0/${TENANT}/${BC_ENVIRONMENT}/api/v2.0`,
    documents: () =>
      [...docs.values()].map((d) => ({
        kind: d.kind,
        number: d.number,
        externalDocumentNumber: d.externalDocumentNumber,
        status: d.status,
        total: out(totals(d).net.plus(totals(d).tax)),
        tax: out(totals(d).tax),
      })),
    expireTokens: () => valid.clear(),
    setTaxRate: (code, percent) => void (ledger.taxCodes[code] = percent),
  };
}
