import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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

  /**
   * Removes the temporary files a killed process left beside `file` (`<file>.<pid>.<n>.tmp`): the
   * saved file is whole (the rename is atomic), a leftover temp is only a save that never finished.
   */
  static async removeOrphans(file: string): Promise<string[]> {
    const dir = dirname(file);
    const prefix = `${basename(file)}.`;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const orphans = names.filter((n) => n.startsWith(prefix) && /\.\d+\.\d+\.tmp$/.test(n));
    for (const name of orphans) await rm(join(dir, name), { force: true });
    return orphans;
  }

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
        // On disk before it replaces the saved file: a crash after the rename never finds a file
        // whose bytes were still in the page cache.
        const handle = await open(tmp, 'w');
        try {
          await handle.writeFile(text, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
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
