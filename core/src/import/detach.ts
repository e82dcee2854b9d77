/**
 * V8 keeps a substring as a view on its parent string. A value sliced from a 1 MB decoded chunk
 * and stored in a bucket, a cache key or an error would keep the whole chunk alive, and memory
 * would grow with the file. Short strings are copied by V8 anyway; longer ones are rebuilt here.
 */
export function detach(s: string): string;
export function detach(s: string | undefined): string | undefined;
export function detach(s: string | undefined): string | undefined {
  if (s === undefined || s.length < 13) return s;
  return (' ' + s).slice(1);
}
