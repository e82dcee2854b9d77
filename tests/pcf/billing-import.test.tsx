/** @jest-environment jsdom */
import './fluent-cjs';
import * as React from 'react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { BillingImportView, type Parser } from '../../pcf-controls/BillingImport/components/BillingImportView';
import { parseBytes } from '../../pcf-controls/BillingImport/model/parse';
import { resxStrings } from './support';
import { LocalOrg } from '../../dataverse/src/local-org';
import type { DataverseClient } from '../../dataverse/src/client/types';
import { TextDecoder as NodeTextDecoder, TextEncoder as NodeTextEncoder } from 'node:util';

// jsdom has no TextEncoder/TextDecoder (browsers and the worker do); the core importer decodes with them.
Object.assign(globalThis, { TextEncoder: NodeTextEncoder, TextDecoder: NodeTextDecoder });

const strings = resxStrings('BillingImport');
const CSV = [
  'ChargeType,BillableQuantity,Subtotal,SubscriptionId,ChargeStartDate,ChargeEndDate,ReferenceId,Currency,ProductName',
  'new,10,120.00,sub-1,3/5/2022,4/4/2022,ref-1,USD,M365',
  'addQuantity,2,not-a-number,sub-1,3/7/2022,4/4/2022,ref-2,USD,M365',
  'addQuantity,5,55.10,sub-2,3/7/2022,4/4/2022,ref-3,USD,E3',
].join('\r\n');
const bytes = new NodeTextEncoder().encode(CSV);
// jsdom's File lacks arrayBuffer(); the control's parser reads bytes, so tests hand them over directly.
const parse: Parser = (_file, onProgress, token) => parseBytes(bytes, { fileName: 'bill.csv' }, onProgress, token);

/** An org with an import record (the form's), as the control writes to it. */
async function orgWithImport(): Promise<{ org: LocalOrg; importId: string }> {
  const org = new LocalOrg();
  const importId = await org.create('cspb_billingimports', { cspb_name: 'bill.csv', cspb_contenthash: 'pending', cspb_currencycode: 'USD' });
  return { org, importId };
}

/** The org with some calls watched (the rest passed through). */
function watched(org: LocalOrg, overrides: Partial<DataverseClient>): DataverseClient {
  return new Proxy(org, {
    get: (target, name, receiver) => (name in overrides ? overrides[name as keyof DataverseClient] : Reflect.get(target, name, receiver)),
  }) as unknown as DataverseClient;
}

async function pick(): Promise<void> {
  fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File([CSV], 'bill.csv', { type: 'text/csv' })] } });
  await screen.findByTestId('summary');
}

describe('BillingImportView', () => {
  it('shows format, totals and row errors with row and column, then writes the lines as UpsertMultiple by line key', async () => {
    const { org, importId } = await orgWithImport();
    const upserts: Array<[string, readonly string[], number]> = [];
    const client = watched(org, {
      upsertMultiple: (set, keys, records) => (upserts.push([set, keys, records.length]), org.upsertMultiple(set, keys, records)),
    });
    const opened: string[] = [];
    render(
      <BillingImportView
        strings={strings}
        parse={parse}
        parserKind="main thread"
        client={client}
        importRecordId={importId}
        onWritten={(id) => opened.push(id)}
      />,
    );
    await pick();
    expect(screen.getByTestId('summary-rows').textContent).toBe('3 rows read, 2 accepted, 1 rejected; 2 lines');
    expect(screen.getByTestId('summary-total').textContent).toBe('Total: 175.10 USD');
    // The refused row's Subtotal cannot be read, so no money is claimed for it; the run's refusal is announced.
    expect(screen.getByTestId('summary-rejected').textContent).toBe(
      'Rejected rows carry 0.00 that is not in the lines (1 rows without a readable amount). A reconciliation run refuses this import until "Rejected rows accounted for" is set on it.',
    );
    const errorCells = [...screen.getByTestId('errors').querySelectorAll('tbody td')].map((td) => td.textContent);
    expect(errorCells.slice(0, 3)).toEqual(['3', 'Subtotal', 'not-a-number']);

    await act(async () => {
      fireEvent.click(screen.getByTestId('create-lines'));
    });
    await screen.findByTestId('written');
    expect(screen.getByTestId('written').textContent).toBe('2 billing lines created.');
    // The control then opens the saved record (status, counts, hash filled; Run reconciliation available).
    expect(opened).toEqual([importId]);
    expect(upserts).toEqual([['cspb_billinglines', ['cspb_linekey'], 2]]);
    const lines = (
      await org.retrieveMultiple<Record<string, unknown>>('cspb_billinglines', { filter: `_cspb_importid_value eq ${importId}`, orderBy: ['cspb_sourcerow'] })
    ).value;
    expect(lines.map((l) => [l['cspb_sourcerow'], l['cspb_subtotal']])).toEqual([
      [2, 120],
      [4, 55.1],
    ]);
    const imported = await org.retrieve<Record<string, unknown>>('cspb_billingimports', importId);
    expect(imported).toMatchObject({
      cspb_linecount: 2,
      cspb_contenthash: expect.stringMatching(/^[0-9a-f]{64}$/),
      cspb_rowsrejected: 1,
      cspb_rejectedamount: 0,
      cspb_importstatus: 100000004,
    });
    // The same columns the server-side import writes (one mapper): each refused row with its reason.
    expect(JSON.parse(String(imported['cspb_rejectedrows']))).toEqual([
      { row: 3, code: 'bad-number', column: 'Subtotal', value: 'not-a-number', reason: 'Subtotal is not a decimal number' },
    ]);
  });

  it('refuses a second import of the same file (content hash) and writes nothing', async () => {
    const { org, importId } = await orgWithImport();
    const hash = (await parseBytes(bytes, { fileName: 'bill.csv' }, () => undefined)).summary.contentHash;
    const other = await org.create('cspb_billingimports', { cspb_name: 'earlier', cspb_contenthash: hash, cspb_currencycode: 'USD' });
    render(<BillingImportView strings={strings} parse={parse} parserKind="main thread" client={org} importRecordId={importId} />);
    await pick();
    await act(async () => {
      fireEvent.click(screen.getByTestId('create-lines'));
    });
    expect((await screen.findByTestId('import-error')).textContent).toContain(`already imported (billing import ${other})`);
    expect((await org.retrieveMultiple('cspb_billinglines', {})).value).toHaveLength(0);
    expect((await org.retrieve<Record<string, unknown>>('cspb_billingimports', importId))['cspb_contenthash']).toBe('pending');
  });

  it('on a new form, a write cancelled part-way resumes on the import it created: only the missing lines, no duplicate-file refusal', async () => {
    const org = new LocalOrg();
    const csv60 = [CSV.split('\r\n')[0], ...Array.from({ length: 60 }, (_, i) => `new,${i + 1},${i + 1}.00,sub-${i},3/5/2022,4/4/2022,ref-${i},USD,M365`)].join(
      '\r\n',
    );
    const parse60: Parser = (_file, onProgress, token) => parseBytes(new NodeTextEncoder().encode(csv60), { fileName: 'bill60.csv' }, onProgress, token);
    let chunks = 0;
    // The user presses Cancel while the first chunk of 25 is being written.
    const client = watched(org, {
      upsertMultiple: async (set, keys, records) => {
        if (++chunks === 1) fireEvent.click(screen.getByTestId('cancel'));
        return org.upsertMultiple(set, keys, records);
      },
    });
    render(<BillingImportView strings={strings} parse={parse60} parserKind="main thread" client={client} importRecordId={null} batchSize={25} />);
    await pick();
    await act(async () => {
      fireEvent.click(screen.getByTestId('create-lines'));
    });
    await waitFor(() => expect(screen.queryByTestId('progress')).toBeNull());
    const count = async (): Promise<number> => (await org.retrieveMultiple('cspb_billinglines', { select: ['cspb_linekey'] })).value.length;
    expect(await count()).toBe(25);
    await act(async () => {
      fireEvent.click(screen.getByTestId('create-lines'));
    });
    expect((await screen.findByTestId('written')).textContent).toBe('35 billing lines created; 25 were already there from the earlier attempt.');
    expect(await count()).toBe(60);
    expect((await org.retrieveMultiple('cspb_billingimports', { select: ['cspb_linecount'] })).value).toEqual([
      expect.objectContaining({ cspb_linecount: 60 }),
    ]);
  });

  it('cancels a parse in progress', async () => {
    const big = new Uint8Array(3 * 256 * 1024).fill(0x41);
    const slow: Parser = (_f, onProgress, token) => parseBytes(big, {}, onProgress, token);
    render(<BillingImportView strings={strings} parse={slow} parserKind="main thread" client={null} importRecordId={null} />);
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File(['x'], 'big.csv')] } });
    fireEvent.click(await screen.findByTestId('cancel'));
    await waitFor(() => expect(screen.queryByTestId('progress')).toBeNull());
    expect(screen.queryByTestId('summary')).toBeNull();
  });

  it('parses the real sample with the main-thread parser', async () => {
    const sample = readFileSync(join(__dirname, '../../../shared/samples/pc-docs-nce-scenarios/nce-seat-changes-march-2022.csv'));
    const progress: number[] = [];
    const result = await parseBytes(new Uint8Array(sample), { defaultCurrency: 'USD' }, (done) => progress.push(done));
    expect(result.summary.rowsAccepted).toBe(11);
    expect(result.summary.total.toFixed(2)).toBe('275.23');
    expect(progress.at(-1)).toBe(sample.length);
  });
});
