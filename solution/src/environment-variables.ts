import { el, leaf, type XmlElement } from '../../dataverse/src/codegen/xml';
import { LANGUAGE_CODE } from './publisher';

/**
 * Environment variable definitions: the settings admins set per environment. The XML copies the
 * shape of microsoft/powercat-business-approvals-kit's environmentvariabledefinition.xml.
 */
export const ENV_VAR_TYPE = { string: 100000000, number: 100000001, boolean: 100000002, json: 100000003, secret: 100000005 } as const;

export interface EnvironmentVariableDef {
  readonly schemaName: string;
  readonly displayName: string;
  readonly description: string;
  readonly type: (typeof ENV_VAR_TYPE)[keyof typeof ENV_VAR_TYPE];
  readonly defaultValue?: string;
  readonly required: boolean;
}

export const ENVIRONMENT_VARIABLES: readonly EnvironmentVariableDef[] = [
  {
    schemaName: 'cspb_ReconciliationTolerance',
    displayName: 'Reconciliation tolerance per unit',
    description: 'Variance per unit accepted as a match when a reconciliation run gives none (in the billing currency).',
    type: ENV_VAR_TYPE.number,
    defaultValue: '0.01',
    required: true,
  },
  {
    schemaName: 'cspb_DefaultCurrency',
    displayName: 'Default currency',
    description: 'ISO 4217 code proposed for new contracts, offers and imports.',
    type: ENV_VAR_TYPE.string,
    defaultValue: 'USD',
    required: true,
  },
  {
    schemaName: 'cspb_WebhookBaseUrl',
    displayName: 'Webhook base URL',
    description: 'HTTPS base URL of the CSP Billing webhook host (Azure Functions app); the deploy script points the service endpoint at it.',
    type: ENV_VAR_TYPE.string,
    required: true,
  },
];

const labelled = (name: string, text: string): XmlElement => el(name, { default: text }, el('label', { description: text, languagecode: LANGUAGE_CODE }));

export function environmentVariableXml(v: EnvironmentVariableDef): XmlElement {
  return el(
    'environmentvariabledefinition',
    { schemaname: v.schemaName },
    v.defaultValue !== undefined && leaf('defaultvalue', v.defaultValue),
    labelled('description', v.description),
    labelled('displayname', v.displayName),
    leaf('introducedversion', '1.0.0.0'),
    leaf('iscustomizable', 1),
    leaf('isrequired', v.required ? 1 : 0),
    leaf('secretstore', 0),
    leaf('type', v.type),
  );
}
