/** The options page: settings saved on change (set-settings), the log list's state, and privacy. */
import type { LogListInfo } from '../background/messages.js';
import type { Settings } from '../background/settings.js';
import { byId, dl, h, replace } from './dom.js';
import { day, utc } from './format.js';
import { send } from './messaging.js';
import { parseWitnessPolicy, PolicyError } from '../src/witness/policy.js';
import { logListAge } from './verdict-words.js';

const warnings = byId<HTMLInputElement>('warnings');
const exceptions = byId<HTMLUListElement>('exceptions');
const addException = byId<HTMLFormElement>('add-exception');
const exceptionHost = byId<HTMLInputElement>('exception-host');
const addExceptionButton = byId<HTMLButtonElement>('add-exception-button');
const badgePolicy = byId<HTMLSelectElement>('badge-policy');
const privateRoots = byId<HTMLInputElement>('check-private-roots');
const extraLogList = byId<HTMLTextAreaElement>('extra-log-list');
const extraLogKeys = byId<HTMLTextAreaElement>('extra-log-keys');
const saveExtraLogs = byId<HTMLButtonElement>('save-extra-logs');
const extraLogProblems = byId('extra-log-problems');
const logListInfo = byId('log-list-info');
const updateNow = byId<HTMLButtonElement>('update-now');
const updateStatus = byId('update-status');
const autoUpdate = byId<HTMLInputElement>('auto-update');
const autoInclusion = byId<HTMLInputElement>('auto-inclusion');
const fetchIssuers = byId<HTMLInputElement>('fetch-issuers');
const witnessPolicy = byId<HTMLTextAreaElement>('witness-policy');
const saveWitnessPolicy = byId<HTMLButtonElement>('save-witness-policy');
const witnessPolicyStatus = byId('witness-policy-status');
const saveStatus = byId('save-status');
const loadError = byId('load-error');

const controls: (HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLButtonElement)[] = [
  warnings,
  exceptionHost,
  addExceptionButton,
  badgePolicy,
  privateRoots,
  extraLogList,
  extraLogKeys,
  saveExtraLogs,
  updateNow,
  autoUpdate,
  autoInclusion,
  fetchIssuers,
  witnessPolicy,
  saveWitnessPolicy,
];

let settings: Settings | undefined;
/** Problems found here, before the worker sees the extra logs. */
let localKeyProblem: string | undefined;
let lastInfo: LogListInfo | undefined;

const PUBLIC_KEY = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

function showSettings(s: Settings): void {
  settings = s;
  warnings.checked = s.warnings;
  badgePolicy.value = s.badgePolicy;
  privateRoots.checked = s.checkPrivateRoots;
  autoUpdate.checked = s.autoUpdateLogList;
  autoInclusion.checked = s.autoInclusion;
  fetchIssuers.checked = s.fetchIssuers;
  if (document.activeElement !== extraLogList) extraLogList.value = s.extraLogList ?? '';
  if (document.activeElement !== extraLogKeys) extraLogKeys.value = s.extraLogKeys.join('\n');
  if (document.activeElement !== witnessPolicy) witnessPolicy.value = s.witnessPolicy ?? '';
  replace(
    exceptions,
    s.exceptions.length
      ? s.exceptions.map((host) => {
          const remove = h('button', { type: 'button', class: 'small', 'aria-label': `Remove ${host}` }, 'Remove');
          remove.addEventListener(
            'click',
            () => void save({ exceptions: s.exceptions.filter((x) => x !== host) }, `${host} removed.`, exceptionHost),
          );
          return h('li', { 'data-host': host }, h('span', { class: 'host' }, host), ' ', remove);
        })
      : h('li', { class: 'empty' }, 'None.'),
  );
}

async function save(change: Partial<Settings>, done = 'Saved.', focusAfter?: HTMLElement): Promise<boolean> {
  try {
    showSettings(await send({ type: 'set-settings', settings: change }));
    saveStatus.className = 'save-status';
    saveStatus.textContent = done;
    focusAfter?.focus();
    return true;
  } catch (e) {
    saveStatus.className = 'save-status problem';
    saveStatus.textContent = `Not saved: ${(e as Error).message}`;
    return false;
  }
}

/** The stale list in one line; "Update now" is right below it. */
const staleWarning = (ageDays: number | null): string =>
  `${logListAge(ageDays)}: verdicts that depend on it are unknown until it is updated (Update now, below).`;

function showLogListInfo(info: LogListInfo): void {
  lastInfo = info;
  const age = info.ageDays === null ? 'unknown' : `${info.ageDays} day${info.ageDays === 1 ? '' : 's'}`;
  replace(
    logListInfo,
    info.stale
      ? h('p', { class: 'notice stale-line', id: 'stale-warning', role: 'note' }, staleWarning(info.ageDays))
      : null,
    dl([
      ['Logs known', String(info.logs)],
      ['List date', info.timestamp ? utc(info.timestamp) : 'none'],
      ['Age', age],
      ['Last update', info.lastUpdate ? utc(info.lastUpdate) : 'never: using the list bundled with ctlens'],
      ['Last update error', info.lastUpdateError ? h('span', { class: 'problem-text' }, info.lastUpdateError) : null],
    ]),
    h(
      'div',
      { class: 'table-wrap', role: 'region', 'aria-labelledby': 'sources-caption', tabindex: 0 },
      h(
        'table',
        { id: 'log-list-sources' },
        h('caption', { id: 'sources-caption' }, 'Sources in use'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Source', 'Version', 'Date', 'Signed', 'Logs'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          info.sources.length
            ? info.sources.map((s) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, s.source),
                  h('td', {}, s.version ?? '—'),
                  h('td', {}, s.timestamp ? day(s.timestamp) : '—'),
                  h('td', {}, s.signed ? 'yes' : 'no'),
                  h('td', { class: 'num' }, String(s.logs)),
                ),
              )
            : h('tr', {}, h('td', { colspan: 5 }, 'No log list.')),
        ),
      ),
    ),
  );
  showProblems();
}

function showProblems(): void {
  const problems = [...(localKeyProblem ? [localKeyProblem] : []), ...(lastInfo?.extraLogProblems ?? [])];
  replace(
    extraLogProblems,
    problems.length
      ? [
          h('h3', { id: 'problems-h' }, 'Problems with the extra logs'),
          h(
            'ul',
            { class: 'problems', 'aria-labelledby': 'problems-h' },
            problems.map((p) => h('li', {}, p)),
          ),
        ]
      : null,
  );
}

async function refreshLogListInfo(): Promise<void> {
  try {
    showLogListInfo(await send({ type: 'get-log-list-info' }));
  } catch (e) {
    replace(
      logListInfo,
      h('p', { class: 'problem', role: 'alert' }, `Could not read the log list's state: ${(e as Error).message}`),
    );
  }
}

async function saveExtra(): Promise<void> {
  const text = extraLogKeys.value;
  const keys = text.match(PUBLIC_KEY) ?? [];
  localKeyProblem = text.replace(PUBLIC_KEY, '').trim()
    ? 'Only "-----BEGIN PUBLIC KEY-----" blocks are kept: the other text in the keys field was ignored ' +
      `(${keys.length} key${keys.length === 1 ? '' : 's'} kept).`
    : undefined;
  const list = extraLogList.value.trim() ? extraLogList.value : null;
  if (list === (settings?.extraLogList ?? null) && keys.join('\n') === settings?.extraLogKeys.join('\n')) {
    showProblems();
    return;
  }
  if (await save({ extraLogList: list, extraLogKeys: keys }, 'Extra logs saved.')) {
    extraLogKeys.value = settings?.extraLogKeys.join('\n') ?? '';
    await refreshLogListInfo();
  } else showProblems();
}

/** The witness policy is checked here (parseWitnessPolicy names the line) and saved only when it parses. */
async function saveWitnesses(): Promise<void> {
  const text = witnessPolicy.value.trim() ? witnessPolicy.value : null;
  if (text !== null) {
    try {
      const policy = parseWitnessPolicy(text);
      witnessPolicyStatus.className = '';
      const count = policy.witnesses.length;
      witnessPolicyStatus.textContent = `${count} witness${count === 1 ? '' : 'es'}.`;
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      witnessPolicyStatus.className = 'problem-text';
      witnessPolicyStatus.textContent = `Not saved: ${e.message}`;
      return;
    }
  } else {
    witnessPolicyStatus.textContent = 'No witness policy.';
  }
  if (text !== (settings?.witnessPolicy ?? null)) await save({ witnessPolicy: text }, 'Witness policy saved.');
}

function normalizeHost(input: string): string {
  const text = input.trim().toLowerCase();
  if (!text) return '';
  try {
    return new URL(text.includes('://') ? text : `https://${text}`).host;
  } catch {
    return text;
  }
}

warnings.addEventListener('change', () => void save({ warnings: warnings.checked }));
badgePolicy.addEventListener('change', () => void save({ badgePolicy: badgePolicy.value as Settings['badgePolicy'] }));
privateRoots.addEventListener('change', () => void save({ checkPrivateRoots: privateRoots.checked }));
autoUpdate.addEventListener('change', () => void save({ autoUpdateLogList: autoUpdate.checked }));
autoInclusion.addEventListener('change', () => void save({ autoInclusion: autoInclusion.checked }));
fetchIssuers.addEventListener('change', () => void save({ fetchIssuers: fetchIssuers.checked }));
extraLogList.addEventListener('change', () => void saveExtra());
extraLogKeys.addEventListener('change', () => void saveExtra());
saveExtraLogs.addEventListener('click', () => void saveExtra());
witnessPolicy.addEventListener('change', () => void saveWitnesses());
saveWitnessPolicy.addEventListener('click', () => void saveWitnesses());
addException.addEventListener('submit', (event) => {
  event.preventDefault();
  const host = normalizeHost(exceptionHost.value);
  if (!host || !settings) return;
  void save({ exceptions: [...new Set([...settings.exceptions, host])] }, `${host} added.`).then((ok) => {
    if (ok) exceptionHost.value = '';
  });
});
updateNow.addEventListener('click', () => {
  const before = lastInfo?.lastUpdate ?? null;
  updateNow.disabled = true;
  updateNow.setAttribute('aria-busy', 'true');
  updateStatus.textContent = 'Updating…';
  send({ type: 'update-log-list' })
    .then(
      (info) => {
        showLogListInfo(info);
        updateStatus.textContent =
          info.lastUpdate !== before
            ? 'Updated.'
            : info.lastUpdateError
              ? `The update failed: ${info.lastUpdateError}`
              : 'No newer list.';
      },
      (e: unknown) => {
        updateStatus.textContent = `The update failed: ${e instanceof Error ? e.message : String(e)}`;
      },
    )
    .finally(() => {
      updateNow.disabled = false;
      updateNow.removeAttribute('aria-busy');
    });
});

async function main(): Promise<void> {
  try {
    showSettings(await send({ type: 'get-settings' }));
    for (const control of controls) control.disabled = false;
  } catch (e) {
    loadError.hidden = false;
    loadError.textContent = `Could not load the settings: ${(e as Error).message}`;
  }
  await refreshLogListInfo();
  document.body.dataset.ready = '1';
}

void main();
