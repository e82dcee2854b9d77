import { BlobServiceClient, RestError, type ContainerClient } from '@azure/storage-blob';

/**
 * Where the parts of a job (JobMessage.part) leave their results and read what they share: a
 * container of the Functions app's storage account (Azurite locally, through the same SDK).
 * Queue messages carry at most 64 KB ("Put Message", learn.microsoft.com/rest/api/storageservices/
 * put-message), and a part's result is megabytes, so messages only name the job and the part.
 *
 * Objects are written whole and overwritten whole (a redelivered part writes the same bytes again);
 * a reader sees an object entirely or not at all (a block blob is committed in one Put Blob or Put
 * Block List, learn.microsoft.com/rest/api/storageservices/put-block-list).
 */
export interface PartStore {
  put(name: string, data: Uint8Array): Promise<void>;
  /** The object, or undefined when there is none. */
  get(name: string): Promise<Uint8Array | undefined>;
  /** Bytes [from, to) of an object (a ranged read: only those bytes cross the network). */
  range(name: string, from: number, to: number): Promise<Uint8Array>;
  /** The names under a prefix with when each was last written. */
  list(prefix: string): Promise<ReadonlyArray<{ readonly name: string; readonly written: Date }>>;
  /** Removes an object (none there: nothing to do). */
  remove(name: string): Promise<void>;
}

/** The container the parts go to, in the job queue's storage account by default. */
export const PARTS_CONTAINER = 'cspb-job-parts';

export class BlobPartStore implements PartStore {
  readonly container: ContainerClient;
  private ready: Promise<unknown> | undefined;

  constructor(connectionString: string, container = PARTS_CONTAINER) {
    this.container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
  }

  private ensure(): Promise<unknown> {
    this.ready ??= this.container.createIfNotExists();
    return this.ready;
  }

  async put(name: string, data: Uint8Array): Promise<void> {
    await this.ensure();
    // uploadData splits a large object into blocks and commits them together.
    await this.container.getBlockBlobClient(name).uploadData(data);
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    await this.ensure();
    try {
      return await this.container.getBlobClient(name).downloadToBuffer();
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  async range(name: string, from: number, to: number): Promise<Uint8Array> {
    await this.ensure();
    const bytes = await this.container.getBlobClient(name).downloadToBuffer(from, to - from);
    if (bytes.length !== to - from) throw new Error(`${name}: asked for bytes ${from} to ${to}, got ${bytes.length}`);
    return bytes;
  }

  async list(prefix: string): Promise<Array<{ name: string; written: Date }>> {
    await this.ensure();
    const out: Array<{ name: string; written: Date }> = [];
    for await (const blob of this.container.listBlobsFlat({ prefix })) out.push({ name: blob.name, written: blob.properties.lastModified });
    return out;
  }

  async remove(name: string): Promise<void> {
    await this.ensure();
    await this.container.getBlobClient(name).deleteIfExists();
  }
}
