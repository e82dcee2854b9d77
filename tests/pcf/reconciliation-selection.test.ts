import { toRows } from '../../pcf-controls/ReconciliationGrid/model/rows';
import { filterRows, flattenTree, groupTree, itemKey, NO_FILTER, type GridItem } from '../../pcf-controls/ReconciliationGrid/model/view';
import {
  extendTo,
  focusMoveOf,
  indexOfLine,
  linesBetween,
  moveFocus,
  NO_SELECTION,
  select,
  selectAll,
  selectModeOf,
  tabStopIndex,
  type GridSelection,
} from '../../pcf-controls/ReconciliationGrid/model/selection';
import { records } from './support';

// Two customers, three subscriptions; given out of display order so the grid's order (by customer,
// then subscription) differs from the data set's.
const rows = toRows(
  ['cspb_customerid', 'cspb_vendorsubscriptionid', 'cspb_chargetype', 'cspb_currencycode'],
  records([
    { id: 'f1', cspb_customerid: 'Fabrikam', cspb_vendorsubscriptionid: 'sub-f', cspb_chargetype: 'cycleCharge', cspb_currencycode: 'USD' },
    { id: 'c1', cspb_customerid: 'Contoso', cspb_vendorsubscriptionid: 'sub-b', cspb_chargetype: 'addQuantity', cspb_currencycode: 'USD' },
    { id: 'a1', cspb_customerid: 'Contoso', cspb_vendorsubscriptionid: 'sub-a', cspb_chargetype: 'addQuantity', cspb_currencycode: 'USD' },
    { id: 'a2', cspb_customerid: 'Contoso', cspb_vendorsubscriptionid: 'sub-a', cspb_chargetype: 'removeQuantity', cspb_currencycode: 'USD' },
    { id: 'f2', cspb_customerid: 'Fabrikam', cspb_vendorsubscriptionid: 'sub-f', cspb_chargetype: 'usage', cspb_currencycode: 'USD' },
  ]),
);
const view = (collapsed: ReadonlySet<string> = new Set(), search = ''): GridItem[] =>
  flattenTree(groupTree(filterRows(rows, { ...NO_FILTER, search }), null), collapsed);
const keys = (items: readonly GridItem[]): string[] => items.map((i) => (i.kind === 'line' ? i.id : `[${i.label}]`));
const ids = (sel: GridSelection): string[] => [...sel.ids].sort();

describe('grid selection', () => {
  const items = view();
  it('works on the rows as shown: group headers between the lines', () => {
    expect(keys(items)).toEqual(['[Contoso]', '[sub-a]', 'a1', 'a2', '[sub-b]', 'c1', '[Fabrikam]', '[sub-f]', 'f1', 'f2']);
    expect(linesBetween(items, indexOfLine(items, 'f1'), indexOfLine(items, 'a2'))).toEqual(['a2', 'c1', 'f1']);
  });

  it('reads the mode from the modifiers (Cmd is Ctrl)', () => {
    const m = (ctrlKey: boolean, metaKey: boolean, shiftKey: boolean) => selectModeOf({ ctrlKey, metaKey, shiftKey });
    expect([m(false, false, false), m(true, false, false), m(false, true, false), m(false, false, true), m(true, false, true), m(false, true, true)]).toEqual([
      'replace',
      'toggle',
      'toggle',
      'range',
      'addRange',
      'addRange',
    ]);
  });

  it('Shift + click takes the lines between the anchor and the line, in either direction, skipping headers', () => {
    const clicked = select(NO_SELECTION, items, 'a2', 'replace');
    expect(clicked).toEqual({ primary: 'a2', ids: new Set(['a2']), anchor: 'a2' });
    const down = select(clicked, items, 'f1', 'range');
    expect(ids(down)).toEqual(['a2', 'c1', 'f1']);
    expect(down.primary).toBe('f1');
    expect(down.anchor).toBe('a2');
    // Again from the same anchor, upwards: the earlier range is replaced.
    const up = select(down, items, 'a1', 'range');
    expect(ids(up)).toEqual(['a1', 'a2']);
  });

  it('Ctrl + Shift + click adds the range; Ctrl + click moves the anchor', () => {
    let sel = select(NO_SELECTION, items, 'a1', 'replace');
    sel = select(sel, items, 'c1', 'toggle');
    expect(ids(sel)).toEqual(['a1', 'c1']);
    expect(sel.anchor).toBe('c1');
    expect(sel.primary).toBe('a1');
    sel = select(sel, items, 'f2', 'addRange');
    expect(ids(sel)).toEqual(['a1', 'c1', 'f1', 'f2']);
    // A plain Shift + click from the same anchor replaces all of it.
    expect(ids(select(sel, items, 'f1', 'range'))).toEqual(['c1', 'f1']);
  });

  it('Ctrl + click toggles a line off, the primary passing to the next one shown', () => {
    let sel = select(NO_SELECTION, items, 'a1', 'replace');
    sel = select(sel, items, 'c1', 'toggle');
    sel = select(sel, items, 'a1', 'toggle');
    expect(ids(sel)).toEqual(['c1']);
    expect(sel.primary).toBe('c1');
    sel = select(sel, items, 'c1', 'toggle');
    expect(sel).toEqual({ primary: null, ids: new Set(), anchor: 'c1' });
  });

  it('ranges only over the lines shown: filtered out or collapsed lines are not taken', () => {
    const collapsed = view(new Set(['Contoso\u0001sub-b']));
    expect(ids(select(select(NO_SELECTION, collapsed, 'a1', 'replace'), collapsed, 'f2', 'range'))).toEqual(['a1', 'a2', 'f1', 'f2']);
    const searched = view(new Set(), 'quantity');
    expect(keys(searched)).toEqual(['[Contoso]', '[sub-a]', 'a1', 'a2', '[sub-b]', 'c1']);
    expect(ids(select(select(NO_SELECTION, searched, 'c1', 'replace'), searched, 'a1', 'range'))).toEqual(['a1', 'a2', 'c1']);
    // The anchor filtered out: the line alone, the new anchor.
    const gone = select(NO_SELECTION, items, 'f1', 'replace');
    expect(select(gone, searched, 'a2', 'range')).toEqual({ primary: 'a2', ids: new Set(['a2']), anchor: 'a2' });
    expect(ids(select(gone, searched, 'a2', 'addRange'))).toEqual(['a2', 'f1']);
  });

  it('Ctrl + A selects every line shown and keeps the primary', () => {
    const sel = selectAll(select(NO_SELECTION, items, 'c1', 'replace'), items, 0);
    expect(ids(sel)).toEqual(['a1', 'a2', 'c1', 'f1', 'f2']);
    expect(sel.primary).toBe('c1');
    expect(selectAll(NO_SELECTION, items, indexOfLine(items, 'f1')).primary).toBe('f1');
    expect(selectAll(NO_SELECTION, [], 0)).toBe(NO_SELECTION);
  });

  it('moves focus over every row, or over lines only with Shift, and stops at the ends', () => {
    expect(['ArrowUp', 'ArrowDown', 'Home', 'End', 'Tab'].map(focusMoveOf)).toEqual(['up', 'down', 'first', 'last', null]);
    const at = (id: string) => indexOfLine(items, id);
    expect(moveFocus(items, at('a2'), 'down', false)).toBe(at('a2') + 1); // sub-b's header
    expect(moveFocus(items, at('a2'), 'down', true)).toBe(at('c1'));
    expect(moveFocus(items, at('c1'), 'up', true)).toBe(at('a2'));
    expect(moveFocus(items, 0, 'up', false)).toBe(0);
    expect(moveFocus(items, items.length - 1, 'down', false)).toBe(items.length - 1);
    expect(moveFocus(items, at('c1'), 'first', false)).toBe(0);
    expect(moveFocus(items, at('c1'), 'first', true)).toBe(at('a1'));
    expect(moveFocus(items, at('c1'), 'last', true)).toBe(at('f2'));
    expect(moveFocus(items, at('a1'), 'up', true)).toBe(at('a1'));
  });

  it('Shift + arrow extends from the anchor, or from the line focus left when there is none', () => {
    const at = (id: string) => indexOfLine(items, id);
    const fresh = extendTo(NO_SELECTION, items, at('a2'), at('c1'), false);
    expect(ids(fresh)).toEqual(['a2', 'c1']);
    expect(fresh.anchor).toBe('a2');
    expect(ids(extendTo(fresh, items, at('c1'), at('f1'), false))).toEqual(['a2', 'c1', 'f1']);
    expect(ids(extendTo(fresh, items, at('a2'), at('a1'), false))).toEqual(['a1', 'a2']);
    // Ctrl + Shift: added to what was selected.
    const other = select(NO_SELECTION, items, 'f2', 'replace');
    expect(ids(extendTo({ ...other, anchor: 'a1' }, items, at('a1'), at('a2'), true))).toEqual(['a1', 'a2', 'f2']);
    // A header as target selects nothing new.
    expect(extendTo(fresh, items, at('c1'), 0, false)).toBe(fresh);
  });

  it('keeps one tab stop: the focused row, else the primary line, else the first row', () => {
    expect(tabStopIndex([], null, null, itemKey)).toBe(-1);
    expect(tabStopIndex(items, null, null, itemKey)).toBe(0);
    expect(tabStopIndex(items, null, 'c1', itemKey)).toBe(indexOfLine(items, 'c1'));
    expect(tabStopIndex(items, 'f1', 'c1', itemKey)).toBe(indexOfLine(items, 'f1'));
    expect(tabStopIndex(items, 'Fabrikam', 'c1', itemKey)).toBe(keys(items).indexOf('[Fabrikam]'));
    expect(tabStopIndex(items, 'gone', 'also-gone', itemKey)).toBe(0);
  });
});
