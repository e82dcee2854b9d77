import * as React from 'react';
import { Stack } from '@fluentui/react/lib/Stack';
import { Text } from '@fluentui/react/lib/Text';
import { PrimaryButton, DefaultButton } from '@fluentui/react/lib/Button';
import { ProgressIndicator } from '@fluentui/react/lib/ProgressIndicator';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import type { ImportResult } from '../../../core/src/import';
import { addDays, formatIso } from '../../../core/src/calendar';
import { ImportCancelled, type CancelToken } from '../model/parse';
import { DuplicateImport, writeImport } from '../../../dataverse/src/imports/write-import';
import type { DataverseClient } from '../../../dataverse/src/client/types';

export type Strings = (key: string) => string;
/** Parses a file (in a worker, or on the main thread in slices); reports progress; honours cancel. */
export type Parser = (file: File, onProgress: (done: number, total: number) => void, token: CancelToken) => Promise<ImportResult>;

export interface BillingImportProps {
  readonly strings: Strings;
  readonly parse: Parser;
  /** Which parser runs ("worker" or "main thread"), shown for transparency. */
  readonly parserKind: string;
  /** Null when the host has no Web API (the harness): parsing works, writing is off. */
  /** Where the import is written; null where the host has no Web API (the test harness). */
  readonly client: DataverseClient | null;
  /** Lines per UpsertMultiple request (default BATCH_SIZE, 500). */
  readonly batchSize?: number;
  readonly importRecordId: string | null;
  readonly disabled?: boolean;
  readonly onFileName?: (name: string) => void;
  /**
   * The import is written: the control opens its saved record (status, counts, format and hash
   * filled, Run reconciliation available) instead of leaving an unsaved-looking new form.
   */
  readonly onWritten?: (importId: string) => void;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'parsing'; done: number; total: number }
  | { kind: 'parsed' }
  | { kind: 'writing'; done: number; total: number }
  | { kind: 'written'; count: number; alreadyThere: number }
  | { kind: 'error'; text: string };

const ACCEPT = '.csv,.tsv,.txt,.xlsx,.json';

export function BillingImportView(props: BillingImportProps): React.ReactElement {
  const s = props.strings;
  const [phase, setPhase] = React.useState<Phase>({ kind: 'idle' });
  const [result, setResult] = React.useState<ImportResult | null>(null);
  const [dragging, setDragging] = React.useState(false);
  const token = React.useRef<{ cancelled: boolean }>({ cancelled: false });
  const input = React.useRef<HTMLInputElement>(null);
  /** The import record an earlier attempt wrote this file (by content hash) to: a retry goes on there. */
  const attempt = React.useRef<{ id: string; hash: string } | null>(null);
  const busy = phase.kind === 'parsing' || phase.kind === 'writing';
  const parser = s(props.parserKind === 'worker' ? 'Parser_Worker' : 'Parser_MainThread');

  const start = async (file: File): Promise<void> => {
    token.current = { cancelled: false };
    setResult(null);
    setPhase({ kind: 'parsing', done: 0, total: file.size });
    try {
      const parsed = await props.parse(file, (done, total) => setPhase({ kind: 'parsing', done, total }), token.current);
      setResult(parsed);
      setPhase({ kind: 'parsed' });
      props.onFileName?.(file.name);
    } catch (error) {
      setPhase(error instanceof ImportCancelled ? { kind: 'idle' } : { kind: 'error', text: (error as Error).message });
    }
  };

  const write = async (): Promise<void> => {
    if (!result || !props.client) return;
    token.current = { cancelled: false };
    setPhase({ kind: 'writing', done: 0, total: result.lines.length + result.usage.length });
    try {
      // A retry after a cancel or a failure goes on with the import record the first attempt created or updated.
      const onProgress = (done: number, total: number): void => setPhase({ kind: 'writing', done, total });
      const hash = result.summary.contentHash;
      const earlier = attempt.current?.hash === hash ? attempt.current.id : null;
      const { importId, written, alreadyThere } = await writeImport(
        props.client,
        result,
        earlier ?? props.importRecordId,
        onProgress,
        token.current,
        (id) => (attempt.current = { id, hash }),
        props.batchSize ? { batchSize: props.batchSize } : {},
      );
      setPhase({ kind: 'written', count: written, alreadyThere });
      props.onWritten?.(importId);
    } catch (error) {
      if (error instanceof ImportCancelled) setPhase({ kind: 'parsed' });
      else if (error instanceof DuplicateImport) setPhase({ kind: 'error', text: s('Duplicate').replace('{0}', error.existingId) });
      else setPhase({ kind: 'error', text: (error as Error).message });
    }
  };

  const summary = result?.summary;
  const canWrite = !!result && !!props.client && !summary?.failed && !busy && phase.kind !== 'written';
  return (
    <Stack tokens={{ childrenGap: 8 }} styles={{ root: { width: '100%' } }}>
      <div
        role="button"
        tabIndex={0}
        // Named by its visible text (WCAG 2.5.3: the spoken name contains what is shown).
        aria-disabled={busy || props.disabled}
        data-testid="drop-zone"
        onClick={() => !busy && input.current?.click()}
        onKeyDown={(e) => {
          if ((e.key === 'Enter' || e.key === ' ') && !busy) {
            e.preventDefault();
            input.current?.click();
          }
        }}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer.files[0];
          if (file && !busy) void start(file);
        }}
        style={{ border: `2px dashed ${dragging ? '#0078d4' : '#c8c6c4'}`, borderRadius: 4, padding: 16, textAlign: 'center', cursor: 'pointer' }}
      >
        <Text>{s('Drop_Text')}</Text>
        <input
          ref={input}
          type="file"
          accept={ACCEPT}
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void start(file);
            e.target.value = '';
          }}
        />
      </div>
      {phase.kind === 'parsing' || phase.kind === 'writing' ? (
        <Stack horizontal verticalAlign="center" tokens={{ childrenGap: 8 }}>
          <ProgressIndicator
            styles={{ root: { flexGrow: 1 } }}
            label={phase.kind === 'parsing' ? s('Parsing').replace('{0}', parser) : s('Writing')}
            description={`${phase.done.toLocaleString()} / ${phase.total.toLocaleString()}`}
            percentComplete={phase.total ? phase.done / phase.total : undefined}
            data-testid="progress"
          />
          <DefaultButton text={s('Cancel')} onClick={() => (token.current.cancelled = true)} data-testid="cancel" />
        </Stack>
      ) : null}
      {phase.kind === 'error' ? (
        <MessageBar messageBarType={MessageBarType.error}>
          <span data-testid="import-error">{phase.text}</span>
        </MessageBar>
      ) : null}
      {summary ? (
        <Stack tokens={{ childrenGap: 4 }} data-testid="summary" role="region" aria-label={s('Summary_Label')}>
          <Text variant="mediumPlus" data-testid="summary-format">{`${s('Format')}: ${summary.formatLabel ?? s('Unknown_Format')}`}</Text>
          <Text data-testid="summary-period">{`${s('Period')}: ${summary.period ? `${formatIso(summary.period.start)} – ${formatIso(addDays(summary.period.end, -1))}` : '—'}`}</Text>
          <Text data-testid="summary-total">{`${s('Total')}: ${summary.total.toFixed(2)} ${summary.currencies.join(', ')}`}</Text>
          <Text data-testid="summary-rows">
            {s('Rows')
              .replace('{0}', String(summary.rowsRead))
              .replace('{1}', String(summary.rowsAccepted))
              .replace('{2}', String(summary.rowsRejected))
              .replace('{3}', String(summary.lineCount))}
          </Text>
          {summary.rowsRejected > 0 ? (
            <MessageBar messageBarType={MessageBarType.warning} data-testid="summary-rejected">
              {s('Rejected_Money')
                .replace(
                  '{0}',
                  Object.entries(summary.rejectedAmounts)
                    .map(([currency, amount]) => `${amount.toFixed(2)} ${currency}`.trim())
                    .join(', ') || '0.00',
                )
                .replace('{1}', String(summary.rejectedWithoutAmount))}
            </MessageBar>
          ) : null}
          <Text data-testid="summary-hash" variant="small">{`SHA-256 ${summary.contentHash}`}</Text>
          <Text variant="small" data-testid="summary-parser">
            {s('Parsed_By').replace('{0}', parser)}
          </Text>
        </Stack>
      ) : null}
      {result && result.errors.length > 0 ? (
        <table data-testid="errors" aria-label={s('Errors_Label')} style={{ borderCollapse: 'collapse', fontSize: 12 }}>
          <thead>
            <tr>
              <th scope="col" style={{ textAlign: 'left' }}>
                {s('Err_Row')}
              </th>
              <th scope="col" style={{ textAlign: 'left' }}>
                {s('Err_Column')}
              </th>
              <th scope="col" style={{ textAlign: 'left' }}>
                {s('Err_Value')}
              </th>
              <th scope="col" style={{ textAlign: 'left' }}>
                {s('Err_Reason')}
              </th>
            </tr>
          </thead>
          <tbody>
            {result.errors.slice(0, 100).map((e, i) => (
              <tr key={i}>
                <td>{e.row ?? ''}</td>
                <td>{e.column ?? ''}</td>
                <td>{e.rawValue ?? ''}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {result ? (
        <Stack horizontal tokens={{ childrenGap: 8 }} verticalAlign="center">
          <PrimaryButton
            text={s('Create_Lines').replace('{0}', String(result.lines.length + result.usage.length))}
            disabled={!canWrite}
            onClick={() => void write()}
            data-testid="create-lines"
          />
          {!props.client ? (
            <Text variant="small" data-testid="write-unavailable">
              {s('Write_Unavailable')}
            </Text>
          ) : null}
          {phase.kind === 'written' ? (
            <Text data-testid="written">
              {(phase.alreadyThere ? s('Written_Resumed').replace('{1}', String(phase.alreadyThere)) : s('Written')).replace('{0}', String(phase.count))}
            </Text>
          ) : null}
        </Stack>
      ) : null}
    </Stack>
  );
}
