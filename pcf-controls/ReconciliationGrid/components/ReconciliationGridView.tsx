import * as React from 'react';
import { DetailsList, DetailsListLayoutMode, SelectionMode, type IColumn } from '@fluentui/react/lib/DetailsList';
import { Stack } from '@fluentui/react/lib/Stack';
import { Text } from '@fluentui/react/lib/Text';

export interface GridColumn {
  /** Data-set column name (logical name). */
  readonly key: string;
  readonly label: string;
}

export interface GridRow {
  readonly id: string;
  /** Formatted values by column key, exactly as the platform formats them. */
  readonly values: Readonly<Record<string, string>>;
}

export interface ReconciliationGridProps {
  readonly columns: readonly GridColumn[];
  readonly rows: readonly GridRow[];
  /** Header text for the record count, already localised ("12 records"). */
  readonly countLabel: string;
}

/** Renders text only: cell values come from bills and CRM, and are never interpreted as HTML. */
export function ReconciliationGridView(props: ReconciliationGridProps): React.ReactElement {
  const columns = React.useMemo<IColumn[]>(
    () =>
      props.columns.map((c) => ({
        key: c.key,
        name: c.label,
        fieldName: c.key,
        minWidth: 80,
        maxWidth: 240,
        isResizable: true,
        onRender: (row: GridRow) => row.values[c.key] ?? '',
      })),
    [props.columns],
  );
  return (
    <Stack tokens={{ childrenGap: 8 }}>
      <Text variant="large" role="heading" aria-level={2} data-testid="record-count" styles={{ root: { textAlign: 'start' } }}>
        {props.countLabel}
      </Text>
      <DetailsList
        items={props.rows as GridRow[]}
        columns={columns}
        getKey={(row: GridRow) => row.id}
        setKey="id"
        selectionMode={SelectionMode.none}
        layoutMode={DetailsListLayoutMode.justified}
        ariaLabelForGrid={props.countLabel}
      />
    </Stack>
  );
}
