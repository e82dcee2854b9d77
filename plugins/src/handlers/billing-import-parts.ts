import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import {
  BillImporter,
  planUsageChunks,
  readUsageChunk,
  type ImportOptions,
  type ImportResult,
  type UsageChunk,
  type UsageChunkPlan,
} from '../../../core/src/import';
import type { PartStore } from '../jobs/part-store';

/**
 * A large daily-usage bill imported in parts on parallel queue messages (issue 23's scale-out, in
 * the product): the import's first chunk hashes the file, plans byte ranges that start at a record
 * (the core's planUsageChunks) and stages the file and the plan in the part store; one message per
 * part reads its range (a ranged blob read) through the core's readUsageChunk and stores the
 * result; the next chunk waits until every part is in, merges them in file order
 * (BillImporter.mergeChunks: the result one pass gives, to the cent and the row number) and writes
 * the lines as a one-pass import does. A file the core will not read in chunks, or whose parts
 * cannot be merged exactly (a quoted line break at a split), is read in one pass.
 */

/** Bytes per part by default: a part is a queue message's work (about a second here). */
export const PART_BYTES = 64 * 1024 * 1024;
/** How often the merging chunk looks for its parts. */
export const PART_WAIT_SECONDS = 5;
/**
 * A part nobody started this long after the plan was staged, or after it was last sent again, is
 * queued again: its message was lost (the sender failed between messages), or waits behind a long
 * queue, where one repeat every period is the most it adds. Parts are idempotent, so a repeat costs
 * only its time.
 */
export const PART_RESEND_SECONDS = 120;

/** What the first chunk stages beside the file: what every part and the merge read. */
export interface StagedImport {
  readonly fileName: string;
  readonly contentHash: string;
  readonly byteLength: number;
  readonly plan: UsageChunkPlan;
  /** When the plan was staged (ISO), for resending lost parts. */
  readonly stagedAt: string;
}

/**
 * Where an import's staging lives: by import and content hash. Chunk 0 delivered twice stages the
 * same bytes and plan under the same names, over each other, and leaves the parts alone (they are
 * the same); the chunks after it find the folder by the hash the first one wrote on the row.
 */
const prefixOf = (importId: string, contentHash: string): string => `billingimport/${importId.toLowerCase()}/${contentHash.toLowerCase()}/`;
const names = (importId: string, contentHash: string) => {
  const p = prefixOf(importId, contentHash);
  return {
    prefix: p,
    file: `${p}file`,
    plan: `${p}plan.json`,
    /** Written when the import ended and its staging was removed (see removeStaged). */
    finished: `${p}finished`,
    part: (i: number) => `${p}part-${i}`,
    claim: (i: number) => `${p}claim-${i}`,
    resent: (i: number) => `${p}resent-${i}`,
  };
};

/** The plan of a file (null: read it in one pass): about `partBytes` per part, at least two. */
export function planParts(bytes: Uint8Array, partBytes: number, options: ImportOptions): UsageChunkPlan | null {
  const count = Math.ceil(bytes.length / partBytes);
  if (count < 2) return null;
  return planUsageChunks(bytes.subarray(0, 1 << 20), bytes.length, count, (offset) => bytes.indexOf(0x0a, offset), options);
}

/** Stages the file and its plan (a repeat of the first chunk writes the same bytes over them). */
export async function stageParts(store: PartStore, importId: string, fileName: string, bytes: Uint8Array, plan: UsageChunkPlan): Promise<StagedImport> {
  const staged: StagedImport = {
    fileName,
    contentHash: createHash('sha256').update(bytes).digest('hex'),
    byteLength: bytes.length,
    plan,
    stagedAt: new Date().toISOString(),
  };
  const n = names(importId, staged.contentHash);
  await store.put(n.file, bytes);
  // The plan last: a chunk that finds it finds the file too.
  await store.put(n.plan, new Uint8Array(Buffer.from(JSON.stringify({ ...staged, plan: { ...plan, header: Buffer.from(plan.header).toString('base64') } }))));
  return staged;
}

/**
 * The staged plan of an import of this content hash; 'finished' when it was read in parts and its
 * staging is already removed (a chunk delivered again after the last one removed it, whose row
 * update failed); undefined when it was not read in parts.
 */
export async function readStaged(store: PartStore, importId: string, contentHash: string): Promise<StagedImport | 'finished' | undefined> {
  const n = names(importId, contentHash);
  const present = new Set((await store.list(n.prefix)).map((o) => o.name));
  if (present.has(n.finished)) return 'finished';
  const bytes = present.has(n.plan) ? await store.get(n.plan) : undefined;
  if (!bytes) return undefined;
  const raw = JSON.parse(Buffer.from(bytes).toString('utf8')) as StagedImport & { plan: UsageChunkPlan & { header: string } };
  return { ...raw, plan: { ...raw.plan, header: new Uint8Array(Buffer.from(raw.plan.header, 'base64')) } };
}

/**
 * One part: its range of the staged file through the core's chunk reader, stored with
 * v8.serialize, which keeps what JSON would not (undefined texts of a usage row): "the format is
 * backward-compatible (i.e. safe to store to disk)" (nodejs.org/api/v8.html, "Serialization API").
 */
export async function readPart(store: PartStore, importId: string, staged: StagedImport, part: number, options: ImportOptions): Promise<void> {
  const range = staged.plan.ranges[part];
  if (range === undefined) throw new Error(`part ${part} is not in the plan of import ${importId} (${staged.plan.ranges.length} parts)`);
  const n = names(importId, staged.contentHash);
  await store.put(n.claim(part), new Uint8Array(0));
  const bytes = await store.range(n.file, range.from, range.to);
  const chunk = readUsageChunk(staged.plan, part, [bytes], options);
  await store.put(n.part(part), new Uint8Array(serialize(chunk)));
}

export interface PartsProgress {
  readonly done: number;
  /**
   * Parts neither done nor started PART_RESEND_SECONDS after the plan was staged or they were last
   * sent again: their messages are sent again (and the time of it kept, markResent).
   */
  readonly lost: readonly number[];
}

export async function partsProgress(store: PartStore, importId: string, staged: StagedImport, now: Date): Promise<PartsProgress> {
  const n = names(importId, staged.contentHash);
  const written = new Map((await store.list(n.prefix)).map((o) => [o.name, o.written.getTime()]));
  const since = (time: number) => now.getTime() - time > PART_RESEND_SECONDS * 1000;
  let done = 0;
  const lost: number[] = [];
  staged.plan.ranges.forEach((_, i) => {
    if (written.has(n.part(i))) done++;
    else if (!written.has(n.claim(i)) && since(written.get(n.resent(i)) ?? Date.parse(staged.stagedAt))) lost.push(i);
  });
  return { done, lost };
}

/** Keeps when lost parts were sent again, so the next look waits a period before sending them once more. */
export async function markResent(store: PartStore, importId: string, staged: StagedImport, parts: readonly number[]): Promise<void> {
  for (const i of parts) await store.put(names(importId, staged.contentHash).resent(i), new Uint8Array(0));
}

/** The parts merged into the one-pass result, or null when they cannot be merged exactly. */
export async function mergeParts(store: PartStore, importId: string, staged: StagedImport, options: ImportOptions): Promise<ImportResult | null> {
  const n = names(importId, staged.contentHash);
  const chunks: UsageChunk[] = [];
  for (let i = 0; i < staged.plan.ranges.length; i++) {
    const bytes = await store.get(n.part(i));
    if (!bytes) throw new Error(`part ${i} of import ${importId} is not in the part store`);
    chunks.push(deserialize(bytes) as UsageChunk);
  }
  return BillImporter.mergeChunks(staged.plan.header, chunks, staged.plan.seed, { contentHash: staged.contentHash, byteLength: staged.byteLength }, options);
}

/** The whole staged file (the one-pass fallback when the parts cannot be merged). */
export async function stagedFile(store: PartStore, importId: string, staged: StagedImport): Promise<Uint8Array | undefined> {
  return store.get(names(importId, staged.contentHash).file);
}

/**
 * Removes what an import staged once it ended, leaving a `finished` mark: if the row's update after
 * the last chunk fails, that chunk comes back, and the mark tells it the import was read in parts
 * (it reads the file again in one pass and writes the same slice). A part that was sent again and
 * ends after this may still leave its result behind: a lifecycle rule on the container removes it.
 */
export async function removeStaged(store: PartStore, importId: string, contentHash: string): Promise<void> {
  const n = names(importId, contentHash);
  await store.put(n.finished, new Uint8Array(0));
  for (const { name } of await store.list(n.prefix)) if (name !== n.finished) await store.remove(name);
}
