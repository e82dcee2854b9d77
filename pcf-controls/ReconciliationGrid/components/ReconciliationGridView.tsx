import * as React from 'react';
import { List } from '@fluentui/react/lib/List';
import { Stack } from '@fluentui/react/lib/Stack';
import { Text } from '@fluentui/react/lib/Text';
import type { IDropdownOption } from '@fluentui/react/lib/Dropdown';
import { FilterBar } from './FilterBar';
import { Dialog, DialogFooter, DialogType } from '@fluentui/react/lib/Dialog';
import { PrimaryButton, DefaultButton, ActionButton, MessageBarButton } from '@fluentui/react/lib/Button';
import { TextField } from '@fluentui/react/lib/TextField';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { CATEGORY_LABELS } from '../../../core/src/reconcile/categories';
import { formatDate, formatQuantity } from '../../../core/src/format';
import { parseDate } from '../../../core/src/calendar';
import { categoryLabel, STATUSES, type ReconRow, type ResolutionStatus } from '../model/rows';
import {
  filterRows,
  flattenTree,
  formatMoney,
  groupOrdered,
  groupTree,
  itemKey,
  linesOf,
  NO_FILTER,
  totalsOf,
  treeOf,
  type GridFilter,
  type GridItem,
  type GridSort,
  type SortKey,
} from '../model/view';
import { rowsToCsv } from '../model/csv';
import { decimalOfFixed, fixedText, type Fixed } from '../model/exact';
import { correctionBlocker, correctionPlan, type CorrectionDone, type CorrectionPlan, type GridActions } from '../model/actions';
import type { CrmSubscriptions } from '../model/crm-subscriptions';
import type { RowSet } from '../model/row-set';
import {
  extendTo,
  focusMoveOf,
  moveFocus,
  NO_SELECTION,
  select,
  selectAll,
  selectModeOf,
  tabStopIndex,
  type GridSelection,
  type SelectMode,
} from '../model/selection';
import { focusRow, indexOfElement } from './row-focus';
import { CELL_PADDING, classes, GroupHeaderRow, LineRow, Total, type GridColumn, type Strings } from './GridRows';
import { ColumnResizeHandle, useColumnWidths } from './ColumnResize';

export type { Strings } from './GridRows';

export interface ReconciliationGridProps {
  /** The data set's rows, indexed by group and totalled (model/row-set.ts: the pager extends it page by page). */
  readonly rowSet: RowSet;
  readonly strings: Strings;
  /** Null when the host cannot run actions (the harness, a non-discrepancy data set). */
  readonly actions: GridActions | null;
  /** Why actions are unavailable (shown, already localised). */
  readonly actionsUnavailable?: string;
  /** Phone: fewer columns. */
  readonly compact?: boolean;
  /** More records are being paged in. */
  readonly loading?: boolean;
  /** Paging stopped at the cap: the server's record count (-1 when unknown). */
  readonly cappedAt?: number | null;
  /** Receives the export (the control downloads it). */
  readonly onExport: (csv: string, fileName: string) => void;
  /** Called after an action changed a record (the control refreshes the data set). */
  readonly onChanged?: () => void;
  /** The CRM subscriptions behind the groups on screen (bounded queries); null without a Web API. */
  readonly crm?: CrmSubscriptions | null;
  /** Bumped by the control when CRM answers arrive, so the headers on screen re-render. */
  readonly crmVersion?: number;
  /** The user's locale (from their Dynamics language): amounts and dates are shown in it. */
  readonly locale?: string;
}

type NoteAction = 'accept' | 'resolve';

interface Command {
  readonly key: string;
  readonly text: string;
  readonly iconProps: { iconName: string };
  readonly disabled: boolean;
  readonly title?: string;
  readonly onClick: () => void;
}

// Only the cells on screen make a Decimal (for the grouped, fixed-decimals money format).
const moneyIn =
  (locale: string) =>
  (f: Fixed | null): string =>
    f === null ? '' : formatMoney(decimalOfFixed(f), '', locale);
/** A date cell: ISO dates (what the data set holds) in the user's locale; other text as the platform formatted it. */
const dateIn =
  (locale: string) =>
  (text: string): string =>
    /^\d{4}-\d{2}-\d{2}$/.test(text) ? formatDate(parseDate(text), locale) : text;
const qty = (f: Fixed | null): string => (f === null ? '' : fixedText(f));

/** Text only: values come from bills and CRM and are never interpreted as HTML. */
export function ReconciliationGridView(props: ReconciliationGridProps): React.ReactElement {
  const s = props.strings;
  const [filter, setFilter] = React.useState<GridFilter>(NO_FILTER);
  const [sort, setSort] = React.useState<GridSort | null>(null);
  const [collapsed, setCollapsed] = React.useState<ReadonlySet<string>>(() => new Set());
  // The selected lines (Ctrl or Shift + click, Shift + arrows, Ctrl + A: accepted or resolved together, with
  // one note), the primary one the details and single-line actions use, and where a Shift range starts.
  const [selection, setSelection] = React.useState<GridSelection>(NO_SELECTION);
  const selectedId = selection.primary;
  // The row that has (or last had) keyboard focus, by item key: it holds the grid's one tab stop.
  const [focusKey, setFocusKey] = React.useState<string | null>(null);
  const rowsRef = React.useRef<HTMLDivElement>(null);
  const [dialog, setDialog] = React.useState<NoteAction | null>(null);
  // The correction being confirmed (editable date and reason), and the last one applied, for undo.
  const [plan, setPlan] = React.useState<CorrectionPlan | null>(null);
  const [undo, setUndo] = React.useState<{ readonly row: ReconRow; readonly done: CorrectionDone } | null>(null);
  const [note, setNote] = React.useState('');
  const [message, setMessage] = React.useState<{ type: MessageBarType; text: string } | null>(null);
  const [busy, setBusy] = React.useState(false);
  // Local status overrides after a successful action (until the data set refreshes).
  const [overrides, setOverrides] = React.useState<ReadonlyMap<string, ResolutionStatus>>(() => new Map());

  const rowSet = props.rowSet;
  const rows = React.useMemo(
    () => (overrides.size === 0 ? rowSet.rows : rowSet.rows.map((r) => (overrides.has(r.id) ? { ...r, status: overrides.get(r.id)! } : r))),
    [rowSet, overrides],
  );
  // Arrange the groups by name and sort inside them (a sort sorts inside groups only), in display
  // order; only status overrides (after an action) regroup the rows. A filter is then one pass over
  // that order, regrouped where the customer or subscription changes (no look-ups, no sorting);
  // flatten (collapse only re-flattens); totals as exact integer sums, the data set's own when
  // nothing filters (an override changes a status, never an amount).
  const baseTree = React.useMemo(
    () => (overrides.size === 0 ? treeOf(rowSet.byGroup, rowSet.rows, sort) : groupTree(rows, sort)),
    [rowSet, rows, overrides, sort],
  );
  const ordered = React.useMemo(() => linesOf(baseTree), [baseTree]);
  const filtered = React.useMemo(() => filterRows(ordered, filter), [ordered, filter]);
  const tree = React.useMemo(() => (filtered === ordered ? baseTree : groupOrdered(filtered)), [filtered, ordered, baseTree]);
  const items = React.useMemo(() => flattenTree(tree, collapsed), [tree, collapsed]);
  const totals = React.useMemo(() => (filtered === ordered ? rowSet.totals() : totalsOf(filtered)), [filtered, ordered, rowSet]);
  // The groups are every customer, sorted by name: the customer filter's options without another pass.
  const customers = React.useMemo(() => baseTree.map((c) => c.key), [baseTree]);
  const categories = rowSet.categories;
  const currency = rowSet.rows[0]?.currency ?? '';

  // The selected line, as shown (its status override included); none once filtered out or collapsed.
  const selected = React.useMemo(() => {
    if (selectedId === null) return null;
    for (const item of items) if (item.kind === 'line' && item.id === selectedId) return item;
    return null;
  }, [items, selectedId]);

  const toggle = React.useCallback((key: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  const onSort = React.useCallback((key: SortKey) => {
    setSort((prev) => (prev && prev.key === key ? { key, descending: !prev.descending } : { key, descending: false }));
  }, []);

  const locale = props.locale ?? 'en-US';
  // Every column at its default width, then the phone's four; the widths the user set (dragged, by keys, fitted) replace the defaults.
  const allColumns = React.useMemo<GridColumn[]>(() => {
    const col = (key: SortKey, name: string, render: (r: ReconRow) => string, width = 90, numeric = false): GridColumn => ({
      key,
      name,
      render,
      width: width + 2 * CELL_PADDING,
      defaultWidth: width + 2 * CELL_PADDING,
      numeric,
    });
    const money = moneyIn(locale);
    const date = dateIn(locale);
    return [
      col('product', s('Col_Product'), (r) => r.product, 140),
      col('chargeType', s('Col_ChargeType'), (r) => r.chargeType, 110),
      col('chargeStart', s('Col_ChargeStart'), (r) => date(r.chargeStart), 100),
      col('chargeEnd', s('Col_ChargeEnd'), (r) => date(r.chargeEnd), 100),
      col('billedQuantity', s('Col_BilledQuantity'), (r) => qty(r.billedQuantity), 60, true),
      col('expectedQuantity', s('Col_ExpectedQuantity'), (r) => qty(r.expectedQuantity), 60, true),
      col('eup', s('Col_Eup'), (r) => qty(r.eup), 60, true),
      col('billed', s('Col_Billed'), (r) => money(r.billed), 80, true),
      col('expected', s('Col_Expected'), (r) => money(r.expected), 80, true),
      col('variance', s('Col_Variance'), (r) => money(r.variance), 80, true),
      col('margin', s('Col_Margin'), (r) => money(r.margin), 80, true),
      // Wide enough for the longest category label ("Cancelled in CRM but still billed") unclipped.
      col('category', s('Col_Category'), (r) => categoryLabel(r), 215),
      col('status', s('Col_Status'), (r) => s(`Status_${r.status}`), 70),
    ];
  }, [s, locale]);
  const { widths, setWidth } = useColumnWidths(allColumns.map((c) => c.key));
  const columns = React.useMemo<GridColumn[]>(() => {
    const shown = props.compact ? allColumns.filter((c) => ['chargeType', 'variance', 'category', 'status'].includes(c.key)) : allColumns;
    return widths.size === 0 ? shown : shown.map((c) => (widths.has(c.key) ? { ...c, width: widths.get(c.key)! } : c));
  }, [allColumns, props.compact, widths]);
  const gridWidth = React.useMemo(() => columns.reduce((w, c) => w + c.width, 0), [columns]);

  // The rows as shown, for the handlers below (stable callbacks: the memoised rows do not re-render for a new handler).
  const itemsRef = React.useRef(items);
  itemsRef.current = items;
  const selectRow = React.useCallback((id: string, mode: SelectMode) => {
    setSelection((prev) => select(prev, itemsRef.current, id, mode));
  }, []);
  // Every selected line still on screen (filters and collapsed groups drop the others), the primary first.
  const selectedLines = React.useMemo(() => {
    const ids = selection.ids;
    const out: ReconRow[] = [];
    if (ids.size === 0) return out; // the first render of 100,000 rows selects nothing: no pass over them
    for (const item of items) if (item.kind === 'line' && ids.has(item.id)) out.push(item);
    return out.sort((a, b) => (a.id === selectedId ? -1 : b.id === selectedId ? 1 : 0));
  }, [items, selectedId, selection]);
  const tabStop = React.useMemo(() => tabStopIndex(items, focusKey, selectedId, itemKey), [items, focusKey, selectedId]);

  /** Focus moves to the row at `index` (scrolled into view, rendered first if the list had not). */
  const focusItem = React.useCallback((index: number) => {
    const item = itemsRef.current[index];
    if (!item || !rowsRef.current) return;
    setFocusKey(itemKey(item));
    focusRow(rowsRef.current, index);
  }, []);
  // Whatever row takes focus (a click, Tab, a move) becomes the tab stop.
  const onRowsFocus = React.useCallback((e: React.FocusEvent<HTMLElement>) => {
    const item = itemsRef.current[indexOfElement(e.target as Element)];
    if (item) setFocusKey(itemKey(item));
  }, []);
  /**
   * The grid's keys, for every row: Up, Down, Home, End move focus (Shift: over lines, extending the
   * selection from the anchor; Ctrl + Shift adds to it); Enter or Space selects the focused line
   * (with Ctrl toggles it, with Shift takes the range) or toggles a group; Right and Left expand and
   * collapse a group; Ctrl (or Cmd) + A selects every line shown.
   */
  const onRowsKeyDown = React.useCallback(
    (e: React.KeyboardEvent<HTMLElement>) => {
      const target = e.target as HTMLElement;
      const index = indexOfElement(target);
      const all = itemsRef.current;
      const item = all[index];
      if (!item || e.altKey) return;
      const ctrl = e.ctrlKey || e.metaKey;
      if (ctrl && !e.shiftKey && e.key.toLowerCase() === 'a') {
        e.preventDefault();
        setSelection((prev) => selectAll(prev, all, index));
        return;
      }
      const move = focusMoveOf(e.key);
      if (move) {
        e.preventDefault();
        const to = moveFocus(all, index, move, e.shiftKey);
        if (e.shiftKey) setSelection((prev) => extendTo(prev, all, index, to, ctrl));
        if (to !== index || target.getAttribute('role') !== 'row') focusItem(to);
        return;
      }
      // A key on the group's own button (focused by a click) is the button's.
      if (target.getAttribute('role') !== 'row') return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        if (item.kind === 'line') selectRow(item.id, selectModeOf(e));
        else toggle(item.key);
      } else if (item.kind !== 'line' && (e.key === 'ArrowRight' || e.key === 'ArrowLeft') && (e.key === 'ArrowRight') === item.collapsed) {
        e.preventDefault();
        toggle(item.key);
      }
    },
    [focusItem, selectRow, toggle],
  );
  const crm = props.crm ?? null;

  // The list re-renders its visible cells when this function changes (passed as its version).
  const onRenderCell = React.useCallback(
    (item?: GridItem, index?: number): React.ReactNode => {
      if (!item) return null;
      if (item.kind !== 'line')
        return (
          <GroupHeaderRow
            header={item}
            strings={s}
            onToggle={toggle}
            currency={currency}
            locale={locale}
            crm={crm}
            compact={!!props.compact}
            colCount={columns.length}
            tabStop={index === tabStop}
          />
        );
      return (
        <LineRow
          row={item}
          columns={columns}
          rowIndex={(index ?? 0) + 2}
          selected={selection.ids.has(item.id)}
          tabStop={index === tabStop}
          onSelect={selectRow}
        />
      );
    },
    // crmVersion is not read here: a new version (CRM answers arrived) re-renders the headers on screen.
    [s, toggle, currency, columns, selection, tabStop, selectRow, crm, props.crmVersion, props.compact],
  );

  /** Runs an action on a line (the selected one unless named: undo names the corrected one) and says how it went. */
  const run = async (label: string, action: () => Promise<void>, status?: ResolutionStatus, on: ReconRow | null = selected): Promise<void> => {
    if (!on) return;
    setBusy(true);
    setMessage(null);
    try {
      await action();
      if (status) setOverrides((prev) => new Map(prev).set(on.id, status));
      setMessage({ type: MessageBarType.success, text: s('Action_Done').replace('{0}', label) });
      props.onChanged?.();
    } catch (error) {
      setMessage({ type: MessageBarType.error, text: `${s('Action_Failed').replace('{0}', label)} ${(error as Error).message ?? ''}`.trim() });
    } finally {
      setBusy(false);
    }
  };

  const actions = props.actions;
  const noRow = !selected || busy || !actions;
  const correction = selected ? correctionBlocker(selected) : 'noSubscription';
  const commands: Command[] = [
    {
      key: 'accept',
      text: s('Action_Accept'),
      iconProps: { iconName: 'CheckMark' },
      disabled: noRow,
      onClick: () => {
        setNote('');
        setDialog('accept');
      },
    },
    {
      key: 'resolve',
      text: s('Action_Resolve'),
      iconProps: { iconName: 'Completed' },
      disabled: noRow,
      onClick: () => {
        setNote('');
        setDialog('resolve');
      },
    },
    {
      key: 'open',
      text: s('Action_OpenSubscription'),
      iconProps: { iconName: 'OpenInNewWindow' },
      disabled: noRow || !selected?.subscriptionRecordId,
      onClick: () => void run(s('Action_OpenSubscription'), () => actions!.openSubscription(selected!)),
    },
    {
      key: 'correct',
      text: s('Action_CreateCorrection'),
      iconProps: { iconName: 'EditCreate' },
      disabled: noRow || correction !== null,
      title: correction ? s(`Correction_${correction}`) : undefined,
      onClick: () => setPlan(selected ? correctionPlan(selected) : null),
    },
    {
      key: 'export',
      text: s('Action_ExportCsv'),
      iconProps: { iconName: 'Download' },
      disabled: filtered.length === 0,
      onClick: () => props.onExport(rowsToCsv(filtered), 'reconciliation.csv'),
    },
  ];

  const categoryOptions = React.useMemo<IDropdownOption[]>(() => categories.map((c) => ({ key: c, text: CATEGORY_LABELS[c] })), [categories]);
  const statusOptions = React.useMemo<IDropdownOption[]>(() => STATUSES.map((st) => ({ key: st, text: s(`Status_${st}`) })), [s]);
  const customerOptions = React.useMemo<IDropdownOption[]>(() => customers.map((c) => ({ key: c, text: c || s('Customer_Unknown') })), [customers, s]);
  const filterLabels = React.useMemo(
    () => ({
      search: s('Search_Label'),
      searchPlaceholder: s('Search_Placeholder'),
      category: s('Filter_Category'),
      status: s('Filter_Status'),
      customer: s('Filter_Customer'),
    }),
    [s],
  );

  return (
    <Stack tokens={{ childrenGap: 8 }} styles={{ root: { width: '100%' } }}>
      <Text variant="large" role="heading" aria-level={2} data-testid="record-count">
        {s('RecordCount').replace('{0}', String(filtered.length)).replace('{1}', String(rowSet.rows.length))}
        {props.loading ? <span data-testid="loading-more">{` ${s('Loading_More')}`}</span> : null}
      </Text>
      {props.cappedAt !== undefined && props.cappedAt !== null ? (
        <MessageBar messageBarType={MessageBarType.warning}>
          <span data-testid="capped">
            {s('Capped')
              .replace('{0}', String(rowSet.rows.length))
              .replace('{1}', props.cappedAt >= 0 ? String(props.cappedAt) : '?')}
          </span>
        </MessageBar>
      ) : null}
      <FilterBar
        filter={filter}
        setFilter={setFilter}
        categoryOptions={categoryOptions}
        statusOptions={statusOptions}
        customerOptions={customerOptions}
        labels={filterLabels}
      />
      <Stack
        horizontal
        wrap
        tokens={{ childrenGap: 16 }}
        role="region"
        aria-label={s('Totals_Label')}
        data-testid="totals"
        styles={{ root: { padding: '4px 0' } }}
      >
        <Total label={s('Total_Billed')} value={totals.billed} id="billed" currency={currency} locale={locale} />
        <Total label={s('Total_Expected')} value={totals.expected} id="expected" currency={currency} locale={locale} />
        <Total label={s('Total_Variance')} value={totals.variance} id="variance" currency={currency} locale={locale} />
        <Total label={s('Total_Leakage')} value={totals.leakage} id="leakage" currency={currency} locale={locale} />
        <Total label={s('Total_Margin')} value={totals.margin} id="margin" currency={currency} locale={locale} />
      </Stack>
      <Stack horizontal wrap role="toolbar" aria-label={s('Actions_Label')}>
        {commands.map((c) => (
          <ActionButton key={c.key} iconProps={c.iconProps} disabled={c.disabled} title={c.title} onClick={c.onClick} data-testid={`action-${c.key}`}>
            {c.text}
          </ActionButton>
        ))}
        {/* How many lines an action will apply to, said as a range or Ctrl + A changes it. */}
        <Text role="status" data-testid="selection-count" styles={{ root: { alignSelf: 'center', paddingLeft: 8 } }}>
          {selectedLines.length > 1 ? s('Selected_Lines').replace('{0}', String(selectedLines.length)) : ''}
        </Text>
      </Stack>
      {!actions && props.actionsUnavailable ? (
        <MessageBar messageBarType={MessageBarType.info}>
          <span data-testid="actions-unavailable">{props.actionsUnavailable}</span>
        </MessageBar>
      ) : null}
      {message ? (
        <MessageBar messageBarType={message.type} onDismiss={() => setMessage(null)} dismissButtonAriaLabel={s('Close')}>
          <span data-testid="action-message">{message.text}</span>
        </MessageBar>
      ) : null}
      {/* Scrolls sideways inside its host when the columns are wider; not a vertical scroller (data-is-scrollable=false), so the list virtualises against the page. */}
      <div className={classes.scroller} data-is-scrollable="false">
        <div
          role="treegrid"
          aria-label={s('Grid_Label')}
          aria-rowcount={items.length + 1}
          aria-colcount={columns.length}
          aria-multiselectable={true}
          className={classes.grid}
          style={{ minWidth: gridWidth }}
          data-testid="grid"
        >
          <div role="rowgroup">
            <div role="row" aria-rowindex={1} className={classes.headerRow} style={{ width: gridWidth }}>
              {columns.map((c, i) => {
                const sorted = sort?.key === c.key;
                const label = sorted ? `${c.name}, ${s(sort.descending ? 'Sorted_Descending' : 'Sorted_Ascending')}` : c.name;
                return (
                  // Named by the column alone: its resize handle's label is not part of the header's name.
                  <div
                    key={c.key}
                    role="columnheader"
                    aria-colindex={i + 1}
                    aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                    aria-label={c.name}
                    className={classes.headerCell}
                    style={{ width: c.width }}
                  >
                    <button
                      type="button"
                      className={`${classes.headerButton}${c.numeric ? ` ${classes.numericHeader}` : ''}`}
                      aria-label={label}
                      title={label}
                      onClick={() => onSort(c.key)}
                      data-testid={`column-${c.key}`}
                    >
                      {c.name}
                      {sorted ? <span aria-hidden="true">{sort.descending ? ' \u2193' : ' \u2191'}</span> : null}
                    </button>
                    <ColumnResizeHandle
                      columnKey={c.key}
                      colIndex={i + 1}
                      label={s('Resize_Column').replace('{0}', c.name)}
                      width={c.width}
                      defaultWidth={c.defaultWidth}
                      padding={CELL_PADDING}
                      onResize={setWidth}
                    />
                  </div>
                );
              })}
            </div>
          </div>
          {/* One tab stop among the rows (roving tabindex); the keys are handled here for every row. */}
          <div role="rowgroup" ref={rowsRef} style={{ width: gridWidth }} onKeyDown={onRowsKeyDown} onFocus={onRowsFocus}>
            <List role="presentation" items={items} onRenderCell={onRenderCell} getKey={itemKey} version={onRenderCell} onShouldVirtualize={() => true} />
          </div>
        </div>
      </div>
      {filtered.length === 0 ? <Text data-testid="empty">{s('No_Rows')}</Text> : null}
      {/* The engine's explanation of the selected line: wraps freely here, where a grid cell would clip it. */}
      <section aria-label={s('Details_Label')} aria-live="polite" className={classes.details} data-testid="details">
        <Text variant="mediumPlus" block>
          {s('Details_Label')}
        </Text>
        {selected ? (
          <>
            <Text block data-testid="details-explanation">
              {selected.explanation || categoryLabel(selected)}
            </Text>
            {selected.rule ? (
              <Text block variant="small" data-testid="details-rule">
                {s('Details_Rule').replace('{0}', selected.rule)}
              </Text>
            ) : null}
            {selected.decisionFrom ? (
              <Text block variant="small" data-testid="details-decision">
                {s('Details_Decision').replace('{0}', selected.decisionFrom)}
              </Text>
            ) : null}
          </>
        ) : (
          <Text block variant="small">
            {s('Details_None')}
          </Text>
        )}
      </section>
      {undo ? (
        <MessageBar
          messageBarType={MessageBarType.info}
          actions={
            <MessageBarButton
              data-testid="undo-correction"
              onClick={() => {
                const last = undo;
                setUndo(null);
                void run(s('Correction_Undo'), () => actions!.undoCorrection(last.row, last.done), 'open', last.row);
              }}
            >
              {s('Correction_Undo')}
            </MessageBarButton>
          }
        >
          <span data-testid="correction-applied">
            {s('Correction_Applied')
              .replace('{0}', formatQuantity(undo.done.plan.before, locale))
              .replace('{1}', formatQuantity(undo.done.plan.after, locale))
              .replace('{2}', undo.done.plan.effectiveDate)}
          </span>
        </MessageBar>
      ) : null}
      {plan === null || !selected ? null : (
        <Dialog
          hidden={false}
          onDismiss={() => setPlan(null)}
          dialogContentProps={{
            type: DialogType.normal,
            title: s('Correction_Title'),
            subText: `${selected.customer} · ${selected.subscription} · ${categoryLabel(selected)}`,
          }}
        >
          <Stack tokens={{ childrenGap: 8 }}>
            <Text data-testid="correction-seats">
              {s('Correction_Seats').replace('{0}', formatQuantity(plan.before, locale)).replace('{1}', formatQuantity(plan.after, locale))}
            </Text>
            <Text data-testid="correction-money">{s('Correction_Money').replace('{0}', formatMoney(plan.moneyEffect, selected.currency, locale))}</Text>
            <TextField
              label={s('Correction_Date')}
              value={plan.effectiveDate}
              onChange={(_, v) => setPlan({ ...plan, effectiveDate: v ?? '' })}
              errorMessage={/^\d{4}-\d{2}-\d{2}$/.test(plan.effectiveDate) ? undefined : s('Correction_Date_Invalid')}
              data-testid="correction-date"
            />
            <TextField
              label={s('Correction_Reason')}
              multiline
              rows={2}
              required
              value={plan.reason}
              onChange={(_, v) => setPlan({ ...plan, reason: v ?? '' })}
              data-testid="correction-reason"
            />
          </Stack>
          <DialogFooter>
            <PrimaryButton
              text={s('Correction_Apply')}
              data-testid="correction-apply"
              disabled={!plan.reason.trim() || !/^\d{4}-\d{2}-\d{2}$/.test(plan.effectiveDate)}
              onClick={() => {
                const confirmed = plan;
                const row = selected;
                setPlan(null);
                void run(
                  s('Action_CreateCorrection'),
                  async () => {
                    const done = await actions!.createCorrection(row, confirmed);
                    setUndo({ row, done });
                  },
                  'resolved',
                );
              }}
            />
            <DefaultButton text={s('Cancel')} onClick={() => setPlan(null)} />
          </DialogFooter>
        </Dialog>
      )}
      {/* Mounted only while open: a hidden Fluent dialog still costs the first render its setup. */}
      {dialog === null ? null : (
        <Dialog
          hidden={false}
          onDismiss={() => setDialog(null)}
          dialogContentProps={{
            type: DialogType.normal,
            title: dialog === 'accept' ? s('Action_Accept') : s('Action_Resolve'),
            subText:
              selectedLines.length > 1
                ? s('Selected_Lines').replace('{0}', String(selectedLines.length))
                : selected
                  ? `${selected.customer} · ${selected.subscription} · ${categoryLabel(selected)}`
                  : '',
          }}
        >
          <TextField label={s('Note_Label')} multiline rows={3} value={note} onChange={(_, v) => setNote(v ?? '')} required={dialog === 'resolve'} />
          <DialogFooter>
            <PrimaryButton
              text={s('Confirm')}
              disabled={dialog === 'resolve' && !note.trim()}
              onClick={() => {
                const kind = dialog;
                setDialog(null);
                // Every selected line, one after another with the same note; each line's status shows as it lands.
                const lines = selectedLines;
                const status = kind === 'accept' ? 'accepted' : 'resolved';
                void run(
                  s(kind === 'accept' ? 'Action_Accept' : 'Action_Resolve'),
                  async () => {
                    for (const line of lines) {
                      await (kind === 'accept' ? actions!.accept(line, note.trim()) : actions!.resolve(line, note.trim()));
                      if (line.id !== selected?.id) setOverrides((prev) => new Map(prev).set(line.id, status));
                    }
                  },
                  status,
                );
              }}
            />
            <DefaultButton text={s('Cancel')} onClick={() => setDialog(null)} />
          </DialogFooter>
        </Dialog>
      )}
    </Stack>
  );
}
