import { formatIso, type CalendarDate } from '../../../core/src/calendar';
import { dueDate } from '../../../core/src/invoicing/periods';
import { CspbInvoiceInvoiceStatus as InvoiceStatus, type CspbBillingContractRow, type CspbInvoiceNumberingRow, type CspbInvoiceRow } from '../../generated';
import { DataverseError, type DataverseClient } from '../client/types';

/**
 * Issuing a draft: it takes the next number of the invoice sequence and becomes Issued, dated the
 * day it is issued, due after the contract's payment terms.
 *
 * The number and the status change are one transaction (a $batch change set: "all operations
 * succeed or fail as a group", learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api),
 * and both updates carry the row version read (If-Match: a row changed since gives 412,
 * learn.microsoft.com/power-apps/developer/data-platform/optimistic-concurrency). So two people
 * issuing at once never get the same number (the second's counter update fails and it takes the
 * next), a failed issue leaves the counter where it was (no gap), and a draft issued twice keeps
 * its first number.
 */
export const SEQUENCE_NAME = 'Invoices';
const DEFAULT_SEQUENCE = { cspb_prefix: 'INV-', cspb_nextnumber: 1, cspb_digits: 6 } as const;
/** Concurrent issues each retry after losing the race; past this the caller is told to try again. */
const MAX_ATTEMPTS = 25;

/** Why a draft could not be issued, in words for the user. */
export class IssueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IssueError';
  }
}

export interface IssuedNumber {
  readonly invoiceNumber: string;
  readonly invoiceDate: CalendarDate;
  readonly dueDate: CalendarDate;
  /** Attempts lost to a concurrent issue before this one succeeded. */
  readonly retries: number;
}

/** prefix + number zero-padded to the sequence's digits. */
export function formatInvoiceNumber(sequence: Pick<CspbInvoiceNumberingRow, 'cspb_prefix' | 'cspb_nextnumber' | 'cspb_digits'>): string {
  return `${sequence.cspb_prefix ?? ''}${String(sequence.cspb_nextnumber).padStart(sequence.cspb_digits ?? DEFAULT_SEQUENCE.cspb_digits, '0')}`;
}

const etagOf = (row: object): string => {
  const etag = (row as Record<string, unknown>)['@odata.etag'];
  if (typeof etag !== 'string') throw new DataverseError('the row came back without its @odata.etag: issuing needs the row version', 500);
  return etag;
};

/** The sequence row, created with the defaults the first time (two first issues at once: the loser reads the winner's). */
async function sequenceOf(client: DataverseClient): Promise<CspbInvoiceNumberingRow> {
  const key = { cspb_name: SEQUENCE_NAME };
  try {
    return await client.retrieve<CspbInvoiceNumberingRow>('cspb_invoicenumberings', key);
  } catch (error) {
    if (!(error instanceof DataverseError) || error.status !== 404) throw error;
  }
  try {
    await client.create('cspb_invoicenumberings', { cspb_name: SEQUENCE_NAME, ...DEFAULT_SEQUENCE });
  } catch (error) {
    if (!(error instanceof DataverseError) || error.status !== 412) throw error; // created meanwhile (duplicate key)
  }
  return client.retrieve<CspbInvoiceNumberingRow>('cspb_invoicenumberings', key);
}

export async function issueDraft(client: DataverseClient, invoiceId: string, today: CalendarDate): Promise<IssuedNumber> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const invoice = await client.retrieve<CspbInvoiceRow>('cspb_invoices', invoiceId);
    if (invoice.cspb_invoicestatus !== InvoiceStatus.Draft)
      throw new IssueError(`${invoice.cspb_name} is not a draft: issued and cancelled documents never change`);
    const contractId = invoice._cspb_contractid_value;
    if (!contractId) throw new IssueError(`${invoice.cspb_name} has no billing contract, so no payment terms to date it with`);
    const contract = await client.retrieve<CspbBillingContractRow>('cspb_billingcontracts', contractId, { select: ['cspb_paymenttermdays'] });
    const sequence = await sequenceOf(client);
    const invoiceNumber = formatInvoiceNumber(sequence);
    const due = dueDate({ kind: 'net', days: contract.cspb_paymenttermdays }, today);
    const [counter, issued] = await client.executeBatch(
      [
        {
          kind: 'update',
          entitySet: 'cspb_invoicenumberings',
          key: sequence.cspb_invoicenumberingid,
          record: { cspb_nextnumber: sequence.cspb_nextnumber + 1 },
          ifMatch: etagOf(sequence),
        },
        {
          kind: 'update',
          entitySet: 'cspb_invoices',
          key: invoiceId,
          ifMatch: etagOf(invoice),
          record: { cspb_name: invoiceNumber, cspb_invoicestatus: InvoiceStatus.Issued, cspb_invoicedate: formatIso(today), cspb_duedate: formatIso(due) },
        },
      ],
      { atomic: true },
    );
    if (counter?.ok && issued?.ok) return { invoiceNumber, invoiceDate: today, dueDate: due, retries: attempt };
    const error = counter && !counter.ok ? counter.error : issued && !issued.ok ? issued.error : undefined;
    // 412: the counter moved (another issue won) or the draft changed: read both again.
    if (!(error instanceof DataverseError) || error.status !== 412) throw error ?? new DataverseError('the issue batch returned no results', 500);
  }
  throw new IssueError(`the invoice sequence stayed busy for ${MAX_ATTEMPTS} attempts; try again`);
}
