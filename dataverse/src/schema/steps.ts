/**
 * The webhook steps the suite registers on Dataverse: the one table both the webhook host
 * (plugins/src/steps.ts binds a handler to each key) and the registration (solution/src/webhook.ts,
 * scripts/deploy) read. Platform rules behind the shape, each from Microsoft's documentation
 * (plugins/README.md cites the pages):
 *
 * - A webhook call runs outside the user's database transaction, so a synchronous step that calls
 *   back into Dataverse for a row the transaction holds waits on that row's lock until the 60 s
 *   webhook timeout, and the user's save fails. PreValidation runs before the transaction exists:
 *   the synchronous validation lives there, reads only other tables and never writes.
 * - Dataverse reads only a webhook's status code; a refusal reaches the user as a failed save, not
 *   as our text. The validation refuses only what Microsoft would refuse anyway (the form script
 *   explains it in words before the save).
 * - The ledger append is an asynchronous PostOperation step (after the commit, no lock held),
 *   idempotent by the saved row's version (`versionnumber` in its PostImage), and never writes the
 *   row that triggered it.
 * - Long work (imports, runs) is queued: the step answers 202 after putting a message on an Azure
 *   Storage queue; a queue-triggered function does the work in resumable chunks.
 */

export type StepStage = 'PreValidation' | 'PreOperation' | 'PostOperation';
export type StepMode = 'sync' | 'async';

export interface StepImageDef {
  readonly name: 'PreImage' | 'PostImage';
  readonly type: 'pre' | 'post';
  readonly attributes: readonly string[];
}

export interface StepDef {
  /** Stable key: the step's id is derived from it and the host binds its handler by it. */
  readonly key: string;
  readonly message: 'Create' | 'Update';
  readonly table: string;
  readonly stage: StepStage;
  readonly mode: StepMode;
  readonly description: string;
  /** Update only: the step runs only when one of these columns is written. */
  readonly filteringAttributes?: readonly string[];
  readonly images: readonly StepImageDef[];
  /** `inline`: the handler runs inside the webhook call; `queue`: the call only queues a job. */
  readonly work: 'inline' | 'queue';
  /**
   * A queue step on Update that resumes the row's job instead of starting it: it queues only when
   * the PostImage's `when` column is true, and its message asks for the row's resume point (the
   * PostImage's cspb_jobchunk), which the image must therefore carry.
   */
  readonly resume?: { readonly when: string };
}

/** The subscription columns a ledger change reads (the filter and the images). */
export const SUBSCRIPTION_CHANGE_COLUMNS = [
  'cspb_quantity',
  'cspb_status',
  'cspb_customerunitprice',
  'cspb_vendorunitcost',
  'cspb_currencycode',
  'cspb_changeeffectivedate',
  'cspb_changereason',
  'cspb_changeorigin',
  'cspb_termstartdate',
  'cspb_termenddate',
  'cspb_autorenew',
  'cspb_offerid',
  'cspb_customerid',
  'cspb_vendorsubscriptionid',
] as const;

/** The images also carry the row version (the identity of the save) and when it was saved. */
const LEDGER_IMAGE_COLUMNS = [...SUBSCRIPTION_CHANGE_COLUMNS, 'versionnumber', 'modifiedon'];

export const STEPS: readonly StepDef[] = [
  {
    key: 'subscription-create-validate',
    message: 'Create',
    table: 'cspb_subscription',
    stage: 'PreValidation',
    mode: 'sync',
    description: 'Refuses a new subscription Microsoft would refuse (no offer, negative quantity), before the save opens its transaction.',
    images: [],
    work: 'inline',
  },
  {
    key: 'subscription-update-validate',
    message: 'Update',
    table: 'cspb_subscription',
    stage: 'PreValidation',
    mode: 'sync',
    description: 'Refuses a change Microsoft would refuse (NCE seat-decrease and cancellation windows), before the save opens its transaction.',
    filteringAttributes: SUBSCRIPTION_CHANGE_COLUMNS,
    images: [{ name: 'PreImage', type: 'pre', attributes: LEDGER_IMAGE_COLUMNS }],
    work: 'inline',
  },
  {
    key: 'subscription-create-ledger',
    message: 'Create',
    table: 'cspb_subscription',
    stage: 'PostOperation',
    mode: 'async',
    description: 'Appends the "new" ledger row after the save has committed.',
    images: [{ name: 'PostImage', type: 'post', attributes: LEDGER_IMAGE_COLUMNS }],
    work: 'inline',
  },
  {
    key: 'subscription-update-ledger',
    message: 'Update',
    table: 'cspb_subscription',
    stage: 'PostOperation',
    mode: 'async',
    description: 'Appends the ledger rows of a change after the save has committed.',
    filteringAttributes: SUBSCRIPTION_CHANGE_COLUMNS,
    images: [
      { name: 'PreImage', type: 'pre', attributes: LEDGER_IMAGE_COLUMNS },
      { name: 'PostImage', type: 'post', attributes: LEDGER_IMAGE_COLUMNS },
    ],
    work: 'inline',
  },
  {
    key: 'billingimport-create',
    message: 'Create',
    table: 'cspb_billingimport',
    stage: 'PostOperation',
    mode: 'async',
    description: 'Queues the parsing of an uploaded bill and the writing of its lines.',
    images: [],
    work: 'queue',
  },
  {
    key: 'reconciliationrun-create',
    message: 'Create',
    table: 'cspb_reconciliationrun',
    stage: 'PostOperation',
    mode: 'async',
    description: 'Queues the reconciliation of the period against the ledger.',
    images: [],
    work: 'queue',
  },
  {
    key: 'invoicerun-create',
    message: 'Create',
    table: 'cspb_invoicerun',
    stage: 'PostOperation',
    mode: 'async',
    description: 'Queues the generation of draft invoices for the period.',
    images: [],
    work: 'queue',
  },
  {
    key: 'monthendrun-create',
    message: 'Create',
    table: 'cspb_monthendrun',
    stage: 'PostOperation',
    mode: 'async',
    description: "Queues month-end for a Microsoft invoice: pull from Graph, reconcile, draft the customers' invoices, summary.",
    images: [],
    work: 'queue',
  },
  {
    key: 'accrualrun-create',
    message: 'Create',
    table: 'cspb_accrualrun',
    stage: 'PostOperation',
    mode: 'async',
    description: 'Queues the accrual of the coming Microsoft bill (and its closing against an invoice import).',
    images: [],
    work: 'queue',
  },
  {
    key: 'pricereview-create',
    message: 'Create',
    table: 'cspb_pricereview',
    stage: 'PostOperation',
    mode: 'async',
    description: 'Queues the price review of the renewals of the next 60 days (margin rules against Microsoft prices).',
    images: [],
    work: 'queue',
  },
  {
    key: 'postingrun-create',
    message: 'Create',
    table: 'cspb_postingrun',
    stage: 'PostOperation',
    mode: 'async',
    description: "Queues the posting of a month's issued invoices and credit notes to the accounting system.",
    images: [],
    work: 'queue',
  },
  {
    key: 'monthendrun-restart',
    message: 'Update',
    table: 'cspb_monthendrun',
    stage: 'PostOperation',
    mode: 'async',
    description: 'Queues a failed month-end run again, at the step it stopped at, when a user sets Restart to Yes.',
    filteringAttributes: ['cspb_restart'],
    images: [{ name: 'PostImage', type: 'post', attributes: ['cspb_restart', 'cspb_jobchunk', 'cspb_runstatus'] }],
    work: 'queue',
    resume: { when: 'cspb_restart' },
  },
];

export function findStepDef(message: string, table: string, stage: StepStage): StepDef | undefined {
  return STEPS.find((s) => s.message === message && s.table === table && s.stage === stage);
}
