/**
 * What can stop a pull from Microsoft, each a code a person (or the month-end run) can act on.
 * Nothing is half-written: a pull that stops keeps what it downloaded in its state folder, and the
 * next pull resumes from there.
 */
export type PullErrorCode =
  /** Entra ID refused the app (wrong secret, no consent to PartnerBilling.Read.All). */
  | 'auth-failed'
  /** Graph answered an error status the pull cannot retry (400, 403, 404, ...). */
  | 'graph-error'
  /** The export operation ended as failedOperation (Graph's error code and message in the text). */
  | 'export-failed'
  /** The operation kept running past the pull's patience (maxWaitMs). */
  | 'export-timeout'
  /** Throttled (429) or unavailable (503) more times than the pull retries. */
  | 'throttled'
  /** A manifest without the documented properties (rootDirectory, sasToken, blobs). */
  | 'bad-manifest'
  /** A blob's gzip stream ended before its end: the download was cut. */
  | 'truncated-gzip'
  /** A blob is not gzip at all (or corrupt). */
  | 'bad-gzip'
  /** The SAS was refused again after the manifest was requested anew (the operation is forgotten: a retry starts a new export). */
  | 'sas-refused'
  /** Blob storage refused or failed the download for another reason. */
  | 'blob-error'
  /** Dataverse refused lines (a value out of a column's range): the import is marked Failed with them. */
  | 'lines-refused';

export class PullError extends Error {
  constructor(
    readonly code: PullErrorCode,
    message: string,
    /** The HTTP status, when an answer had one. */
    readonly status?: number,
    /** A failed operation's own error code (Graph's "5000": no data available). */
    readonly graphCode?: string,
  ) {
    super(message);
    this.name = 'PullError';
  }
}

/** Worth another delivery of the queue message: the network, a 5xx, a cut download, a slow export. */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof PullError)) return true;
  if (e.code === 'throttled' || e.code === 'truncated-gzip' || e.code === 'export-timeout' || e.code === 'sas-refused') return true;
  if (e.code === 'graph-error' || e.code === 'blob-error') return e.status === undefined || e.status >= 500;
  return false;
}
