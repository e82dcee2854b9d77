/**
 * A local QuickBooks Online Accounting API built from Intuit's documented shapes:
 * - Token: POST /oauth2/v1/tokens/bearer, grant_type=refresh_token with Basic client authentication
 *   -> { access_token, refresh_token, expires_in: 3600, x_refresh_token_expires_in }; the refresh
 *   token rotates and the old one stops working ("OAuth token management done the right way",
 *   blogs.intuit.com/2024/06/03/oauth-token-management-done-the-right-way: always keep the latest).
 * - POST /v3/company/{realmId}/invoice | creditmemo -> 200 { Invoice | CreditMemo: {...}, time }
 *   (developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice).
 * - GET /v3/company/{realmId}/query?query=select * from Invoice where DocNumber = '...' ->
 *   { QueryResponse: { Invoice: [...], startPosition, maxResults }, time } (".../data-queries").
 * - 400 { Fault: { Error: [{ Message, Detail, code, element }], type: "ValidationFault" }, time }
 *   (".../troubleshooting/handling-common-errors"): 2500 Invalid Reference Id (customer, item, tax
 *   code), 6070 when Amount is not Qty x UnitPrice, 6140 Duplicate Document Number Error.
 * - 429 when throttled (500 requests a minute per company); Intuit documents no Retry-After.
 * Tax: the TotalTax given (TxnTaxDetail), else each line's amount x its code's rate, to the cent.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { basicAuth, cents, dec, out, sendJson, startFakeServer, type FakeRequest, type FakeServer } from './server';

export const QBO_CLIENT_ID = 'ABc1qbo0fake0client0id0000000000000000000000000';
export const QBO_CLIENT_SECRET = 'local-qbo-secret';
export const QBO_REALM = '9130357766291234';
export const QBO_FIRST_REFRESH_TOKEN = 'AB11-first-refresh-token';

export interface QboCompany {
  readonly customers: readonly string[];
  readonly items: readonly string[];
  /** TaxCode Id -> percent. */
  readonly taxCodes: Readonly<Record<string, string>>;
}

interface QboDocument {
  readonly id: string;
  readonly entity: 'Invoice' | 'CreditMemo';
  readonly body: Record<string, unknown>;
  readonly total: number;
  readonly tax: number;
}

export interface FakeQuickBooks extends FakeServer {
  readonly apiUrl: string;
  readonly tokenUrl: string;
  readonly documents: () => ReadonlyArray<{ entity: string; number: string; total: number; tax: number }>;
  /** The refresh token now valid (the last one handed out). */
  readonly refreshToken: () => string;
}

export async function startFakeQuickBooks(company: QboCompany): Promise<FakeQuickBooks> {
  const valid = new Set<string>();
  let refresh = QBO_FIRST_REFRESH_TOKEN;
  const docs: QboDocument[] = [];
  const time = () => new Date().toISOString();
  const fault = (
    res: ServerResponse,
    status: number,
    errors: Array<{ code: string; Message: string; Detail: string; element?: string }>,
    type = 'ValidationFault',
  ) => sendJson(res, status, { Fault: { Error: errors.map((e) => ({ element: '', ...e })), type }, time: time() });
  const view = (d: QboDocument) => ({ ...d.body, Id: d.id, SyncToken: '0', TotalAmt: d.total, TxnTaxDetail: { TotalTax: d.tax }, domain: 'QBO' });

  function create(entity: QboDocument['entity'], body: Record<string, unknown>, res: ServerResponse) {
    const ref = (x: unknown) => (x as { value?: string } | undefined)?.value ?? '';
    if (!company.customers.includes(ref(body['CustomerRef'])))
      return fault(res, 400, [
        {
          code: '2500',
          Message: 'Invalid Reference Id',
          Detail: `Invalid Reference Id : Customer assigned to this transaction has been deleted or does not exist: ${ref(body['CustomerRef'])}`,
          element: 'CustomerRef',
        },
      ]);
    const number = String(body['DocNumber'] ?? '');
    if (number.length > 21)
      return fault(res, 400, [
        {
          code: '6000',
          Message: 'A business validation error has occurred while processing your request',
          Detail: 'Business Validation Error: DocNumber is longer than 21 characters.',
          element: 'DocNumber',
        },
      ]);
    const used = docs.find((d) => d.entity === entity && d.body['DocNumber'] === number);
    if (used)
      return fault(res, 400, [
        {
          code: '6140',
          Message: 'Duplicate Document Number Error',
          Detail: `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${number} is assigned to TxnType=${entity} with TxnId=${used.id}`,
        },
      ]);
    let net = dec(0);
    let lineTax = dec(0);
    for (const line of (body['Line'] as Array<Record<string, unknown>> | undefined) ?? []) {
      const detail = (line['SalesItemLineDetail'] ?? {}) as Record<string, unknown>;
      if (!company.items.includes(ref(detail['ItemRef'])))
        return fault(res, 400, [
          {
            code: '2500',
            Message: 'Invalid Reference Id',
            Detail: `Invalid Reference Id : Item does not exist: ${ref(detail['ItemRef'])}`,
            element: 'ItemRef',
          },
        ]);
      const code = ref(detail['TaxCodeRef']);
      if (!(code in company.taxCodes))
        return fault(res, 400, [
          { code: '2500', Message: 'Invalid Reference Id', Detail: `Invalid Reference Id : TaxCode does not exist: ${code}`, element: 'TaxCodeRef' },
        ]);
      const amount = dec(line['Amount']);
      if (!cents(dec(detail['Qty']).times(dec(detail['UnitPrice']))).equals(amount))
        return fault(res, 400, [
          {
            code: '6070',
            Message: 'Amount calculation incorrect in the request',
            Detail: `Amount is not equal to Qty * UnitPrice. Supplied value:${String(line['Amount'])}`,
          },
        ]);
      net = net.plus(amount);
      lineTax = lineTax.plus(cents(amount.times(dec(company.taxCodes[code])).div(100)));
    }
    const given = (body['TxnTaxDetail'] as { TotalTax?: unknown } | undefined)?.TotalTax;
    const tax = given !== undefined ? dec(given) : lineTax;
    if (net.plus(tax).isNegative())
      return fault(res, 400, [
        {
          code: '6000',
          Message: 'A business validation error has occurred while processing your request',
          Detail: 'Business Validation Error: Transaction total cannot be negative.',
        },
      ]);
    const doc: QboDocument = { id: String(100 + docs.length), entity, body, total: out(net.plus(tax)), tax: out(tax) };
    docs.push(doc);
    sendJson(res, 200, { [entity]: view(doc), time: time() });
  }

  function route(r: FakeRequest, res: ServerResponse) {
    if (r.path === '/oauth2/v1/tokens/bearer' && r.method === 'POST') {
      const client = basicAuth(r.req);
      const form = new URLSearchParams(r.raw);
      if (client?.id !== QBO_CLIENT_ID || client.secret !== QBO_CLIENT_SECRET) return sendJson(res, 401, { error: 'invalid_client' });
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== refresh) return sendJson(res, 400, { error: 'invalid_grant' });
      refresh = `AB11-refresh-${randomUUID()}`;
      const token = `fake-qbo-token-${randomUUID()}`;
      valid.add(token);
      return sendJson(res, 200, { access_token: token, refresh_token: refresh, token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8726400 });
    }
    const bearer = /^Bearer (.+)$/.exec(r.req.headers.authorization ?? '')?.[1];
    if (!bearer || !valid.has(bearer))
      return fault(res, 401, [{ code: '3200', Message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', Detail: '' }], 'AUTHENTICATION');
    const m = /^\/v3\/company\/([0-9]+)\/(invoice|creditmemo|query)$/.exec(r.path);
    if (!m || m[1] !== QBO_REALM) return fault(res, 404, [{ code: '610', Message: 'Object Not Found', Detail: r.path }]);
    const entity = m[2] === 'invoice' ? 'Invoice' : 'CreditMemo';
    if (m[2] !== 'query' && r.method === 'POST') return create(entity, (r.body ?? {}) as Record<string, unknown>, res);
    if (m[2] === 'query' && r.method === 'GET') {
      const q = /^select \* from (Invoice|CreditMemo) where DocNumber = '((?:[^'\\]|\\')*)'$/i.exec(r.url.searchParams.get('query') ?? '');
      if (!q)
        return fault(
          res,
          400,
          [{ code: '4000', Message: 'Error parsing query', Detail: `The fake parses only select * from Invoice|CreditMemo where DocNumber = '...'` }],
          'ValidationFault',
        );
      const found = docs.filter((d) => d.entity === q[1] && d.body['DocNumber'] === q[2]!.replace(/\\'/g, "'"));
      return sendJson(res, 200, { QueryResponse: found.length ? { [q[1]!]: found.map(view), startPosition: 1, maxResults: found.length } : {}, time: time() });
    }
    return fault(res, 405, [{ code: '405', Message: 'Method not allowed', Detail: r.method }]);
  }

  const server = await startFakeServer({
    route,
    isTokenRequest: (r) => r.path === '/oauth2/v1/tokens/bearer',
    isCreate: (r) => r.method === 'POST' && /\/(invoice|creditmemo)$/.test(r.path),
    throttled: (res) =>
      fault(res, 429, [{ code: '003001', Message: 'ThrottleExceeded', Detail: 'The request exceeded the maximum number of requests allowed.' }], 'SERVICE'),
    serverError: (res) =>
      fault(
        res,
        500,
        [{ code: '10000', Message: 'An application error has occurred while processing your request', Detail: 'System Failure Error' }],
        'SystemFault',
      ),
  });
  return {
    ...server,
    apiUrl: `${server.origin}/v3/company/${QBO_REALM}`,
    tokenUrl: `${server.origin}/oauth2/v1/tokens/bearer`,
    documents: () => docs.map((d) => ({ entity: d.entity, number: String(d.body['DocNumber']), total: d.total, tax: d.tax })),
    refreshToken: () => refresh,
  };
}
