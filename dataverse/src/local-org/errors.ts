import { DataverseError } from '../client/types';

/**
 * The errors the local org answers with, using the HTTP status and the hexadecimal code
 * Dataverse uses for the same failure, so callers (and tests) handle them exactly as they
 * would against a real environment.
 */
export const ErrorCodes = {
  /** Row not found ("<table> With Id = ... Does Not Exist"). */
  notFound: '0x80040217',
  /** A row with the same primary id already exists. */
  duplicateId: '0x80040237',
  /** A row with the same alternate key values already exists (DuplicateRecordEntityKey). */
  duplicateKey: '0x80060892',
  /** If-Match ETag did not match the row's version (ConcurrencyVersionMismatch). */
  versionMismatch: '0x80060882',
  /** Attribute value failed validation (length, range, required). */
  validation: '0x80044331',
  /** Choice value not among the option set's values. */
  optionOutOfRange: '0x8004431a',
  /** Request malformed: unknown property, bad key, bad query syntax (Microsoft.OData errors). */
  badRequest: '0x80060888',
  /** A plug-in threw (InvalidPluginExecutionException): "ISV code aborted the operation". */
  pluginAborted: '0x80040265',
  /** Pipeline depth exceeded: the infinite-loop guard. */
  infiniteLoop: '0x80044182',
  /** Delete refused: other rows still reference this one through a Restrict relationship. */
  referenced: '0x80040227',
  /** Service protection: number of requests exceeded the limit. */
  throttled: '0x80072322',
  /** Server busy / unavailable. */
  unavailable: '0x80044150',
} as const;

export const notFound = (table: string, id: string): DataverseError => new DataverseError(`${table} With Id = ${id} Does Not Exist`, 404, ErrorCodes.notFound);

export const badRequest = (message: string): DataverseError => new DataverseError(message, 400, ErrorCodes.badRequest);

export const validation = (message: string, code: string = ErrorCodes.validation): DataverseError => new DataverseError(message, 400, code);

export const resourceNotFound = (segment: string): DataverseError =>
  new DataverseError(`Resource not found for the segment '${segment}'.`, 404, ErrorCodes.badRequest);

/** Wraps anything a plug-in threw in the error Dataverse gives the caller. */
export function pluginError(cause: unknown): DataverseError {
  if (cause instanceof DataverseError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new DataverseError(message, 400, ErrorCodes.pluginAborted);
}
