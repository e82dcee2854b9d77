import { stableGuid } from '../../dataverse/src/codegen/stable-guid';
import { el, leaf, type XmlElement } from '../../dataverse/src/codegen/xml';
import { STEPS, type StepDef, type StepImageDef, type StepStage } from '../../dataverse/src/schema/steps';

/**
 * The webhook registration. The solution carries the ServiceEndpoint (contract Webhook,
 * authentication WebhookKey) with a placeholder URL, and no steps: `npm run deploy` points the
 * endpoint at cspb_WebhookBaseUrl, sets its key (a secret never in the zip), then registers the
 * steps of the one step table (dataverse/src/schema/steps.ts). Why the zip carries no steps: a
 * step imported with the solution is enabled at once, and CustomizationsSolution.xsd gives
 * SdkMessageProcessingStep no state element to ship it disabled (tests/solution/webhook.test.ts
 * reads the schema), so a portal import would send every subscription save to the placeholder
 * URL and fail it until the deploy script ran.
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
/** sdkmessageprocessingstep.stage: 10 PreValidation, 20 PreOperation, 40 PostOperation. */
export const STAGE_NUMBER: Readonly<Record<StepStage, number>> = { PreValidation: 10, PreOperation: 20, PostOperation: 40 };
/** sdkmessageprocessingstep.mode: 0 synchronous, 1 asynchronous. */
export const modeNumber = (step: StepDef): 0 | 1 => (step.mode === 'sync' ? 0 : 1);
/** sdkmessageprocessingstepimage.imagetype: 0 pre-image, 1 post-image. */
export const imageTypeNumber = (image: StepImageDef): 0 | 1 => (image.type === 'pre' ? 0 : 1);
/** An image's message property: Create posts its image on the created record's "Id", Update on "Target". */
export const imageMessageProperty = (step: StepDef): 'Id' | 'Target' => (step.message === 'Create' ? 'Id' : 'Target');

export { STEPS, type StepDef };

export const stepId = (step: StepDef): string => stableGuid(`sdkmessageprocessingstep/${step.key}`);
export const stepImageId = (step: StepDef, image: StepImageDef): string => stableGuid(`sdkmessageprocessingstepimage/${step.key}/${image.name}`);
export const stepName = (step: StepDef): string => `CSP Billing: ${step.message} of ${step.table} (${step.stage}, ${step.mode})`;

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
