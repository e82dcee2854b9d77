import { choice, memo, text } from './columns';

/** The accounting systems (core/src/accounting), as choice options whose third part is the core's name. */
export const ACCOUNTING_SYSTEM_OPTIONS: Array<[string, string, string]> = [
  ['BusinessCentral', 'Dynamics 365 Business Central', 'bc'],
  ['Xero', 'Xero', 'xero'],
  ['QuickBooksOnline', 'QuickBooks Online', 'qbo'],
];

/**
 * Where an issued invoice or credit note stands in the partner's books (`npm run post`, a Posting
 * run): which system, its id and number there, Posted or Failed with the system's reason, and when.
 * Written by the post, never by hand.
 */
export function postingColumns() {
  return [
    choice('cspb_PostingStatus', {
      display: 'Posting status',
      description: 'Whether the document is in the accounting system: Posted, or Failed with the reason (a later post tries again).',
      optionSetName: 'cspb_postingstatus',
      options: [
        ['NotPosted', 'Not posted'],
        ['Posted', 'Posted'],
        ['Failed', 'Failed'],
      ],
      defaultKey: 'NotPosted',
    }),
    choice('cspb_PostedTo', {
      display: 'Posted to',
      description: 'The accounting system the document was posted to.',
      optionSetName: 'cspb_invoice_postedto',
      options: ACCOUNTING_SYSTEM_OPTIONS,
    }),
    text('cspb_ExternalId', { display: 'External id', description: "The document's id in the accounting system.", maxLength: 100 }),
    text('cspb_ExternalNumber', {
      display: 'External number',
      description: "The document's number in the accounting system (Business Central's posted number).",
      maxLength: 100,
    }),
    text('cspb_PostedAt', { display: 'Posted at', description: 'When the post was recorded, UTC (ISO 8601).', maxLength: 30 }),
    memo('cspb_PostingError', { display: 'Posting error', description: 'Why the accounting system refused the document, in its words.', maxLength: 4000 }),
  ];
}
