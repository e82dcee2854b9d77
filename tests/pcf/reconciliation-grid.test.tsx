/** @jest-environment jsdom */
import './fluent-cjs';
import * as React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ReconciliationGridView } from '../../pcf-controls/ReconciliationGrid/components/ReconciliationGridView';
import { rowSetOf } from '../../pcf-controls/ReconciliationGrid/model/row-set';
import { toRows } from '../../pcf-controls/ReconciliationGrid/model/rows';
import { createWebApiActions, type WebApiLike } from '../../pcf-controls/ReconciliationGrid/model/actions';
import { CspbDiscrepancyCategory, CspbDiscrepancyResolutionStatus } from '../../dataverse/generated/cspb_discrepancy';
import { records, resxStrings } from './support';

const strings = resxStrings('ReconciliationGrid');
const SUB_ID = '11111111-2222-3333-4444-555555555555';
const rows = toRows(
  [
    'cspb_name',
    'cspb_customerid',
    'cspb_vendorsubscriptionid',
    'cspb_subscriptionid',
    'cspb_chargetype',
    'cspb_chargestartdate',
    'cspb_billedquantity',
    'cspb_expectedquantity',
    'cspb_billedamount',
    'cspb_expectedamount',
    'cspb_variance',
    'cspb_category',
    'cspb_resolutionstatus',
    'cspb_currencycode',
    'cspb_explanation',
    'cspb_rule',
    'cspb_decisionfrom',
  ],
  records([
    {
      id: 'd1',
      cspb_name: 'Qty sub-a',
      cspb_customerid: 'Contoso',
      cspb_vendorsubscriptionid: 'sub-a',
      cspb_subscriptionid: SUB_ID,
      cspb_chargetype: 'addQuantity',
      cspb_chargestartdate: '3/7/2022',
      cspb_billedquantity: 12,
      cspb_expectedquantity: 10,
      cspb_billedamount: 0.1,
      cspb_expectedamount: 0.2,
      cspb_variance: -0.1,
      cspb_category: CspbDiscrepancyCategory.QuantityMismatch,
      cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Open,
      cspb_currencycode: 'USD',
      cspb_explanation: 'billed 12 seats where the ledger has 10 from 3/7/2022',
      cspb_rule: 'Prorated total cut to cents',
      cspb_decisionfrom: "Accepted in run 'September' on 2026-10-02",
    },
    {
      id: 'd2',
      cspb_customerid: 'Contoso',
      cspb_vendorsubscriptionid: 'sub-a',
      cspb_chargetype: 'removeQuantity',
      cspb_billedquantity: 10,
      cspb_expectedquantity: 10,
      cspb_billedamount: 0.2,
      cspb_expectedamount: 0.1,
      cspb_variance: 0.1,
      cspb_category: CspbDiscrepancyCategory.PriceMismatch,
      cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Accepted,
      cspb_currencycode: 'USD',
    },
    {
      id: 'd3',
      cspb_customerid: 'Fabrikam',
      cspb_vendorsubscriptionid: 'sub-b',
      cspb_chargetype: 'cycleCharge',
      cspb_chargestartdate: '2022-03-01',
      cspb_billedamount: 100.7,
      cspb_expectedamount: 0,
      cspb_variance: 100.7,
      cspb_category: CspbDiscrepancyCategory.RevenueLeakage,
      cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Open,
      cspb_currencycode: 'USD',
    },
  ]),
);

function fakeWebApi(): WebApiLike & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    updateRecord: async (...args) => {
      calls.push(['update', ...args]);
      return { id: args[1] };
    },
    createRecord: async (...args) => {
      calls.push(['create', ...args]);
      return { id: 'new-id' };
    },
    retrieveMultipleRecords: async (...args) => {
      calls.push(['retrieve', ...args]);
      return { entities: [{ cspb_sequence: 4, cspb_quantityafter: 10 }] };
    },
  };
}

// Query by selector and test id: getByRole computes accessible names over Fluent's large DOM (seconds per call in jsdom).
const gridRows = (): HTMLElement[] => [...document.querySelectorAll<HTMLElement>('[role=row]')].filter((r) => r.querySelector('[role=gridcell]'));
const cellsOf = (row: HTMLElement): HTMLElement[] => [...row.querySelectorAll<HTMLElement>('[role=gridcell]')];
const action = (key: string): HTMLButtonElement => screen.getByTestId(`action-${key}`) as HTMLButtonElement;

describe('ReconciliationGridView', () => {
  it("shows amounts and dates in the user's locale (German: 101,00 USD, 01.10.2026), and the selected line's explanation", async () => {
    render(<ReconciliationGridView rowSet={rowSetOf(rows)} strings={strings} actions={null} onExport={() => undefined} locale="de-DE" />);
    expect(screen.getByTestId('total-billed').textContent).toBe('101,00\u00a0USD');
    expect(
      gridRows()
        .map((r) => r.textContent)
        .join('|'),
    ).toContain('01.03.2022');
    fireEvent.click(gridRows()[0]!);
    await waitFor(() => expect(screen.getByTestId('details-explanation').textContent).toBe('billed 12 seats where the ledger has 10 from 3/7/2022'));
    expect(screen.getByTestId('details-rule').textContent).toBe('Rule: Prorated total cut to cents');
    expect(screen.getByTestId('details-decision').textContent).toBe("Decision carried over: Accepted in run 'September' on 2026-10-02");
  });

  it('renders groups, lines and exact totals, and filters by search', async () => {
    render(
      <ReconciliationGridView
        rowSet={rowSetOf(rows)}
        strings={strings}
        actions={null}
        actionsUnavailable={strings('Actions_Unavailable_Harness')}
        onExport={() => undefined}
      />,
    );
    expect(screen.getByTestId('record-count').textContent).toBe('3 of 3 records');
    expect(screen.getByTestId('total-billed').textContent).toBe('USD\u00a0101.00');
    expect(screen.getByTestId('total-variance').textContent).toBe('USD\u00a0100.70');
    expect(screen.getByTestId('total-leakage').textContent).toBe('USD\u00a0100.70');
    expect(screen.getAllByTestId('group-customer').map((g) => g.textContent)).toEqual([
      expect.stringContaining('Contoso'),
      expect.stringContaining('Fabrikam'),
    ]);
    expect(gridRows()).toHaveLength(3);
    expect((await screen.findByTestId('actions-unavailable')).textContent).toContain('no Web API');
    expect(action('accept').disabled || action('accept').getAttribute('aria-disabled') === 'true').toBe(true);
    expect(action('accept').textContent).toContain('Accept variance');

    fireEvent.change(screen.getByPlaceholderText(/Search customer/), { target: { value: 'cycle' } });
    await waitFor(() => expect(screen.getByTestId('record-count').textContent).toBe('1 of 3 records'));
    expect(screen.getByTestId('total-billed').textContent).toBe('USD\u00a0100.70');
    expect(gridRows()).toHaveLength(1);
  });

  it('collapses a customer group from its button, and from the keyboard on its row (Left, Right, Enter)', () => {
    render(<ReconciliationGridView rowSet={rowSetOf(rows)} strings={strings} actions={null} onExport={() => undefined} />);
    const button = screen.getByLabelText('Collapse Contoso');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(button);
    expect(gridRows()).toHaveLength(1);
    expect(screen.getByLabelText('Expand Contoso')).toBeTruthy();
    const contoso = () => screen.getAllByTestId('group-customer')[0]!;
    // The first row holds the grid's one tab stop; the button is for the pointer.
    expect(contoso().tabIndex).toBe(0);
    expect(screen.getByLabelText('Expand Contoso').tabIndex).toBe(-1);
    fireEvent.keyDown(contoso(), { key: 'ArrowRight' });
    expect(gridRows()).toHaveLength(3);
    fireEvent.keyDown(contoso(), { key: 'ArrowRight' });
    expect(gridRows()).toHaveLength(3);
    fireEvent.keyDown(contoso(), { key: 'ArrowLeft' });
    expect(gridRows()).toHaveLength(1);
    fireEvent.keyDown(contoso(), { key: 'Enter' });
    expect(gridRows()).toHaveLength(3);
  });

  it('exports the filtered lines as injection-safe CSV', () => {
    const onExport = jest.fn();
    render(<ReconciliationGridView rowSet={rowSetOf(rows)} strings={strings} actions={null} onExport={onExport} />);
    fireEvent.click(action('export'));
    const [csv, name] = onExport.mock.calls[0] as [string, string];
    expect(name).toBe('reconciliation.csv');
    expect(csv.trim().split('\r\n')).toHaveLength(4);
  });

  it('accepts a variance and corrects the subscription as a form save would (quantity, date and reason on the subscription)', async () => {
    const api = fakeWebApi();
    const openForm = jest.fn(async () => ({}));
    const onChanged = jest.fn();
    render(
      <ReconciliationGridView
        rowSet={rowSetOf(rows)}
        strings={strings}
        actions={createWebApiActions(api, { openForm })}
        onExport={() => undefined}
        onChanged={onChanged}
      />,
    );
    const first = gridRows().find((r) => r.textContent?.includes('addQuantity'))!;
    fireEvent.click(cellsOf(first)[1]!);

    fireEvent.click(action('accept'));
    fireEvent.change(await screen.findByLabelText('Note'), { target: { value: 'Microsoft credit expected' } });
    await act(async () => {
      fireEvent.click(screen.getByText('Confirm'));
    });
    await waitFor(() =>
      expect(api.calls).toContainEqual([
        'update',
        'cspb_discrepancy',
        'd1',
        { cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Accepted, cspb_resolutionnote: 'Microsoft credit expected' },
      ]),
    );
    expect(onChanged).toHaveBeenCalled();

    await act(async () => {
      fireEvent.click(action('open'));
    });
    expect(openForm).toHaveBeenCalledWith({ entityName: 'cspb_subscription', entityId: SUB_ID });

    // A correction is shown before it is applied: seats before -> after, the money, an editable date and reason.
    fireEvent.click(action('correct'));
    expect((await screen.findByTestId('correction-seats')).textContent).toBe('Seats: 10 → 12');
    expect(screen.getByTestId('correction-money').textContent).toBe('On the bill but not in the ledger: -USD\u00a00.10');
    expect(api.calls.some((c) => c[0] === 'update' && c[1] === 'cspb_subscription')).toBe(false);
    const date = screen.getByLabelText('Effective date (YYYY-MM-DD)') as HTMLInputElement;
    expect(date.value).toBe('2022-03-07');
    fireEvent.change(date, { target: { value: '2022-03-08' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('correction-apply'));
    });
    await waitFor(() => expect(api.calls.some((c) => c[0] === 'update' && c[1] === 'cspb_subscription')).toBe(true));
    // No ledger row written by the browser: the save goes through the server's validation and ledger step.
    expect(api.calls.filter((c) => c[0] === 'create')).toEqual([]);
    expect(api.calls.find((c) => c[0] === 'update' && c[1] === 'cspb_subscription')).toEqual([
      'update',
      'cspb_subscription',
      SUB_ID,
      { cspb_quantity: 12, cspb_changeeffectivedate: '2022-03-08', cspb_changereason: 'Reconciliation correction: Quantity mismatch (Qty sub-a)' },
    ]);
    expect(api.calls.at(-1)).toEqual([
      'update',
      'cspb_discrepancy',
      'd1',
      expect.objectContaining({ cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Resolved }),
    ]);
    expect((await screen.findByTestId('correction-applied')).textContent).toBe('Ledger corrected: 10 → 12 seats from 2022-03-08.');

    // Undo: the seats go back through the same path (a change of its own) and the finding reopens.
    await act(async () => {
      fireEvent.click(screen.getByTestId('undo-correction'));
    });
    await waitFor(() =>
      expect(api.calls.filter((c) => c[0] === 'update' && c[1] === 'cspb_subscription').at(-1)).toEqual([
        'update',
        'cspb_subscription',
        SUB_ID,
        { cspb_quantity: 10, cspb_changeeffectivedate: '2022-03-08', cspb_changereason: 'Undo: Reconciliation correction: Quantity mismatch (Qty sub-a)' },
      ]),
    );
    expect(api.calls.at(-1)).toEqual([
      'update',
      'cspb_discrepancy',
      'd1',
      { cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Open, cspb_resolutionnote: '' },
    ]);
  });

  it('accepts several lines at once: Ctrl+click adds a line to the selection, one note goes to each', async () => {
    const api = fakeWebApi();
    render(
      <ReconciliationGridView
        rowSet={rowSetOf(rows)}
        strings={strings}
        actions={createWebApiActions(api, { openForm: async () => ({}) })}
        onExport={() => undefined}
      />,
    );
    const line = (text: string) => gridRows().find((r) => r.textContent?.includes(text))!;
    fireEvent.click(cellsOf(line('addQuantity'))[1]!);
    fireEvent.click(cellsOf(line('cycleCharge'))[1]!, { ctrlKey: true });
    expect(gridRows().filter((r) => r.getAttribute('aria-selected') === 'true')).toHaveLength(2);
    expect(screen.getByTestId('selection-count').textContent).toBe('2 selected lines');
    fireEvent.click(action('accept'));
    expect((await screen.findByRole('dialog')).textContent).toContain('2 selected lines');
    fireEvent.change(await screen.findByLabelText('Note'), { target: { value: 'Both expected on the next bill' } });
    await act(async () => {
      fireEvent.click(screen.getByText('Confirm'));
    });
    const accepted = (id: string) => [
      'update',
      'cspb_discrepancy',
      id,
      { cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Accepted, cspb_resolutionnote: 'Both expected on the next bill' },
    ];
    await waitFor(() => expect(api.calls).toEqual([accepted('d1'), accepted('d3')]));
    // A plain click selects one line again.
    fireEvent.click(cellsOf(line('removeQuantity'))[1]!);
    expect(gridRows().filter((r) => r.getAttribute('aria-selected') === 'true')).toHaveLength(1);
  });

  it('resolves a Shift + click range: exactly the lines between, in the order shown, one note each', async () => {
    const api = fakeWebApi();
    const four = toRows(
      ['cspb_customerid', 'cspb_vendorsubscriptionid', 'cspb_chargetype', 'cspb_billedamount', 'cspb_resolutionstatus', 'cspb_currencycode'],
      records(
        [
          ['e1', 'Fabrikam', 'sub-f', 'usage'],
          ['e2', 'Contoso', 'sub-b', 'cycleCharge'],
          ['e3', 'Contoso', 'sub-a', 'addQuantity'],
          ['e4', 'Contoso', 'sub-a', 'removeQuantity'],
          ['e5', 'Contoso', 'sub-a', 'usage'],
        ].map(([id, customer, sub, type]) => ({
          id,
          cspb_customerid: customer,
          cspb_vendorsubscriptionid: sub,
          cspb_chargetype: type,
          cspb_billedamount: 1,
          cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Open,
          cspb_currencycode: 'USD',
        })),
      ),
    );
    render(
      <ReconciliationGridView
        rowSet={rowSetOf(four)}
        strings={strings}
        actions={createWebApiActions(api, { openForm: async () => ({}) })}
        onExport={() => undefined}
      />,
    );
    // Shown by customer and subscription: Contoso sub-a (e3, e4, e5), Contoso sub-b (e2), Fabrikam (e1).
    expect(gridRows().map((r) => r.dataset['id'])).toEqual(['e3', 'e4', 'e5', 'e2', 'e1']);
    const row = (id: string) => gridRows().find((r) => r.dataset['id'] === id)!;
    const selectedIds = () =>
      gridRows()
        .filter((r) => r.getAttribute('aria-selected') === 'true')
        .map((r) => r.dataset['id']);
    fireEvent.click(row('e4'));
    fireEvent.click(row('e2'), { shiftKey: true });
    expect(selectedIds()).toEqual(['e4', 'e5', 'e2']);
    // Shift + Up from the focused line (e2) shrinks the range towards the anchor, over sub-b's header.
    fireEvent.keyDown(row('e2'), { key: 'ArrowUp', shiftKey: true });
    expect(selectedIds()).toEqual(['e4', 'e5']);
    fireEvent.keyDown(row('e5'), { key: 'ArrowDown', shiftKey: true });
    expect(selectedIds()).toEqual(['e4', 'e5', 'e2']);
    expect(screen.getByTestId('selection-count').textContent).toBe('3 selected lines');
    fireEvent.click(action('resolve'));
    fireEvent.change(await screen.findByLabelText(/Note/), { target: { value: 'Credited on the next invoice' } });
    await act(async () => {
      fireEvent.click(screen.getByText('Confirm'));
    });
    const resolved = (id: string) => [
      'update',
      'cspb_discrepancy',
      id,
      { cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Resolved, cspb_resolutionnote: 'Credited on the next invoice' },
    ];
    // The primary (the line the range was drawn to) first, then the others in the order shown.
    await waitFor(() => expect(api.calls).toEqual([resolved('e2'), resolved('e4'), resolved('e5')]));
    await waitFor(() =>
      expect(
        gridRows()
          .filter((r) => r.textContent?.includes('Resolved'))
          .map((r) => r.dataset['id']),
      ).toEqual(['e4', 'e5', 'e2']),
    );
  });

  it('resizes a column from its handle: Left and Right by 10 px, Shift by 50, Enter back to the default without layout; kept across a refresh and a remount', () => {
    sessionStorage.clear();
    const view = (set = rowSetOf(rows)) => <ReconciliationGridView rowSet={set} strings={strings} actions={null} onExport={() => undefined} />;
    const { rerender, unmount } = render(view());
    const handle = () => screen.getByTestId('resize-category');
    const header = () => handle().closest<HTMLElement>('[role=columnheader]')!;
    const colIndex = header().getAttribute('aria-colindex');
    const cellWidths = () => gridRows().map((r) => r.querySelector<HTMLElement>(`[role=gridcell][aria-colindex="${colIndex}"]`)!.style.width);
    const grid = () => screen.getByTestId('grid');
    expect(handle().getAttribute('role')).toBe('separator');
    expect(handle().getAttribute('aria-orientation')).toBe('vertical');
    expect(handle().getAttribute('aria-label')).toBe('Resize Category');
    expect(handle().tabIndex).toBe(0);
    expect([handle().getAttribute('aria-valuemin'), handle().getAttribute('aria-valuemax'), handle().getAttribute('aria-valuenow')]).toEqual([
      '48',
      '800',
      '231',
    ]);
    // The header is named by its column, not by its handle's label too.
    expect(header().getAttribute('aria-label')).toBe('Category');
    const gridWidth = parseFloat(grid().style.minWidth);

    fireEvent.keyDown(handle(), { key: 'ArrowRight' });
    expect(handle().getAttribute('aria-valuenow')).toBe('241');
    fireEvent.keyDown(handle(), { key: 'ArrowRight', shiftKey: true });
    expect(handle().getAttribute('aria-valuenow')).toBe('291');
    fireEvent.keyDown(handle(), { key: 'ArrowLeft' });
    expect(handle().getAttribute('aria-valuenow')).toBe('281');
    // The header, every line's cell and the grid follow.
    expect(header().style.width).toBe('281px');
    expect(cellWidths()).toEqual(['281px', '281px', '281px']);
    expect(parseFloat(grid().style.minWidth)).toBe(gridWidth + 50);
    // Kept when the data set refreshes (new rows, same view), and for the session when the control is remounted.
    rerender(view(rowSetOf(rows.slice())));
    expect(handle().getAttribute('aria-valuenow')).toBe('281');
    expect(sessionStorage.getItem('cspb.ReconciliationGrid.columnWidth.category')).toBe('281');
    unmount();
    render(view());
    expect(handle().getAttribute('aria-valuenow')).toBe('281');
    expect(cellWidths()).toEqual(['281px', '281px', '281px']);

    // Bounds: Shift + Left all the way down stops at 48 px.
    for (let i = 0; i < 10; i++) fireEvent.keyDown(handle(), { key: 'ArrowLeft', shiftKey: true });
    expect(handle().getAttribute('aria-valuenow')).toBe('48');
    // Enter fits to the content; jsdom lays nothing out, so that is the default width.
    fireEvent.keyDown(handle(), { key: 'Enter' });
    expect(handle().getAttribute('aria-valuenow')).toBe('231');
    // Arrow keys on the handle neither sort nor move row focus; a click on it does not sort.
    fireEvent.click(handle());
    expect(header().getAttribute('aria-sort')).toBe('none');
    sessionStorage.clear();
  });

  it('shows a failed action instead of swallowing it', async () => {
    const api = fakeWebApi();
    api.updateRecord = async () => {
      throw new Error('Principal lacks prvWritecspb_discrepancy');
    };
    render(
      <ReconciliationGridView
        rowSet={rowSetOf(rows)}
        strings={strings}
        actions={createWebApiActions(api, { openForm: async () => ({}) })}
        onExport={() => undefined}
      />,
    );
    fireEvent.click(cellsOf(gridRows().find((r) => r.textContent?.includes('addQuantity'))!)[1]!);
    fireEvent.click(action('resolve'));
    fireEvent.change(await screen.findByLabelText(/Note/), { target: { value: 'done' } });
    await act(async () => {
      fireEvent.click(screen.getByText('Confirm'));
    });
    expect((await screen.findByTestId('action-message')).textContent).toMatch(/Resolve with note failed: Principal lacks/);
  });
});
