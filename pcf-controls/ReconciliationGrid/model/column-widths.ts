/**
 * Column widths the user sets by dragging or from the keyboard: the bounds, the keyboard's steps,
 * fitting to measured content, and keeping them for the browser session (sessionStorage, keyed by
 * control and column). Pure: the storage is passed in, and every access to it is guarded (a host
 * may block storage, or it may be full), so widths then simply last as long as the view.
 */

export const MIN_COLUMN_WIDTH = 48;
export const MAX_COLUMN_WIDTH = 800;
/** Left or Right on a resize handle; with Shift, the larger step. */
export const KEYBOARD_STEP = 10;
export const KEYBOARD_STEP_LARGE = 50;

/** A width (CSS pixels) rounded to a whole pixel and held between the bounds. */
export function clampWidth(width: number): number {
  if (Number.isNaN(width)) return MIN_COLUMN_WIDTH;
  return Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, Math.round(width)));
}

/** What a key does on a resize handle: widen or narrow by a step, or fit the column to its content; null when the key is not the handle's. */
export type ResizeKeyAction = { readonly kind: 'step'; readonly delta: number } | { readonly kind: 'fit' };

export function resizeKeyAction(key: string, shiftKey: boolean): ResizeKeyAction | null {
  const step = shiftKey ? KEYBOARD_STEP_LARGE : KEYBOARD_STEP;
  if (key === 'ArrowRight') return { kind: 'step', delta: step };
  if (key === 'ArrowLeft') return { kind: 'step', delta: -step };
  if (key === 'Enter') return { kind: 'fit' };
  return null;
}

/**
 * The width that shows the widest of the measured contents unclipped: the widest, rounded up, plus
 * the cell's padding on both sides, within the bounds. With nothing measured (no layout, as in
 * jsdom, or no cell rendered), the fallback: the column's default width.
 */
export function fittedWidth(contentWidths: readonly number[], padding: number, fallback: number): number {
  let widest = 0;
  for (const w of contentWidths) if (Number.isFinite(w) && w > widest) widest = w;
  return widest > 0 ? clampWidth(Math.ceil(widest) + 2 * padding) : clampWidth(fallback);
}

/** The sessionStorage key of one column's width in one control. */
export function widthStorageKey(control: string, column: string): string {
  return `cspb.${control}.columnWidth.${column}`;
}

/** A stored width: whole pixels only, brought back within the bounds; anything else (absent, edited, corrupt) is null. */
export function parseStoredWidth(text: string | null | undefined): number | null {
  if (typeof text !== 'string' || !/^\d{1,5}$/.test(text.trim())) return null;
  return clampWidth(Number(text.trim()));
}

/** The part of the Web Storage API the widths use (sessionStorage, or a fake in tests). */
export interface WidthStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The stored widths of the columns named, by column key (columns without a valid stored width are left out). */
export function readStoredWidths(storage: WidthStorage | null, control: string, columns: readonly string[]): Map<string, number> {
  const widths = new Map<string, number>();
  if (!storage) return widths;
  for (const column of columns) {
    let text: string | null;
    try {
      text = storage.getItem(widthStorageKey(control, column));
    } catch {
      return widths; // storage refused (blocked by the host): no stored widths at all
    }
    const width = parseStoredWidth(text);
    if (width !== null) widths.set(column, width);
  }
  return widths;
}

/** Stores one column's width; false when the storage is missing or refused it (blocked, full). */
export function storeWidth(storage: WidthStorage | null, control: string, column: string, width: number): boolean {
  if (!storage) return false;
  try {
    storage.setItem(widthStorageKey(control, column), String(clampWidth(width)));
    return true;
  } catch {
    return false;
  }
}

/** The storage a getter returns, or null when reading it throws (a sandboxed frame, blocked cookies) or it is absent. */
export function storageOrNull(get: () => WidthStorage | null | undefined): WidthStorage | null {
  try {
    return get() ?? null;
  } catch {
    return null;
  }
}
