import * as React from 'react';
import { IInputs, IOutputs } from './generated/ManifestTypes';
import { BillingImportView, type BillingImportProps, type Parser } from './components/BillingImportView';
import { parseBytes } from './model/parse';
import type { ImportWebApi } from './model/write';

/** Adapts the platform's context (bound file name, webAPI, record id, resources) to props; no logic here. */
export class BillingImport implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private fileName: string | undefined;
  private notify: () => void = () => undefined;
  private webApi: 'probing' | 'ok' | 'none' = 'probing';

  public init(context: ComponentFramework.Context<IInputs>, notifyOutputChanged: () => void): void {
    this.notify = notifyOutputChanged;
    const settle = (state: 'ok' | 'none'): void => {
      this.webApi = state;
      context.factory.requestRender();
    };
    try {
      // One bounded query tells whether the host has a Web API (the test harness's methods throw).
      Promise.resolve(context.webAPI.retrieveMultipleRecords('cspb_billingimport', '?$select=cspb_billingimportid&$top=1')).then(() => settle('ok'), () => settle('none'));
    } catch {
      this.webApi = 'none';
    }
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const defaultCurrency = context.parameters.defaultCurrency?.raw || undefined;
    const parse: Parser = async (file, onProgress, token) => parseBytes(new Uint8Array(await file.arrayBuffer()), { fileName: file.name, defaultCurrency }, onProgress, token);
    const info = (context.mode as unknown as { contextInfo?: { entityId?: string } }).contextInfo;
    const props: BillingImportProps = {
      strings: (k) => context.resources.getString(k),
      parse,
      parserKind: 'main thread',
      webApi: this.webApi === 'ok' ? (context.webAPI as unknown as ImportWebApi) : null,
      importRecordId: info?.entityId || null,
      disabled: context.mode.isControlDisabled,
      onFileName: (name) => {
        this.fileName = name;
        this.notify();
      },
    };
    return React.createElement(BillingImportView, props);
  }

  public getOutputs(): IOutputs {
    return { fileName: this.fileName };
  }

  public destroy(): void {
    // React unmounts the virtual control.
  }
}
