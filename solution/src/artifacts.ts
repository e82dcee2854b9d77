/**
 * The built artifacts a solution carries, read from disk by the packer and described here so
 * that customizations.xml, solution.xml and the zip layout are derived from one list.
 */
export interface WebResourceArtifact {
  readonly name: string;
  readonly displayName: string;
  /** Dataverse web resource type: 3 = Script (JScript), 12 = String (RESX). */
  readonly type: 3 | 12;
  /** LCID of a RESX resource (1033 English, 1036 French); scripts are language-neutral. */
  readonly languageCode?: number;
  /** Web resources a script needs loaded with it (its RESX strings): Xrm.Utility.getResourceString reads them. */
  readonly dependsOn?: readonly string[];
  readonly content: Uint8Array;
}

export interface ControlArtifact {
  /** `<prefix>_<namespace>.<constructor>`, the name Dataverse registers the control under. */
  readonly name: string;
  /** Files of the built control (ControlManifest.xml, bundle.js, strings/*.resx), by relative path. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

export interface SolutionInput {
  /** Four-part solution version (Dataverse wants major.minor.build.revision). */
  readonly version: string;
  readonly managed: boolean;
  readonly webResources: readonly WebResourceArtifact[];
  readonly controls: readonly ControlArtifact[];
  /** Generated customizations.xml parts by table logical name. */
  readonly tableParts: ReadonlyArray<{
    readonly logicalName: string;
    readonly schemaName: string;
    /** An existing Dataverse table we only add columns to: shipped as a shell, never redefined. */
    readonly existing: boolean;
    readonly entityInfo: string;
    readonly relationships: string;
  }>;
}

/** Where a web resource's content sits in the zip; customizations.xml points at it. */
export function webResourceZipPath(name: string): string {
  return `WebResources/${name}`;
}

export function controlZipPath(controlName: string, file: string): string {
  return `Controls/${controlName}/${file}`;
}
