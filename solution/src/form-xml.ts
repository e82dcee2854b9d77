import type { ColumnDef, TableDef } from '../../dataverse/src/schema/types';
import { bracedGuid } from '../../dataverse/src/codegen/stable-guid';
import { el, leaf, type XmlElement } from '../../dataverse/src/codegen/xml';
import { LANGUAGE_CODE } from './publisher';

/** A hand-kept main form: sections of columns, plus the one script library and its OnLoad handler. */
export interface FormDef {
  readonly table: string;
  readonly name: string;
  readonly description: string;
  readonly sections: ReadonlyArray<{ readonly name: string; readonly label: string; readonly fields: readonly string[] }>;
  readonly library: string;
  /** Fully qualified function the OnLoad event calls with the execution context. */
  readonly onLoad: string;
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

const label = (text: string): XmlElement =>
  el('labels', null, el('label', { description: text, languagecode: LANGUAGE_CODE }));

function cell(form: FormDef, column: ColumnDef): XmlElement {
  return el(
    'cell',
    { id: bracedGuid(`${form.table}/form/${form.name}/cell/${column.logicalName}`), showlabel: 'true', locklevel: '0' },
    label(column.displayName),
    el('control', {
      id: column.logicalName,
      classid: CONTROL_CLASS_ID[column.type],
      datafieldname: column.logicalName,
      disabled: 'false',
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
  const key = `${form.table}/form/${form.name}`;
  const sections = form.sections.map((section) =>
    el(
      'section',
      { name: section.name, showlabel: 'true', showbar: 'false', IsUserDefined: '0', columns: '1', id: bracedGuid(`${key}/section/${section.name}`) },
      label(section.label),
      el('rows', null, section.fields.map((name) => el('row', null, cell(form, column(name))))),
    ),
  );
  return el(
    'forms',
    { type: 'main' },
    el(
      'systemform',
      null,
      leaf('formid', bracedGuid(key)),
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
        el('formLibraries', null, el('Library', { name: form.library, libraryUniqueId: bracedGuid(`${key}/library/${form.library}`) })),
        el(
          'events',
          null,
          el(
            'event',
            { name: 'onload', application: 'false', active: 'false' },
            el(
              'Handlers',
              null,
              el('Handler', {
                functionName: form.onLoad,
                libraryName: form.library,
                handlerUniqueId: bracedGuid(`${key}/handler/onload`),
                enabled: 'true',
                parameters: '',
                passExecutionContext: 'true',
              }),
            ),
          ),
        ),
      ),
      el('IsCustomizable', null, '1'),
      el('CanBeDeleted', null, '1'),
      el('LocalizedNames', null, el('LocalizedName', { description: form.name, languagecode: LANGUAGE_CODE })),
      el('Descriptions', null, el('Description', { description: form.description, languagecode: LANGUAGE_CODE })),
    ),
  );
}

