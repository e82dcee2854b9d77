import { el, type XmlElement } from '../../dataverse/src/codegen/xml';
import { LANGUAGE_CODE } from './publisher';

/**
 * Command-bar buttons on the main forms: each calls a function of the `Cspb.Commands` bundle
 * with the form context (`PrimaryControl`), the way Dataverse's classic ribbon commands do. The
 * functions create the run record the plugins act on and show progress until it completes.
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

const labelId = (c: FormCommand, part: string) => `cspb.${c.table}.${c.id}.${part}`;

/** `<RibbonDiffXml>` of one table's main form, or null when it has no commands. */
export function ribbonDiffXml(table: string): XmlElement | null {
  const commands = FORM_COMMANDS.filter((c) => c.table === table);
  if (commands.length === 0) return null;
  return el(
    'RibbonDiffXml',
    null,
    el(
      'CustomActions',
      null,
      commands.map((c, i) =>
        el(
          'CustomAction',
          { Id: `cspb.${table}.${c.id}.CustomAction`, Location: `Mscrm.Form.${table}.MainTab.Save.Controls._children`, Sequence: 100 + i * 10 },
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
      commands.map((c) =>
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
              el('CrmParameter', { Value: 'PrimaryControl' }),
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
