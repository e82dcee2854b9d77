import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * A file's bytes [from, to), a megabyte at a time, in one buffer read into again and again: each
 * piece is only valid until the next is asked for, which is how the core importer and a hash take
 * them (they copy what they keep). A stream's fresh megabyte per read is freed only by a garbage
 * collection; a thread reading half a gigabyte held dozens of them meanwhile.
 */
const PIECE = 1 << 20;

/** On a thread with other work (the CLI's main thread): the thread is free between reads. */
export async function* fileBytes(file: string, from = 0, to = Infinity): AsyncGenerator<Uint8Array, void, undefined> {
  const buffer = new Uint8Array(PIECE);
  const handle = await open(file, 'r');
  try {
    for (let at = from; at < to; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, to - at), at);
      if (bytesRead === 0) {
        if (to !== Infinity) throw new Error(`${file} ends at byte ${at}, before ${to}`);
        return;
      }
      yield buffer.subarray(0, bytesRead);
      at += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** On a worker of its own (a chunk's thread or queue worker): synchronous reads. */
export function* fileBytesSync(file: string, from: number, to: number): Generator<Uint8Array, void, undefined> {
  const buffer = new Uint8Array(PIECE);
  const fd = openSync(file, 'r');
  try {
    for (let at = from; at < to; ) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, to - at), at);
      if (n === 0) throw new Error(`${file} ends at byte ${at}, before its chunk does (${to})`);
      yield buffer.subarray(0, n);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}
