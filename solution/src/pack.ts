import { zipSync, strToU8, type Zippable } from 'fflate';
import { controlZipPath, webResourceZipPath, type SolutionInput } from './artifacts';
import { customizationsXml } from './customizations';
import { solutionXml } from './solution-manifest';

/**
 * Every entry gets this modification time so the same input gives byte-identical zips. It is
 * built from local-time parts because the zip format stores local (DOS) time: the encoded bytes
 * are then the same on a machine in any time zone.
 */
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);

function contentTypesXml(): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="xml" ContentType="application/octet-stream" />' +
    '<Default Extension="js" ContentType="application/octet-stream" />' +
    '<Default Extension="resx" ContentType="application/octet-stream" />' +
    '</Types>'
  );
}

/** All files of the solution zip by path, in a fixed order. */
export function solutionFiles(input: SolutionInput): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  files.set('[Content_Types].xml', strToU8(contentTypesXml()));
  files.set('solution.xml', strToU8(solutionXml(input)));
  files.set('customizations.xml', strToU8(customizationsXml(input)));
  for (const w of input.webResources) files.set(webResourceZipPath(w.name), w.content);
  for (const c of input.controls) {
    for (const [file, content] of [...c.files].sort(([a], [b]) => a.localeCompare(b))) {
      files.set(controlZipPath(c.name, file), content);
    }
  }
  return files;
}

export function packSolution(input: SolutionInput): Uint8Array {
  const zippable: Zippable = {};
  for (const [path, content] of solutionFiles(input)) zippable[path] = [content, { mtime: FIXED_MTIME, level: 9 }];
  return zipSync(zippable);
}
