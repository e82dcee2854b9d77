import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { JobMessage } from '../jobs/job';

/**
 * Where queued jobs go: an Azure Storage queue (Azurite locally, the same SDK and wire protocol).
 * Message text is base64 of the JSON, the Functions queue trigger's default encoding
 * (learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue, "Encoding").
 */
export interface JobQueue {
  send(message: JobMessage): Promise<void>;
}

/** The queue's name and the name the Functions runtime gives its poison queue. */
export const JOB_QUEUE = 'cspb-jobs';
export const poisonQueueOf = (name: string): string => `${name}-poison`;

export const encodeMessage = (message: unknown): string => Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
export const decodeMessage = (text: string): string => Buffer.from(text, 'base64').toString('utf8');

export class AzureJobQueue implements JobQueue {
  readonly queue: QueueClient;
  readonly poison: QueueClient;
  private ready: Promise<unknown> | undefined;

  constructor(connectionString: string, name = JOB_QUEUE) {
    const service = QueueServiceClient.fromConnectionString(connectionString);
    this.queue = service.getQueueClient(name);
    this.poison = service.getQueueClient(poisonQueueOf(name));
  }

  /** Creates both queues once (idempotent). */
  ensure(): Promise<unknown> {
    this.ready ??= Promise.all([this.queue.createIfNotExists(), this.poison.createIfNotExists()]);
    return this.ready;
  }

  async send(message: JobMessage): Promise<void> {
    await this.ensure();
    await this.queue.sendMessage(encodeMessage(message), message.delaySeconds ? { visibilityTimeout: message.delaySeconds } : {});
  }
}
