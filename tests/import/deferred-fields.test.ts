import { CsvScanner } from '../../core/src/import/csv-scanner';

/**
 * The scanner may only locate the fields a usage row's aggregation does not read, and slice them on
 * demand (fillDeferred). Whatever the quoting, the values must be the ones an eager scan gives.
 */
function scanAll(text: string, eagerSlots: readonly number[] | undefined): (string | undefined)[][] {
  const sc = new CsvScanner();
  sc.append(text);
  sc.detectLineEnding(true);
  sc.detectDelimiter();
  expect(sc.next(true)).toBe('record'); // header
  const width = sc.fieldCount;
  sc.select(
    Int32Array.from({ length: width }, (_, i) => i),
    width,
    eagerSlots,
  );
  const rows: (string | undefined)[][] = [];
  while (sc.next(true) === 'record') {
    sc.fillDeferred();
    rows.push([...sc.values]);
  }
  return rows;
}

const FILES: Record<string, string> = {
  plain: 'a,b,c,d\n1,2,3,4\n5,,7,8\n',
  crlf: 'a,b,c,d\r\n1,2,3,4\r\n5,6,7,\r\n',
  quoted: 'a,b,c,d\n"x, y","say ""hi""",3,"{""k"":""v""}"\n',
  'text after a closing quote': 'a,b,c,d\n"ab"cd,"e""f"g,3,4\n',
  'quoted line break': 'a,b,c,d\r\n1,"two\r\nlines",3,"x"\r\n',
  'short record': 'a,b,c,d\n1,2\n',
};

describe('CsvScanner deferred fields', () => {
  it.each(Object.entries(FILES))('%s: deferred values equal eager ones', (_name, text) => {
    const eager = scanAll(text, undefined);
    expect(scanAll(text, [])).toEqual(eager);
    expect(scanAll(text, [0, 2])).toEqual(eager);
  });

  it('unescapes a deferred quoted field and keeps text after its closing quote', () => {
    const [row] = scanAll(FILES['text after a closing quote'] as string, [2]);
    expect(row).toEqual(['abcd', 'e"fg', '3', '4']);
    const [q] = scanAll(FILES['quoted'] as string, []);
    expect(q).toEqual(['x, y', 'say "hi"', '3', '{"k":"v"}']);
  });

  it('leaves deferred slots empty until fillDeferred is called', () => {
    const sc = new CsvScanner();
    sc.append('a,b\n1,2\n');
    sc.detectLineEnding(true);
    sc.detectDelimiter();
    sc.next(true);
    sc.select(Int32Array.from([0, 1]), 2, [1]);
    expect(sc.next(true)).toBe('record');
    expect(sc.values).toEqual([undefined, '2']);
    sc.fillDeferred();
    expect(sc.values).toEqual(['1', '2']);
  });
});
