import { addDays, currencyCode, Decimal, period, type Invoice, type InvoiceLine, type InvoiceLineType, type RevenueLine } from '../../../core/src';
import {
  CspbInvoiceInvoiceStatus as InvoiceStatus,
  CspbInvoiceLineLineType as LineType,
  type CspbInvoiceLineRow,
  type CspbInvoiceRow,
  CspbInvoiceLineLineTypeKeys,
} from '../../generated';
import { choiceMap, dateFromWebApi, decimalFromWebApi, MappingError, required } from './values';

/** Invoice line types both ways. */
export const invoiceLineTypes = choiceMap(CspbInvoiceLineLineTypeKeys, 'cspb_linetype');

/** A line's type as stored. */
export function lineTypeToWebApi(type: InvoiceLineType): LineType {
  return invoiceLineTypes.toWebApi(type)!;
}

/**
 * Stored invoice lines as revenue (what a customer was invoiced for a subscription and service
 * period), for the leakage check of a reconciliation. Lines without a subscription are skipped.
 */
export function revenueLinesFromRows(rows: readonly CspbInvoiceLineRow[]): RevenueLine[] {
  return rows.flatMap((row) => {
    const subscriptionId = row._cspb_subscriptionid_value;
    if (!subscriptionId) return [];
    const where = `cspb_invoiceline ${row.cspb_invoicelineid}`;
    const type = required(invoiceLineTypes.fromWebApi(row.cspb_linetype, `${where}.cspb_linetype`), `${where}.cspb_linetype`);
    const start = required(dateFromWebApi(row.cspb_periodstart, `${where}.cspb_periodstart`), `${where}.cspb_periodstart`);
    const endInclusive = required(dateFromWebApi(row.cspb_periodend, `${where}.cspb_periodend`), `${where}.cspb_periodend`);
    const amount = required(decimalFromWebApi(row.cspb_amount, `${where}.cspb_amount`), `${where}.cspb_amount`);
    return [{ subscriptionId, type, servicePeriod: period(start, addDays(endInclusive, 1)), amount }];
  });
}

/**
 * What customers were sent, as revenue: the lines of the issued invoices and credit notes (drafts
 * and cancelled documents are not revenue); undefined when none was issued (leakage is then not
 * assessed: the partner does not invoice from the suite). The Dynamics run and the CLI on a
 * snapshot both read revenue through this.
 */
export function issuedRevenueFromRows(invoices: readonly CspbInvoiceRow[], lines: readonly CspbInvoiceLineRow[]): RevenueLine[] | undefined {
  const issued = new Set(invoices.filter((i) => i.cspb_invoicestatus === InvoiceStatus.Issued).map((i) => i.cspb_invoiceid));
  if (issued.size === 0) return undefined;
  return revenueLinesFromRows(lines.filter((l) => issued.has(l._cspb_invoiceid_value ?? '')));
}

/** The issued documents as the engine takes them, and where each of their lines is stored. */
export interface IssuedInvoices {
  readonly issued: Invoice[];
  /** Core line id (`draftKey#key`) to its cspb_invoiceline id: what a correction's line binds to. */
  readonly lineRowIds: ReadonlyMap<string, string>;
  /** Draft key to its cspb_invoice id: what a credit note's "Credit of" binds to. */
  readonly invoiceRowIds: ReadonlyMap<string, string>;
}

const ZERO = new Decimal(0);

/**
 * A tax line's jurisdiction, from the key the engine gave it (core/src/invoicing/tax.ts):
 * `tax|<jurisdiction>` once per invoice, `<line key>|tax|<jurisdiction>` per line.
 */
export const taxJurisdictionOf = (key: string): string | undefined => /(?:^|\|)tax\|([^|]+)$/.exec(key)?.[1];

/**
 * Issued invoices and credit notes (status Issued; drafts and cancelled documents are left out)
 * with their lines, as the engine's `issued` input: what later runs of the same period correct.
 * Kind and revision are the draft key's (`contract|start|end|kind|revision`), the one key the engine
 * gave the document; a key of another shape is a row this suite did not write and is refused.
 */
export function issuedInvoicesFromRows(invoices: readonly CspbInvoiceRow[], lines: readonly CspbInvoiceLineRow[]): IssuedInvoices {
  const byInvoice = new Map<string, CspbInvoiceLineRow[]>();
  for (const line of lines) {
    const owner = line._cspb_invoiceid_value ?? '';
    byInvoice.set(owner, [...(byInvoice.get(owner) ?? []), line]);
  }
  const lineRowIds = new Map<string, string>();
  const invoiceRowIds = new Map<string, string>();
  const coreIdOfRow = new Map<string, string>();
  const issued = invoices.filter((row) => row.cspb_invoicestatus === InvoiceStatus.Issued);
  for (const row of issued) {
    invoiceRowIds.set(row.cspb_draftkey, row.cspb_invoiceid);
    for (const line of byInvoice.get(row.cspb_invoiceid) ?? []) coreIdOfRow.set(line.cspb_invoicelineid, `${row.cspb_draftkey}#${line.cspb_linekey}`);
  }
  const documents = issued.map((row): Invoice => {
    const where = `cspb_invoice ${row.cspb_invoiceid}`;
    const parts = row.cspb_draftkey.split('|');
    const kind = parts[parts.length - 2];
    const revision = Number(parts[parts.length - 1]);
    if (parts.length < 5 || (kind !== 'invoice' && kind !== 'creditNote') || !Number.isInteger(revision) || revision < 0) {
      throw new MappingError('is not a draft key this suite wrote (contract|start|end|kind|revision)', `${where}.cspb_draftkey`, row.cspb_draftkey);
    }
    const date = (value: unknown, column: string) => required(dateFromWebApi(value, `${where}.${column}`), `${where}.${column}`);
    const amount = (value: unknown, column: string) => decimalFromWebApi(value, `${where}.${column}`) ?? ZERO;
    const ordered = [...(byInvoice.get(row.cspb_invoiceid) ?? [])].sort((a, b) => a.cspb_linenumber - b.cspb_linenumber);
    const documentLines = ordered.map((line): InvoiceLine => {
      const at = `cspb_invoiceline ${line.cspb_invoicelineid}`;
      const id = `${row.cspb_draftkey}#${line.cspb_linekey}`;
      lineRowIds.set(id, line.cspb_invoicelineid);
      const start = required(dateFromWebApi(line.cspb_periodstart, `${at}.cspb_periodstart`), `${at}.cspb_periodstart`);
      const endInclusive = required(dateFromWebApi(line.cspb_periodend, `${at}.cspb_periodend`), `${at}.cspb_periodend`);
      const quantity = decimalFromWebApi(line.cspb_quantity, `${at}.cspb_quantity`);
      const unitPrice = decimalFromWebApi(line.cspb_unitprice, `${at}.cspb_unitprice`);
      const cost = decimalFromWebApi(line.cspb_cost, `${at}.cspb_cost`);
      const margin = decimalFromWebApi(line.cspb_margin, `${at}.cspb_margin`);
      const corrects = line._cspb_correctslineid_value ? coreIdOfRow.get(line._cspb_correctslineid_value) : undefined;
      return {
        id,
        key: line.cspb_linekey,
        type: required(invoiceLineTypes.fromWebApi(line.cspb_linetype, `${at}.cspb_linetype`), `${at}.cspb_linetype`),
        ...(line._cspb_subscriptionid_value ? { subscriptionId: line._cspb_subscriptionid_value } : {}),
        description: line.cspb_name,
        servicePeriod: period(start, addDays(endInclusive, 1)),
        ...(quantity !== undefined ? { quantity } : {}),
        ...(unitPrice !== undefined ? { unitPrice } : {}),
        amount: required(decimalFromWebApi(line.cspb_amount, `${at}.cspb_amount`), `${at}.cspb_amount`),
        ...(cost !== undefined ? { cost } : {}),
        ...(margin !== undefined ? { margin } : {}),
        explanation: line.cspb_explanation ?? '',
        ...(corrects !== undefined ? { correctsLineId: corrects } : {}),
        ...(line.cspb_appliestokey ? { appliesToLineId: `${row.cspb_draftkey}#${line.cspb_appliestokey}` } : {}),
        ...(line.cspb_discountkey ? { discountId: line.cspb_discountkey } : {}),
        ...(taxJurisdictionOf(line.cspb_linekey) !== undefined && line.cspb_linetype === LineType.Tax
          ? { jurisdiction: taxJurisdictionOf(line.cspb_linekey)! }
          : {}),
        taxable: line.cspb_taxable ?? true,
      };
    });
    const nonTax = documentLines.filter((l) => l.type !== 'tax');
    return {
      draftKey: row.cspb_draftkey,
      contractId: required(row._cspb_contractid_value ?? undefined, `${where}._cspb_contractid_value`),
      customerId: required(row._cspb_customerid_value ?? undefined, `${where}._cspb_customerid_value`),
      period: period(date(row.cspb_periodstart, 'cspb_periodstart'), addDays(date(row.cspb_periodend, 'cspb_periodend'), 1)),
      kind,
      revision,
      status: 'issued',
      invoiceDate: date(row.cspb_invoicedate, 'cspb_invoicedate'),
      dueDate: date(row.cspb_duedate, 'cspb_duedate'),
      currency: currencyCode(row.cspb_currencycode),
      lines: documentLines,
      subtotal: amount(row.cspb_subtotal, 'cspb_subtotal'),
      tax: amount(row.cspb_taxtotal, 'cspb_taxtotal'),
      total: amount(row.cspb_total, 'cspb_total'),
      cost: amount(row.cspb_cost, 'cspb_cost'),
      margin: amount(row.cspb_margin, 'cspb_margin'),
      costComplete: nonTax.every((l) => l.cost !== undefined),
      taxExempt: false,
      ledgerCoverage: {},
      exchangeRates: [],
      issuedOn: date(row.cspb_invoicedate, 'cspb_invoicedate'),
      ...(row.cspb_name ? { invoiceNumber: row.cspb_name } : {}),
    };
  });
  return { issued: documents, lineRowIds, invoiceRowIds };
}
