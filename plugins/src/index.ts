export { authenticate, safeEqual, type WebhookAuth } from './auth';
export { ContextError, parseRemoteExecutionContext, parseWcfDate, toReadShape, type ParsedEntity, type WebhookContext } from './context';
export { WebhookHost, deliveryKey, isSelfTriggered, SIZE_EXCEEDED_HEADER, type HostRequest, type HostResponse, type WebhookHostOptions } from './host';
export { startWebhookServer, type RunningWebhookServer } from './node-server';
export { registerPlugins, findStep, firstJobMessage, type BoundStep } from './steps';
export {
  DataverseBillFileSource,
  MemoryBillFileSource,
  billingImportJob,
  IMPORT_CHUNK_LINES,
  type BillFile,
  type BillFileSource,
} from './handlers/billing-import';
export { recordSubscriptionChange, validateSubscription } from './handlers/subscription';
export { reconciliationRunJob, RECON_CHUNK_ITEMS } from './handlers/reconciliation';
export { discrepancyKeyOf } from '../../dataverse/src/runs';
export { invoiceRunJob } from './handlers/invoice';
export { JobFailure, parseJobMessage, type Job, type JobKind, type JobMessage } from './jobs/job';
export { failJob, JOBS, runChunk, runJobToEnd, runMessage } from './jobs/runner';
export { AzureJobQueue, JOB_QUEUE, type JobQueue } from './queue/job-queue';
export { BlobPartStore, PARTS_CONTAINER, type PartStore } from './jobs/part-store';
export { QueueWorker, markPoisoned, type QueueWorkerOptions } from './queue/worker';
export { readSettings, SettingsError, type HostSettings } from './settings';
export { billLineToRow, lineKeyOf, rowToBillLine } from '../../dataverse/src/mappers/bill-lines';
export { fromPluginContext, fromWebhookContext, ValidationError, type Handler, type HandlerContext, type HandlerDeps } from './handlers/types';
