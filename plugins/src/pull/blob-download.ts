/**
 * One blob of an export, downloaded with Azure's own SDK (`@azure/storage-blob`, the manifest's
 * directory SAS as the URL's query, as Microsoft's sample does) and gunzipped while it streams into
 * a staging file: `<name>.part` while it downloads, renamed to `<name>.jsonl` only once the gzip
 * stream ended cleanly, so a pull killed mid-blob leaves no file that looks finished.
 *
 * A 403 is what Azure Storage answers for an expired SAS (error code AuthenticationFailed, "Expired
 * token: the SAS token has passed its expiry time", learn.microsoft.com/troubleshoot/azure/azure-storage/
 * blobs/authentication/storage-troubleshoot-403-errors): it is reported as SasRefused so
 * the pull asks Graph for the manifest again. A gzip stream cut short is `truncated-gzip`.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { BlobClient, RestError } from '@azure/storage-blob';
import { PullError } from './errors';

export class SasRefused extends Error {}

export interface StagedBlob {
  readonly name: string;
  /** Compressed bytes downloaded. */
  readonly downloadedBytes: number;
  /** JSON Lines text after gunzip. */
  readonly stagedBytes: number;
}

export async function downloadBlob(url: string, name: string, stagingPath: string): Promise<StagedBlob> {
  const part = `${stagingPath}.part`;
  const client = new BlobClient(url);
  let downloadedBytes = 0;
  let stagedBytes = 0;
  try {
    const response = await client.download(0, undefined, { maxRetryRequests: 3 });
    const body = response.readableStreamBody;
    if (!body) throw new PullError('blob-error', `Blob ${name} came without a body.`);
    body.on('data', (chunk: Buffer) => (downloadedBytes += chunk.length));
    const gunzip = createGunzip();
    gunzip.on('data', (chunk: Buffer) => (stagedBytes += chunk.length));
    await pipeline(body, gunzip, createWriteStream(part));
  } catch (e) {
    await rm(part, { force: true });
    if (e instanceof RestError && e.statusCode === 403) throw new SasRefused(`Blob storage refused the SAS for ${name} (403 ${e.code ?? ''}).`);
    if (e instanceof RestError) throw new PullError('blob-error', `Blob ${name}: ${e.statusCode ?? ''} ${e.code ?? ''} ${e.message}`.trim(), e.statusCode);
    const code = (e as { code?: string }).code;
    if (code === 'Z_BUF_ERROR')
      throw new PullError('truncated-gzip', `Blob ${name} ends inside its gzip stream after ${downloadedBytes} bytes: the file is cut short.`);
    if (code === 'Z_DATA_ERROR') throw new PullError('bad-gzip', `Blob ${name} is not a gzip stream (${(e as Error).message}).`);
    throw e;
  }
  await rename(part, stagingPath);
  return { name, downloadedBytes, stagedBytes };
}
