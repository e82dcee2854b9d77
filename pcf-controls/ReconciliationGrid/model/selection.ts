/**
 * The grid's selection and keyboard focus, pure: which lines are selected, which one the details
 * and single-line actions use, where a Shift range starts, and where an arrow key moves focus. It
 * works on the flat list the grid renders (model/view.ts flattenTree: filtered, sorted, in group
 * order, collapsed groups left out), so a range is exactly the lines the user sees between two
 * lines; group headers are rows for focus but never selected.
 */
import type { GridItem } from './view';

export interface GridSelection {
  /** The line the details and the single-line actions use (the last one clicked or reached); null: none. */
  readonly primary: string | null;
  /** Every selected line's id, the primary's included. */
  readonly ids: ReadonlySet<string>;
  /** Where a Shift range starts: the last line plainly clicked, Ctrl-clicked or selected from the keyboard. */
  readonly anchor: string | null;
}

export const NO_SELECTION: GridSelection = { primary: null, ids: new Set(), anchor: null };

/**
 * How a click or key selects a line: `replace` (a plain click, Enter, Space), `toggle` (Ctrl or Cmd:
 * the line joins or leaves the selection), `range` (Shift: the lines from the anchor, replacing the
 * selection), `addRange` (Ctrl + Shift: the same lines added to it).
 */
export type SelectMode = 'replace' | 'toggle' | 'range' | 'addRange';

/** The mode a pointer or key event's modifiers ask for (Cmd counts as Ctrl on a Mac). */
export function selectModeOf(e: { readonly ctrlKey: boolean; readonly metaKey: boolean; readonly shiftKey: boolean }): SelectMode {
  const ctrl = e.ctrlKey || e.metaKey;
  if (e.shiftKey) return ctrl ? 'addRange' : 'range';
  return ctrl ? 'toggle' : 'replace';
}

/** The index of the line with this id in the items (-1: not shown). */
export function indexOfLine(items: readonly GridItem[], id: string | null): number {
  if (id === null) return -1;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'line' && item.id === id) return i;
  }
  return -1;
}

/** The ids of the lines between two item indexes, both included, in display order (headers skipped). */
export function linesBetween(items: readonly GridItem[], from: number, to: number): string[] {
  const out: string[] = [];
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  for (let i = Math.max(lo, 0); i <= hi && i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'line') out.push(item.id);
  }
  return out;
}

/**
 * The selection after the line `id` is clicked (or chosen from the keyboard) with `mode`. A range
 * runs from the anchor to the line over the lines shown; without an anchor on screen (none yet,
 * filtered out or collapsed) it is the line alone, which becomes the anchor. A range keeps its
 * anchor, so Shift + click again re-draws it from the same line.
 */
export function select(sel: GridSelection, items: readonly GridItem[], id: string, mode: SelectMode): GridSelection {
  if (mode === 'replace') return { primary: id, ids: new Set([id]), anchor: id };
  if (mode === 'toggle') {
    const ids = new Set(sel.ids);
    if (ids.has(id)) {
      ids.delete(id);
      // The primary left: the first other selected line still on screen takes its place.
      const primary = sel.primary !== id ? sel.primary : firstShown(items, ids);
      return { primary, ids, anchor: id };
    }
    ids.add(id);
    return { primary: sel.primary !== null && sel.ids.has(sel.primary) ? sel.primary : id, ids, anchor: id };
  }
  const to = indexOfLine(items, id);
  const from = indexOfLine(items, sel.anchor);
  if (to < 0) return sel;
  if (from < 0) return { primary: id, ids: mode === 'range' ? new Set([id]) : new Set([...sel.ids, id]), anchor: id };
  const range = linesBetween(items, from, to);
  const ids = mode === 'range' ? new Set(range) : new Set([...sel.ids, ...range]);
  return { primary: id, ids, anchor: sel.anchor };
}

/** Every line shown selected (Ctrl + A); the primary stays if shown, else the focused line, else the first. */
export function selectAll(sel: GridSelection, items: readonly GridItem[], focused: number): GridSelection {
  const ids = new Set<string>();
  for (const item of items) if (item.kind === 'line') ids.add(item.id);
  if (ids.size === 0) return sel;
  const focusedItem = items[focused];
  const primary = sel.primary !== null && ids.has(sel.primary) ? sel.primary : focusedItem?.kind === 'line' ? focusedItem.id : firstShown(items, ids);
  return { primary, ids, anchor: sel.anchor !== null && ids.has(sel.anchor) ? sel.anchor : primary };
}

function firstShown(items: readonly GridItem[], ids: ReadonlySet<string>): string | null {
  for (const item of items) if (item.kind === 'line' && ids.has(item.id)) return item.id;
  return null;
}

/** A key that moves focus in the grid. */
export type FocusMove = 'up' | 'down' | 'first' | 'last';

/** The key's move, or null for any other key. */
export function focusMoveOf(key: string): FocusMove | null {
  switch (key) {
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    default:
      return null;
  }
}

/**
 * Where focus goes from the row at `from`: the next or previous row, or the first or last; with
 * `linesOnly` (Shift held: the move extends the selection) group headers are stepped over. Stays put
 * at either end (no wrapping), and returns `from` when there is nowhere to go.
 */
export function moveFocus(items: readonly GridItem[], from: number, move: FocusMove, linesOnly: boolean): number {
  const ok = (i: number): boolean => !linesOnly || items[i]!.kind === 'line';
  const step = move === 'up' || move === 'last' ? -1 : 1;
  let i = move === 'first' ? 0 : move === 'last' ? items.length - 1 : from + step;
  for (; i >= 0 && i < items.length; i += step) if (ok(i)) return i;
  return from;
}

/**
 * The row that holds the grid's one tab stop (roving tabindex): the focused row while it is shown,
 * else the primary line, else the first row; -1 for an empty grid.
 */
export function tabStopIndex(items: readonly GridItem[], focusKey: string | null, primary: string | null, keyOf: (item: GridItem) => string): number {
  if (items.length === 0) return -1;
  if (focusKey !== null) for (let i = 0; i < items.length; i++) if (keyOf(items[i]!) === focusKey) return i;
  const p = indexOfLine(items, primary);
  return p >= 0 ? p : 0;
}

/**
 * What Shift + an arrow (or Home, End) selects: the lines from the anchor to the line focus moved
 * to. Without an anchor on screen the range starts at the line focus left (when it is a line), so
 * Shift + Down from a focused line selects it and the next one.
 */
export function extendTo(sel: GridSelection, items: readonly GridItem[], from: number, to: number, additive: boolean): GridSelection {
  const target = items[to];
  if (!target || target.kind !== 'line') return sel;
  const start = items[from];
  const anchored = indexOfLine(items, sel.anchor) >= 0 ? sel : { ...sel, anchor: start?.kind === 'line' ? start.id : target.id };
  return select(anchored, items, target.id, additive ? 'addRange' : 'range');
}
