import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Saves the org to one file, atomically: the JSON goes to a temporary file beside it, then a
 * rename replaces the old file, so a crash mid-write leaves the previous state, never half a file.
 * Saves after writes are debounced (many small writes, one save) and serialised (one at a time).
 */
export class FilePersistence {
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private dirty = false;
  private seq = 0;
  lastError: Error | undefined;

  constructor(
    readonly file: string,
    private readonly serialize: () => string,
    private readonly debounceMs: number,
  ) {}

  static async read(file: string): Promise<unknown | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new Error(`${file} is not valid JSON (${(error as Error).message}); the local org will not overwrite it.`);
    }
  }

  /** A write happened: save after the debounce delay. */
  schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch((error: Error) => {
        this.lastError = error;
      });
    }, this.debounceMs);
    // A pending save must not keep a finished process alive; close() flushes explicitly.
    this.timer.unref();
  }

  /** Saves now if anything changed since the last save; resolves when it is on disk. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.chain = this.chain.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      const text = this.serialize();
      const tmp = `${this.file}.${process.pid}.${++this.seq}.tmp`;
      try {
        await mkdir(dirname(this.file), { recursive: true });
        await writeFile(tmp, text, 'utf8');
        await rename(tmp, this.file);
      } catch (error) {
        this.dirty = true;
        await rm(tmp, { force: true });
        throw error;
      }
    });
    return this.chain;
  }
}
