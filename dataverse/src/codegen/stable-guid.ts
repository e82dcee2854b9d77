import { createHash } from 'node:crypto';

/**
 * A GUID derived from a name (RFC 4122 version 5 layout over SHA-1). Solution components need
 * ids (forms, web resources); deriving them from the component's name keeps every build
 * byte-identical and keeps the id stable across releases, which Dataverse requires for upgrades.
 */
export function stableGuid(name: string): string {
  const hash = createHash('sha1')
    .update('cspb:' + name)
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `{guid}` as customizations.xml writes it. */
export function bracedGuid(name: string): string {
  return `{${stableGuid(name)}}`;
}
