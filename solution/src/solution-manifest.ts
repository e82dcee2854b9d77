import { el, leaf, renderXml } from '../../dataverse/src/codegen/xml';
import type { SolutionInput } from './artifacts';
import { APP } from './app-module';
import { DASHBOARDS, dashboardId } from './dashboards';
import { ENVIRONMENT_VARIABLES } from './environment-variables';
import { LANGUAGE_CODE, PUBLISHER, SOLUTION } from './publisher';
import { ROLES, roleId } from './roles';
import { serviceEndpointId } from './webhook';

/**
 * Root component types of solution.xml (Dataverse componenttype values). Table forms (60), views
 * (26) and charts (59) are not listed: they travel with their table (behavior 0). A dashboard is a
 * system form of no table, so it is a root component of its own (type 60, by form id).
 */
export const COMPONENT_TYPE = {
  entity: 1,
  role: 20,
  webResource: 61,
  systemForm: 60,
  siteMap: 62,
  customControl: 66,
  appModule: 80,
  sdkMessageProcessingStep: 92,
  serviceEndpoint: 95,
  environmentVariableDefinition: 380,
} as const;

export interface RootComponent {
  readonly type: number;
  readonly schemaName?: string;
  readonly id?: string;
  readonly behavior: number;
}

const localized = (wrapper: string, item: string, text: string) => el(wrapper, null, el(item, { description: text, languagecode: LANGUAGE_CODE }));

/**
 * Root component behaviour: 0 includes the whole table; 2 ships an existing table as a shell
 * carrying only the columns we add (importing never overwrites Dataverse's account).
 */
export function rootComponentsOf(input: SolutionInput): RootComponent[] {
  return [
    ...input.tableParts.map((t) => ({ type: COMPONENT_TYPE.entity, schemaName: t.logicalName, behavior: t.existing ? 2 : 0 })),
    ...ROLES.map((r) => ({ type: COMPONENT_TYPE.role, id: roleId(r), behavior: 0 })),
    ...input.webResources.map((w) => ({ type: COMPONENT_TYPE.webResource, schemaName: w.name, behavior: 0 })),
    ...DASHBOARDS.map((d) => ({ type: COMPONENT_TYPE.systemForm, id: dashboardId(d), behavior: 0 })),
    { type: COMPONENT_TYPE.siteMap, schemaName: APP.uniqueName, behavior: 0 },
    ...input.controls.map((c) => ({ type: COMPONENT_TYPE.customControl, schemaName: c.name, behavior: 0 })),
    { type: COMPONENT_TYPE.appModule, schemaName: APP.uniqueName, behavior: 0 },
    { type: COMPONENT_TYPE.serviceEndpoint, id: `{${serviceEndpointId()}}`, behavior: 0 },
    ...ENVIRONMENT_VARIABLES.map((v) => ({ type: COMPONENT_TYPE.environmentVariableDefinition, schemaName: v.schemaName, behavior: 0 })),
  ];
}

export function solutionXml(input: SolutionInput): string {
  const root = el(
    'ImportExportXml',
    {
      version: '9.2.0.0',
      SolutionPackageVersion: '9.2',
      languagecode: LANGUAGE_CODE,
      generatedBy: 'CrmLive',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    },
    el(
      'SolutionManifest',
      null,
      leaf('UniqueName', SOLUTION.uniqueName),
      localized('LocalizedNames', 'LocalizedName', SOLUTION.displayName),
      localized('Descriptions', 'Description', SOLUTION.description),
      leaf('Version', input.version),
      leaf('Managed', input.managed ? 1 : 0),
      el(
        'Publisher',
        null,
        leaf('UniqueName', PUBLISHER.uniqueName),
        localized('LocalizedNames', 'LocalizedName', PUBLISHER.displayName),
        localized('Descriptions', 'Description', PUBLISHER.description),
        el('EMailAddress', { 'xsi:nil': 'true' }),
        el('SupportingWebsiteUrl', { 'xsi:nil': 'true' }),
        leaf('CustomizationPrefix', PUBLISHER.prefix),
        leaf('CustomizationOptionValuePrefix', PUBLISHER.optionValuePrefix),
        el('Addresses'),
      ),
      el(
        'RootComponents',
        null,
        rootComponentsOf(input).map((c) => el('RootComponent', { type: c.type, schemaName: c.schemaName, id: c.id, behavior: c.behavior })),
      ),
      el('MissingDependencies'),
    ),
  );
  return renderXml(root, { declaration: true });
}
