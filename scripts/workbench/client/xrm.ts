/**
 * A real `Xrm` for the workbench: the form model (attributes, controls, notifications, save)
 * behind `formContext`, and `Xrm.WebApi`, `Xrm.Navigation`, `Xrm.Utility`, `Xrm.Utility.getGlobalContext`
 * backed by the local org's Web API. The shell (main.ts) renders the model and binds inputs to it.
 */
import type { Row, WebApi } from './api';
import type { WbColumn, WbForm, WbMeta, WbTable } from '../meta-types';
import { alertDialog, closeProgress, confirmDialog, download, showProgress } from './ui';

type Handler = (context: unknown) => unknown;
export type Level = 'INFO' | 'WARNING' | 'ERROR';
export const FORM_TYPE = { create: 1, update: 2 } as const;

export interface LookupValue {
  id: string;
  name: string;
  entityType: string;
}

const braced = (id: string): string => `{${id.replace(/[{}]/g, '').toUpperCase()}}`;
const pad = (n: number): string => String(n).padStart(2, '0');
export const isoOf = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
export const dateOf = (iso: string): Date => {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return new Date(y!, m! - 1, d!);
};

/** A row's value as the Client API gives it (Date for dates, lookups as arrays of references). */
export function clientValue(column: WbColumn | undefined, row: Row, names: Record<string, string>): unknown {
  if (!column) return null;
  const raw = row[column.readName];
  if (raw === null || raw === undefined) return null;
  if (column.type === 'lookup') return [{ id: braced(String(raw)), name: names[column.readName] ?? String(raw), entityType: column.target ?? '' }];
  if (column.type === 'dateOnly') return dateOf(String(raw));
  return raw;
}

export interface FormHooks {
  attributeChanged(name: string): void;
  controlChanged(name: string): void;
  notificationsChanged(): void;
  /** Writes the record (POST or PATCH); returns its id. */
  persist(body: Row, id: string | null): Promise<string>;
  /** Reopens the form on the saved record (OnLoad runs again, as the platform does after save). */
  reload(id: string): Promise<void>;
  refreshSubgrid(id: string): Promise<void>;
}

export class Attribute {
  value: unknown;
  initial: unknown;
  required: 'none' | 'recommended' | 'required';
  readonly handlers: Handler[] = [];
  submitMode: 'always' | 'never' | 'dirty' = 'dirty';

  constructor(
    readonly form: FormModel,
    readonly name: string,
    readonly column: WbColumn | undefined,
    value: unknown,
  ) {
    this.value = value;
    this.initial = value;
    this.required = column?.required === 'required' ? 'required' : (column?.required ?? 'none');
  }

  isDirty(): boolean {
    const a = this.value;
    const b = this.initial;
    if (a instanceof Date && b instanceof Date) return isoOf(a) !== isoOf(b);
    if (Array.isArray(a) && Array.isArray(b)) return (a[0] as LookupValue | undefined)?.id !== (b[0] as LookupValue | undefined)?.id;
    return a !== b;
  }

  fire(): void {
    const context = this.form.eventContext(this);
    for (const handler of [...this.handlers]) {
      try {
        const result = handler(context);
        if (result instanceof Promise) result.catch((e: unknown) => this.form.scriptError(e));
      } catch (e) {
        this.form.scriptError(e);
      }
    }
  }

  api(): Record<string, unknown> {
    const type = (): string => {
      switch (this.column?.type) {
        case 'wholeNumber':
          return 'integer';
        case 'decimal':
          return 'decimal';
        case 'money':
          return 'money';
        case 'choice':
          return 'optionset';
        case 'boolean':
          return 'boolean';
        case 'dateOnly':
          return 'datetime';
        case 'lookup':
          return 'lookup';
        case 'memo':
          return 'memo';
        default:
          return this.name === 'createdon' || this.name === 'modifiedon' ? 'datetime' : 'string';
      }
    };
    const options = (this.column?.options ?? []).map((o) => ({ value: o.value, text: o.label }));
    return {
      getName: () => this.name,
      getValue: () => this.value,
      setValue: (value: unknown) => {
        this.value = value === undefined ? null : value;
        this.form.hooks.attributeChanged(this.name);
      },
      getIsDirty: () => this.isDirty(),
      getAttributeType: type,
      getFormat: () => (this.column?.type === 'dateOnly' ? 'date' : this.column?.type === 'memo' ? 'textarea' : null),
      addOnChange: (h: Handler) => void this.handlers.push(h),
      removeOnChange: (h: Handler) => {
        const i = this.handlers.indexOf(h);
        if (i >= 0) this.handlers.splice(i, 1);
      },
      fireOnChange: () => this.fire(),
      getRequiredLevel: () => this.required,
      setRequiredLevel: (level: 'none' | 'recommended' | 'required') => {
        this.required = level;
        this.form.hooks.controlChanged(this.name);
      },
      getSubmitMode: () => this.submitMode,
      setSubmitMode: (mode: 'always' | 'never' | 'dirty') => void (this.submitMode = mode),
      getOptions: () => options,
      getOption: (v: number | string) => options.find((o) => o.value === v || o.text === v) ?? null,
      getText: () => options.find((o) => o.value === this.value)?.text ?? null,
      getSelectedOption: () => options.find((o) => o.value === this.value) ?? null,
      getMax: () => undefined,
      getMin: () => undefined,
      getPrecision: () => (this.column?.type === 'money' ? 2 : this.column?.type === 'wholeNumber' ? 0 : 4),
      getMaxLength: () => this.column?.maxLength,
      getUserPrivilege: () => ({ canRead: true, canUpdate: true, canCreate: true }),
      getParent: () => this.form.entityApi(),
      controls: {
        get: (i?: number | string) => {
          const c = this.form.controls.get(this.name);
          if (i === undefined) return c ? [c.api()] : [];
          return c ? c.api() : null;
        },
        forEach: (f: (c: unknown, i: number) => void) => {
          const c = this.form.controls.get(this.name);
          if (c) f(c.api(), 0);
        },
        getLength: () => (this.form.controls.has(this.name) ? 1 : 0),
      },
    };
  }
}

export class Control {
  disabled = false;
  visible = true;
  readonly notes = new Map<string, string>();
  label: string;
  constructor(
    readonly form: FormModel,
    readonly name: string,
    readonly kind: 'standard' | 'subgrid' | 'lookup' | 'optionset',
    label: string,
  ) {
    this.label = label;
  }
  api(): Record<string, unknown> {
    const changed = () => this.form.hooks.controlChanged(this.name);
    return {
      getName: () => this.name,
      getControlType: () => this.kind,
      getAttribute: () => this.form.attributes.get(this.name)?.api() ?? null,
      getDisabled: () => this.disabled,
      setDisabled: (d: boolean) => {
        this.disabled = d;
        changed();
      },
      getVisible: () => this.visible,
      setVisible: (v: boolean) => {
        this.visible = v;
        changed();
      },
      getLabel: () => this.label,
      setLabel: (l: string) => {
        this.label = l;
        changed();
      },
      setNotification: (message: string, uniqueId = 'default') => {
        this.notes.set(uniqueId, message);
        changed();
        return true;
      },
      clearNotification: (uniqueId?: string) => {
        if (uniqueId === undefined) this.notes.clear();
        else this.notes.delete(uniqueId);
        changed();
        return true;
      },
      addNotification: (n: { messages: string[]; uniqueId?: string }) => {
        this.notes.set(n.uniqueId ?? 'default', n.messages.join(' '));
        changed();
      },
      setFocus: () => document.querySelector<HTMLElement>(`[data-control="${this.name}"] input, [data-control="${this.name}"] select`)?.focus(),
      refresh: () => void this.form.hooks.refreshSubgrid(this.name),
      getParent: () => null,
    };
  }
}

export class FormModel {
  readonly attributes = new Map<string, Attribute>();
  readonly controls = new Map<string, Control>();
  readonly notifications = new Map<string, { message: string; level: Level }>();
  readonly saveHandlers: Handler[] = [];
  readonly loadHandlers: Handler[] = [];
  id: string | null;
  errors: string[] = [];

  constructor(
    readonly meta: WbMeta,
    readonly table: WbTable,
    readonly form: WbForm,
    row: Row | null,
    names: Record<string, string>,
    readonly hooks: FormHooks,
  ) {
    this.id = row ? String(row[table.primaryId]) : null;
    const columns = new Map(table.columns.map((c) => [c.name, c]));
    const fields = form.sections.flatMap((s) => s.fields);
    for (const name of [...fields, 'createdon', 'modifiedon']) {
      if (this.attributes.has(name)) continue;
      const column = columns.get(name);
      const value = !row ? null : column ? clientValue(column, row, names) : typeof row[name] === 'string' ? new Date(String(row[name])) : null;
      this.attributes.set(name, new Attribute(this, name, column, value));
    }
    for (const name of fields) {
      const column = columns.get(name);
      const control = new Control(
        this,
        name,
        column?.type === 'lookup' ? 'lookup' : column?.type === 'choice' ? 'optionset' : 'standard',
        column?.display ?? name,
      );
      // Read-only in the form XML: disabled from the start, as Dynamics renders it (a script may still enable it).
      control.disabled = form.readOnly.includes(name);
      this.controls.set(name, control);
    }
    for (const grid of form.sections.flatMap((s) => s.subgrids)) this.controls.set(grid.id, new Control(this, grid.id, 'subgrid', grid.label));
  }

  scriptError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    console.error('form script error', error);
    this.errors.push(message);
    this.setNotification(`Script error: ${message}`, 'ERROR', 'workbench-script-error');
  }

  setNotification(message: string, level: Level, id: string): boolean {
    this.notifications.set(id, { message, level });
    this.hooks.notificationsChanged();
    return true;
  }

  clearNotification(id?: string): boolean {
    if (id === undefined) this.notifications.clear();
    else this.notifications.delete(id);
    this.hooks.notificationsChanged();
    return true;
  }

  entityApi(): Record<string, unknown> {
    return {
      getId: () => (this.id ? braced(this.id) : ''),
      getEntityName: () => this.table.logicalName,
      getEntitySetName: () => this.table.entitySet,
      getPrimaryAttributeValue: () => this.attributes.get(this.table.primaryName)?.value ?? null,
      getIsDirty: () => [...this.attributes.values()].some((a) => a.isDirty()),
      getEntityReference: () => ({
        id: this.id ? braced(this.id) : '',
        entityType: this.table.logicalName,
        name: this.attributes.get(this.table.primaryName)?.value ?? '',
      }),
      addOnSave: (h: Handler) => void this.saveHandlers.push(h),
      removeOnSave: (h: Handler) => {
        const i = this.saveHandlers.indexOf(h);
        if (i >= 0) this.saveHandlers.splice(i, 1);
      },
      save: () => this.save(),
      isValid: () => this.validate() === null,
      attributes: {
        get: (n?: string) => (n === undefined ? [...this.attributes.values()].map((a) => a.api()) : (this.attributes.get(n)?.api() ?? null)),
        forEach: (f: (a: unknown, i: number) => void) => [...this.attributes.values()].forEach((a, i) => f(a.api(), i)),
      },
    };
  }

  /** formContext */
  context(): Record<string, unknown> {
    const controlsApi = {
      get: (n?: string | number) =>
        n === undefined
          ? [...this.controls.values()].map((c) => c.api())
          : typeof n === 'number'
            ? ([...this.controls.values()][n]?.api() ?? null)
            : (this.controls.get(n)?.api() ?? null),
      forEach: (f: (c: unknown, i: number) => void) => [...this.controls.values()].forEach((c, i) => f(c.api(), i)),
      getLength: () => this.controls.size,
    };
    return {
      getAttribute: (n?: string) => (n === undefined ? [...this.attributes.values()].map((a) => a.api()) : (this.attributes.get(n)?.api() ?? null)),
      getControl: (n?: string) => (n === undefined ? controlsApi.get() : (this.controls.get(n)?.api() ?? null)),
      data: {
        entity: this.entityApi(),
        refresh: async (save?: boolean) => {
          if (save) await this.save();
          if (this.id) await this.hooks.reload(this.id);
        },
        save: () => this.save(),
        getIsDirty: () => [...this.attributes.values()].some((a) => a.isDirty()),
        isValid: () => this.validate() === null,
      },
      ui: {
        getFormType: () => (this.id ? FORM_TYPE.update : FORM_TYPE.create),
        setFormNotification: (m: string, l: Level, id: string) => this.setNotification(m, l, id),
        clearFormNotification: (id?: string) => this.clearNotification(id),
        controls: controlsApi,
        close: () => history.back(),
        refreshRibbon: () => undefined,
        setFormEntityName: () => undefined,
        formSelector: { getCurrentItem: () => ({ getLabel: () => this.form.name, getId: () => this.form.name }) },
        tabs: { get: () => [], forEach: () => undefined },
      },
    };
  }

  eventContext(source: unknown, args?: unknown): Record<string, unknown> {
    const form = this.context();
    return {
      getFormContext: () => form,
      getEventSource: () => (source instanceof Attribute ? source.api() : (source ?? form)),
      getEventArgs: () => args ?? null,
      getDepth: () => 1,
      getContext: () => globalContext(this.meta),
      getSharedVariable: () => undefined,
      setSharedVariable: () => undefined,
    };
  }

  /** The first reason the form cannot be saved (control notification, missing required value). */
  validate(): string | null {
    for (const c of this.controls.values()) for (const note of c.notes.values()) return `${c.label}: ${note}`;
    for (const a of this.attributes.values()) {
      const empty = a.value === null || a.value === '' || (Array.isArray(a.value) && a.value.length === 0);
      if (a.required === 'required' && empty && this.controls.has(a.name)) return `${this.controls.get(a.name)?.label ?? a.name}: a value is required.`;
    }
    return null;
  }

  /** The Web API body of the changed columns. */
  body(): Row {
    const body: Row = {};
    for (const a of this.attributes.values()) {
      const c = a.column;
      if (!c || a.submitMode === 'never' || (!a.isDirty() && a.submitMode !== 'always')) continue;
      const v = a.value;
      if (c.type === 'lookup') {
        const ref = Array.isArray(v) ? (v[0] as LookupValue | undefined) : undefined;
        if (ref) body[`${c.navigationProperty ?? c.schemaName}@odata.bind`] = `/${c.targetSet}(${ref.id.replace(/[{}]/g, '').toLowerCase()})`;
      } else if (c.type === 'dateOnly') {
        body[c.name] = v instanceof Date ? isoOf(v) : v === null ? null : String(v);
      } else {
        body[c.name] = v;
      }
    }
    return body;
  }

  /**
   * A new record's form starting from the values passed to it ("Set column values using parameters
   * passed to a form", learn.microsoft.com/power-apps/developer/model-driven-apps/set-field-values-using-parameters-passed-form):
   * dates as their text, numbers and choices as numbers. They are changes of the new record (saved with it).
   */
  applyParameters(parameters: Readonly<Record<string, unknown>>): void {
    for (const [name, raw] of Object.entries(parameters)) {
      const attr = this.attributes.get(name);
      if (!attr || raw === null || raw === undefined) continue;
      const type = this.table.columns.find((c) => c.name === name)?.type;
      attr.value =
        type === 'dateOnly'
          ? dateOf(String(raw))
          : type === 'wholeNumber' || type === 'decimal' || type === 'money' || type === 'choice'
            ? Number(raw)
            : type === 'boolean'
              ? raw === true || raw === 'true' || raw === '1'
              : String(raw);
    }
  }

  /** Save: validation, OnSave handlers (preventDefault honoured), then POST/PATCH; plug-ins run in the org. */
  async save(): Promise<void> {
    const invalid = this.validate();
    if (invalid) {
      this.setNotification(`The form cannot be saved. ${invalid}`, 'ERROR', 'workbench-save');
      throw new Error(invalid);
    }
    let prevented = false;
    const args = {
      preventDefault: () => void (prevented = true),
      isDefaultPrevented: () => prevented,
      getSaveMode: () => 1,
      preventDefaultOnError: () => undefined,
    };
    const ctx = this.eventContext(null, args);
    for (const h of [...this.saveHandlers]) {
      try {
        h(ctx);
      } catch (e) {
        this.scriptError(e);
      }
    }
    if (prevented) throw new Error('Save was cancelled by the form script.');
    this.clearNotification('workbench-save');
    try {
      this.id = await this.hooks.persist(this.body(), this.id);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.setNotification(message, 'ERROR', 'workbench-save');
      throw e;
    }
    await this.hooks.reload(this.id);
  }
}

export function globalContext(meta: WbMeta): Record<string, unknown> {
  return {
    userSettings: {
      languageId: meta.languageId,
      userName: 'Workbench user',
      userId: '{00000000-0000-0000-0000-00000000000A}',
      securityRoles: [],
      roles: { get: () => [], forEach: () => undefined },
      getTimeZoneOffsetMinutes: () => -new Date().getTimezoneOffset(),
      dateFormattingInfo: { ShortDatePattern: 'yyyy-MM-dd' },
      isRTL: false,
    },
    organizationSettings: {
      languageId: meta.languageId,
      uniqueName: 'workbench',
      organizationId: '{00000000-0000-0000-0000-000000000001}',
      baseCurrencyId: null,
    },
    client: { getClient: () => 'Web', getFormFactor: () => 1, isOffline: () => false },
    getClientUrl: () => location.origin,
    getVersion: () => '9.2.0.0',
    getCurrentAppUrl: () => location.origin,
    getUserId: () => '{00000000-0000-0000-0000-00000000000A}',
    getUserLcid: () => meta.languageId,
  };
}

export interface Navigator {
  /** `formParameters`: column values a new record's form starts with (Xrm.Navigation.openForm's second argument). */
  openForm(options: { entityName: string; entityId?: string }, formParameters?: Record<string, unknown>): Promise<void>;
}

/** Installs `window.Xrm`. */
export function installXrm(meta: WbMeta, webApi: WebApi, nav: Navigator): void {
  const resource = (name: string, key: string): string => {
    const lcid = meta.languageId;
    const table = meta.resx[`${name}.${lcid}.resx`] ?? meta.resx[name] ?? meta.resx[`${name}.1033.resx`];
    return table?.[key] ?? '';
  };
  (window as unknown as { Xrm: unknown }).Xrm = {
    WebApi: { ...webApi, online: webApi, offline: webApi, isAvailableOffline: () => false },
    Navigation: {
      openForm: async (options: { entityName: string; entityId?: string }, formParameters?: Record<string, unknown>) => {
        await nav.openForm(options, formParameters);
        return { savedEntityReference: [] };
      },
      openAlertDialog: (s: { text: string; title?: string; confirmButtonLabel?: string }) => alertDialog(s.text, s.title, s.confirmButtonLabel),
      openConfirmDialog: (s: { text: string; title?: string; confirmButtonLabel?: string; cancelButtonLabel?: string }) =>
        confirmDialog(s.text, s.title, s.confirmButtonLabel, s.cancelButtonLabel),
      openErrorDialog: (o: { message?: string; details?: string }) => alertDialog([o.message, o.details].filter(Boolean).join('\n'), 'Error'),
      openFile: (file: { fileContent: string; fileName: string; mimeType: string }) => {
        const binary = atob(file.fileContent);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        download(file.fileName, bytes, file.mimeType);
      },
      openUrl: (url: string) => void window.open(url, '_blank', 'noopener'),
      navigateTo: async (page: { pageType: string; entityName?: string; entityId?: string }) => {
        if (page.pageType === 'entityrecord' && page.entityName)
          await nav.openForm({ entityName: page.entityName, ...(page.entityId ? { entityId: page.entityId } : {}) });
        else if (page.pageType === 'entitylist' && page.entityName) location.hash = `#/list/${page.entityName}`;
      },
    },
    Utility: {
      showProgressIndicator: (message: string) => showProgress(message),
      closeProgressIndicator: () => closeProgress(),
      getResourceString: resource,
      getGlobalContext: () => globalContext(meta),
      getEntityMetadata: async (entityName: string) => {
        const t = meta.tables.find((x) => x.logicalName === entityName);
        return {
          LogicalName: entityName,
          EntitySetName: t?.entitySet,
          PrimaryIdAttribute: t?.primaryId,
          PrimaryNameAttribute: t?.primaryName,
          DisplayName: t?.display,
        };
      },
      lookupObjects: async () => [],
      refreshParentGrid: () => undefined,
    },
    App: { addGlobalNotification: async () => '', clearGlobalNotification: async () => undefined },
  };
}
