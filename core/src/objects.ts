/**
 * Objects with optional fields absent rather than undefined, so values compare and serialise
 * cleanly. Built by Object.fromEntries: deleting properties, or adding them one by one by a
 * computed name past 12 of them, leaves V8 holding the object as a hash table (dictionary mode),
 * larger and slower to read (an imported licence line took 2.6 KB that way, 0.6 KB as a fast object).
 */
export function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Values shared by key between the objects that hold them (values never change: Decimals, frozen
 * periods), so a million lines hold a few thousand. At most `limit` are kept: past it a value is
 * made and not kept, so a hostile input of all-different keys costs no more than without sharing.
 */
export class SharedValues<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly limit: number) {}

  get(key: K, make: () => V): V {
    let value = this.map.get(key);
    if (value === undefined) {
      value = make();
      if (this.map.size < this.limit) this.map.set(key, value);
    }
    return value;
  }
}
