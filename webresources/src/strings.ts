/**
 * Every user-facing string of the form scripts and commands lives in the RESX web resources
 * `cspb_/strings/forms.<lcid>.resx` (webresources/strings/); this file only names the keys.
 * Dataverse picks the user's language; placeholders are {0}, {1}...
 */
export const STRINGS_RESOURCE = 'cspb_/strings/forms';

export const STRING_KEYS = [
  'negativeQuantity',
  'askDateAndReason',
  'preview',
  'previewNoPrice',
  'decreaseRefused',
  'cancelRefused',
  'decreaseAllowed',
  'cancelAllowed',
  'ledgerSummary',
  'ledgerNoChanges',
  'ledgerUnavailable',
  'saveBlocked',
  'contractAnchorDayRequired',
  'contractAnchorDayUnused',
  'contractOneTimeAnchor',
  'contractTermsRange',
  'contractArrearsLicences',
  'contractNextInvoice',
  'invoiceIssuedLocked',
  'invoiceCancelledLocked',
  'runStarted',
  'runProgress',
  'runCompleted',
  'runFailed',
  'runTimedOut',
  'reconciliationName',
  'reconciliationDone',
  'invoiceRunName',
  'invoiceRunDone',
  'exportDone',
  'saveFirst',
  'issueConfirm',
  'issueDone',
  'creditNoteDone',
  'creditNoteOnlyIssued',
  'statusPending',
  'statusRunning',
] as const;
export type StringKey = (typeof STRING_KEYS)[number];

/** The localised string for a key with its placeholders filled; the key itself if the resource has none. */
export function t(key: StringKey, ...args: ReadonlyArray<string | number>): string {
  const template = Xrm.Utility.getResourceString(STRINGS_RESOURCE, key) || key;
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}
