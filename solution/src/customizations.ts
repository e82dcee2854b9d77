import { extensions, tables } from '../../dataverse/src/schema';
import { bracedGuid } from '../../dataverse/src/codegen/stable-guid';
import { el, leaf, raw, renderXml, type XmlElement } from '../../dataverse/src/codegen/xml';
import { controlZipPath, webResourceZipPath, type SolutionInput } from './artifacts';
import { mainFormXml, type FormDef } from './form-xml';
import { subscriptionMainForm } from './forms/subscription-main';
import { LANGUAGE_CODE } from './publisher';

const FORMS: readonly FormDef[] = [subscriptionMainForm];

function entityXml(input: SolutionInput['tableParts'][number]): XmlElement {
  const extension = extensions.find((t) => t.logicalName === input.logicalName);
  if (extension) {
    return el('Entity', null, el('Name', { LocalizedName: extension.displayName, OriginalName: extension.displayName }, extension.schemaName), raw(input.entityInfo));
  }
  const table = tables.find((t) => t.logicalName === input.logicalName);
  if (!table) throw new Error(`no schema for generated part ${input.logicalName}`);
  const forms = FORMS.filter((f) => f.table === table.logicalName).map((f) => mainFormXml(table, f));
  return el(
    'Entity',
    null,
    el('Name', { LocalizedName: table.displayName, OriginalName: table.displayName }, table.schemaName),
    raw(input.entityInfo),
    forms.length > 0 && el('FormXml', null, forms),
  );
}


export function customizationsXml(input: SolutionInput): string {
  const root = el(
    'ImportExportXml',
    { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' },
    el('Entities', null, input.tableParts.map(entityXml)),
    el('Roles'),
    el('Workflows'),
    el('FieldSecurityProfiles'),
    el('Templates'),
    el('EntityMaps'),
    el('EntityRelationships', null, input.tableParts.filter((p) => p.relationships.trim() !== '').map((p) => raw(p.relationships))),
    el('OrganizationSettings'),
    el('optionsets'),
    el(
      'WebResources',
      null,
      input.webResources.map((w) =>
        el(
          'WebResource',
          null,
          leaf('WebResourceId', bracedGuid(`webresource/${w.name}`)),
          leaf('Name', w.name),
          leaf('DisplayName', w.displayName),
          leaf('LanguageCode', LANGUAGE_CODE),
          leaf('WebResourceType', w.type),
          leaf('IntroducedVersion', '1.0.0.0'),
          leaf('IsEnabledForMobileClient', 1),
          leaf('IsAvailableForMobileOffline', 1),
          leaf('IsCustomizable', 1),
          leaf('CanBeDeleted', 1),
          leaf('IsHidden', 0),
          leaf('FileName', '/' + webResourceZipPath(w.name)),
        ),
      ),
    ),
    el(
      'CustomControls',
      null,
      input.controls.map((c) =>
        el('CustomControl', null, leaf('Name', c.name), leaf('FileName', '/' + controlZipPath(c.name, 'ControlManifest.xml'))),
      ),
    ),
    el('EntityDataProviders'),
    el('Languages', null, leaf('Language', LANGUAGE_CODE)),
  );
  return renderXml(root, { declaration: true });
}
