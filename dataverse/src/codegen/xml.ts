/**
 * A tiny XML writer for solution files. Output is deterministic (attribute order as given,
 * two-space indent, LF) so a regenerated file only changes when its source does.
 */

export interface XmlElement {
  readonly name: string;
  readonly attrs: ReadonlyArray<readonly [string, string]>;
  readonly children: ReadonlyArray<XmlNode>;
}
/** Pre-rendered XML (a generated fragment), re-indented to where it is placed. */
export interface RawXml {
  readonly raw: string;
}
export type XmlNode = XmlElement | RawXml | string;

type AttrInput = Record<string, string | number | undefined>;
type ChildInput = XmlNode | null | undefined | false | ReadonlyArray<XmlNode | null | undefined | false>;

/** Build an element; attributes whose value is undefined are left out, falsy children dropped. */
export function el(name: string, attrs?: AttrInput | null, ...children: ChildInput[]): XmlElement {
  const attrList: Array<readonly [string, string]> = [];
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value !== undefined) attrList.push([key, String(value)]);
  }
  const flat: XmlNode[] = [];
  for (const child of children) {
    if (Array.isArray(child)) {
      for (const c of child) if (c !== null && c !== undefined && c !== false) flat.push(c);
    } else if (child !== null && child !== undefined && child !== false) {
      flat.push(child as XmlNode);
    }
  }
  return { name, attrs: attrList, children: flat };
}

/** `<name>text</name>`, the most common shape in customizations.xml. */
export function leaf(name: string, text: string | number): XmlElement {
  return el(name, null, String(text));
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

export function raw(text: string): RawXml {
  return { raw: text };
}

function indentRaw(text: string, depth: number): string[] {
  const pad = '  '.repeat(depth);
  return text
    .replace(/^<\?xml[^>]*\?>\n?/, '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => pad + line);
}

function renderInto(node: XmlElement, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const attrs = node.attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  if (node.children.length === 0) {
    out.push(`${pad}<${node.name}${attrs} />`);
    return;
  }
  const only = node.children[0];
  if (node.children.length === 1 && typeof only === 'string') {
    out.push(`${pad}<${node.name}${attrs}>${escapeText(only)}</${node.name}>`);
    return;
  }
  out.push(`${pad}<${node.name}${attrs}>`);
  for (const child of node.children) {
    if (typeof child === 'string') out.push(`${pad}  ${escapeText(child)}`);
    else if ('raw' in child) out.push(...indentRaw(child.raw, depth + 1));
    else renderInto(child, depth + 1, out);
  }
  out.push(`${pad}</${node.name}>`);
}

/** Render an element (and optionally the XML declaration) as text ending in a newline. */
export function renderXml(root: XmlElement, options: { declaration?: boolean; depth?: number } = {}): string {
  const out: string[] = [];
  if (options.declaration) out.push('<?xml version="1.0" encoding="utf-8"?>');
  renderInto(root, options.depth ?? 0, out);
  return out.join('\n') + '\n';
}
