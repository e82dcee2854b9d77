/**
 * The request bodies each accounting system's documented API takes for a posting document. Pure:
 * the clients (plugins/src/accounting) send them, the local fakes (tests/support/accounting) read
 * them, and golden tests hold them. Amounts are JSON numbers written from exact decimals (at most 4
 * places, which a double carries exactly enough to print back the same digits).
 *
 * - Business Central API v2.0: salesInvoices / salesCreditMemos with their lines in one deep insert
 *   ("Create salesInvoices", learn.microsoft.com/dynamics365/business-central/dev-itpro/api-reference/v2.0/api/dynamics_salesinvoice_create);
 *   lineType Account or Item with lineObjectNumber; our number in externalDocumentNumber.
 * - Xero Accounting API: PUT /Invoices (Type ACCREC) and PUT /CreditNotes (Type ACCRECCREDIT), unit
 *   amounts to 4 places (unitdp=4), tax exclusive, our tax per line in TaxAmount (which "can be
 *   overriden", developer.xero.com/documentation/api/accounting/invoices), created DRAFT (the
 *   client authorises it once Xero's totals are found equal to ours).
 * - QuickBooks Online: POST /invoice and /creditmemo, SalesItemLineDetail lines (Amount = Qty x
 *   UnitPrice), our number in DocNumber (at most 21 characters), our tax in TxnTaxDetail.TotalTax
 *   (developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice).
 */
import { formatIso } from '../calendar';
import type { Decimal } from '../money';
import { AccountingError, type PostingDocument } from './types';

const num = (d: Decimal): number => {
  const n = Number(d.toFixed());
  if (d.decimalPlaces() > 4 || n.toString() !== d.toFixed())
    throw new AccountingError(`${d.toFixed()} is not an amount a JSON number carries exactly`, d.toFixed());
  return n;
};

/** Business Central's line description is 100 characters (Sales Line "Description", Text[100]). */
export const BC_DESCRIPTION_LENGTH = 100;
/** QuickBooks Online's DocNumber is at most 21 characters. */
export const QBO_DOC_NUMBER_LENGTH = 21;
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** `account:6100` or `item:1000` (a bare number is a G/L account). */
export function bcLineObject(ref: string): { lineType: 'Account' | 'Item'; lineObjectNumber: string } {
  const m = /^(account|item):(.+)$/i.exec(ref.trim());
  if (!m) return { lineType: 'Account', lineObjectNumber: ref.trim() };
  return { lineType: m[1]!.toLowerCase() === 'item' ? 'Item' : 'Account', lineObjectNumber: m[2]!.trim() };
}

export interface BcOptions {
  /** The company's local currency: Business Central leaves currencyCode blank for it. */
  readonly localCurrency?: string;
}

export function bcDocumentBody(doc: PostingDocument, options: BcOptions = {}): Record<string, unknown> {
  const invoice = doc.kind === 'invoice';
  const lines = doc.lines.map((l, i) => ({
    sequence: (i + 1) * 10000,
    ...bcLineObject(l.accountRef),
    description: clip(l.description, BC_DESCRIPTION_LENGTH),
    quantity: num(l.quantity),
    unitPrice: num(l.unitPrice),
    taxCode: l.taxCode,
  }));
  return {
    externalDocumentNumber: doc.number,
    customerNumber: doc.customerRef,
    [invoice ? 'invoiceDate' : 'creditMemoDate']: formatIso(doc.date),
    postingDate: formatIso(doc.date),
    dueDate: formatIso(doc.dueDate),
    currencyCode: options.localCurrency?.toUpperCase() === doc.currency.toUpperCase() ? '' : doc.currency,
    [invoice ? 'salesInvoiceLines' : 'salesCreditMemoLines']: lines,
  };
}

export function xeroDocumentBody(doc: PostingDocument): Record<string, unknown> {
  const invoice = doc.kind === 'invoice';
  const document = {
    Type: invoice ? 'ACCREC' : 'ACCRECCREDIT',
    Contact: { ContactID: doc.customerRef },
    Date: formatIso(doc.date),
    ...(invoice ? { DueDate: formatIso(doc.dueDate) } : {}),
    [invoice ? 'InvoiceNumber' : 'CreditNoteNumber']: doc.number,
    Reference: doc.number,
    CurrencyCode: doc.currency,
    LineAmountTypes: 'Exclusive',
    Status: 'DRAFT',
    LineItems: doc.lines.map((l) => ({
      Description: l.description,
      Quantity: num(l.quantity),
      UnitAmount: num(l.unitPrice),
      LineAmount: num(l.amount),
      AccountCode: l.accountRef,
      TaxType: l.taxCode,
      TaxAmount: num(l.tax),
    })),
  };
  return { [invoice ? 'Invoices' : 'CreditNotes']: [document] };
}

export function qboDocumentBody(doc: PostingDocument): Record<string, unknown> {
  if (doc.number.length > QBO_DOC_NUMBER_LENGTH)
    throw new AccountingError(
      `QuickBooks Online takes a DocNumber of at most ${QBO_DOC_NUMBER_LENGTH} characters: '${doc.number}' is ${doc.number.length}`,
      doc.number,
    );
  return {
    CustomerRef: { value: doc.customerRef },
    DocNumber: doc.number,
    TxnDate: formatIso(doc.date),
    ...(doc.kind === 'invoice' ? { DueDate: formatIso(doc.dueDate) } : {}),
    CurrencyRef: { value: doc.currency },
    GlobalTaxCalculation: 'TaxExcluded',
    Line: doc.lines.map((l) => ({
      DetailType: 'SalesItemLineDetail',
      Amount: num(l.amount),
      Description: l.description,
      SalesItemLineDetail: { ItemRef: { value: l.accountRef }, Qty: num(l.quantity), UnitPrice: num(l.unitPrice), TaxCodeRef: { value: l.taxCode } },
    })),
    TxnTaxDetail: { TotalTax: num(doc.tax) },
  };
}
