/** Loads the shipped distributor profiles the way a caller does: read the JSON, validate it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FormatDefinition, parseColumnProfile } from '../../core/src/import';

export const PROFILE_DIR = path.resolve(__dirname, '../../core/src/import/profiles');

export function loadShippedProfiles(): FormatDefinition[] {
  return fs
    .readdirSync(PROFILE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseColumnProfile(JSON.parse(fs.readFileSync(path.join(PROFILE_DIR, f), 'utf8')), f));
}
