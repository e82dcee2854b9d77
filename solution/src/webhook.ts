import { bracedGuid, stableGuid } from '../../dataverse/src/codegen/stable-guid';
import { el, leaf, type XmlElement } from '../../dataverse/src/codegen/xml';

/**
 * The webhook registration: one ServiceEndpoint (contract Webhook, authentication WebhookKey)
 * and the SdkMessageProcessingSteps that call it. The solution ships them with a placeholder URL
 * and no key; `npm run deploy` points the endpoint at the environment variable cspb_WebhookBaseUrl
 * and sets the key (a secret never in the zip). Element order follows CustomizationsSolution.xsd.
 */
export const SERVICE_ENDPOINT = {
  key: 'cspb_webhook',
  name: 'CSP Billing webhook host',
  description: 'Azure Functions app that runs the CSP Billing handlers (subscription ledger, import, reconciliation, invoicing).',
  /** serviceendpoint.contract: 8 = Webhook. */
  contract: 8,
  /** serviceendpoint.authtype: 4 = WebhookKey (sent as the x-functions-key / code the host checks). */
  authType: 4,
  /** serviceendpoint.messageformat: 2 = JSON. */
  messageFormat: 2,
  /** serviceendpoint.connectionmode: 1 = Normal. */
  connectionMode: 1,
  /** serviceendpoint.userclaim: 1 = None. */
  userClaim: 1,
  /** Path under the webhook base URL the host listens on. */
  path: '/api/dataverse',
  /** Shipped URL until the deploy script sets the real one (.invalid never resolves). */
  placeholderUrl: 'https://webhook-host.invalid/api/dataverse',
} as const;

export const serviceEndpointId = (): string => stableGuid(`serviceendpoint/${SERVICE_ENDPOINT.key}`);

/** sdkmessage ids are the same in every Dataverse organisation. */
export const SDK_MESSAGE_ID = { Create: '9ebdbb1b-ea3e-db11-86a7-000a3a5473e8', Update: '20bebb1b-ea3e-db11-86a7-000a3a5473e8' } as const;
/** Stage: 20 PreOperation, 40 PostOperation. Mode: 0 synchronous, 1 asynchronous. */
export const STAGE = { preOperation: 20, postOperation: 40 } as const;
export const MODE = { sync: 0, async: 1 } as const;
/** Image type: 0 pre-image, 1 post-image. */
export const IMAGE_TYPE = { pre: 0, post: 1 } as const;
/** The object type code of serviceendpoint: a step's event handler is a service endpoint. */
export const SERVICE_ENDPOINT_TYPE_CODE = 4618;

export interface StepImage {
  readonly name: string;
  readonly alias: string;
  readonly type: (typeof IMAGE_TYPE)[keyof typeof IMAGE_TYPE];
  /** Create posts its image on the created record's "Id"; Update on "Target". */
  readonly messageProperty: 'Target' | 'Id';
  readonly attributes: readonly string[];
}

export interface StepDef {
  readonly key: string;
  readonly message: keyof typeof SDK_MESSAGE_ID;
  readonly table: string;
  readonly stage: (typeof STAGE)[keyof typeof STAGE];
  readonly mode: (typeof MODE)[keyof typeof MODE];
  readonly description: string;
  readonly filteringAttributes?: readonly string[];
  readonly images: readonly StepImage[];
}

const SUBSCRIPTION_IMAGE_COLUMNS = [
  'cspb_quantity', 'cspb_status', 'cspb_customerunitprice', 'cspb_vendorunitcost', 'cspb_currencycode', 'cspb_changeeffectivedate',
  'cspb_changereason', 'cspb_termstartdate', 'cspb_termenddate', 'cspb_autorenew', 'cspb_offerid', 'cspb_customerid', 'cspb_vendorsubscriptionid',
];
const preImage: StepImage = { name: 'PreImage', alias: 'PreImage', type: IMAGE_TYPE.pre, messageProperty: 'Target', attributes: SUBSCRIPTION_IMAGE_COLUMNS };
const postImage = (messageProperty: 'Target' | 'Id'): StepImage => ({ name: 'PostImage', alias: 'PostImage', type: IMAGE_TYPE.post, messageProperty, attributes: SUBSCRIPTION_IMAGE_COLUMNS });

export const STEPS: readonly StepDef[] = [
  { key: 'subscription-create-validate', message: 'Create', table: 'cspb_subscription', stage: STAGE.preOperation, mode: MODE.sync, description: 'Validates a new subscription before it is saved.', images: [] },
  {
    key: 'subscription-update-validate', message: 'Update', table: 'cspb_subscription', stage: STAGE.preOperation, mode: MODE.sync,
    description: 'Validates a subscription change (quantity, NCE window) before it is saved.', filteringAttributes: SUBSCRIPTION_IMAGE_COLUMNS, images: [preImage],
  },
  { key: 'subscription-create-ledger', message: 'Create', table: 'cspb_subscription', stage: STAGE.postOperation, mode: MODE.sync, description: 'Appends the "new" ledger row in the same transaction.', images: [postImage('Id')] },
  {
    key: 'subscription-update-ledger', message: 'Update', table: 'cspb_subscription', stage: STAGE.postOperation, mode: MODE.sync,
    description: 'Appends the ledger row for the change in the same transaction.', filteringAttributes: SUBSCRIPTION_IMAGE_COLUMNS, images: [preImage, postImage('Target')],
  },
  { key: 'billingimport-create', message: 'Create', table: 'cspb_billingimport', stage: STAGE.postOperation, mode: MODE.async, description: 'Parses an uploaded bill and writes its lines.', images: [] },
  { key: 'reconciliationrun-create', message: 'Create', table: 'cspb_reconciliationrun', stage: STAGE.postOperation, mode: MODE.async, description: 'Reconciles the import against the ledger and writes the discrepancies.', images: [] },
  { key: 'invoicerun-create', message: 'Create', table: 'cspb_invoicerun', stage: STAGE.postOperation, mode: MODE.async, description: 'Generates draft invoices for the period.', images: [] },
];

export const stepId = (step: StepDef): string => stableGuid(`sdkmessageprocessingstep/${step.key}`);
export const stepImageId = (step: StepDef, image: StepImage): string => stableGuid(`sdkmessageprocessingstepimage/${step.key}/${image.name}`);
const STAGE_NAME: Record<number, string> = { 20: 'PreOperation', 40: 'PostOperation' };
export const stepName = (step: StepDef): string =>
  `CSP Billing: ${step.message} of ${step.table} (${STAGE_NAME[step.stage]}, ${step.mode === MODE.sync ? 'sync' : 'async'})`;

export function serviceEndpointXml(): XmlElement {
  return el(
    'ServiceEndpoint',
    { ServiceEndpointId: `{${serviceEndpointId()}}`, Name: SERVICE_ENDPOINT.name },
    leaf('ConnectionMode', SERVICE_ENDPOINT.connectionMode),
    leaf('Contract', SERVICE_ENDPOINT.contract),
    leaf('Description', SERVICE_ENDPOINT.description),
    leaf('UserClaim', SERVICE_ENDPOINT.userClaim),
    leaf('IsCustomizable', 1),
    leaf('AuthType', SERVICE_ENDPOINT.authType),
    leaf('MessageFormat', SERVICE_ENDPOINT.messageFormat),
    leaf('Url', SERVICE_ENDPOINT.placeholderUrl),
  );
}

export function stepXml(step: StepDef): XmlElement {
  return el(
    'SdkMessageProcessingStep',
    { SdkMessageProcessingStepId: `{${stepId(step)}}`, Name: stepName(step) },
    leaf('PrimaryEntity', step.table),
    leaf('AsyncAutoDelete', step.mode === MODE.async ? 1 : 0),
    leaf('Description', step.description),
    step.filteringAttributes && leaf('FilteringAttributes', step.filteringAttributes.join(',')),
    leaf('InvocationSource', 0),
    leaf('Mode', step.mode),
    leaf('Rank', 1),
    leaf('SdkMessageId', `{${SDK_MESSAGE_ID[step.message]}}`),
    leaf('EventHandler', `{${serviceEndpointId()}}`),
    leaf('EventHandlerTypeCode', SERVICE_ENDPOINT_TYPE_CODE),
    leaf('Stage', step.stage),
    leaf('IsCustomizable', 1),
    leaf('IsHidden', 0),
    leaf('SupportedDeployment', 0),
    leaf('IntroducedVersion', '1.0.0.0'),
    step.images.length > 0 &&
      el(
        'SdkMessageProcessingStepImages',
        null,
        step.images.map((image) =>
          el(
            'SdkMessageProcessingStepImage',
            { Name: image.name },
            leaf('SdkMessageProcessingStepImageId', `{${stepImageId(step, image)}}`),
            leaf('Attributes', image.attributes.join(',')),
            leaf('EntityAlias', image.alias),
            leaf('ImageType', image.type),
            leaf('MessagePropertyName', image.messageProperty),
            leaf('IsCustomizable', 1),
            leaf('IntroducedVersion', '1.0.0.0'),
          ),
        ),
      ),
  );
}

/** Braced ids, for customizations.xml cross-checks. */
export const bracedStepId = (step: StepDef): string => bracedGuid(`sdkmessageprocessingstep/${step.key}`);
