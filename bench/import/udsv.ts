/** uDSV's bare parse of a CSV file, the baseline the import and reconcile benches compare with: rows counted, nothing kept. */
import * as fs from 'node:fs';
import { inferSchema, initParser } from 'udsv';

export async function udsvRowCount(file: string): Promise<number> {
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  stream.setEncoding('utf8'); // TOOLCHAIN.md: never chunk.toString() raw buffers
  let parser: ReturnType<typeof initParser> | null = null;
  let rows = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    parser ??= initParser(inferSchema(chunk));
    // uDSV calls back once per parsed row.
    parser.chunk<string[]>(chunk, parser.stringArrs, () => {
      rows += 1;
    });
  }
  parser?.end();
  return rows;
}
