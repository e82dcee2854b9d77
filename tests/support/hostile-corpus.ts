/**
 * The hostile-input corpus of issue 18, generated (no bulky committed files): one bill per way a
 * bill lost money or took the process down, each with the typed outcome every path must give.
 * `tests/scripts/hostile-cli.test.ts` runs each through `npm run reconcile` (exit code, message);
 * `tests/plugins/hostile-import.test.ts` through the Dynamics billing import (status, code, no
 * crash). `npx tsx tests/support/hostile-corpus.ts <dir>` writes the files for a look by hand.
 *
 * The service findings of the same issue have their own tests: workbench Host/Origin/CSRF and
 * `GET /%` (tests/workbench/guard.test.ts), webhook settings, org check, content type, timeouts
 * and correlation ids (tests/plugins/functions-app.test.ts, tests/fidelity/webhook-mode.test.ts),
 * malformed Web API queries (tests/fidelity/malformed-queries.test.ts), Retry-After
 * (tests/dataverse/retry-after.test.ts), one retry layer (tests/dataverse/bulk), durable writes
 * under kill -9 (tests/fidelity/durability.test.ts).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { columnName } from '../../core/src/import/xlsx';

export interface HostileCase {
  readonly id: string;
  /** The finding, as issue 18 states it. */
  readonly finding: string;
  readonly fileName: string;
  readonly bytes: Uint8Array;
  /** `npm run reconcile`: exit code and what stderr says. */
  readonly cli: { readonly exit: 0 | 2; readonly says: RegExp; readonly args?: readonly string[] };
  /** The Dynamics import: how it ends, and the code of the first error or rejected row when there is one. */
  readonly dynamics: { readonly status: 'Completed' | 'CompletedWithErrors' | 'Failed'; readonly code?: string; readonly encoding?: 'windows-1252' };
}

export const HOSTILE_HEADER = [
  'InvoiceNumber',
  'CustomerName',
  'SubscriptionId',
  'ProductName',
  'ChargeType',
  'OrderDate',
  'ChargeStartDate',
  'ChargeEndDate',
  'TermAndBillingCycle',
  'UnitPrice',
  'EffectiveUnitPrice',
  'BillableQuantity',
  'Subtotal',
  'Total',
  'Currency',
  'ReferenceId',
];

const row = (n: number, over: Partial<Record<string, string>> = {}): string[] => {
  const base: Record<string, string> = {
    InvoiceNumber: 'G000000042',
    CustomerName: `Customer ${n}`,
    SubscriptionId: `sub-hostile-${n}`,
    ProductName: 'Microsoft 365 Business Standard',
    ChargeType: 'cycleCharge',
    OrderDate: '10/1/2026',
    ChargeStartDate: '10/1/2026',
    ChargeEndDate: '10/31/2026',
    TermAndBillingCycle: 'One-Year commitment for monthly/yearly billing',
    UnitPrice: '12.50',
    EffectiveUnitPrice: '12.50',
    BillableQuantity: '10',
    Subtotal: '125.00',
    Total: '125.00',
    Currency: 'USD',
    ReferenceId: `ref-${n}`,
  };
  return HOSTILE_HEADER.map((h) => over[h] ?? base[h] ?? '');
};
const credit = row(3, { ChargeType: 'cancelImmediate', Subtotal: '-553.54', Total: '-553.54' });
/** The same credit with an impossible start date: refused, its money still readable. */
const badCredit = row(3, { ChargeType: 'cancelImmediate', Subtotal: '-553.54', Total: '-553.54', ChargeStartDate: '13/45/2026' });
const lines = (rows: readonly (readonly string[])[], eol = '\r\n') => [HOSTILE_HEADER.join(','), ...rows.map((r) => r.join(','))].join(eol) + eol;
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

function utf32(text: string, littleEndian: boolean): Uint8Array {
  const points = [0xfeff, ...[...text].map((c) => c.codePointAt(0)!)];
  const out = new Uint8Array(points.length * 4);
  const view = new DataView(out.buffer);
  points.forEach((p, i) => view.setUint32(i * 4, p, littleEndian));
  return out;
}

const WORKBOOK = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Recon" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const sheetRow = (r: number, cells: readonly string[], tail = '') =>
  `<row r="${r}">${cells.map((v, i) => `<c r="${columnName(i)}${r}" t="inlineStr"><is><t>${v}</t></is></c>`).join('')}${tail}</row>`;
const sheet = (rowsXml: string) =>
  strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rowsXml}</sheetData></worksheet>`,
  );
const workbook = (parts: Record<string, Uint8Array>) =>
  zipSync({ 'xl/workbook.xml': strToU8(WORKBOOK), 'xl/_rels/workbook.xml.rels': strToU8(RELS), ...parts }, { level: 9 });

export function hostileCorpus(): HostileCase[] {
  const plain = lines([row(1), row(2)]);
  const [head, first, second] = plain.split('\r\n');
  return [
    {
      id: 'bare-cr',
      finding: 'A lone CR inside a CRLF file joins two records; the extra fields are dropped and a -553.54 credit disappears',
      fileName: 'bare-cr.csv',
      bytes: utf8(`${head}\r\n${first}\r\n${second}\r${credit.join(',')}\r\n`),
      cli: { exit: 2, says: /row 3: .*bare CR/ },
      dynamics: { status: 'CompletedWithErrors', code: 'malformed-record' },
    },
    {
      id: 'extra-field',
      finding: 'A row with more fields than the header is accepted silently',
      fileName: 'extra-field.csv',
      bytes: utf8(lines([row(1), [...row(2), '999.99']])),
      cli: { exit: 2, says: /row 3: the row has 17 fields where the header has 16/ },
      dynamics: { status: 'CompletedWithErrors', code: 'malformed-record' },
    },
    {
      id: 'unclosed-quote',
      finding: 'An unclosed quote: "1 rows read, 0 accepted", an "empty bill" reconciliation, exit 0',
      fileName: 'unclosed-quote.csv',
      bytes: utf8(`${head}\r\n${first}\r\n"Contoso,${second}\r\n`),
      cli: { exit: 2, says: /quoted field opened in row 3 is not closed/ },
      dynamics: { status: 'Failed', code: 'malformed-file' },
    },
    {
      id: 'cr-only',
      finding: 'CR-only line endings (Excel\'s "CSV (Macintosh)"): 0 rows, exit 0',
      fileName: 'cr-only.csv',
      bytes: utf8(lines([row(1), row(2)], '\r')),
      cli: { exit: 0, says: /2 rows read, 2 accepted, 0 rejected/ },
      dynamics: { status: 'Completed' },
    },
    {
      id: 'utf-32',
      finding: 'UTF-32 with BOM: every row rejected, exit 0',
      fileName: 'utf-32.csv',
      bytes: utf32(plain, true),
      cli: { exit: 0, says: /2 rows read, 2 accepted, 0 rejected/ },
      dynamics: { status: 'Completed' },
    },
    {
      id: 'rejected-money',
      finding: 'Any rejected row drops its money out of the reconciliation with only a warning on stderr',
      fileName: 'rejected-money.csv',
      bytes: utf8(lines([row(1), badCredit])),
      cli: { exit: 2, says: /1 rejected \(-553\.54 USD\)[\s\S]*1 bill row was rejected by the importer/ },
      dynamics: { status: 'CompletedWithErrors', code: 'bad-date' },
    },
    {
      id: 'rejected-money-accepted',
      finding: 'The same bill, its rejected row acknowledged with --accept-rejected: the report is written and the exit is 0',
      fileName: 'rejected-money-accepted.csv',
      bytes: utf8(lines([row(1), badCredit])),
      cli: { exit: 0, says: /1 rejected \(-553\.54 USD\)/, args: ['--accept-rejected'] },
      dynamics: { status: 'CompletedWithErrors', code: 'bad-date' },
    },
    {
      id: 'windows-1252',
      finding: "A Windows-1252 file (Excel's default) decodes silently to U+FFFD",
      fileName: 'windows-1252.csv',
      bytes: new Uint8Array(Buffer.from(lines([row(1, { CustomerName: 'Caf\u00e9 M\u00fcller' })]), 'latin1')),
      cli: { exit: 2, says: /byte 0xE9 at offset \d+ is not UTF-8.*--encoding windows-1252/ },
      dynamics: { status: 'Failed', code: 'bad-encoding' },
    },
    {
      id: 'windows-1252-named',
      finding: 'The same file with its code page named: read, names intact',
      fileName: 'windows-1252-named.csv',
      bytes: new Uint8Array(Buffer.from(lines([row(1, { CustomerName: 'Caf\u00e9 M\u00fcller' })]), 'latin1')),
      cli: { exit: 0, says: /1 rows read, 1 accepted, 0 rejected/, args: ['--encoding', 'windows-1252'] },
      dynamics: { status: 'Completed', encoding: 'windows-1252' },
    },
    {
      id: 'nul-in-name',
      finding: 'NUL bytes stay in names',
      fileName: 'nul-in-name.csv',
      bytes: utf8(lines([row(1, { CustomerName: 'Contoso\u0000Ltd' }), row(2)])),
      cli: { exit: 2, says: /CustomerName holds the control character U\+0000/ },
      dynamics: { status: 'CompletedWithErrors', code: 'bad-text' },
    },
    {
      id: 'duplicated-header',
      finding: 'A duplicated header is ignored',
      fileName: 'duplicated-header.csv',
      bytes: utf8([[...HOSTILE_HEADER, 'Subtotal'].join(','), [...row(1), '1.00'].join(',')].join('\r\n') + '\r\n'),
      cli: { exit: 2, says: /names column Subtotal twice/ },
      dynamics: { status: 'Failed', code: 'duplicate-column' },
    },
    {
      id: 'huge-subtotal',
      finding: 'A subtotal of 1e9999 prints a 10,001-digit total',
      fileName: 'huge-subtotal.csv',
      bytes: utf8(lines([row(1), row(2, { Subtotal: '1e9999', Total: '1e9999' })])),
      cli: { exit: 2, says: /Subtotal is beyond what Dataverse stores \(money/ },
      dynamics: { status: 'CompletedWithErrors', code: 'bad-number' },
    },
    {
      id: 'huge-quantity',
      finding: 'A quantity of 1e308 is accepted',
      fileName: 'huge-quantity.csv',
      bytes: utf8(lines([row(1), row(2, { BillableQuantity: '1e308' })])),
      cli: { exit: 2, says: /BillableQuantity is beyond what Dataverse stores \(a whole number/ },
      dynamics: { status: 'CompletedWithErrors', code: 'bad-number' },
    },
    {
      id: 'xlsx-xfd',
      finding: 'A 105 KB .xlsx with cells in column XFD grows to 2.2 GB and aborts',
      fileName: 'xlsx-xfd.xlsx',
      bytes: workbook({
        'xl/worksheets/sheet1.xml': sheet(
          [sheetRow(1, HOSTILE_HEADER, '<c r="XFD1"/>'), ...Array.from({ length: 2000 }, (_, i) => sheetRow(i + 2, row(i + 1), `<c r="XFD${i + 2}"/>`))].join(
            '',
          ),
        ),
      }),
      cli: { exit: 0, says: /2000 rows read, 2000 accepted, 0 rejected/ },
      dynamics: { status: 'Completed' },
    },
    {
      id: 'xlsx-whitespace',
      finding: 'A 1.5 MB sheet of whitespace ends in a raw ERR_STRING_TOO_LONG stack',
      fileName: 'xlsx-whitespace.xlsx',
      bytes: workbook({ 'xl/worksheets/sheet1.xml': new Uint8Array(96 * 1024 * 1024).fill(32) }),
      cli: { exit: 2, says: /inflates more than 200 times its compressed size/ },
      dynamics: { status: 'Failed', code: 'too-large' },
    },
    {
      id: 'xlsx-unread-sheet',
      finding: 'A sheet that is never read is still decompressed (600 MB)',
      fileName: 'xlsx-unread-sheet.xlsx',
      bytes: workbook({
        'xl/worksheets/sheet1.xml': sheet([sheetRow(1, HOSTILE_HEADER), sheetRow(2, row(1))].join('')),
        'xl/worksheets/sheet2.xml': new Uint8Array(96 * 1024 * 1024).fill(32),
      }),
      cli: { exit: 0, says: /1 rows read, 1 accepted, 0 rejected/ },
      dynamics: { status: 'Completed' },
    },
  ];
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: npx tsx tests/support/hostile-corpus.ts <dir>');
  mkdirSync(dir, { recursive: true });
  for (const c of hostileCorpus()) writeFileSync(join(dir, c.fileName), c.bytes);
  console.log(`${hostileCorpus().length} files written to ${dir}`);
}
