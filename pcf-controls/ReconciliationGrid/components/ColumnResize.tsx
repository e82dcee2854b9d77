/**
 * Resizable columns: the widths the user set (kept for the session, model/column-widths.ts) and
 * the handle at a column header's right edge. The handle is a focusable vertical separator whose
 * value is the column's width: drag it (pointer events, captured, so the drag follows the pointer
 * off the handle), or Left and Right by 10 px (Shift: 50 px); a double-click or Enter fits the
 * column to the widest of its header and the cells the list has rendered.
 */
import * as React from 'react';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import {
  clampWidth,
  fittedWidth,
  MAX_COLUMN_WIDTH,
  MIN_COLUMN_WIDTH,
  readStoredWidths,
  resizeKeyAction,
  storageOrNull,
  storeWidth,
  type WidthStorage,
} from '../model/column-widths';

/** The control's name in the storage keys. */
const CONTROL = 'ReconciliationGrid';

/** The browser session's storage, or null where the host blocks it (reading `sessionStorage` itself can throw). */
const sessionStore = (): WidthStorage | null => storageOrNull(() => (typeof window === 'undefined' ? null : window.sessionStorage));

export interface ColumnWidths {
  /** The widths set by the user, by column key (columns not in it keep their default). */
  readonly widths: ReadonlyMap<string, number>;
  /** Sets a column's width (clamped); `persist` stores it for the session too (a drag stores once, when it ends). */
  readonly setWidth: (key: string, width: number, persist: boolean) => void;
}

/** The user's column widths: read once from the session's storage for the columns named, stored as they are set. */
export function useColumnWidths(keys: readonly string[]): ColumnWidths {
  const storage = React.useMemo(sessionStore, []);
  const [widths, setWidths] = React.useState<ReadonlyMap<string, number>>(() => readStoredWidths(storage, CONTROL, keys));
  const setWidth = React.useCallback(
    (key: string, width: number, persist: boolean) => {
      const w = clampWidth(width);
      setWidths((prev) => (prev.get(key) === w ? prev : new Map(prev).set(key, w)));
      if (persist) storeWidth(storage, CONTROL, key, w);
    },
    [storage],
  );
  return { widths, setWidth };
}

const styles = mergeStyleSets({
  // In the header cell's right padding: a thin rule at rest, the accent on hover, focus and while dragging.
  handle: {
    position: 'absolute',
    top: 0,
    right: 0,
    bottom: 0,
    width: 8,
    cursor: 'col-resize',
    touchAction: 'none',
    userSelect: 'none',
    outline: 'none',
    zIndex: 1,
    selectors: {
      '::after': { content: '""', position: 'absolute', top: 10, bottom: 10, left: 3, width: 1, background: '#c8c6c4' },
      ':hover::after, :focus::after': { top: 0, bottom: 0, left: 3, width: 2, background: '#0078d4' },
      ':focus': { outline: '1px solid #605e5c', outlineOffset: -1 },
    },
  },
  active: { selectors: { '::after': { top: 0, bottom: 0, left: 3, width: 2, background: '#0078d4' } } },
});

/** The width of an element's content as laid out (text is measured whole, however the cell clips it); 0 without layout. */
function contentWidth(el: Element): number {
  const range = el.ownerDocument.createRange();
  range.selectNodeContents(el);
  const width = typeof range.getBoundingClientRect === 'function' ? range.getBoundingClientRect().width : 0;
  range.detach();
  return width;
}

/** The content widths of a column's header (its sort button) and of its cells in the rendered rows. */
function measureColumn(handle: HTMLElement, colIndex: number): number[] {
  const header = handle.closest('[role=columnheader]');
  const grid = handle.closest('[role=treegrid], [role=grid]');
  const widths: number[] = [];
  const button = header?.querySelector('button');
  if (button) widths.push(contentWidth(button));
  grid?.querySelectorAll(`[role=gridcell][aria-colindex="${colIndex}"]`).forEach((cell) => widths.push(contentWidth(cell)));
  return widths;
}

interface Drag {
  readonly pointerId: number;
  readonly startX: number;
  readonly startWidth: number;
  width: number;
}

export function ColumnResizeHandle(props: {
  columnKey: string;
  /** aria-colindex of the column's cells. */
  colIndex: number;
  /** "Resize <column>", localised. */
  label: string;
  width: number;
  defaultWidth: number;
  /** The cells' horizontal padding (each side), added to the measured content when fitting. */
  padding: number;
  onResize: (key: string, width: number, persist: boolean) => void;
}): React.ReactElement {
  const { columnKey, width, onResize } = props;
  const drag = React.useRef<Drag | null>(null);
  const [dragging, setDragging] = React.useState(false);

  const fit = (handle: HTMLElement): void => {
    onResize(columnKey, fittedWidth(measureColumn(handle, props.colIndex), props.padding, props.defaultWidth), true);
  };
  const end = (e: React.PointerEvent<HTMLElement>): void => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    setDragging(false);
    if (e.currentTarget.hasPointerCapture?.(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    onResize(columnKey, d.width, true);
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={props.label}
      aria-valuenow={width}
      aria-valuemin={MIN_COLUMN_WIDTH}
      aria-valuemax={MAX_COLUMN_WIDTH}
      tabIndex={0}
      className={dragging ? `${styles.handle} ${styles.active}` : styles.handle}
      data-testid={`resize-${columnKey}`}
      // No text selection while dragging (which also keeps the mouse from focusing: the pointer down focuses it).
      onMouseDown={(e) => e.preventDefault()}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.currentTarget.focus({ preventScroll: true });
        e.currentTarget.setPointerCapture?.(e.pointerId);
        drag.current = { pointerId: e.pointerId, startX: e.clientX, startWidth: width, width };
        setDragging(true);
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d || d.pointerId !== e.pointerId) return;
        const w = clampWidth(d.startWidth + e.clientX - d.startX);
        if (w === d.width) return;
        d.width = w;
        onResize(columnKey, w, false);
      }}
      onPointerUp={end}
      onPointerCancel={end}
      onLostPointerCapture={end}
      // A click on the handle is not a click on the header (no sort).
      onClick={(e) => e.stopPropagation()}
      onDoubleClick={(e) => {
        e.stopPropagation();
        fit(e.currentTarget);
      }}
      onKeyDown={(e) => {
        if (e.altKey || e.ctrlKey || e.metaKey) return;
        const action = resizeKeyAction(e.key, e.shiftKey);
        if (!action) return;
        e.preventDefault();
        e.stopPropagation();
        if (action.kind === 'fit') fit(e.currentTarget);
        else onResize(columnKey, width + action.delta, true);
      }}
    />
  );
}
