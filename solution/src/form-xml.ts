import type { ColumnDef, TableDef } from '../../dataverse/src/schema/types';
import { bracedGuid } from '../../dataverse/src/codegen/stable-guid';
import { el, leaf, type XmlElement } from '../../dataverse/src/codegen/xml';
import { LANGUAGE_CODE } from './publisher';
import { viewId } from './views';

/**
 * A hand-kept main form (solution/src/forms/*.ts). Everything a colleague adds later is one line:
 * a library in `libraries`, a handler in `handlers`, a PCF control on a field in `fieldControls`
 * or on a subgrid in its `control`.
 */
export interface FormDef {
  readonly table: string;
  readonly name: string;
  readonly description: string;
  readonly sections: readonly SectionDef[];
  /** Script web resources the form loads, in order. */
  readonly libraries: readonly string[];
  readonly handlers: readonly HandlerDef[];
  /** PCF controls bound to a column: column logical name -> control name and the manifest property it binds. */
  readonly fieldControls?: Readonly<Record<string, { readonly control: string; readonly property: string }>>;
  /** Columns the form shows read-only (what a job or the system writes): the control's `disabled` in the form XML. */
  readonly readOnly?: readonly string[];
}

export interface SectionDef {
  readonly name: string;
  readonly label: string;
  readonly fields?: readonly string[];
  readonly subgrids?: readonly SubgridDef[];
}

/** A subgrid of related rows (the one-to-many relationship from this table), optionally shown by a PCF data-set control. */
export interface SubgridDef {
  /** Control id on the form (unique within the form). */
  readonly id: string;
  readonly label: string;
  readonly targetTable: string;
  /** The lookup on the target table that points at this form's table. */
  readonly relationshipName: string;
  /** Key of the target table's view (views.ts) the subgrid shows. */
  readonly view: string;
  /** A PCF data-set control replacing the grid on web, tablet and phone, and its data-set name. */
  readonly control?: { readonly name: string; readonly dataSet: string };
}

export interface HandlerDef {
  readonly event: 'onload' | 'onsave' | 'onchange';
  /** Column an onchange handler listens to. */
  readonly attribute?: string;
  readonly functionName: string;
  readonly library: string;
}

/** Classic control class ids by column type (the ids Dataverse writes in every exported form). */
const CONTROL_CLASS_ID: Record<ColumnDef['type'], string> = {
  text: '{4273EDBD-AC1D-40d3-9FB2-095C621B552D}',
  wholeNumber: '{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}',
  choice: '{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}',
  dateOnly: '{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}',
  lookup: '{270BD3DB-D9AF-4782-9025-509E298DEC0A}',
  money: '{533B9E00-756B-4312-95A0-DC888637AC78}',
  decimal: '{C3EFE0C3-0EC6-42be-8349-CBD9079DFD8E}',
  boolean: '{B0C6723A-8503-4fd7-BB28-C8A06AC933C2}',
  memo: '{E0DECE4B-6FC8-4a8f-A065-082708572369}',
};
/** The subgrid control class and the default grid's custom control id, as real exports write them. */
export const SUBGRID_CLASS_ID = '{F9A8A302-114E-466A-B582-6771B2AE0D92}';
export const DEFAULT_GRID_CONTROL_ID = '{E7A81278-8635-4D9E-8D4D-59480B391C5B}';
/** Form factors a custom control is declared for: 0 web, 1 tablet, 2 phone. */
const FORM_FACTORS = [0, 1, 2] as const;

const label = (text: string): XmlElement => el('labels', null, el('label', { description: text, languagecode: LANGUAGE_CODE }));

const formKey = (form: FormDef): string => `${form.table}/form/${form.name}`;
export const formId = (form: FormDef): string => bracedGuid(formKey(form));
const fieldControlUniqueId = (form: FormDef, field: string): string => bracedGuid(`${formKey(form)}/control/${field}`);
const subgridUniqueId = (form: FormDef, grid: SubgridDef): string => bracedGuid(`${formKey(form)}/subgrid/${grid.id}`);

function fieldCell(form: FormDef, column: ColumnDef): XmlElement {
  const bound = form.fieldControls?.[column.logicalName];
  return el(
    'cell',
    { id: bracedGuid(`${formKey(form)}/cell/${column.logicalName}`), showlabel: 'true', locklevel: '0' },
    label(column.displayName),
    el('control', {
      id: column.logicalName,
      classid: CONTROL_CLASS_ID[column.type],
      datafieldname: column.logicalName,
      disabled: form.readOnly?.includes(column.logicalName) ? 'true' : 'false',
      uniqueid: bound ? fieldControlUniqueId(form, column.logicalName) : undefined,
    }),
  );
}

function subgridParameters(grid: SubgridDef): XmlElement[] {
  const view = viewId(grid.targetTable, grid.view);
  return [
    leaf('TargetEntityType', grid.targetTable),
    leaf('ViewId', view),
    leaf('ViewIds', view),
    leaf('EnableViewPicker', 'false'),
    leaf('RelationshipName', grid.relationshipName),
    leaf('RecordsPerPage', 25),
    leaf('IsUserView', 'false'),
    leaf('EnableQuickFind', 'false'),
    leaf('EnableJumpBar', 'false'),
    leaf('AutoExpand', 'Fixed'),
  ];
}

function subgridCell(form: FormDef, grid: SubgridDef): XmlElement {
  return el(
    'cell',
    { id: bracedGuid(`${formKey(form)}/cell/${grid.id}`), showlabel: 'true', locklevel: '0', rowspan: '12', colspan: '1', auto: 'false' },
    label(grid.label),
    el(
      'control',
      { id: grid.id, classid: SUBGRID_CLASS_ID, indicationOfSubgrid: 'true', uniqueid: subgridUniqueId(form, grid) },
      el('parameters', null, subgridParameters(grid)),
    ),
  );
}

/** `<controlDescriptions>`: the PCF controls that replace a field's or a subgrid's default control. */
function controlDescriptions(table: TableDef, form: FormDef): XmlElement | false {
  const fieldClassId = (field: string): string => {
    const column = table.columns.find((c) => c.logicalName === field);
    if (!column) throw new Error(`form ${form.name} of ${table.logicalName} binds a control to ${field}, which the table has no column for`);
    return CONTROL_CLASS_ID[column.type];
  };
  const descriptions: XmlElement[] = [];
  for (const [field, bound] of Object.entries(form.fieldControls ?? {})) {
    descriptions.push(
      el(
        'controlDescription',
        { forControl: fieldControlUniqueId(form, field) },
        // As real exports bind a field control: first the default control (the field's own classid,
        // no formFactor), used where the PCF control is not available, then one entry per form factor.
        el('customControl', { id: fieldClassId(field) }, el('parameters', null, leaf('datafieldname', field))),
        FORM_FACTORS.map((formFactor) => el('customControl', { formFactor, name: bound.control }, el('parameters', null, leaf(bound.property, field)))),
      ),
    );
  }
  for (const grid of form.sections.flatMap((s) => s.subgrids ?? [])) {
    if (!grid.control) continue;
    const view = viewId(grid.targetTable, grid.view);
    descriptions.push(
      el(
        'controlDescription',
        { forControl: subgridUniqueId(form, grid) },
        // The default grid without a formFactor (a second formFactor="0" entry, beside the PCF
        // control's own, is not what real exports carry), then the control on every form factor.
        el('customControl', { id: DEFAULT_GRID_CONTROL_ID }, el('parameters')),
        FORM_FACTORS.map((formFactor) =>
          el(
            'customControl',
            { formFactor, name: grid.control!.name },
            el(
              'parameters',
              null,
              el(
                'data-set',
                { name: grid.control!.dataSet },
                leaf('ViewId', view),
                leaf('IsUserView', 'false'),
                leaf('RelationshipName', grid.relationshipName),
                leaf('TargetEntityType', grid.targetTable),
                leaf('EnableViewPicker', 'false'),
                leaf('FilteredViewIds', view),
              ),
            ),
          ),
        ),
      ),
    );
  }
  return descriptions.length > 0 && el('controlDescriptions', null, descriptions);
}

function events(form: FormDef): XmlElement | false {
  const key = formKey(form);
  const groups = new Map<string, HandlerDef[]>();
  for (const h of form.handlers) {
    if (!form.libraries.includes(h.library)) throw new Error(`form ${form.name}: handler ${h.functionName} uses ${h.library}, which the form does not load`);
    if ((h.event === 'onchange') !== (h.attribute !== undefined))
      throw new Error(`form ${form.name}: ${h.functionName}: onchange handlers (and only they) name a column`);
    const group = `${h.event}|${h.attribute ?? ''}`;
    groups.set(group, [...(groups.get(group) ?? []), h]);
  }
  if (groups.size === 0) return false;
  return el(
    'events',
    null,
    [...groups].map(([group, handlers]) => {
      const [event, attribute] = group.split('|') as [string, string];
      return el(
        'event',
        { name: event, application: 'false', active: 'false', attribute: attribute === '' ? undefined : attribute },
        el(
          'Handlers',
          null,
          handlers.map((h) =>
            el('Handler', {
              functionName: h.functionName,
              libraryName: h.library,
              handlerUniqueId: bracedGuid(`${key}/handler/${h.event}/${h.attribute ?? ''}/${h.functionName}`),
              enabled: 'true',
              parameters: '',
              passExecutionContext: 'true',
            }),
          ),
        ),
      );
    }),
  );
}

/** The `<forms type="main">` element for one table. */
export function mainFormXml(table: TableDef, form: FormDef): XmlElement {
  const columnsByName = new Map(table.columns.map((c) => [c.logicalName, c]));
  const column = (name: string): ColumnDef => {
    const found = columnsByName.get(name);
    if (!found) throw new Error(`form ${form.name} places ${name}, which ${table.logicalName} does not have`);
    return found;
  };
  for (const field of Object.keys(form.fieldControls ?? {})) column(field);
  const key = formKey(form);
  const sections = form.sections.map((section) =>
    el(
      'section',
      { name: section.name, showlabel: 'true', showbar: 'false', IsUserDefined: '0', columns: '1', id: bracedGuid(`${key}/section/${section.name}`) },
      label(section.label),
      el('rows', null, [
        ...(section.fields ?? []).map((name) => el('row', null, fieldCell(form, column(name)))),
        ...(section.subgrids ?? []).map((grid) => el('row', null, subgridCell(form, grid))),
      ]),
    ),
  );
  return el(
    'forms',
    { type: 'main' },
    el(
      'systemform',
      null,
      leaf('formid', formId(form)),
      leaf('IntroducedVersion', '1.0.0.0'),
      leaf('FormPresentation', 1),
      leaf('FormActivationState', 1),
      el(
        'form',
        null,
        el(
          'tabs',
          null,
          el(
            'tab',
            { name: 'general', verticallayout: 'true', id: bracedGuid(`${key}/tab/general`), IsUserDefined: '0' },
            label('General'),
            el('columns', null, el('column', { width: '100%' }, el('sections', null, sections))),
          ),
        ),
        form.libraries.length > 0 &&
          el(
            'formLibraries',
            null,
            form.libraries.map((library) => el('Library', { name: library, libraryUniqueId: bracedGuid(`${key}/library/${library}`) })),
          ),
        events(form),
        controlDescriptions(table, form),
      ),
      el('IsCustomizable', null, '1'),
      el('CanBeDeleted', null, '1'),
      el('LocalizedNames', null, el('LocalizedName', { description: form.name, languagecode: LANGUAGE_CODE })),
      el('Descriptions', null, el('Description', { description: form.description, languagecode: LANGUAGE_CODE })),
    ),
  );
}

/** Web resources and controls a form refers to, for the completeness checks. */
export function formReferences(form: FormDef): { webResources: string[]; controls: string[] } {
  return {
    webResources: [...form.libraries],
    controls: [
      ...Object.values(form.fieldControls ?? {}).map((c) => c.control),
      ...form.sections.flatMap((s) => s.subgrids ?? []).flatMap((g) => (g.control ? [g.control.name] : [])),
    ],
  };
}
