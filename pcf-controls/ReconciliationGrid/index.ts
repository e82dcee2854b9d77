import * as React from 'react';
import { IInputs, IOutputs } from './generated/ManifestTypes';
import { ReconciliationGridView, type GridColumn, type GridRow, type ReconciliationGridProps } from './components/ReconciliationGridView';

type DataSet = ComponentFramework.PropertyTypes.DataSet;

/** Adapts the platform's context (data set, resources) to the grid's props; no logic lives here. */
export class ReconciliationGrid implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  public init(context: ComponentFramework.Context<IInputs>): void {
    context.mode.trackContainerResize(true);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const props: ReconciliationGridProps = {
      columns: columnsOf(context.parameters.records),
      rows: rowsOf(context.parameters.records),
      countLabel: countLabel(context, context.parameters.records.sortedRecordIds.length),
    };
    return React.createElement(ReconciliationGridView, props);
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // Nothing to release: React unmounts the virtual control.
  }
}

function columnsOf(dataset: DataSet): GridColumn[] {
  return [...dataset.columns]
    .sort((a, b) => a.order - b.order)
    .map((c) => ({ key: c.name, label: c.displayName }));
}

function rowsOf(dataset: DataSet): GridRow[] {
  return dataset.sortedRecordIds.map((id) => {
    const record = dataset.records[id]!;
    const values: Record<string, string> = {};
    for (const column of dataset.columns) values[column.name] = record.getFormattedValue(column.name) ?? '';
    return { id, values };
  });
}

function countLabel(context: ComponentFramework.Context<IInputs>, count: number): string {
  if (count === 1) return context.resources.getString('RecordCount_One');
  return context.resources.getString('RecordCount_Many').replace('{0}', String(count));
}
