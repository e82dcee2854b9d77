/** Small DOM helpers: elements, modal dialogs and the progress indicator. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string | null | undefined>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

function modal(content: HTMLElement): { close(): void } {
  const overlay = h('div', { class: 'overlay' }, content);
  document.body.append(overlay);
  return { close: () => overlay.remove() };
}

export function alertDialog(text: string, title = '', confirmLabel = 'OK'): Promise<void> {
  return new Promise((resolve) => {
    const ok = h('button', { class: 'primary', 'data-testid': 'dialog-ok' }, confirmLabel);
    const m = modal(
      h(
        'div',
        { class: 'dialog', role: 'alertdialog', 'data-testid': 'alert-dialog' },
        title ? h('h3', {}, title) : null,
        h('p', {}, text),
        h('div', { class: 'buttons' }, ok),
      ),
    );
    ok.onclick = () => {
      m.close();
      resolve();
    };
    ok.focus();
  });
}

export function confirmDialog(text: string, title = '', confirmLabel = 'OK', cancelLabel = 'Cancel'): Promise<{ confirmed: boolean }> {
  return new Promise((resolve) => {
    const ok = h('button', { class: 'primary', 'data-testid': 'dialog-ok' }, confirmLabel);
    const cancel = h('button', { 'data-testid': 'dialog-cancel' }, cancelLabel);
    const m = modal(
      h(
        'div',
        { class: 'dialog', role: 'dialog', 'data-testid': 'confirm-dialog' },
        title ? h('h3', {}, title) : null,
        h('p', {}, text),
        h('div', { class: 'buttons' }, cancel, ok),
      ),
    );
    ok.onclick = () => {
      m.close();
      resolve({ confirmed: true });
    };
    cancel.onclick = () => {
      m.close();
      resolve({ confirmed: false });
    };
  });
}

let progress: { close(): void; text: HTMLElement } | null = null;

export function showProgress(message: string): void {
  if (progress) {
    progress.text.textContent = message;
    return;
  }
  const text = h('span', { 'data-testid': 'progress-text' }, message);
  const m = modal(h('div', { class: 'progress', role: 'progressbar', 'data-testid': 'progress-indicator' }, h('div', { class: 'spinner' }), text));
  progress = { close: m.close, text };
}

export function closeProgress(): void {
  progress?.close();
  progress = null;
}

export function download(fileName: string, bytes: Uint8Array, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([bytes as unknown as BlobPart], { type: mimeType }));
  const a = h('a', { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Formats a column value for display. */
export function formatNumber(value: number, decimals?: number): string {
  return value.toLocaleString(
    'en-US',
    decimals === undefined ? { maximumFractionDigits: 4 } : { minimumFractionDigits: decimals, maximumFractionDigits: decimals },
  );
}
