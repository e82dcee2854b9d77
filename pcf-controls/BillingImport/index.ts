import * as React from 'react';
import { IInputs, IOutputs } from './generated/ManifestTypes';
import { BillingImportView, type BillingImportProps, type Parser } from './components/BillingImportView';
import { parseBytes } from './model/parse';
import { browserOrgClient } from '../../dataverse/src/browser/org-client';
import type { WebApiLike } from '../../dataverse/src/browser/web-api-client';
import type { DataverseClient } from '../../dataverse/src/client/types';
import { parseInWorker, WorkerUnavailable, type WorkerLike } from './model/worker-parser';
// Written by scripts/build-pcf.ts (esbuild bundle of worker/parse-worker.ts) before pcf-scripts runs.
import { WORKER_SOURCE } from './generated/workerSource';
import { localised } from '../shared/localised';
import { ENGLISH_STRINGS } from './model/strings.1033.generated';

type ParserKind = 'worker' | 'main thread';

/**
 * The parse worker from a Blob of its source, embedded in bundle.js at build time: one file to
 * ship, no second web resource to locate at run time, and the same in pcf-start and in Dynamics.
 * Where a policy refuses blob: workers, creation throws or the worker never answers: the control
 * falls back to the main thread.
 */
function createBlobWorker(): WorkerLike {
  if (typeof Worker === 'undefined' || typeof URL.createObjectURL !== 'function') throw new Error('no Worker in this host');
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  try {
    const worker = new Worker(url, { name: 'cspb-bill-parser' });
    const terminate = worker.terminate.bind(worker);
    worker.terminate = () => {
      terminate();
      URL.revokeObjectURL(url);
    };
    return worker as unknown as WorkerLike;
  } catch (error) {
    URL.revokeObjectURL(url);
    throw error;
  }
}

/** Adapts the platform's context (bound file name, webAPI, record id, resources) to props; no logic here. */
export class BillingImport implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private fileName: string | undefined;
  private notify: () => void = () => undefined;
  private webApi: 'probing' | 'ok' | 'none' = 'probing';
  /** The worker until it proves unavailable; then the main thread for the rest of the session. */
  private parserKind: ParserKind = typeof Worker === 'undefined' ? 'main thread' : 'worker';

  public init(context: ComponentFramework.Context<IInputs>, notifyOutputChanged: () => void): void {
    this.notify = notifyOutputChanged;
    const settle = (state: 'ok' | 'none'): void => {
      this.webApi = state;
      context.factory.requestRender();
    };
    try {
      // One bounded query tells whether the host has a Web API (the test harness's methods throw).
      Promise.resolve(context.webAPI.retrieveMultipleRecords('cspb_billingimport', '?$select=cspb_billingimportid&$top=1')).then(
        () => settle('ok'),
        () => settle('none'),
      );
    } catch {
      this.webApi = 'none';
    }
  }

  private client: DataverseClient | undefined;

  /** The org's URL from the page (model-driven apps), else this page's origin (the workbench). */
  private clientOf(context: ComponentFramework.Context<IInputs>): DataverseClient {
    const page = (context as unknown as { page?: { getClientUrl?: () => string } }).page;
    this.client ??= browserOrgClient(context.webAPI as unknown as WebApiLike, page?.getClientUrl?.() ?? window.location.origin);
    return this.client;
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const defaultCurrency = context.parameters.defaultCurrency?.raw || undefined;
    const parse: Parser = async (file, onProgress, token) => {
      if (this.parserKind === 'worker') {
        try {
          return await parseInWorker(createBlobWorker, file, { fileName: file.name, defaultCurrency }, onProgress, token);
        } catch (error) {
          if (!(error instanceof WorkerUnavailable)) throw error;
          console.warn(`BillingImport: ${error.message}; parsing on the main thread`);
          this.parserKind = 'main thread';
          context.factory.requestRender();
        }
      }
      return parseBytes(new Uint8Array(await file.arrayBuffer()), { fileName: file.name, defaultCurrency }, onProgress, token);
    };
    const info = (context.mode as unknown as { contextInfo?: { entityId?: string } }).contextInfo;
    const props: BillingImportProps = {
      strings: localised((k) => context.resources.getString(k), ENGLISH_STRINGS),
      parse,
      parserKind: this.parserKind,
      client: this.webApi === 'ok' ? this.clientOf(context) : null,
      importRecordId: info?.entityId || null,
      disabled: context.mode.isControlDisabled,
      onFileName: (name) => {
        this.fileName = name;
        // Only when the control cannot write the import itself is the name an output for the form to
        // save. Otherwise the control writes it with the record, and an output would leave the new
        // form dirty: opening the record it wrote would then ask about unsaved changes.
        if (this.webApi !== 'ok') this.notify();
      },
      // The saved record, refreshed: what the import wrote, and the form's Run reconciliation.
      onWritten: (importId) => void context.navigation.openForm({ entityName: 'cspb_billingimport', entityId: importId }),
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
