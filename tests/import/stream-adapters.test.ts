/** The parser is fed by a Node stream or a browser ReadableStream; the result does not depend on chunking. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { importBill, readableStreamChunks } from '../../core/src/import';
import { NCE_DAILY_FIXTURE } from './fixtures';
import { csvText, encode, nodeHasher, nodeSha256, splitEvery } from './support';

const bytes = encode(csvText(NCE_DAILY_FIXTURE.header, NCE_DAILY_FIXTURE.rows), 'utf-16le');

describe('stream adapters', () => {
  it('reads a file through fs.createReadStream in small chunks', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cspb-import-')), 'usage.csv');
    fs.writeFileSync(file, bytes);
    try {
      const r = await importBill(fs.createReadStream(file, { highWaterMark: 13 }), { fileName: file, createHasher: nodeHasher });
      expect(r.summary.total.toString()).toBe(NCE_DAILY_FIXTURE.expectedTotal);
      expect(r.summary.contentHash).toBe(nodeSha256(bytes));
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('reads a WHATWG ReadableStream (what a browser File.stream() gives)', async () => {
    const chunks = splitEvery(bytes, 5);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const r = await importBill(readableStreamChunks(stream));
    expect(r.summary.total.toString()).toBe(NCE_DAILY_FIXTURE.expectedTotal);
    expect(r.summary.encoding).toBe('utf-16le');
  });

  it('pure and node hashers agree', async () => {
    const pure = await importBill(Readable.from([Buffer.from(bytes)]));
    const native = await importBill(Readable.from([Buffer.from(bytes)]), { createHasher: nodeHasher });
    expect(pure.summary.contentHash).toBe(native.summary.contentHash);
  });
});
