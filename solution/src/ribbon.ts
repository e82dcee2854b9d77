import { el, type XmlElement } from '../../dataverse/src/codegen/xml';
import { LANGUAGE_CODE } from './publisher';

/**
 * Command-bar buttons on the main forms: each calls a function of the `Cspb.Commands` bundle
 * with the form context (`PrimaryControl`), the way Dataverse's classic ribbon commands do. The
 * functions create the run record the plugins act on and show progress until it completes.
 * Buttons of a table's list (the HomepageGrid ribbon) are in GRID_COMMANDS: they act on no record.
 */
export interface FormCommand {
  readonly table: string;
  /** Short identifier, unique per table. */
  readonly id: string;
  readonly label: string;
  readonly tooltip: string;
  /** Function of the commands bundle, e.g. `Cspb.Commands.runReconciliation`. */
  readonly functionName: string;
  /** The web resource holding the function (default the commands bundle). */
  readonly library?: string;
}

export const COMMANDS_LIBRARY = 'cspb_/scripts/commands.js';
export const libraryOf = (c: FormCommand): string => c.library ?? COMMANDS_LIBRARY;

export const FORM_COMMANDS: readonly FormCommand[] = [
  {
    table: 'cspb_billingimport',
    id: 'RunReconciliation',
    label: 'Run reconciliation',
    tooltip: 'Reconcile this bill against the subscription ledger',
    functionName: 'Cspb.Commands.runReconciliation',
  },
  {
    table: 'cspb_billingcontract',
    id: 'GenerateInvoices',
    label: 'Generate invoices',
    tooltip: 'Generate the draft invoice of the next billing period',
    functionName: 'Cspb.Commands.generateInvoices',
  },
  {
    table: 'cspb_reconciliationrun',
    id: 'ExportDiscrepancies',
    label: 'Export discrepancies (CSV)',
    tooltip: 'Download the discrepancies of this run as CSV',
    functionName: 'Cspb.Commands.exportDiscrepancies',
  },
  {
    table: 'cspb_invoice',
    id: 'Issue',
    label: 'Issue',
    tooltip: 'Issue this invoice; issued invoices never change',
    functionName: 'Cspb.IssueCommand.issueInvoice',
    library: 'cspb_/scripts/issue.command.js',
  },
  {
    table: 'cspb_invoice',
    id: 'CreditNote',
    label: 'Credit note',
    tooltip: 'Draft the credit note (and supplement) correcting this issued invoice from the current ledger',
    functionName: 'Cspb.Commands.createCreditNote',
  },
];

/**
 * Command-bar buttons on a table's list (the HomepageGrid ribbon, the "Management" group beside
 * New): functions called without a record.
 */
export const GRID_COMMANDS: readonly FormCommand[] = [
  {
    table: 'cspb_invoicerun',
    id: 'InvoicePeriod',
    label: 'Invoice a period',
    tooltip: 'Invoice one calendar month (by default the previous one) for every billing contract due in it',
    functionName: 'Cspb.Commands.invoicePeriod',
  },
];

/** Where a command's button goes, and what the function is passed. */
interface Placement {
  readonly location: string;
  readonly parameter?: string;
}
export const formLocation = (table: string): string => `Mscrm.Form.${table}.MainTab.Save.Controls._children`;
export const gridLocation = (table: string): string => `Mscrm.HomepageGrid.${table}.MainTab.Management.Controls._children`;

const labelId = (c: FormCommand, part: string) => `cspb.${c.table}.${c.id}.${part}`;

/** `<RibbonDiffXml>` of one table (its main form's and its list's buttons), or null when it has no commands. */
export function ribbonDiffXml(table: string): XmlElement | null {
  const placed: Array<readonly [FormCommand, Placement]> = [
    ...FORM_COMMANDS.filter((c) => c.table === table).map((c) => [c, { location: formLocation(table), parameter: 'PrimaryControl' }] as const),
    ...GRID_COMMANDS.filter((c) => c.table === table).map((c) => [c, { location: gridLocation(table) }] as const),
  ];
  const commands = placed.map(([c]) => c);
  if (commands.length === 0) return null;
  return el(
    'RibbonDiffXml',
    null,
    el(
      'CustomActions',
      null,
      placed.map(([c, where], i) =>
        el(
          'CustomAction',
          { Id: `cspb.${table}.${c.id}.CustomAction`, Location: where.location, Sequence: 100 + i * 10 },
          el(
            'CommandUIDefinition',
            null,
            el('Button', {
              Id: `cspb.${table}.${c.id}.Button`,
              Command: `cspb.${table}.${c.id}.Command`,
              LabelText: `$LocLabels:${labelId(c, 'LabelText')}`,
              ToolTipTitle: `$LocLabels:${labelId(c, 'LabelText')}`,
              ToolTipDescription: `$LocLabels:${labelId(c, 'ToolTip')}`,
              Sequence: 100 + i * 10,
              TemplateAlias: 'o1',
            }),
          ),
        ),
      ),
    ),
    el('Templates', null, el('RibbonTemplates', { Id: 'Mscrm.Templates' })),
    el(
      'CommandDefinitions',
      null,
      placed.map(([c, where]) =>
        el(
          'CommandDefinition',
          { Id: `cspb.${table}.${c.id}.Command` },
          el('EnableRules'),
          el('DisplayRules'),
          el(
            'Actions',
            null,
            el(
              'JavaScriptFunction',
              { FunctionName: c.functionName, Library: `$webresource:${libraryOf(c)}` },
              where.parameter !== undefined && el('CrmParameter', { Value: where.parameter }),
            ),
          ),
        ),
      ),
    ),
    el('RuleDefinitions', null, el('TabDisplayRules'), el('DisplayRules'), el('EnableRules')),
    el(
      'LocLabels',
      null,
      commands.flatMap((c) => [
        el('LocLabel', { Id: labelId(c, 'LabelText') }, el('Titles', null, el('Title', { description: c.label, languagecode: LANGUAGE_CODE }))),
        el('LocLabel', { Id: labelId(c, 'ToolTip') }, el('Titles', null, el('Title', { description: c.tooltip, languagecode: LANGUAGE_CODE }))),
      ]),
    ),
  );
}
