import type { QueueClient } from '@azure/storage-queue';
import type { DataverseClient } from '../../../dataverse/src/client/types';
import type { HandlerDeps } from '../handlers/types';
import { JobMessageError, parseJobMessage, type JobMessage } from '../jobs/job';
import { failJob, runMessage } from '../jobs/runner';
import { AzureJobQueue, decodeMessage } from './job-queue';

/**
 * A queue worker with the Azure Functions queue trigger's semantics, for where the Functions
 * runtime is not (the workbench, tests): a message is invisible while it is worked on (its
 * visibility renewed at half the timeout), deleted when the chunk is done, redelivered when the
 * worker fails or dies, and moved to the poison queue after `maxDequeueCount` deliveries (5, the
 * runtime's default), where its job's row is marked failed with the last error.
 */
export interface QueueWorkerOptions {
  readonly queue: AzureJobQueue;
  readonly client: DataverseClient;
  readonly deps?: HandlerDeps;
  readonly maxDequeueCount?: number;
  readonly visibilityTimeoutSeconds?: number;
  /** Idle wait between empty polls (ms). */
  readonly pollMs?: number;
  readonly log?: (line: string) => void;
}

export class QueueWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly lastErrors = new Map<string, string>();
  /** Chunks done, messages poisoned (for tests and logs). */
  readonly stats = { chunks: 0, failures: 0, poisoned: 0 };

  constructor(private readonly options: QueueWorkerOptions) {}

  private get queue(): QueueClient {
    return this.options.queue.queue;
  }

  /** Works one message if one is visible; false when the queue had none. */
  async processOne(): Promise<boolean> {
    await this.options.queue.ensure();
    const visibility = this.options.visibilityTimeoutSeconds ?? 60;
    const received = await this.queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: visibility });
    const item = received.receivedMessageItems[0];
    if (!item) return false;
    let popReceipt = item.popReceipt;
    const text = decodeMessage(item.messageText);
    const max = this.options.maxDequeueCount ?? 5;
    if (item.dequeueCount > max) {
      await this.poison(text, item.messageId, popReceipt);
      return true;
    }
    let message: JobMessage;
    try {
      message = parseJobMessage(text);
    } catch (error) {
      if (!(error instanceof JobMessageError)) throw error;
      this.lastErrors.set(item.messageId, error.message);
      await this.poison(text, item.messageId, popReceipt);
      return true;
    }
    // Keep the message invisible while the chunk runs, as the Functions runtime does.
    const renew = setInterval(
      () => {
        this.queue
          .updateMessage(item.messageId, popReceipt, undefined, visibility)
          .then((r) => {
            if (r.popReceipt) popReceipt = r.popReceipt;
          })
          .catch(() => undefined);
      },
      (visibility * 1000) / 2,
    );
    try {
      for (const next of await runMessage(message, this.options.client, this.options.deps ?? {})) await this.options.queue.send(next);
      clearInterval(renew);
      await this.queue.deleteMessage(item.messageId, popReceipt);
      this.lastErrors.delete(item.messageId);
      this.stats.chunks++;
    } catch (error) {
      clearInterval(renew);
      this.stats.failures++;
      const reason = error instanceof Error ? error.message : String(error);
      this.lastErrors.set(item.messageId, reason);
      this.options.log?.(
        `job ${message.job} ${message.id} chunk ${message.chunk}${message.part === undefined ? '' : ` part ${message.part}`} failed (delivery ${item.dequeueCount} of ${max}): ${reason}`,
      );
      // Visible again at once: the next delivery retries the chunk (idempotent).
      await this.queue.updateMessage(item.messageId, popReceipt, undefined, 0).catch(() => undefined);
    }
    return true;
  }

  private async poison(text: string, messageId: string, popReceipt: string): Promise<void> {
    const reason = this.lastErrors.get(messageId) ?? 'every attempt failed';
    await this.options.queue.poison.sendMessage(Buffer.from(text, 'utf8').toString('base64'));
    await this.queue.deleteMessage(messageId, popReceipt);
    this.stats.poisoned++;
    await markPoisoned(text, reason, this.options.client, this.options.log);
  }

  /** Works until no message is visible. */
  async drain(): Promise<void> {
    while (await this.processOne());
  }

  /** Polls in the background until `stop()`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let worked = false;
        try {
          worked = await this.processOne();
        } catch (error) {
          this.options.log?.(`queue worker: ${error instanceof Error ? error.message : String(error)}`);
        }
        if (!worked && this.running) await new Promise((r) => setTimeout(r, this.options.pollMs ?? 250));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/**
 * What the poison-queue function does with a message every delivery of which failed: the job's
 * row is marked failed, with the reason, so the user sees why instead of a run left "Running".
 */
export async function markPoisoned(text: string, reason: string, client: DataverseClient, log?: (line: string) => void): Promise<void> {
  let message: JobMessage;
  try {
    message = parseJobMessage(text);
  } catch (error) {
    log?.(`poison message is not a job message (${(error as Error).message}): ${text.slice(0, 200)}`);
    return;
  }
  await failJob(message, `The job stopped after repeated failures: ${reason}`, client);
}
