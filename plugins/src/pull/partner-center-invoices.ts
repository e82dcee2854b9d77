/**
 * The invoices Partner Center has issued to the partner: `GET /v1/invoices` ("Get a collection of
 * invoices", learn.microsoft.com/partner-center/developer/get-a-collection-of-invoices; the
 * documented response is ../shared/samples/pc-api-docs-json/get-a-collection-of-invoices-ex1-Invoice.json):
 * a collection `{totalCount, items: [{id, invoiceDate, totalCharges, currencyCode, invoiceType,
 * documentType, ...}], attributes: {objectType: "Collection"}}`. The month-end timer starts one
 * month-end run per new invoice. The request is PartnerCenterClient.invoices() (plugins/src/sync):
 * one client for Partner Center's token, 401, 429 and request ids.
 */
import { PartnerCenterParseError, readPartnerCenterNextLink, type PcNextLink } from '../../../core/src/sync';
import { PullError } from './errors';

export interface IssuedInvoice {
  readonly id: string;
  /** YYYY-MM-DD (UTC) */
  readonly invoiceDate: string;
  readonly totalCharges?: string;
  readonly currencyCode?: string;
  readonly invoiceType?: string;
  readonly documentType?: string;
}

/** One page of the collection: the invoices read, the items that could not be, and the next page's link. */
export interface InvoicePage {
  readonly invoices: IssuedInvoice[];
  /** Items without a usable id or date, each named: listed by the timer, never a reason to stop. */
  readonly refused: string[];
  readonly next: PcNextLink | null;
}

/**
 * The collection's items, each checked: an id and a date, or the item named in `refused` (one odd
 * item must not keep month-end from every other invoice). A body that is not the collection is a
 * typed error.
 */
export function parseInvoices(text: string, source = 'invoices'): InvoicePage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PullError('graph-error', `${source}: the answer is not JSON`);
  }
  const items = (json as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) throw new PullError('graph-error', `${source}: no items collection`);
  let next: PcNextLink | null;
  try {
    next = readPartnerCenterNextLink(json);
  } catch (e) {
    if (!(e instanceof PartnerCenterParseError)) throw e;
    throw new PullError('graph-error', `${source}: ${e.message}`);
  }
  const invoices: IssuedInvoice[] = [];
  const refused: string[] = [];
  items.forEach((item: unknown, i) => {
    const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const id = o['id'];
    const date = o['invoiceDate'];
    if (typeof id !== 'string' || !/^[A-Za-z0-9-]{1,50}$/.test(id))
      return void refused.push(`${source}: item ${i + 1} has no usable id (${JSON.stringify(id)})`);
    if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(date))
      return void refused.push(`${source}: invoice ${id} has no invoiceDate (${JSON.stringify(date)})`);
    const text = (k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : typeof o[k] === 'number' ? String(o[k]) : undefined);
    const out: { -readonly [K in keyof IssuedInvoice]: IssuedInvoice[K] } = { id, invoiceDate: date.slice(0, 10) };
    for (const k of ['totalCharges', 'currencyCode', 'invoiceType', 'documentType'] as const) {
      const v = text(k);
      if (v !== undefined) out[k] = v;
    }
    invoices.push(out);
  });
  return { invoices, refused, next };
}
