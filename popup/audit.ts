/**
 * The audit page: a PEM chain pasted, dropped or chosen, checked by the worker, shown with the
 * popup's renderer. `data-ready="1"` after load and after each render; `data-renders` counts them.
 */
import browser from 'webextension-polyfill';
import { byId, h, replace } from './dom.js';
import { send } from './messaging.js';
import { inclusionSection, requestLogAccess, treeHeadHistory } from './inclusion.js';
import type { TabState } from '../background/messages.js';
import { renderReport, renderReportSummary } from './render-report.js';

const form = byId<HTMLFormElement>('audit-form');
const pem = byId<HTMLTextAreaElement>('pem');
const file = byId<HTMLInputElement>('file');
const dropZone = byId('drop-zone');
const checkButton = byId<HTMLButtonElement>('check');
const summary = byId('summary');
const error = byId('error');
const result = byId('result');
const actions = byId('actions');

let renders = 0;
let rawOpen = false;
/** Options' witness policy, whose witnesses the inclusion check also asks (and Chromium needs access to). */
let witnessPolicy: string | null = null;
void send({ type: 'get-settings' }).then(
  (s) => (witnessPolicy = s.witnessPolicy),
  () => undefined,
);

function rendered(): void {
  document.body.dataset.renders = String(++renders);
  document.body.dataset.ready = '1';
}

function showError(message: string): void {
  summary.hidden = true;
  error.hidden = false;
  error.textContent = message;
  replace(result);
  replace(actions);
  rendered();
}

/** A file as PEM text: PEM files as they are, a DER certificate wrapped in PEM armour. */
async function fileAsPem(f: File): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  if (text.includes('-----BEGIN')) return text;
  if (bytes[0] === 0x30) {
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    const b64 = btoa(binary).replace(/.{1,64}/g, '$&\n');
    return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`;
  }
  return text;
}

async function load(files: FileList | null | undefined): Promise<void> {
  if (!files?.length) return;
  try {
    const texts = await Promise.all([...files].map(fileAsPem));
    pem.value = texts.join('\n');
    error.hidden = true;
    pem.focus();
  } catch (e) {
    showError(`Could not read the file: ${(e as Error).message}`);
  }
}

async function check(): Promise<void> {
  const text = pem.value.trim();
  if (!text) {
    showError('Paste a PEM certificate chain first (-----BEGIN CERTIFICATE----- …), leaf first.');
    pem.focus();
    return;
  }
  checkButton.disabled = true;
  checkButton.textContent = 'Checking…';
  form.setAttribute('aria-busy', 'true');
  document.body.dataset.ready = '0';
  try {
    const answer = await send({ type: 'check-pasted-chain', pem: text }).catch((e: Error) => e);
    if (answer instanceof Error) return showError(`Not checked: ${answer.message}`);
    let audited: Record<string, unknown> | undefined;
    const view = renderReport(answer.report, {
      openOptions: () => void browser.runtime.openOptionsPage(),
      rawOpen,
      onRawToggle: (open) => (rawOpen = open),
      exportExtra: () => audited,
    });
    error.hidden = true;
    summary.hidden = false;
    renderReportSummary(summary, answer.summary);
    const checked: TabState = {
      tabId: -1,
      url: '',
      host: '',
      phase: 'done',
      report: answer.report,
      summary: answer.summary,
      updatedAt: Date.now(),
    };
    const showInclusion = (state: TabState, busy = false, problem?: string): HTMLElement | null =>
      inclusionSection(state, {
        busy,
        error: problem,
        witnessPolicy,
        onCheck: () => {
          const permission = requestLogAccess(state, witnessPolicy); // within the click: nothing awaited before it
          replace(inclusionBox, showInclusion(state, true));
          void (async () => {
            try {
              if (!(await permission)) throw new Error('Not checked: ctlens needs permission to contact the logs.');
              const inclusion = await send({ type: 'check-pasted-inclusion', pem: text });
              const logs = answer.report.scts.flatMap((s) =>
                s.logId && s.log ? [[s.logId, s.log.description] as const] : [],
              );
              const heads = await send({ type: 'get-tree-heads', logIds: logs.map(([id]) => id) });
              audited = { inclusion, treeHeads: heads.heads, splitViews: heads.splitViews };
              const history = treeHeadHistory(heads.heads, Object.fromEntries(logs), heads.splitViews);
              replace(inclusionBox, showInclusion({ ...state, inclusion }), history);
            } catch (e) {
              replace(inclusionBox, showInclusion(state, false, (e as Error).message));
            }
            rendered();
          })();
        },
      });
    const inclusionBox = h('div', { id: 'inclusion-box' });
    replace(inclusionBox, showInclusion(checked));
    replace(result, view.main, inclusionBox, view.raw);
    replace(actions, view.exportButton, view.rawButton);
    rendered();
  } catch (e) {
    showError(`The check failed: ${(e as Error).message}`);
  } finally {
    checkButton.disabled = false;
    checkButton.textContent = 'Check';
    form.removeAttribute('aria-busy');
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void check();
});
file.addEventListener('change', () => void load(file.files));
for (const type of ['dragenter', 'dragover'] as const) {
  dropZone.addEventListener(type, (event) => {
    event.preventDefault();
    dropZone.classList.add('dragging');
  });
}
dropZone.addEventListener('dragleave', (event) => {
  if (!dropZone.contains(event.relatedTarget as Node | null)) dropZone.classList.remove('dragging');
});
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('dragging');
  const files = event.dataTransfer?.files;
  if (files?.length) return void load(files);
  const text = event.dataTransfer?.getData('text/plain');
  if (text) pem.value = text;
});

// Loaded: nothing rendered yet.
document.body.dataset.renders = '0';
document.body.dataset.ready = '1';
