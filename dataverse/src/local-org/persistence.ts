import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Journal, Store } from './store';

/**
 * A file-backed org: a snapshot (`org.json`) and a redo journal beside it (`org.json.journal`).
 * Each committed transaction appends one line to the journal (the images of the rows it wrote) and
 * fsyncs it before the write is acknowledged, so a kill -9 loses nothing that was answered. When
 * the journal grows past `compactBytes` (and on close) the snapshot is rewritten atomically (temp
 * file, fsync, rename, directory fsync) and the journal emptied. Opening replays the journal over
 * the snapshot; a line cut short by a crash was never acknowledged and is ignored.
 */
export class FilePersistence {
  private journal: FileHandle | undefined;
  private journalBytes = 0;
  private seq = 0;

  constructor(
    readonly file: string,
    private readonly serialize: () => string,
    private readonly store: Store,
    private readonly compactBytes: number,
  ) {}

  get journalFile(): string {
    return `${this.file}.journal`;
  }

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

  /**
   * Applies the journal's complete records to the store (after the snapshot was loaded) and
   * returns how many; a torn last line is cut off the file so later appends start clean.
   */
  async replay(): Promise<number> {
    let text: string;
    try {
      text = await readFile(this.journalFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    let applied = 0;
    let good = 0;
    for (let at = 0; at < text.length; ) {
      const end = text.indexOf('\n', at);
      if (end < 0) break; // cut short: never fsynced whole, never acknowledged
      const record = parseRecord(text.slice(at, end));
      if (record === undefined) break;
      for (const [table, id, data] of record.rows) this.store.restore(table, id, data);
      this.store.raiseVersionTo(record.version);
      applied++;
      at = end + 1;
      good = at;
    }
    if (good < text.length) {
      const handle = await open(this.journalFile, 'r+');
      try {
        await handle.truncate(Buffer.byteLength(text.slice(0, good), 'utf8'));
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    return applied;
  }

  /** The redo record of one commit, appended and on disk before the write is acknowledged. */
  async commit(journal: Journal): Promise<void> {
    const rows: [string, string, Readonly<Record<string, unknown>> | null][] = [];
    for (const { table, id } of journal.touched.values()) rows.push([table, id, this.store.image(table, id)]);
    const line = `${JSON.stringify({ v: this.store.currentVersion, rows })}\n`;
    const handle = await this.openJournal();
    const before = this.journalBytes;
    try {
      await handle.appendFile(line, 'utf8');
      await handle.sync();
      this.journalBytes += Buffer.byteLength(line, 'utf8');
    } catch (error) {
      // The org rolls the transaction back: its record must not be replayed either.
      await handle.truncate(before).catch(() => undefined);
      throw error;
    }
    if (this.journalBytes > this.compactBytes) await this.compact();
  }

  /** Writes the snapshot (atomically, fsynced) and empties the journal. Call with no commit running. */
  async compact(): Promise<void> {
    const text = this.serialize();
    const tmp = `${this.file}.${process.pid}.${++this.seq}.tmp`;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.file);
      await syncDirectory(dirname(this.file));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    // Only now: a crash before this line replays records the snapshot already holds (whole row images: no change).
    const journal = await this.openJournal();
    await journal.truncate(0);
    await journal.sync();
    this.journalBytes = 0;
  }

  async close(): Promise<void> {
    await this.compact();
    await this.journal?.close();
    this.journal = undefined;
  }

  private async openJournal(): Promise<FileHandle> {
    if (this.journal === undefined) {
      await mkdir(dirname(this.file), { recursive: true });
      this.journal = await open(this.journalFile, 'a');
      this.journalBytes = (await this.journal.stat()).size;
    }
    return this.journal;
  }
}

interface RedoRecord {
  readonly version: number;
  readonly rows: readonly [string, string, Readonly<Record<string, unknown>> | null][];
}

function parseRecord(line: string): RedoRecord | undefined {
  try {
    const json = JSON.parse(line) as { v?: unknown; rows?: unknown };
    if (typeof json.v !== 'number' || !Array.isArray(json.rows)) return undefined;
    return { version: json.v, rows: json.rows as RedoRecord['rows'] };
  } catch {
    return undefined;
  }
}

/** A rename is durable once its directory is: fsync the directory where the platform allows it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  } finally {
    await handle?.close();
  }
}
