import { extensions, tables } from '../../dataverse/src/schema';
import { bracedGuid } from '../../dataverse/src/codegen/stable-guid';
import { el, leaf, raw, renderXml, type XmlElement } from '../../dataverse/src/codegen/xml';
import { appModuleSiteMapXml, appModuleXml } from './app-module';
import { controlZipPath, webResourceZipPath, type SolutionInput } from './artifacts';
import { CHARTS, visualizationXml } from './charts';
import { DASHBOARDS, dashboardXml } from './dashboards';
import { ENVIRONMENT_VARIABLES, environmentVariableXml } from './environment-variables';
import { formReferences, mainFormXml } from './form-xml';
import { FORMS } from './forms';
import { LANGUAGE_CODE } from './publisher';
import { ribbonDiffXml } from './ribbon';
import { ROLES, roleXml } from './roles';
import { savedQueryXml, viewsOf } from './views';
import { serviceEndpointXml } from './webhook';

/** Fails the pack when a form loads a web resource or control the solution does not carry. */
function checkFormReferences(input: SolutionInput): void {
  const webResources = new Set(input.webResources.map((w) => w.name));
  const controls = new Set(input.controls.map((c) => c.name));
  for (const form of FORMS) {
    const refs = formReferences(form);
    for (const w of refs.webResources) if (!webResources.has(w)) throw new Error(`form ${form.name} loads ${w}, which the solution does not carry`);
    for (const c of refs.controls) if (!controls.has(c)) throw new Error(`form ${form.name} binds ${c}, which the solution does not carry`);
    for (const grid of form.sections.flatMap((s) => s.subgrids ?? [])) {
      const target = tables.find((t) => t.logicalName === grid.targetTable);
      const lookup = target?.columns.find((c) => c.type === 'lookup' && c.relationshipName === grid.relationshipName);
      if (!lookup || lookup.type !== 'lookup' || lookup.target !== form.table) {
        throw new Error(`form ${form.name}: subgrid ${grid.id} needs a lookup ${grid.relationshipName} on ${grid.targetTable} to ${form.table}`);
      }
    }
  }
}

function entityXml(input: SolutionInput['tableParts'][number]): XmlElement {
  const extension = extensions.find((t) => t.logicalName === input.logicalName);
  if (extension) {
    return el(
      'Entity',
      null,
      el('Name', { LocalizedName: extension.displayName, OriginalName: extension.displayName }, extension.schemaName),
      raw(input.entityInfo),
    );
  }
  const table = tables.find((t) => t.logicalName === input.logicalName);
  if (!table) throw new Error(`no schema for generated part ${input.logicalName}`);
  const forms = FORMS.filter((f) => f.table === table.logicalName).map((f) => mainFormXml(table, f));
  const views = viewsOf(table.logicalName);
  const charts = CHARTS.filter((c) => c.table === table.logicalName);
  return el(
    'Entity',
    null,
    el('Name', { LocalizedName: table.displayName, OriginalName: table.displayName }, table.schemaName),
    raw(input.entityInfo),
    forms.length > 0 && el('FormXml', null, forms),
    views.length > 0 && el('SavedQueries', null, el('savedqueries', null, views.map(savedQueryXml))),
    charts.length > 0 && el('Visualizations', null, charts.map(visualizationXml)),
    ribbonDiffXml(table.logicalName),
  );
}

/**
 * A script's web-resource dependencies, as the text of `<DependencyXml>` (the element holds escaped
 * XML, as in ../shared/samples/solutions/powercat-business-approvals-kit/WebResources_*.data.xml).
 */
function dependencyXml(names: readonly string[], input: SolutionInput): string {
  const libraries = names.map((name) => {
    const target = input.webResources.find((w) => w.name === name);
    if (!target) throw new Error(`web resource dependency ${name} is not in the solution`);
    return `<Library name="${name}" displayName="${target.displayName}" languagecode="${target.languageCode ?? ''}" description="" libraryUniqueId="${bracedGuid(`webresource-dependency/${name}`)}" />`;
  });
  return `<Dependencies><Dependency componentType="WebResource">${libraries.join('')}</Dependency></Dependencies>`;
}

export function customizationsXml(input: SolutionInput): string {
  checkFormReferences(input);
  const root = el(
    'ImportExportXml',
    { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' },
    el('Entities', null, input.tableParts.map(entityXml)),
    el('Roles', null, ROLES.map(roleXml)),
    el('Workflows'),
    el('FieldSecurityProfiles'),
    el('Templates'),
    el('EntityMaps'),
    el(
      'EntityRelationships',
      null,
      input.tableParts.filter((p) => p.relationships.trim() !== '').map((p) => raw(p.relationships)),
    ),
    el('OrganizationSettings'),
    el('optionsets'),
    el('Dashboards', null, DASHBOARDS.map(dashboardXml)),
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
          leaf('LanguageCode', w.languageCode ?? LANGUAGE_CODE),
          leaf('WebResourceType', w.type),
          leaf('IntroducedVersion', '1.0.0.0'),
          leaf('IsEnabledForMobileClient', 1),
          leaf('IsAvailableForMobileOffline', 1),
          w.dependsOn?.length ? leaf('DependencyXml', dependencyXml(w.dependsOn, input)) : null,
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
      input.controls.map((c) => el('CustomControl', null, leaf('Name', c.name), leaf('FileName', '/' + controlZipPath(c.name, 'ControlManifest.xml')))),
    ),
    el('ServiceEndpoints', null, serviceEndpointXml()),
    el('AppModuleSiteMaps', null, appModuleSiteMapXml()),
    el('AppModules', null, appModuleXml()),
    el('EntityDataProviders'),
    el('environmentvariabledefinitions', null, ENVIRONMENT_VARIABLES.map(environmentVariableXml)),
    el('Languages', null, leaf('Language', LANGUAGE_CODE)),
  );
  return renderXml(root, { declaration: true });
}
