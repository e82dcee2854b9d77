/**
 * Elements that Dataverse writes in today's exports but the 2018 SDK schema
 * (crm-sdk-9.0.0.2090) does not know. Only these may be removed before xmllint validates our
 * customizations.xml, and each is allowed only because a real export carries it: the test checks
 * that evidence too.
 */
export interface NewerElement {
  readonly element: string;
  /**
   * A real exported file that contains the element: relative to ../shared/samples, or, when it
   * starts with `reference-exports/`, to tests/solution (see reference-exports/SOURCES.md).
   */
  readonly seenIn: string;
  /** What the evidence shows, when the file shows the element in its unpacked form. */
  readonly seenAs?: string;
  /** A whole block (element and its content) rather than a leaf. */
  readonly block?: boolean;
}

export const allowedNewerElements: readonly NewerElement[] = [
  { element: 'AutoNumberFormat', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  { element: 'IsSearchable', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  { element: 'IsFilterable', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  { element: 'IsRetrievable', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  { element: 'IsLocalizable', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  { element: 'IsRetrieveAuditEnabled', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  { element: 'IsRetrieveMultipleAuditEnabled', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  {
    element: 'environmentvariabledefinitions',
    seenIn: 'reference-exports/environmentvariabledefinition.xml',
    seenAs: 'environmentvariabledefinition',
    block: true,
  },
];

/** Removes the allowed newer elements (empty, self-closing, with text or, for blocks, with content) so the rest can be validated strictly. */
export function withoutNewerElements(xml: string): string {
  let out = xml;
  for (const { element, block } of allowedNewerElements) {
    out = out
      .replace(new RegExp(`^[ \\t]*<${element}\\s*/>[ \\t]*\\r?\\n`, 'gm'), '')
      .replace(new RegExp(`^[ \\t]*<${element}>[^<]*</${element}>[ \\t]*\\r?\\n`, 'gm'), '');
    if (block) out = out.replace(new RegExp(`^[ \\t]*<${element}>[\\s\\S]*?</${element}>[ \\t]*\\r?\\n`, 'gm'), '');
  }
  return out;
}
