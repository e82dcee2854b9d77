import type { AccountingSystem, Decimal, PostingDocument } from '../../../core/src';

/** A document as the accounting system holds it. */
export interface ExternalDocument {
  readonly id: string;
  /** The system's own number (Business Central's posted number, Xero's and QuickBooks' our number). */
  readonly number: string;
  readonly status: string;
  /** Final in the books: Business Central posted, Xero authorised, QuickBooks saved. */
  readonly posted: boolean;
  readonly subtotal: Decimal;
  readonly tax: Decimal;
  readonly total: Decimal;
}

/**
 * Why a call failed. `refused`: the system refused this document (a validation error, an unknown
 * reference): the document is Failed with the system's words and the others go on. Any other code
 * stops the run (sign-in, throttling past the retries, the network): a later run resumes it.
 */
export type AccountingErrorCode = 'auth-failed' | 'refused' | 'throttled' | 'network' | 'unexpected';

export class AccountingApiError extends Error {
  constructor(
    readonly system: AccountingSystem,
    readonly code: AccountingErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AccountingApiError';
  }
}

/** One accounting system's documented API, as posting needs it. */
export interface AccountingClient {
  readonly system: AccountingSystem;
  /** The document carrying our number, if the system has one. */
  find(doc: PostingDocument): Promise<ExternalDocument | undefined>;
  create(doc: PostingDocument): Promise<ExternalDocument>;
  /** Makes a created document final (Business Central: post the draft); the others are created final. */
  finalize(doc: PostingDocument, created: ExternalDocument): Promise<ExternalDocument>;
  /** Removes a document that is not final (a Business Central draft whose totals disagree), so a later post makes it anew. */
  discard?(doc: PostingDocument, created: ExternalDocument): Promise<void>;
}
