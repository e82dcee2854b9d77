/** @jest-environment jsdom */
import './fluent-cjs';
import * as React from 'react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { BillingImportView, type Parser } from '../../pcf-controls/BillingImport/components/BillingImportView';
import { parseBytes } from '../../pcf-controls/BillingImport/model/parse';
import type { ImportWebApi } from '../../pcf-controls/BillingImport/model/write';
import { resxStrings } from './support';
import { LocalOrg } from '../../dataverse/src/local-org';
import { localWebApi } from '../webresources/support/local-webapi';
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

function fakeApi(existing: string[] = []): ImportWebApi & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    retrieveMultipleRecords: async (...a) => { calls.push(['retrieve', ...a]); return { entities: existing.map((id) => ({ cspb_billingimportid: id })) }; },
    createRecord: async (...a) => { calls.push(['create', ...a]); return { id: `id-${calls.length}` }; },
    updateRecord: async (...a) => { calls.push(['update', ...a]); return {}; },
  };
}

async function pick(): Promise<void> {
  fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File([CSV], 'bill.csv', { type: 'text/csv' })] } });
  await screen.findByTestId('summary');
}

describe('BillingImportView', () => {
  it('shows format, totals and row errors with row and column, then writes the lines in batches', async () => {
    const api = fakeApi();
    render(<BillingImportView strings={strings} parse={parse} parserKind="main thread" webApi={api} importRecordId="imp-1" />);
    await pick();
    expect(screen.getByTestId('summary-rows').textContent).toBe('3 rows read, 2 accepted, 1 rejected; 2 lines');
    expect(screen.getByTestId('summary-total').textContent).toBe('Total: 175.10 USD');
    const errorCells = [...screen.getByTestId('errors').querySelectorAll('tbody td')].map((td) => td.textContent);
    expect(errorCells.slice(0, 3)).toEqual(['3', 'Subtotal', 'not-a-number']);

    await act(async () => {
      fireEvent.click(screen.getByTestId('create-lines'));
    });
    await screen.findByTestId('written');
    expect(screen.getByTestId('written').textContent).toBe('2 billing lines created.');
    const hash = (api.calls[0]![2] as string).match(/cspb_contenthash eq '([0-9a-f]{64})'/)![1];
    expect(hash).toHaveLength(64);
    const lines = api.calls.filter((c) => c[0] === 'create' && c[1] === 'cspb_billingline').map((c) => c[2] as Record<string, unknown>);
    expect(lines.map((l) => [l['cspb_sourcerow'], l['cspb_subtotal'], l['cspb_ImportId@odata.bind']])).toEqual([
      [2, 120, '/cspb_billingimports(imp-1)'],
      [4, 55.1, '/cspb_billingimports(imp-1)'],
    ]);
    expect(api.calls.at(-1)).toEqual(['update', 'cspb_billingimport', 'imp-1', expect.objectContaining({ cspb_linecount: 2 })]);
  });

  it('refuses a second import of the same file (content hash) and creates nothing', async () => {
    const api = fakeApi(['other-import']);
    render(<BillingImportView strings={strings} parse={parse} parserKind="main thread" webApi={api} importRecordId="imp-2" />);
    await pick();
    await act(async () => {
      fireEvent.click(screen.getByTestId('create-lines'));
    });
    expect((await screen.findByTestId('import-error')).textContent).toContain('already imported (billing import other-import)');
    expect(api.calls.filter((c) => c[0] !== 'retrieve')).toEqual([]);
  });

  it('on a new form, a write cancelled part-way resumes on the import it created: only the missing lines, no duplicate-file refusal', async () => {
    const org = new LocalOrg();
    const local = localWebApi(org) as unknown as ImportWebApi;
    const csv60 = [CSV.split('\r\n')[0], ...Array.from({ length: 60 }, (_, i) => `new,${i + 1},${i + 1}.00,sub-${i},3/5/2022,4/4/2022,ref-${i},USD,M365`)].join('\r\n');
    const parse60: Parser = (_file, onProgress, token) => parseBytes(new NodeTextEncoder().encode(csv60), { fileName: 'bill60.csv' }, onProgress, token);
    let created = 0;
    // The user presses Cancel while the first batch is being created.
    const api: ImportWebApi = {
      ...local,
      createRecord: async (entity, data) => {
        if (entity === 'cspb_billingline' && ++created === 10) fireEvent.click(screen.getByTestId('cancel'));
        return local.createRecord(entity, data);
      },
    };
    render(<BillingImportView strings={strings} parse={parse60} parserKind="main thread" webApi={api} importRecordId={null} />);
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
    expect((await org.retrieveMultiple('cspb_billingimports', { select: ['cspb_linecount'] })).value).toEqual([expect.objectContaining({ cspb_linecount: 60 })]);
  });

  it('cancels a parse in progress', async () => {
    const big = new Uint8Array(3 * 256 * 1024).fill(0x41);
    const slow: Parser = (_f, onProgress, token) => parseBytes(big, {}, onProgress, token);
    render(<BillingImportView strings={strings} parse={slow} parserKind="main thread" webApi={null} importRecordId={null} />);
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
