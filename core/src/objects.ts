/**
 * Objects with optional fields absent rather than undefined, so values compare and serialise
 * cleanly, built as new objects: deleting properties leaves V8 holding the object as a hash table
 * (dictionary mode), larger and slower (an imported bill line took 6 KB instead of 4.4 KB).
 */
export function dropUndefined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}
