/**
 * The grid's rows: a line (one discrepancy) and a group header (customer or subscription, with its
 * count, CRM side and totals), plus the totals bar's item. Text only: values come from bills and
 * CRM and are never interpreted as HTML.
 */
import * as React from 'react';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Stack } from '@fluentui/react/lib/Stack';
import { Text } from '@fluentui/react/lib/Text';
import { IconButton } from '@fluentui/react/lib/Button';
import type { Decimal } from '../../../core/src/money';
import type { ReconRow } from '../model/rows';
import { formatMoney, type GroupHeader, type SortKey } from '../model/view';
import type { CrmSubscriptions } from '../model/crm-subscriptions';
import { decimalOfFixed } from '../model/exact';
import { selectModeOf, type SelectMode } from '../model/selection';

export type Strings = (key: string) => string;

export interface GridColumn {
  readonly key: SortKey;
  readonly name: string;
  /** As shown: the default, or what the user set (ColumnResize.tsx). */
  readonly width: number;
  readonly defaultWidth: number;
  readonly numeric: boolean;
  readonly render: (r: ReconRow) => string;
}

export const CELL_PADDING = 8;

export const classes = mergeStyleSets({
  scroller: { width: '100%', overflowX: 'auto', overflowY: 'hidden' },
  details: { borderTop: '1px solid #edebe9', padding: '8px 0', maxWidth: 960, whiteSpace: 'normal', overflowWrap: 'anywhere', textAlign: 'left' },
  grid: { display: 'block', width: '100%', textAlign: 'left' },
  headerRow: { display: 'flex', alignItems: 'stretch', minHeight: 42, borderBottom: '1px solid #edebe9', background: '#ffffff' },
  // Positioned: the column's resize handle sits at its right edge (ColumnResize.tsx).
  headerCell: { flex: '0 0 auto', boxSizing: 'border-box', display: 'flex', alignItems: 'center', padding: `0 ${CELL_PADDING}px`, position: 'relative' },
  headerButton: {
    border: 'none',
    background: 'transparent',
    font: 'inherit',
    fontWeight: 600,
    color: '#323130',
    padding: '8px 0',
    cursor: 'pointer',
    width: '100%',
    textAlign: 'left',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    selectors: { ':hover': { color: '#201f1e', background: '#f3f2f1' } },
  },
  numericHeader: { textAlign: 'right !important' as 'right' },
  row: {
    display: 'flex',
    alignItems: 'center',
    minHeight: 42,
    borderBottom: '1px solid #f3f2f1',
    background: '#ffffff',
    color: '#323130',
    cursor: 'default',
    outline: 'none',
    selectors: {
      ':hover': { background: '#f3f2f1' },
      ':focus': { outline: '1px solid #605e5c', outlineOffset: -1 },
    },
  },
  // Fluent's selected-row grey, and an accent bar at the start: a range stays visible beside the grey group headers.
  selectedRow: { background: '#edebe9', boxShadow: 'inset 3px 0 0 #0078d4', selectors: { ':hover': { background: '#e1dfdd' } } },
  groupRow: {
    display: 'flex',
    minHeight: 36,
    borderBottom: '1px solid #edebe9',
    outline: 'none',
    selectors: { ':focus': { outline: '1px solid #605e5c', outlineOffset: -1 } },
  },
  cell: {
    flex: '0 0 auto',
    boxSizing: 'border-box',
    textAlign: 'left',
    padding: `0 ${CELL_PADDING}px`,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  numeric: { textAlign: 'right !important' as 'right' },
});

export function Total(props: { label: string; value: Decimal; id: string; currency: string; locale: string }): React.ReactElement {
  return (
    <Stack>
      <Text variant="small">{props.label}</Text>
      <Text
        variant="mediumPlus"
        data-testid={`total-${props.id}`}
        styles={{ root: { fontWeight: 600, color: props.value.isNegative() ? '#a4262c' : undefined } }}
      >
        {formatMoney(props.value, props.currency, props.locale)}
      </Text>
    </Stack>
  );
}

export const LineRow = React.memo(function LineRow(props: {
  row: ReconRow;
  columns: readonly GridColumn[];
  rowIndex: number;
  selected: boolean;
  /** The grid's one tab stop (roving tabindex): the focused row, else the selected line, else the first row. */
  tabStop: boolean;
  /** `mode` from the click's modifiers: plain replaces, Ctrl (or Cmd) toggles, Shift takes the range from the anchor, Ctrl + Shift adds it. */
  onSelect: (id: string, mode: SelectMode) => void;
}): React.ReactElement {
  const { row, columns, onSelect } = props;
  // Keys are handled once for every row by the grid (ReconciliationGridView's onKeyDown).
  return (
    <div
      role="row"
      aria-rowindex={props.rowIndex}
      aria-selected={props.selected}
      data-id={row.id}
      tabIndex={props.tabStop ? 0 : -1}
      className={props.selected ? `${classes.row} ${classes.selectedRow}` : classes.row}
      // Shift + click: no text selection across the rows (the range is the selection); focus still follows the click.
      onMouseDown={(e) => {
        if (e.shiftKey) e.preventDefault();
      }}
      onClick={(e) => {
        e.currentTarget.focus({ preventScroll: true });
        onSelect(row.id, selectModeOf(e));
      }}
    >
      {columns.map((c, i) => (
        <div
          key={c.key}
          role="gridcell"
          aria-colindex={i + 1}
          className={c.numeric ? `${classes.cell} ${classes.numeric} cspb-num` : classes.cell}
          style={{ width: c.width }}
        >
          {c.render(row)}
        </div>
      ))}
    </div>
  );
});

export function GroupHeaderRow(props: {
  header: GroupHeader;
  strings: Strings;
  onToggle: (key: string) => void;
  currency: string;
  locale: string;
  crm: CrmSubscriptions | null;
  compact: boolean;
  colCount: number;
  /** The grid's one tab stop (roving tabindex); Enter, Space and the arrow keys are the grid's (ReconciliationGridView). */
  tabStop: boolean;
}): React.ReactElement {
  const { header, strings: s, crm } = props;
  const t = header.totals();
  // Only headers on screen ask for their subscription: the queries stay bounded by what is shown.
  React.useEffect(() => {
    if (crm && header.recordId) crm.request(header.recordId);
  }, [crm, header.recordId]);
  const record = crm && header.recordId ? crm.get(header.recordId) : undefined;
  const label = header.label || s(header.kind === 'customer' ? 'Customer_Unknown' : 'Subscription_Unknown');
  // A tree grid row: its one cell, the row header, spans every column and holds the toggle, the
  // group's name, count, CRM side and totals (a row may only own cells). The row takes focus (Enter,
  // Space, Left and Right toggle it); its button is for the pointer and out of the tab order.
  return (
    <div
      role="row"
      aria-level={header.level + 1}
      aria-expanded={!header.collapsed}
      data-testid={`group-${header.kind}`}
      tabIndex={props.tabStop ? 0 : -1}
      className={classes.groupRow}
      style={{ background: header.level === 0 ? '#f3f2f1' : '#faf9f8' }}
    >
      <div
        role="rowheader"
        aria-colspan={props.colCount}
        style={{ display: 'flex', alignItems: 'center', gap: 8, flex: '1 1 auto', minWidth: 0, paddingLeft: header.level * 24 }}
      >
        <IconButton
          iconProps={{ iconName: header.collapsed ? 'ChevronRight' : 'ChevronDown' }}
          ariaLabel={(header.collapsed ? s('Expand') : s('Collapse')).replace('{0}', label)}
          aria-expanded={!header.collapsed}
          tabIndex={-1}
          onClick={() => props.onToggle(header.key)}
        />
        <span data-testid="group-label" style={{ fontWeight: header.level === 0 ? 600 : 400 }}>
          {label}
        </span>
        <span>({header.count})</span>
        {record ? (
          <span data-testid="crm-subscription" style={{ color: record.status === 'active' ? '#605e5c' : '#a4262c' }}>
            {s('Crm_Subscription')
              .replace('{0}', record.quantity === null ? '?' : String(record.quantity))
              .replace('{1}', s(`CrmStatus_${record.status}`))
              .replace('{2}', record.customerUnitPrice === null ? '?' : formatMoney(decimalOfFixed(record.customerUnitPrice), record.currency, props.locale))}
          </span>
        ) : null}
        <span style={{ marginLeft: 'auto', paddingRight: 12 }}>
          {/* A phone shows the variance only: the grid's own columns there are the variance and the category. */}
          {props.compact
            ? null
            : `${s('Total_Billed')} ${formatMoney(t.billed, '', props.locale)} · ${s('Total_Expected')} ${formatMoney(t.expected, '', props.locale)} · `}
          {s('Total_Variance')} {formatMoney(t.variance, props.currency, props.locale)}
        </span>
      </div>
    </div>
  );
}
