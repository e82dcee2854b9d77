import * as React from 'react';
import { IInputs, IOutputs } from './generated/ManifestTypes';
import { ReconciliationGridView, type ReconciliationGridProps } from './components/ReconciliationGridView';
import type { SourceRecord } from './model/rows';
import { DataSetPager, type PagedDataSet } from './model/paging';
import { createWebApiActions, type GridActions, type NavigationLike, type WebApiLike } from './model/actions';
import { CrmSubscriptions } from './model/crm-subscriptions';
import { localised } from '../shared/localised';
import { localeOfLanguage } from '../../core/src/format';
import { ENGLISH_STRINGS } from './model/strings.1033.generated';

type DataSet = ComponentFramework.PropertyTypes.DataSet;

/** context.client.getFormFactor(): 0 unknown, 1 desktop, 2 tablet, 3 phone (Microsoft's PCF reference). */
const FORM_FACTOR_PHONE = 3;

/** Adapts the platform's context (data set, webAPI, navigation, resources, form factor) to props; no logic lives here. */
export class ReconciliationGrid implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  /** Pages the data set in (5,000 a page, up to 100,000 records) and keeps the rows. */
  private readonly pager = new DataSetPager();
  private actions: GridActions | null = null;
  /** Whether context.webAPI answers (the test harness has none: its methods throw). */
  private webApi: 'probing' | 'ok' | 'none' = 'probing';
  /** The CRM subscriptions of the groups on screen, read once the Web API answers. */
  private crm: CrmSubscriptions | null = null;

  public init(context: ComponentFramework.Context<IInputs>): void {
    context.mode.trackContainerResize(true);
    this.probeWebApi(context);
    this.pager.init(pagedDataSet(context.parameters.records));
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const dataset = context.parameters.records;
    const paged = this.pager.update(pagedDataSet(dataset));
    const unavailable = this.webApi === 'probing' ? null : this.webApi === 'none' ? 'Actions_Unavailable_Harness' : actionsUnavailable(context, dataset);
    if (!unavailable && !this.actions)
      this.actions = createWebApiActions(context.webAPI as unknown as WebApiLike, context.navigation as unknown as NavigationLike);
    if (this.webApi === 'ok' && !this.crm) this.crm = new CrmSubscriptions(context.webAPI as unknown as WebApiLike, () => context.factory.requestRender());
    const strings = localised((k) => context.resources.getString(k), ENGLISH_STRINGS);
    const props: ReconciliationGridProps = {
      rowSet: paged.rowSet,
      strings,
      actions: unavailable || this.webApi !== 'ok' ? null : this.actions,
      actionsUnavailable: unavailable ? strings(unavailable) : undefined,
      // Number(): pcf-start's harness hands back its select's text ("3"); Dynamics, a number.
      compact: Number(context.client.getFormFactor()) === FORM_FACTOR_PHONE,
      // The user's language in Dynamics (Personal Options), read as a locale for amounts and dates.
      locale: localeOfLanguage(context.userSettings?.languageId),
      loading: paged.loading,
      cappedAt: paged.cappedAt,
      onExport: download,
      crm: this.crm,
      crmVersion: this.crm?.version ?? 0,
      onChanged: () => {
        this.pager.reset();
        this.crm = null; // a correction changed a subscription's quantity: read it again
        dataset.refresh();
      },
    };
    return React.createElement(ReconciliationGridView, props);
  }

  /** One bounded query ($top=1) tells whether the host has a working Web API. */
  private probeWebApi(context: ComponentFramework.Context<IInputs>): void {
    const settle = (state: 'ok' | 'none'): void => {
      this.webApi = state;
      context.factory.requestRender();
    };
    try {
      Promise.resolve(context.webAPI.retrieveMultipleRecords('cspb_discrepancy', '?$select=cspb_discrepancyid&$top=1')).then(
        () => settle('ok'),
        () => settle('none'),
      );
    } catch {
      this.webApi = 'none';
    }
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // Nothing to release: React unmounts the virtual control.
  }
}

function pagedDataSet(dataset: DataSet): PagedDataSet {
  return {
    loading: dataset.loading,
    sortedRecordIds: dataset.sortedRecordIds,
    columns: dataset.columns,
    records: dataset.records,
    paging: dataset.paging,
    record: (id): SourceRecord => {
      const record = dataset.records[id]!;
      return { id, get: (column: string) => ({ raw: record.getValue(column), formatted: record.getFormattedValue(column) ?? '' }) };
    },
  };
}

/** The resx key explaining why actions are off, or null when they can run. */
function actionsUnavailable(context: ComponentFramework.Context<IInputs>, dataset: DataSet): string | null {
  if (typeof context.navigation?.openForm !== 'function') return 'Actions_Unavailable_Harness';
  if (dataset.getTargetEntityType() !== 'cspb_discrepancy') return 'Actions_Unavailable_Table';
  return null;
}

function download(csv: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([`\ufeff${csv}`], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
