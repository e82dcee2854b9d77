import * as React from 'react';
import { DetailsList, DetailsListLayoutMode, DetailsRow, Selection, SelectionMode, ConstrainMode, type IColumn, type IDetailsRowProps } from '@fluentui/react/lib/DetailsList';
import { Stack } from '@fluentui/react/lib/Stack';
import { Text } from '@fluentui/react/lib/Text';
import { SearchBox } from '@fluentui/react/lib/SearchBox';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import { Dialog, DialogFooter, DialogType } from '@fluentui/react/lib/Dialog';
import { PrimaryButton, DefaultButton, IconButton, ActionButton } from '@fluentui/react/lib/Button';
import { TextField } from '@fluentui/react/lib/TextField';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { CATEGORY_LABELS } from '../../../core/src/reconcile/categories';
import type { Decimal } from '../../../core/src/money';
import { categoryLabel, STATUSES, type ReconRow, type ResolutionStatus } from '../model/rows';
import { categoriesOf, customersOf, filterRows, flattenTree, formatMoney, groupTree, itemKey, linesOf, NO_FILTER, totalsOf, type GridFilter, type GridItem, type GridSort, type GroupHeader, type SortKey } from '../model/view';
import { rowsToCsv } from '../model/csv';
import { correctionBlocker, type GridActions } from '../model/actions';

export type Strings = (key: string) => string;

export interface ReconciliationGridProps {
  readonly rows: readonly ReconRow[];
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

const money = (d: Decimal | null): string => (d === null ? '' : formatMoney(d));
const qty = (d: Decimal | null): string => (d === null ? '' : d.toString());

/** Text only: values come from bills and CRM and are never interpreted as HTML. */
export function ReconciliationGridView(props: ReconciliationGridProps): React.ReactElement {
  const s = props.strings;
  const [filter, setFilter] = React.useState<GridFilter>(NO_FILTER);
  const [sort, setSort] = React.useState<GridSort | null>(null);
  const [collapsed, setCollapsed] = React.useState<ReadonlySet<string>>(() => new Set());
  const [selected, setSelected] = React.useState<ReconRow | null>(null);
  const [dialog, setDialog] = React.useState<NoteAction | null>(null);
  const [note, setNote] = React.useState('');
  const [message, setMessage] = React.useState<{ type: MessageBarType; text: string } | null>(null);
  const [busy, setBusy] = React.useState(false);
  // Local status overrides after a successful action (until the data set refreshes).
  const [overrides, setOverrides] = React.useState<ReadonlyMap<string, ResolutionStatus>>(() => new Map());

  const rows = React.useMemo(
    () => (overrides.size === 0 ? props.rows : props.rows.map((r) => (overrides.has(r.id) ? { ...r, status: overrides.get(r.id)! } : r))),
    [props.rows, overrides],
  );
  // Filter (one pass), group and sort inside groups (many small sorts), flatten (collapse only
  // re-flattens), totals as exact integer sums: nothing here does decimal.js work per row.
  const filtered = React.useMemo(() => filterRows(rows, filter), [rows, filter]);
  const tree = React.useMemo(() => groupTree(filtered, sort), [filtered, sort]);
  const items = React.useMemo(() => flattenTree(tree, collapsed), [tree, collapsed]);
  const totals = React.useMemo(() => totalsOf(filtered), [filtered]);
  const customers = React.useMemo(() => customersOf(props.rows), [props.rows]);
  const categories = React.useMemo(() => categoriesOf(props.rows), [props.rows]);
  const currency = props.rows[0]?.currency ?? '';

  const selection = React.useMemo(
    () =>
      new Selection({
        canSelectItem: (item) => (item as GridItem).kind === 'line',
        getKey: (item) => itemKey(item as GridItem),
        onSelectionChanged: () => {
          const item = selection.getSelection()[0] as GridItem | undefined;
          setSelected(item && item.kind === 'line' ? item : null);
        },
      }),
    [],
  );

  const toggle = React.useCallback((key: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  const onColumnClick = React.useCallback((_: unknown, column: IColumn) => {
    const key = column.key as SortKey;
    setSort((prev) => (prev && prev.key === key ? { key, descending: !prev.descending } : { key, descending: false }));
  }, []);

  const columns = React.useMemo<IColumn[]>(() => {
    const col = (key: SortKey, name: string, render: (r: ReconRow) => string, width = 90, numeric = false): IColumn => ({
      key,
      name,
      minWidth: width,
      maxWidth: width * 2,
      isResizable: true,
      isSorted: sort?.key === key,
      isSortedDescending: sort?.key === key && sort.descending,
      sortAscendingAriaLabel: s('Sorted_Ascending'),
      sortDescendingAriaLabel: s('Sorted_Descending'),
      onColumnClick,
      styles: numeric ? { cellTitle: { justifyContent: 'flex-end' } } : undefined,
      onRender: (item: GridItem) => (item.kind === 'line' ? <span className={numeric ? 'cspb-num' : undefined} style={numeric ? { display: 'block', textAlign: 'right' } : undefined}>{render(item)}</span> : null),
    });
    const all: IColumn[] = [
      col('product', s('Col_Product'), (r) => r.product, 140),
      col('chargeType', s('Col_ChargeType'), (r) => r.chargeType, 110),
      col('chargeStart', s('Col_ChargeStart'), (r) => r.chargeStart, 80),
      col('chargeEnd', s('Col_ChargeEnd'), (r) => r.chargeEnd, 80),
      col('billedQuantity', s('Col_BilledQuantity'), (r) => qty(r.billedQuantity), 60, true),
      col('expectedQuantity', s('Col_ExpectedQuantity'), (r) => qty(r.expectedQuantity), 60, true),
      col('eup', s('Col_Eup'), (r) => qty(r.eup), 60, true),
      col('billed', s('Col_Billed'), (r) => money(r.billed), 80, true),
      col('expected', s('Col_Expected'), (r) => money(r.expected), 80, true),
      col('variance', s('Col_Variance'), (r) => money(r.variance), 80, true),
      col('category', s('Col_Category'), (r) => categoryLabel(r), 130),
      col('status', s('Col_Status'), (r) => s(`Status_${r.status}`), 70),
    ];
    return props.compact ? all.filter((c) => ['chargeType', 'variance', 'category', 'status'].includes(c.key)) : all;
  }, [s, sort, onColumnClick, props.compact]);

  const onRenderRow = React.useCallback(
    (rowProps?: IDetailsRowProps): JSX.Element | null => {
      if (!rowProps) return null;
      const item = rowProps.item as GridItem;
      if (item.kind === 'line') return <DetailsRow {...rowProps} />;
      return <GroupHeaderRow header={item} strings={s} onToggle={toggle} currency={currency} />;
    },
    [s, toggle, currency],
  );

  const run = async (label: string, action: () => Promise<void>, status?: ResolutionStatus): Promise<void> => {
    if (!selected) return;
    setBusy(true);
    setMessage(null);
    try {
      await action();
      if (status) setOverrides((prev) => new Map(prev).set(selected.id, status));
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
    { key: 'accept', text: s('Action_Accept'), iconProps: { iconName: 'CheckMark' }, disabled: noRow, onClick: () => { setNote(''); setDialog('accept'); } },
    { key: 'resolve', text: s('Action_Resolve'), iconProps: { iconName: 'Completed' }, disabled: noRow, onClick: () => { setNote(''); setDialog('resolve'); } },
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
      onClick: () => void run(s('Action_CreateCorrection'), () => actions!.createCorrection(selected!), 'resolved'),
    },
    {
      key: 'export',
      text: s('Action_ExportCsv'),
      iconProps: { iconName: 'Download' },
      disabled: filtered.length === 0,
      onClick: () => props.onExport(rowsToCsv(linesOf(tree)), 'reconciliation.csv'),
    },
  ];

  const categoryOptions: IDropdownOption[] = categories.map((c) => ({ key: c, text: CATEGORY_LABELS[c] }));
  const statusOptions: IDropdownOption[] = STATUSES.map((st) => ({ key: st, text: s(`Status_${st}`) }));
  const customerOptions: IDropdownOption[] = customers.map((c) => ({ key: c, text: c || s('Customer_Unknown') }));
  const multi = <K extends keyof GridFilter>(field: K) => (_: unknown, option?: IDropdownOption): void => {
    if (!option) return;
    setFilter((prev) => {
      const current = prev[field] as readonly string[];
      const next = option.selected ? [...current, String(option.key)] : current.filter((k) => k !== option.key);
      return { ...prev, [field]: next };
    });
  };

  return (
    <Stack tokens={{ childrenGap: 8 }} styles={{ root: { width: '100%' } }}>
      <Text variant="large" role="heading" aria-level={2} data-testid="record-count">
        {s('RecordCount').replace('{0}', String(filtered.length)).replace('{1}', String(props.rows.length))}
        {props.loading ? <span data-testid="loading-more">{` ${s('Loading_More')}`}</span> : null}
      </Text>
      {props.cappedAt !== undefined && props.cappedAt !== null ? (
        <MessageBar messageBarType={MessageBarType.warning}>
          <span data-testid="capped">{s('Capped').replace('{0}', String(props.rows.length)).replace('{1}', props.cappedAt >= 0 ? String(props.cappedAt) : '?')}</span>
        </MessageBar>
      ) : null}
      <Stack horizontal wrap tokens={{ childrenGap: 8 }} verticalAlign="end">
        <SearchBox placeholder={s('Search_Placeholder')} ariaLabel={s('Search_Label')} styles={{ root: { minWidth: 200 } }} onChange={(_, v) => setFilter((p) => ({ ...p, search: v ?? '' }))} data-testid="search" />
        <Dropdown label={s('Filter_Category')} ariaLabel={s('Filter_Category')} multiSelect options={categoryOptions} selectedKeys={filter.categories as string[]} onChange={multi('categories')} styles={{ root: { minWidth: 180 } }} data-testid="filter-category" />
        <Dropdown label={s('Filter_Status')} ariaLabel={s('Filter_Status')} multiSelect options={statusOptions} selectedKeys={filter.statuses as string[]} onChange={multi('statuses')} styles={{ root: { minWidth: 120 } }} data-testid="filter-status" />
        <Dropdown label={s('Filter_Customer')} ariaLabel={s('Filter_Customer')} multiSelect options={customerOptions} selectedKeys={filter.customers as string[]} onChange={multi('customers')} styles={{ root: { minWidth: 180 } }} data-testid="filter-customer" />
      </Stack>
      <Stack horizontal wrap tokens={{ childrenGap: 16 }} role="region" aria-label={s('Totals_Label')} data-testid="totals" styles={{ root: { padding: '4px 0' } }}>
        <Total label={s('Total_Billed')} value={totals.billed} id="billed" currency={currency} />
        <Total label={s('Total_Expected')} value={totals.expected} id="expected" currency={currency} />
        <Total label={s('Total_Variance')} value={totals.variance} id="variance" currency={currency} />
        <Total label={s('Total_Leakage')} value={totals.leakage} id="leakage" currency={currency} />
        <Total label={s('Total_Margin')} value={totals.margin} id="margin" currency={currency} />
      </Stack>
      <Stack horizontal wrap role="toolbar" aria-label={s('Actions_Label')}>
        {commands.map((c) => (
          <ActionButton key={c.key} iconProps={c.iconProps} disabled={c.disabled} title={c.title} onClick={c.onClick} data-testid={`action-${c.key}`}>
            {c.text}
          </ActionButton>
        ))}
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
      <DetailsList
        items={items}
        columns={columns}
        getKey={itemKey}
        setKey="grid"
        selection={selection}
        selectionMode={SelectionMode.single}
        selectionPreservedOnEmptyClick
        layoutMode={DetailsListLayoutMode.fixedColumns}
        constrainMode={ConstrainMode.unconstrained}
        onRenderRow={onRenderRow}
        ariaLabelForGrid={s('Grid_Label')}
        ariaLabelForSelectionColumn={s('Select_Column')}
        checkButtonAriaLabel={s('Select_Row')}
        onShouldVirtualize={() => true}
      />
      {filtered.length === 0 ? <Text data-testid="empty">{s('No_Rows')}</Text> : null}
      <Dialog
        hidden={dialog === null}
        onDismiss={() => setDialog(null)}
        dialogContentProps={{ type: DialogType.normal, title: dialog === 'accept' ? s('Action_Accept') : s('Action_Resolve'), subText: selected ? `${selected.customer} · ${selected.subscription} · ${categoryLabel(selected)}` : '' }}
      >
        <TextField label={s('Note_Label')} multiline rows={3} value={note} onChange={(_, v) => setNote(v ?? '')} required={dialog === 'resolve'} />
        <DialogFooter>
          <PrimaryButton
            text={s('Confirm')}
            disabled={dialog === 'resolve' && !note.trim()}
            onClick={() => {
              const kind = dialog;
              setDialog(null);
              if (kind === 'accept') void run(s('Action_Accept'), () => actions!.accept(selected!, note.trim()), 'accepted');
              if (kind === 'resolve') void run(s('Action_Resolve'), () => actions!.resolve(selected!, note.trim()), 'resolved');
            }}
          />
          <DefaultButton text={s('Cancel')} onClick={() => setDialog(null)} />
        </DialogFooter>
      </Dialog>
    </Stack>
  );
}

function Total(props: { label: string; value: Decimal; id: string; currency: string }): React.ReactElement {
  return (
    <Stack>
      <Text variant="small">{props.label}</Text>
      <Text variant="mediumPlus" data-testid={`total-${props.id}`} styles={{ root: { fontWeight: 600, color: props.value.isNegative() ? '#a4262c' : undefined } }}>
        {formatMoney(props.value, props.currency)}
      </Text>
    </Stack>
  );
}

function GroupHeaderRow(props: { header: GroupHeader; strings: Strings; onToggle: (key: string) => void; currency: string }): React.ReactElement {
  const { header, strings: s } = props;
  const t = header.totals();
  const label = header.label || s(header.kind === 'customer' ? 'Customer_Unknown' : 'Subscription_Unknown');
  return (
    <div
      role="row"
      aria-level={header.level + 1}
      aria-expanded={!header.collapsed}
      data-testid={`group-${header.kind}`}
      style={{ display: 'flex', alignItems: 'center', gap: 8, paddingLeft: header.level * 24, minHeight: 36, borderBottom: '1px solid #edebe9', background: header.level === 0 ? '#f3f2f1' : '#faf9f8' }}
    >
      <IconButton
        iconProps={{ iconName: header.collapsed ? 'ChevronRight' : 'ChevronDown' }}
        ariaLabel={(header.collapsed ? s('Expand') : s('Collapse')).replace('{0}', label)}
        aria-expanded={!header.collapsed}
        onClick={() => props.onToggle(header.key)}
      />
      <span role="rowheader" style={{ fontWeight: header.level === 0 ? 600 : 400 }}>{label}</span>
      <span>({header.count})</span>
      <span style={{ marginLeft: 'auto', paddingRight: 12 }}>
        {s('Total_Billed')} {formatMoney(t.billed)} · {s('Total_Expected')} {formatMoney(t.expected)} · {s('Total_Variance')} {formatMoney(t.variance, props.currency)}
      </span>
    </div>
  );
}

