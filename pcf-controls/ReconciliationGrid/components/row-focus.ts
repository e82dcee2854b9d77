/**
 * Moves keyboard focus to a row of the virtualised list by its index. A row on screen (or rendered
 * just off it) is focused and scrolled into view at once; one the list has not rendered (Home or
 * End over thousands of lines) has its place estimated from the rows that are rendered, that place
 * is scrolled to, and the list, which renders on scroll, is given a frame before the next try.
 */

const MAX_TRIES = 40;

/** The row element of the list cell at `index` (Fluent's List marks each cell with data-list-index). */
export function rowAt(root: ParentNode, index: number): HTMLElement | null {
  return root.querySelector<HTMLElement>(`[data-list-index="${index}"] [role=row]`);
}

/** The item index of the list cell holding an element, or -1. */
export function indexOfElement(el: Element | null): number {
  const cell = el?.closest<HTMLElement>('[data-list-index]');
  return cell ? Number(cell.dataset['listIndex']) : -1;
}

/** What scrolls the list, found as Fluent's List finds it: data-is-scrollable="true", else overflow-y auto or scroll, else the page. */
function scrollerOf(el: HTMLElement): HTMLElement {
  const doc = el.ownerDocument;
  for (let p = el.parentElement; p && p !== doc.body; p = p.parentElement) if (p.getAttribute('data-is-scrollable') === 'true') return p;
  for (let p = el.parentElement; p && p !== doc.body; p = p.parentElement) {
    if (p.getAttribute('data-is-scrollable') === 'false') continue;
    const overflow = doc.defaultView?.getComputedStyle(p).overflowY;
    if (overflow === 'auto' || overflow === 'scroll') return p;
  }
  return (doc.scrollingElement as HTMLElement | null) ?? doc.documentElement;
}

/** Scrolls so that page coordinate `y` (a viewport top) sits in the middle of the scroller's view. */
function scrollToward(scroller: HTMLElement, y: number): void {
  const doc = scroller.ownerDocument;
  const page = scroller === doc.scrollingElement || scroller === doc.documentElement;
  const view = page ? { top: 0, height: doc.defaultView?.innerHeight ?? 0 } : scroller.getBoundingClientRect();
  scroller.scrollTop += y - (view.top + view.height / 2);
}

/**
 * Focuses the row at `index` and scrolls it into view (nearest edge, no sideways jump); when the list
 * has not rendered it, scrolls toward its estimated place and tries again on the next frames.
 */
export function focusRow(root: HTMLElement, index: number, tries = MAX_TRIES): void {
  const row = rowAt(root, index);
  if (row) {
    row.focus({ preventScroll: true });
    row.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    return;
  }
  const cells = root.querySelectorAll<HTMLElement>('[data-list-index]');
  if (tries <= 0 || cells.length === 0) return;
  const first = cells[0]!;
  const last = cells[cells.length - 1]!;
  const i0 = Number(first.dataset['listIndex']);
  const i1 = Number(last.dataset['listIndex']);
  const r0 = first.getBoundingClientRect();
  const r1 = last.getBoundingClientRect();
  const height = i1 > i0 ? (r1.top - r0.top) / (i1 - i0) : r0.height || 40;
  scrollToward(scrollerOf(root), index > i1 ? r1.top + (index - i1) * height : r0.top - (i0 - index) * height);
  const win = root.ownerDocument.defaultView;
  const next = (): void => focusRow(root, index, tries - 1);
  if (win?.requestAnimationFrame) win.requestAnimationFrame(next);
  else setTimeout(next, 16);
}
