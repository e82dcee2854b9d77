/**
 * Elements that Dataverse writes in today's exports but the 2018 SDK schema
 * (crm-sdk-9.0.0.2090) does not know. Only these may be removed before xmllint validates our
 * customizations.xml, and each is allowed only because a real export in ../shared/samples
 * carries it: the test checks that evidence too.
 */
export interface NewerElement {
  readonly element: string;
  /** A real exported file, relative to ../shared/samples, that contains the element. */
  readonly seenIn: string;
}

export const allowedNewerElements: readonly NewerElement[] = [
  { element: 'AutoNumberFormat', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  { element: 'IsSearchable', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  { element: 'IsFilterable', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  { element: 'IsRetrievable', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  { element: 'IsLocalizable', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  { element: 'IsRetrieveAuditEnabled', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
  { element: 'IsRetrieveMultipleAuditEnabled', seenIn: 'solutions/tactec-dev-powerapps-packed/customizations.xml' },
];

/** Removes the allowed newer elements (empty, self-closing or with text) so the rest can be validated strictly. */
export function withoutNewerElements(xml: string): string {
  let out = xml;
  for (const { element } of allowedNewerElements) {
    out = out
      .replace(new RegExp(`^[ \\t]*<${element}\\s*/>[ \\t]*\\r?\\n`, 'gm'), '')
      .replace(new RegExp(`^[ \\t]*<${element}>[^<]*</${element}>[ \\t]*\\r?\\n`, 'gm'), '');
  }
  return out;
}
