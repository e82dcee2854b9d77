import { readFileSync } from 'node:fs';
import { ENVIRONMENT_VARIABLES } from '../../solution/src/environment-variables';
import {
  imageMessageProperty,
  imageTypeNumber,
  modeNumber,
  SERVICE_ENDPOINT,
  serviceEndpointId,
  SDK_MESSAGE_ID,
  STAGE_NUMBER,
  STEPS,
  stepId,
  stepImageId,
  stepName,
} from '../../solution/src/webhook';
import { COMPONENT_TYPE } from '../../solution/src/solution-manifest';
import { SOLUTION } from '../../solution/src/publisher';
import type { DeployOptions } from './options';
import { WebApi } from './webapi';

/** What a deploy does, in order; `--dry-run` prints it and stops. */
export type PlanStep =
  | { kind: 'import'; zip: string; managed: boolean }
  | { kind: 'publish' }
  | { kind: 'setVariable'; schemaName: string; value: string }
  | { kind: 'endpoint'; url: string | 'from cspb_WebhookBaseUrl'; key: 'given' | 'unchanged' }
  | { kind: 'step'; key: string; name: string };

export function deployPlan(options: DeployOptions, zipPath: string): PlanStep[] {
  for (const name of Object.keys(options.values)) {
    if (!ENVIRONMENT_VARIABLES.some((v) => v.schemaName === name)) throw new Error(`no environment variable ${name} in the solution`);
  }
  const base = options.values.cspb_WebhookBaseUrl;
  return [
    { kind: 'import', zip: zipPath, managed: options.managed },
    ...(options.managed ? [] : [{ kind: 'publish' } as const]),
    ...Object.entries(options.values)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([schemaName, value]) => ({ kind: 'setVariable', schemaName, value }) as const),
    { kind: 'endpoint', url: base ? base + SERVICE_ENDPOINT.path : 'from cspb_WebhookBaseUrl', key: options.webhookKey ? 'given' : 'unchanged' },
    ...STEPS.map((s) => ({ kind: 'step', key: s.key, name: stepName(s) }) as const),
  ];
}

export function describe(step: PlanStep): string {
  switch (step.kind) {
    case 'import':
      return `import ${step.zip} (${step.managed ? 'managed' : 'unmanaged'}) with ImportSolutionAsync and wait for the async operation`;
    case 'publish':
      return 'publish all customizations (PublishAllXml)';
    case 'setVariable':
      return `set environment variable ${step.schemaName} = ${step.value}`;
    case 'endpoint':
      return step.url === 'from cspb_WebhookBaseUrl'
        ? `point service endpoint "${SERVICE_ENDPOINT.name}" at the org's cspb_WebhookBaseUrl value + ${SERVICE_ENDPOINT.path} (WebhookKey: ${step.key})`
        : `point service endpoint "${SERVICE_ENDPOINT.name}" at ${step.url} (WebhookKey: ${step.key})`;
    case 'step':
      return `register step ${step.name}`;
  }
}

export interface RunContext {
  readonly api: WebApi;
  readonly log: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
}

/** asyncoperation statecode 3 = Completed; statuscode 30 Succeeded, 31 Failed, 32 Canceled. */
const COMPLETED = 3;
const SUCCEEDED = 30;

async function importSolution(ctx: RunContext, options: DeployOptions, zip: string): Promise<void> {
  const content = readFileSync(zip).toString('base64');
  const response = await ctx.api.request<{ AsyncOperationId: string; ImportJobKey?: string }>('POST', 'ImportSolutionAsync', {
    OverwriteUnmanagedCustomizations: true,
    PublishWorkflows: true,
    CustomizationFile: content,
  });
  const id = response?.AsyncOperationId;
  if (!id) throw new Error('ImportSolutionAsync returned no AsyncOperationId');
  ctx.log(`import started: async operation ${id}`);
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  for (;;) {
    const op = await ctx.api.request<{ statecode: number; statuscode: number; message?: string | null; friendlymessage?: string | null }>(
      'GET',
      `asyncoperations(${id})?$select=statecode,statuscode,message,friendlymessage`,
    );
    if (!op) throw new Error(`asyncoperations(${id}) returned nothing`);
    if (op.statecode === COMPLETED) {
      if (op.statuscode !== SUCCEEDED)
        throw new Error(`solution import failed (statuscode ${op.statuscode}): ${op.friendlymessage ?? op.message ?? 'no message'}`);
      ctx.log('import succeeded');
      return;
    }
    ctx.log(`import in progress (statuscode ${op.statuscode})`);
    if (Date.now() > deadline) throw new Error(`solution import still running after ${options.timeoutSeconds} s (async operation ${id})`);
    await ctx.sleep(options.pollSeconds * 1000);
  }
}

interface DefinitionRow {
  environmentvariabledefinitionid: string;
  defaultvalue?: string | null;
  environmentvariabledefinition_environmentvariablevalue?: Array<{ environmentvariablevalueid: string; value: string | null }>;
}

async function definition(ctx: RunContext, schemaName: string): Promise<DefinitionRow> {
  const rows = await ctx.api.request<{ value: DefinitionRow[] }>(
    'GET',
    `environmentvariabledefinitions?$select=environmentvariabledefinitionid,defaultvalue&$filter=schemaname eq '${schemaName}'` +
      '&$expand=environmentvariabledefinition_environmentvariablevalue($select=environmentvariablevalueid,value)',
  );
  const row = rows?.value[0];
  if (!row) throw new Error(`environment variable ${schemaName} is not in the organisation: did the import succeed?`);
  return row;
}

async function setVariable(ctx: RunContext, schemaName: string, value: string): Promise<void> {
  const def = await definition(ctx, schemaName);
  const existing = def.environmentvariabledefinition_environmentvariablevalue?.[0];
  if (existing) {
    await ctx.api.request('PATCH', `environmentvariablevalues(${existing.environmentvariablevalueid})`, { value });
  } else {
    await ctx.api.request('POST', 'environmentvariablevalues', {
      schemaname: `${schemaName}_value`,
      value,
      'EnvironmentVariableDefinitionId@odata.bind': `/environmentvariabledefinitions(${def.environmentvariabledefinitionid})`,
    });
  }
  ctx.log(`environment variable ${schemaName} set`);
}

async function currentValue(ctx: RunContext, schemaName: string): Promise<string | undefined> {
  const def = await definition(ctx, schemaName);
  return def.environmentvariabledefinition_environmentvariablevalue?.[0]?.value ?? def.defaultvalue ?? undefined;
}

async function upsertEndpoint(ctx: RunContext, url: string, key: string | undefined): Promise<void> {
  await ctx.api.request('PATCH', `serviceendpoints(${serviceEndpointId()})`, {
    name: SERVICE_ENDPOINT.name,
    description: SERVICE_ENDPOINT.description,
    contract: SERVICE_ENDPOINT.contract,
    connectionmode: SERVICE_ENDPOINT.connectionMode,
    authtype: SERVICE_ENDPOINT.authType,
    messageformat: SERVICE_ENDPOINT.messageFormat,
    userclaim: SERVICE_ENDPOINT.userClaim,
    url,
    ...(key ? { authvalue: key } : {}),
  });
  ctx.log(`service endpoint points at ${url}`);
}

async function upsertStep(ctx: RunContext, step: (typeof STEPS)[number], managed: boolean): Promise<void> {
  const messageId = SDK_MESSAGE_ID[step.message];
  const filters = await ctx.api.request<{ value: Array<{ sdkmessagefilterid: string }> }>(
    'GET',
    `sdkmessagefilters?$select=sdkmessagefilterid&$filter=primaryobjecttypecode eq '${step.table}' and _sdkmessageid_value eq ${messageId}`,
  );
  const filterId = filters?.value[0]?.sdkmessagefilterid;
  if (!filterId) throw new Error(`no sdkmessagefilter for ${step.message} of ${step.table}: is the table in the organisation?`);
  const id = stepId(step);
  await ctx.api.request('PATCH', `sdkmessageprocessingsteps(${id})`, {
    name: stepName(step),
    description: step.description,
    stage: STAGE_NUMBER[step.stage],
    mode: modeNumber(step),
    rank: 1,
    supporteddeployment: 0,
    invocationsource: 0,
    asyncautodelete: step.mode === 'async',
    filteringattributes: step.filteringAttributes?.join(',') ?? null,
    'sdkmessageid@odata.bind': `/sdkmessages(${messageId})`,
    'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${filterId})`,
    'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${serviceEndpointId()})`,
  });
  for (const image of step.images) {
    await ctx.api.request('PATCH', `sdkmessageprocessingstepimages(${stepImageId(step, image)})`, {
      name: image.name,
      entityalias: image.name,
      imagetype: imageTypeNumber(image),
      messagepropertyname: imageMessageProperty(step),
      attributes: image.attributes.join(','),
      'sdkmessageprocessingstepid@odata.bind': `/sdkmessageprocessingsteps(${id})`,
    });
  }
  // Registered here, not imported with the zip (solution/src/webhook.ts says why); an unmanaged
  // install keeps the step in the solution, so an export carries it.
  if (!managed) {
    await ctx.api.request('POST', 'AddSolutionComponent', {
      ComponentId: id,
      ComponentType: COMPONENT_TYPE.sdkMessageProcessingStep,
      SolutionUniqueName: SOLUTION.uniqueName,
      AddRequiredComponents: false,
    });
  }
  ctx.log(`step registered: ${stepName(step)}`);
}

/**
 * What a dry run can already tell the admin will be left undone: without a webhook base URL the
 * endpoint and its steps are not configured, and without a key the endpoint cannot authenticate,
 * and then every subscription save fails (its validation step runs on the webhook host).
 */
export function planWarnings(options: DeployOptions): string[] {
  const warnings: string[] = [];
  if (!options.values.cspb_WebhookBaseUrl)
    warnings.push(
      'no --webhook-base-url: the endpoint and its steps are configured only if the org already has cspb_WebhookBaseUrl; until they are, subscription saves fail (their validation runs on the webhook host)',
    );
  if (!options.webhookKey)
    warnings.push('CSPB_WEBHOOK_KEY is not set: the endpoint keeps its current key (none on a first install), and the host refuses calls without one');
  return warnings;
}

/** Runs the plan against the organisation. Returns warnings (things left for the admin). */
export async function runPlan(ctx: RunContext, options: DeployOptions, plan: readonly PlanStep[]): Promise<string[]> {
  const warnings: string[] = [];
  let endpointConfigured = false;
  for (const step of plan) {
    ctx.log(`- ${describe(step)}`);
    switch (step.kind) {
      case 'import':
        await importSolution(ctx, options, step.zip);
        break;
      case 'publish':
        await ctx.api.request('POST', 'PublishAllXml', {});
        ctx.log('published');
        break;
      case 'setVariable':
        await setVariable(ctx, step.schemaName, step.value);
        break;
      case 'endpoint': {
        const base = step.url === 'from cspb_WebhookBaseUrl' ? await currentValue(ctx, 'cspb_WebhookBaseUrl') : undefined;
        const url = step.url === 'from cspb_WebhookBaseUrl' ? (base ? base.replace(/\/+$/, '') + SERVICE_ENDPOINT.path : undefined) : step.url;
        if (!url) {
          warnings.push('cspb_WebhookBaseUrl has no value: the webhook endpoint and its steps were not configured (give --webhook-base-url)');
          break;
        }
        await upsertEndpoint(ctx, url, options.webhookKey);
        if (!options.webhookKey) warnings.push('CSPB_WEBHOOK_KEY not set: the endpoint keeps its current key (none on a first install)');
        endpointConfigured = true;
        break;
      }
      case 'step': {
        if (!endpointConfigured) break;
        const def = STEPS.find((s) => s.key === step.key)!;
        await upsertStep(ctx, def, options.managed);
        break;
      }
    }
  }
  return warnings;
}
