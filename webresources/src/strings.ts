/**
 * Every user-facing string of the form scripts and commands lives in the RESX web resources
 * `cspb_/strings/forms.<lcid>.resx` (webresources/strings/); this file only names the keys.
 * Dataverse picks the user's language; placeholders are {0}, {1}...
 */
import { ENGLISH_STRINGS } from './strings.1033.generated';

export const STRINGS_RESOURCE = 'cspb_/strings/forms';

export const STRING_KEYS = [
  'negativeQuantity',
  'askDateAndReason',
  'preview',
  'previewNoPrice',
  'invoicePreview',
  'invoicePreviewNoContract',
  'invoicePreviewFailed',
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
  'creditNoteNothing',
  'issuing',
  'issueFailed',
  'creditNoteOnlyIssued',
  'statusPending',
  'statusRunning',
  'currencyNotEnabled',
  'invoicePeriodTitle',
  'invoicePeriodConfirm',
  'invoicePeriodButton',
  'invoicePeriodOther',
  'invoicePeriodName',
  'invoicePeriodNote',
  'whichPeriodTitle',
  'generateNextPeriod',
  'generateCurrentPeriod',
  'otherPeriod',
] as const;
export type StringKey = (typeof STRING_KEYS)[number];

/**
 * The user's string from Dataverse, or the English one when Dataverse has none: getResourceString
 * throws "<name> does not exist." when no RESX matches the user's language and returns null for a
 * key the chosen RESX lacks (learn.microsoft.com/power-apps/developer/model-driven-apps/clientapi/reference/xrm-utility/getresourcestring).
 */
function template(key: StringKey): string {
  let localised: string | null | undefined;
  try {
    localised = Xrm.Utility.getResourceString(STRINGS_RESOURCE, key);
  } catch {
    localised = undefined;
  }
  return localised || ENGLISH_STRINGS[key] || key;
}

/** The localised string for a key with its placeholders filled (English when the user's language has none). */
export function t(key: StringKey, ...args: ReadonlyArray<string | number>): string {
  return template(key).replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}
