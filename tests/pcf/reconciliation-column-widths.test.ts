import {
  clampWidth,
  fittedWidth,
  MAX_COLUMN_WIDTH,
  MIN_COLUMN_WIDTH,
  parseStoredWidth,
  readStoredWidths,
  resizeKeyAction,
  storageOrNull,
  storeWidth,
  widthStorageKey,
  type WidthStorage,
} from '../../pcf-controls/ReconciliationGrid/model/column-widths';

/** A Map behind the Web Storage calls the widths use. */
function memoryStorage(initial: Record<string, string> = {}): WidthStorage & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

describe('column widths', () => {
  it('clamps to 48..800 px and rounds to whole pixels', () => {
    expect([MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH]).toEqual([48, 800]);
    expect(clampWidth(231)).toBe(231);
    expect(clampWidth(230.6)).toBe(231);
    expect(clampWidth(10)).toBe(48);
    expect(clampWidth(-500)).toBe(48);
    expect(clampWidth(801)).toBe(800);
    expect(clampWidth(Number.POSITIVE_INFINITY)).toBe(800);
    expect(clampWidth(Number.NaN)).toBe(48);
  });

  it('steps 10 px on Left and Right, 50 px with Shift; Enter fits; other keys are not the handle’s', () => {
    expect(resizeKeyAction('ArrowRight', false)).toEqual({ kind: 'step', delta: 10 });
    expect(resizeKeyAction('ArrowLeft', false)).toEqual({ kind: 'step', delta: -10 });
    expect(resizeKeyAction('ArrowRight', true)).toEqual({ kind: 'step', delta: 50 });
    expect(resizeKeyAction('ArrowLeft', true)).toEqual({ kind: 'step', delta: -50 });
    expect(resizeKeyAction('Enter', false)).toEqual({ kind: 'fit' });
    for (const key of ['ArrowUp', 'ArrowDown', 'Tab', ' ', 'Home', 'a']) expect(resizeKeyAction(key, false)).toBeNull();
  });

  it('fits to the widest content plus padding, within the bounds; nothing measured: the default width', () => {
    expect(fittedWidth([120.2, 212.4, 80], 8, 231)).toBe(229); // ceil(212.4) + 16
    expect(fittedWidth([2000], 8, 231)).toBe(800);
    expect(fittedWidth([10], 8, 231)).toBe(48);
    expect(fittedWidth([], 8, 231)).toBe(231);
    expect(fittedWidth([0, 0, Number.NaN], 8, 231)).toBe(231); // jsdom: no layout
  });

  it('keys a width by control and column', () => {
    expect(widthStorageKey('ReconciliationGrid', 'category')).toBe('cspb.ReconciliationGrid.columnWidth.category');
    expect(widthStorageKey('ReconciliationGrid', 'category')).not.toBe(widthStorageKey('ReconciliationGrid', 'status'));
    expect(widthStorageKey('A', 'status')).not.toBe(widthStorageKey('B', 'status'));
  });

  it('reads back whole pixels only, clamped; anything else is no width', () => {
    expect(parseStoredWidth('351')).toBe(351);
    expect(parseStoredWidth(' 351 ')).toBe(351);
    expect(parseStoredWidth('5')).toBe(48);
    expect(parseStoredWidth('99999')).toBe(800);
    for (const bad of [null, undefined, '', 'abc', '-20', '12.5', '1e3', '351px', '123456']) expect(parseStoredWidth(bad)).toBeNull();
  });

  it('stores and reads the widths of the columns named, skipping corrupt ones', () => {
    const storage = memoryStorage({ [widthStorageKey('G', 'status')]: 'wide' });
    expect(storeWidth(storage, 'G', 'category', 351.4)).toBe(true);
    expect(storage.items.get(widthStorageKey('G', 'category'))).toBe('351');
    expect([...readStoredWidths(storage, 'G', ['category', 'status', 'product'])]).toEqual([['category', 351]]);
    // Another control's widths are its own.
    expect(readStoredWidths(storage, 'H', ['category']).size).toBe(0);
  });

  it('works on without storage: absent, refused on read or on write (blocked, full)', () => {
    expect(readStoredWidths(null, 'G', ['category']).size).toBe(0);
    expect(storeWidth(null, 'G', 'category', 300)).toBe(false);
    const refusing: WidthStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(readStoredWidths(refusing, 'G', ['category', 'status']).size).toBe(0);
    expect(storeWidth(refusing, 'G', 'category', 300)).toBe(false);
    // Reading `window.sessionStorage` itself throws in a sandboxed frame.
    expect(
      storageOrNull(() => {
        throw new Error('SecurityError');
      }),
    ).toBeNull();
    expect(storageOrNull(() => undefined)).toBeNull();
    const storage = memoryStorage();
    expect(storageOrNull(() => storage)).toBe(storage);
  });
});
