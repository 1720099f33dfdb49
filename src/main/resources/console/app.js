// AppMetrica loader admin console: a page over the REST API under ../api/ (same in the standalone console and the WAR).
// No build step, no libraries. Every value from the server goes into the page as text (textContent), never as HTML.
'use strict';

const $ = (sel) => document.querySelector(sel);
const REFRESH_MS = 1500;
const state = { selected: null, catalog: null, session: null, timer: null, busy: false, maxRowsSeen: {}, editing: null,
  coverageShown: false, coverageCycle: 0 };

// ------------------------------------------------------------------ API

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, method = 'GET', body = undefined) {
  const headers = { 'X-Requested-With': 'appmetrica-console', 'Accept': 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body === undefined ? {} : body);
  }
  const response = await fetch(new URL('../api/' + path, location.href), init);
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) {
    throw new ApiError(response.status, (data && data.message) || (response.status + ' ' + response.statusText));
  }
  return data;
}

// ------------------------------------------------------------------ DOM helpers

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const fmt = new Intl.NumberFormat('en-US');
const num = (n) => (n === null || n === undefined) ? '' : fmt.format(n);

function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function duration(ms) {
  if (ms === null || ms === undefined || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return (ms < 10000 ? (ms / 1000).toFixed(1) : s) + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

function span(iso1, iso2) {
  if (!iso1) return null;
  return (iso2 ? new Date(iso2) : new Date()) - new Date(iso1);
}

function bytes(n) {
  if (!n) return '0';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

function bar(fraction, label, cls = '') {
  const fill = el('span');
  fill.style.width = Math.max(0, Math.min(100, fraction * 100)).toFixed(1) + '%';
  return el('div', { class: 'bar ' + cls, role: 'progressbar', 'aria-valuenow': Math.round(fraction * 100), 'aria-valuemin': 0, 'aria-valuemax': 100 },
    fill, el('em', { text: label }));
}

function badge(status) {
  return el('span', { class: 'badge ' + status, text: status });
}

function notice(text, bad = false) {
  const n = $('#notice');
  n.textContent = text;
  n.className = 'notice' + (bad ? ' bad' : '');
  n.hidden = !text;
}

// ------------------------------------------------------------------ confirmation dialog

// options: overrides (a KEY=VALUE box), items (a list of sentences, each {text, kind}), check (the label of a check box),
// ok (the label of the OK button). Resolves to null (cancelled) or { overrides, checked }.
function confirmAction(title, text, options = {}) {
  const dialog = $('#confirm');
  $('#confirm-title').textContent = title;
  $('#confirm-text').textContent = text;
  $('#confirm-overrides-label').hidden = !options.overrides;
  $('#confirm-overrides').value = '';
  const items = options.items || [];
  $('#confirm-list').replaceChildren(...items.map((i) => el('li', { 'data-kind': i.kind, text: i.text })));
  $('#confirm-list').hidden = items.length === 0;
  $('#confirm-check-label').hidden = !options.check;
  $('#confirm-check-text').textContent = options.check || '';
  $('#confirm-check').checked = false;
  $('#confirm-ok').textContent = options.ok || 'OK';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok' ? { overrides: $('#confirm-overrides').value, checked: $('#confirm-check').checked } : null);
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

function keyValueLines(text) {
  const result = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`'${line}' is not KEY=VALUE`);
    result[line.substring(0, eq).trim()] = line.substring(eq + 1).trim();
  }
  return result;
}

async function act(action, id) {
  const texts = {
    stop: ['Stop execution ' + id + '?', 'It stops at its next checkpoint and ends STOPPED; it can be restarted later.'],
    restart: ['Restart execution ' + id + '?', 'It continues from its checkpoints with the parameters it ran with; completed slices are skipped.'],
    abandon: ['Abandon execution ' + id + '?', 'It is marked ABANDONED and can never be restarted.'],
  };
  const answer = await confirmAction(texts[action][0], texts[action][1], { overrides: action === 'restart' });
  if (!answer) return;
  try {
    if (action === 'restart') {
      const e = await api(`executions/${id}/restart`, 'POST', { parameters: keyValueLines(answer.overrides) });
      notice(`Execution ${id} restarted as execution ${e.id}.`);
      state.selected = e.id;
    } else {
      await api(`executions/${id}/${action}`, 'POST', {});
      notice(action === 'stop' ? `Execution ${id} is asked to stop at its next checkpoint.` : `Execution ${id} abandoned.`);
    }
  } catch (e) {
    notice(`${action} ${id}: ${e.message}`, true);
  }
  refresh();
}

function actionButtons(actions, id) {
  return el('div', { class: 'actions' }, (actions || []).map((a) =>
    el('button', {
      type: 'button', class: a === 'restart' ? 'primary' : 'danger', 'data-action': a, 'data-id': id, text: a,
      onclick: (ev) => { ev.stopPropagation(); act(a, id); },
    })));
}

// ------------------------------------------------------------------ executions table

function describe(p) {
  const parts = [];
  if (p.applicationIds) parts.push(p.applicationIds);
  if (p.sources) parts.push(p.sources);
  if (p.dateSince) parts.push(p.dateSince === p.dateUntil ? p.dateSince : `${p.dateSince} … ${p.dateUntil || ''}`);
  return parts.join(' · ');
}

function progressCell(e) {
  const p = e.progress;
  if (!p) return '';
  const total = Math.max(p.planned, p.slices, 1);
  const done = e.status === 'COMPLETED' ? total : p.completed + p.earlier;
  const cls = e.status === 'COMPLETED' ? 'done' : e.status === 'FAILED' ? 'failed' : e.status === 'STOPPED' ? 'stopped' : '';
  return el('div', {}, bar(done / total, `${done}/${total} slices`, cls),
    el('div', { class: 'muted', text: `${num(p.rows)} rows` + (p.failed ? ` · ${p.failed} failed` : '') }));
}

// the whole execution in one bar, with the CLI's progress figures: slices done of all, rows, bytes, rate, time left
function executionBar(e) {
  const p = e.progress;
  const total = Math.max(p.planned, p.slices + p.earlier, 1);
  const done = e.status === 'COMPLETED' ? total : p.completed + p.earlier;
  const ms = Math.max(1000, span(e.started, e.ended) || 0);
  const figures = [`${done}/${total} slices`, `${num(p.rows)} rows`, bytes(p.bytes), `${num(Math.round(p.rows / (ms / 1000)))} rows/s`];
  const running = e.status === 'STARTED' || e.status === 'STARTING';
  if (running && p.completed > 0 && done < total) figures.push(`about ${duration(ms * (total - done) / p.completed)} left`);
  if (p.failed) figures.push(`${p.failed} failed`);
  if (e.status === 'STOPPED') figures.push(`stopped: ${Math.max(0, total - done)} slices left for a restart`);
  const cls = e.status === 'COMPLETED' ? 'done' : e.status === 'FAILED' ? 'failed' : e.status === 'STOPPED' ? 'stopped' : 'busy';
  return [bar(done / total, `${Math.round((done / total) * 100)}% · ${done}/${total} slices`, cls),
    el('div', { class: 'muted figures', 'data-figures': '', text: figures.join(' · ') })];
}

function renderExecutions(list) {
  const body = $('#executions tbody');
  const rows = list.map((e) => {
    const tr = el('tr', { 'data-id': e.id, 'data-status': e.status, class: e.id === state.selected ? 'selected' : '' },
      el('td', { class: 'num', text: e.id }),
      el('td', { class: 'status' }, badge(e.status)),
      el('td', { class: 'progress' }, progressCell(e)),
      el('td', { text: describe(e.parameters || {}) }),
      el('td', { class: 'nowrap', text: time(e.started) }),
      el('td', { class: 'nowrap', text: duration(span(e.started, e.ended)) }),
      el('td', { class: 'exit', title: e.failure || e.exitStatus || '', text: e.exitStatus || '' }),
      el('td', {}, actionButtons(e.actions, e.id)));
    tr.addEventListener('click', () => { state.selected = e.id; refresh(); });
    return tr;
  });
  body.replaceChildren(...rows);
  $('#no-executions').hidden = list.length > 0;
}

// ------------------------------------------------------------------ execution detail

function fact(name, value) {
  return el('div', {}, el('dt', { text: name }), el('dd', {}, value));
}

function apiCell(p) {
  const s = p.apiState;
  if (p.status === 'FAILED') return bar(1, 'failed', 'failed');
  if (!s) return bar(0, p.status === 'COMPLETED' ? 'done' : 'pending');
  if (s === 'loading' || s === 'published') return bar(1, s === 'published' ? '100% · published' : '100% · downloaded', 'done');
  if (s === 'queued') return bar(Math.max(0, p.apiProgress) / 100, p.apiProgress >= 0 ? `queued ${p.apiProgress}%` : 'queued');
  return bar(0, s);
}

function rowsCell(p, maxRows) {
  const done = p.status === 'COMPLETED';
  const cls = done ? 'done' : p.status === 'FAILED' ? 'failed' : (p.apiState === 'loading' ? 'busy' : '');
  const fraction = done ? 1 : maxRows > 0 ? p.rowsWritten / maxRows : 0;
  return bar(fraction, num(p.rowsWritten), cls);
}

function renderDetail(d) {
  const e = d.execution;
  $('#detail').hidden = false;
  $('#detail-title').replaceChildren(`Execution ${e.id} `, el('span', { class: 'muted', text: e.job }), ' ', badge(e.status));
  $('#detail-actions').replaceChildren(actionButtons(e.actions, e.id));
  $('#detail-facts').replaceChildren(
    fact('exit status', e.failure ? 'FAILED (the reason is below)' : (e.exitStatus || '')),
    fact('created', time(e.created)),
    fact('started', time(e.started)),
    fact('ended', time(e.ended)),
    fact('duration', duration(span(e.started, e.ended))),
    fact('restart of', e.restartOf ? String(e.restartOf) : '—'),
    fact('rows', e.progress ? num(e.progress.rows) : ''),
    fact('bytes', e.progress ? bytes(e.progress.bytes) : ''));
  $('#detail-failure-box').hidden = !e.failure;
  $('#detail-failure').textContent = e.failure || '';

  const load = d.steps.find((s) => s.partitions && s.partitions.length) || d.steps.find((s) => s.name === 'load-slices');
  const partitions = load ? load.partitions : [];
  const maxRows = Math.max(state.maxRowsSeen[e.id] || 0, ...partitions.map((p) => p.rowsWritten));
  state.maxRowsSeen[e.id] = maxRows;
  const p = e.progress;
  const notStarted = p ? Math.max(0, p.planned - p.earlier - p.slices) : 0;
  $('#execution-progress').replaceChildren(...(p ? executionBar(e) : []));
  $('#slices-summary').textContent = p ? `${p.completed} of ${p.slices} in this execution completed` +
    (p.earlier ? ` (${p.earlier} completed by earlier executions)` : '') +
    (p.running ? `, ${p.running} running` : '') + (p.failed ? `, ${p.failed} failed` : '') +
    (notStarted ? `, ${notStarted} not started` : '') : '';
  $('#partitions tbody').replaceChildren(...partitions.map((x) => el('tr', { 'data-partition': x.partition, 'data-status': x.status },
    el('td', { class: 'num', text: x.partition }),
    el('td', { text: x.application ?? '' }),
    el('td', { text: x.source ?? '' }),
    el('td', { class: 'nowrap', text: x.day ?? '—' }),
    el('td', {}, badge(x.status)),
    el('td', { text: x.apiState ?? '' }),
    el('td', {}, apiCell(x)),
    el('td', {}, rowsCell(x, maxRows)),
    el('td', { class: 'num', text: `${num(x.rowsRead)} / ${num(x.rowsWritten)} / ${num(x.rowsSkipped)}`, title: x.metricsLive ? 'live metrics' : 'from the job repository' }),
    el('td', { class: 'num', text: bytes(x.bytes) }),
    el('td', { class: 'num', text: duration(x.durationMillis) }),
    el('td', { class: x.lastError ? 'error' : 'muted', text: x.lastError || x.message || '' }))));
  if (load && load.partitionsNote) {
    $('#partitions tbody').append(el('tr', {}, el('td', { colspan: 12, class: 'muted', text: load.partitionsNote })));
  }
  $('#steps tbody').replaceChildren(...d.steps.map((s) => el('tr', {},
    el('td', { text: s.name }), el('td', {}, badge(s.status)), el('td', { class: 'num', text: num(s.read) }),
    el('td', { class: 'num', text: num(s.written) }), el('td', { class: 'num', text: num(s.commits) }),
    el('td', { class: 'num', text: num(s.rollbacks) }), el('td', { class: 'num', text: duration(s.durationMillis) }),
    el('td', { class: 'exit', title: s.exitStatus || '', text: s.exitStatus || '' }))));
  $('#parameters tbody').replaceChildren(...Object.entries(e.parameters || {}).map(([k, v]) =>
    el('tr', {}, el('td', { text: k }), el('td', { text: v }))));
}

// ------------------------------------------------------------------ connections

const CONNECTION_STATES = { 'new': 'new', loading: 'loading', 'up-to-date': 'up to date', failed: 'failed', stopped: 'stopped', paused: 'paused' };

function connectionState(c) {
  const box = el('div', {}, el('span', { class: 'badge ' + c.state, text: CONNECTION_STATES[c.state] || c.state }));
  const p = c.progress;
  if (c.state === 'loading' && p && p.slicesTotal > 0) {
    box.append(bar(p.slicesDone / p.slicesTotal, `${p.slicesDone}/${p.slicesTotal} slices`));
  }
  if (c.state === 'failed' && c.reason) box.append(el('div', { class: 'error reason', text: c.reason }));
  if (c.state === 'stopped' && c.reason) box.append(el('div', { class: 'reason stopped', text: c.reason }));
  return box;
}

function lastRun(r) {
  if (!r) return '—';
  return el('span', {}, el('button', {
    type: 'button', class: 'link', title: 'show the execution', text: '#' + r.executionId,
    onclick: () => { state.selected = r.executionId; refresh(); $('#detail').scrollIntoView(); },
  }), ' ', badge(r.status || ''), r.ended ? ' ' + time(r.ended) : '');
}

async function connectionAction(c, action) {
  const name = c.name;
  const path = `connections/${encodeURIComponent(name)}`;
  try {
    if (action === 'delete') {
      const answer = await confirmAction(`Delete connection ${name}?`, 'It stops loading and is removed; a running execution is stopped.',
        { check: `also drop the data it loaded (database ${(c.target && c.target.database) || ''})`, ok: 'Delete' });
      if (!answer) return;
      const r = await api(`${path}?dropData=${answer.checked}`, 'DELETE');
      notice(`Connection ${r.deleted} deleted` + (r.dataDropped ? ', its data dropped.' : '; its data stays in ClickHouse.'));
      if (state.editing === name) closeConnectionForm();
    } else if (action === 'pause') {
      await api(`${path}/pause`, 'POST', {});
      notice(`Connection ${name} paused: no runs start until it is resumed.`);
    } else if (action === 'resume') {
      await api(`${path}/resume`, 'POST', {});
      notice(`Connection ${name} resumed.`);
    } else if (action === 'run') {
      await api(`${path}/run`, 'POST', {});
      notice(`Connection ${name}: a run starts now.`);
    }
  } catch (e) {
    notice(`${action} ${name}: ${e.message}`, true);
  }
  refresh();
}

function connectionButtons(c) {
  const button = (action, text, cls = '') => el('button', {
    type: 'button', class: cls, 'data-action': action, text,
    onclick: () => (action === 'edit' ? editConnection(c.name) : connectionAction(c, action)),
  });
  return el('div', { class: 'actions' },
    button('edit', 'edit'),
    c.state === 'paused' ? button('resume', 'resume', 'primary') : button('pause', 'pause'),
    button('run', 'run now'),
    button('delete', 'delete', 'danger'));
}

function renderConnections(list) {
  $('#connections tbody').replaceChildren(...list.map((c) => el('tr', { 'data-name': c.name, 'data-state': c.state },
    el('td', { text: c.name }),
    el('td', { class: 'reason' }, connectionState(c)),
    el('td', { text: [(c.applications || []).join(','), Object.keys(c.sources || {}).join(','), c.regularity].join(' · ') }),
    el('td', { class: 'nowrap covers', text: c.covers ? `${c.covers.from} … ${c.covers.to}` : '—' }),
    el('td', { class: 'nowrap' }, lastRun(c.lastRun)),
    el('td', { class: 'nowrap next-run', text: c.nextRun ? time(c.nextRun) : '—' }),
    el('td', {}, connectionButtons(c)))));
  $('#no-connections').hidden = list.length > 0;
}

// ------------------------------------------------------------------ connection form

function appIds(text) {
  return text.split(/[\s,;]+/).filter((x) => x !== '');
}

function showRegularFields() {
  $('#c-regular-fields').hidden = !$('#c-regular').checked;
}

function syncPicker() {
  const ids = new Set(appIds($('#c-apps').value));
  $('#c-apps-picker').querySelectorAll('input').forEach((i) => { i.checked = ids.has(i.value); });
}

function pickApplication(ev) {
  const ids = appIds($('#c-apps').value).filter((id) => id !== ev.target.value);
  if (ev.target.checked) ids.push(ev.target.value);
  $('#c-apps').value = ids.join(',');
}

function sourceOptionLines(sources) {
  const lines = [];
  for (const [name, s] of Object.entries(sources || {})) {
    if (s && s.fields && s.fields.length) lines.push(`${name}.fields=${s.fields.join(',')}`);
    for (const [k, v] of Object.entries((s && s.filters) || {})) lines.push(`${name}.filters.${k}=${v}`);
  }
  return lines.join('\n');
}

function sourcesFromForm() {
  const sources = {};
  for (const i of document.querySelectorAll('#c-sources input:checked')) sources[i.value] = {};
  for (const [key, value] of Object.entries(keyValueLines($('#c-source-options').value))) {
    const m = /^([a-z_]+)\.(fields|filters\.(.+))$/.exec(key);
    if (!m) throw new Error(`'${key}': write SOURCE.fields=… or SOURCE.filters.FIELD=…`);
    if (!sources[m[1]]) throw new Error(`'${key}': the source ${m[1]} is not ticked`);
    if (m[2] === 'fields') sources[m[1]].fields = value.split(',').map((f) => f.trim()).filter((f) => f);
    else (sources[m[1]].filters = sources[m[1]].filters || {})[m[3]] = value;
  }
  return sources;
}

function connectionFromForm() {
  const c = {
    name: $('#c-name').value.trim(),
    applications: appIds($('#c-apps').value).map((id) => {
      if (!/^\d+$/.test(id)) throw new Error(`'${id}' is not an application id`);
      return Number(id);
    }),
    sources: sourcesFromForm(),
    dateDimension: $('#c-dimension').value,
    format: $('#c-format').value,
    loadFrom: $('#c-load-from').value,
    regularity: $('#c-regular').checked ? 'regular' : 'one-time',
    apiUrl: $('#c-api-url').value.trim(),
    tokenRef: $('#c-token-ref').value.trim(),
  };
  if (c.regularity === 'regular') {
    c.schedule = $('#c-schedule').value.trim();
    c.timeZone = $('#c-zone').value.trim();
    if ($('#c-reload-days').value !== '') c.reloadDays = Number($('#c-reload-days').value); // empty: the default (7, 1 by receive time)
  }
  // what the form does not show (a connection read from a file or sent to the API) is kept through an edit
  if (state.editingExtra) Object.assign(c, state.editingExtra);
  const dataSource = $('#c-ch-datasource').value.trim();
  c.target = dataSource ? { dataSource, database: $('#c-ch-database').value.trim() }
    : { url: $('#c-ch-url').value.trim(), database: $('#c-ch-database').value.trim() };
  const user = $('#c-ch-user').value.trim();
  const passwordRef = $('#c-ch-password-ref').value.trim();
  if (!dataSource && user) c.target.user = user;
  if (!dataSource && passwordRef) c.target.passwordRef = passwordRef;
  if (!c.applications.length) throw new Error('Pick or type at least one application.');
  if (!Object.keys(c.sources).length) throw new Error('Tick at least one source.');
  if (!dataSource && !c.target.url) throw new Error('Give the target ClickHouse URL (or a WildFly datasource).');
  return c;
}

// A pasted token goes to the secret store once; the field is emptied and only the returned reference stays in the page.
async function storePastedToken() {
  const token = $('#c-token').value.trim();
  if (!token) return;
  const name = $('#c-name').value.trim();
  if (!$('#c-name').checkValidity() || !name) throw new Error('Give the connection a valid name first: the token is stored under it.');
  const r = await api('secrets/token', 'POST', { token, name });
  $('#c-token').value = '';
  $('#c-token-ref').value = r.tokenRef;
  $('#c-token-status').textContent = 'The token is stored; the connection refers to it as ' + r.tokenRef + '.';
}

async function loadApplications() {
  const status = $('#c-apps-status');
  status.className = 'muted';
  status.textContent = 'Asking the Logs API…';
  try {
    await storePastedToken();
    const tokenRef = $('#c-token-ref').value.trim();
    if (!tokenRef) throw new Error('Paste a token or give a token reference first.');
    const q = new URLSearchParams({ tokenRef, apiUrl: $('#c-api-url').value.trim() });
    const apps = await api('applications?' + q);
    $('#c-apps-picker').replaceChildren(...apps.map((a) => el('label', {},
      el('input', { type: 'checkbox', value: String(a.id), onchange: pickApplication }),
      `${a.name} (${a.id})`)));
    syncPicker();
    status.textContent = apps.length ? `${apps.length} application(s) the token can read.`
      : 'The token lists no application: the token has no access to any (ask the owner of the application for access), '
        + 'or this Logs API offers no list (the simulator lists none for a token that reads every id). Type the ids instead.';
  } catch (e) {
    status.className = 'error';
    status.textContent = e.message;
  }
}

const CHECK_NAMES = { allowed: 'allowed here', clickhouse: 'ClickHouse', token: 'token', applications: 'applications' };

// the same checks as before a start: allowed here, ClickHouse answers, the token is accepted, the applications readable
async function testConnection() {
  const list = $('#c-checks');
  const button = $('#c-test');
  list.hidden = false;
  delete list.dataset.ok;
  list.replaceChildren(el('li', { class: 'muted', text: 'Testing…' }));
  button.disabled = true;
  try {
    await storePastedToken();
    const c = connectionFromForm();
    if (!c.name) c.name = 'test';
    const r = await api('connection-checks', 'POST', c);
    list.dataset.ok = String(r.ok);
    list.replaceChildren(...r.checks.map((x) => el('li', { class: x.ok ? 'ok' : 'bad', 'data-check': x.check, 'data-ok': String(x.ok) },
      el('b', { text: CHECK_NAMES[x.check] || x.check }), ' ' + x.message)));
  } catch (e) {
    list.dataset.ok = 'false';
    list.replaceChildren(el('li', { class: 'bad', text: e.message }));
  } finally {
    button.disabled = false;
  }
}

function fillConnectionForm(c) {
  const t = c.target || {};
  $('#c-name').value = c.name || '';
  $('#c-name').readOnly = !!state.editing;
  $('#c-api-url').value = c.apiUrl || (state.catalog.defaults || {}).apiUrl || '';
  $('#c-token').value = '';
  $('#c-token-ref').value = c.tokenRef || '';
  $('#c-token-status').textContent = '';
  $('#c-apps').value = (c.applications || []).join(',');
  $('#c-apps-picker').replaceChildren();
  $('#c-apps-status').textContent = '';
  const sources = c.sources || { events: {} };
  $('#c-sources').querySelectorAll('input').forEach((i) => { i.checked = i.value in sources; });
  $('#c-source-options').value = sourceOptionLines(sources);
  $('#c-load-from').value = c.loadFrom || isoDay(-7);
  $('#c-dimension').value = c.dateDimension || 'default';
  $('#c-format').value = c.format || 'csv';
  $(c.regularity === 'regular' ? '#c-regular' : '#c-one-time').checked = true;
  $('#c-schedule').value = c.schedule || '03:00';
  $('#c-zone').value = c.timeZone || 'UTC';
  $('#c-reload-days').value = c.reloadDays ?? '';
  state.editingExtra = state.editing ? Object.fromEntries(['includeToday', 'parameters'].filter((k) => k in c).map((k) => [k, c[k]])) : null;
  $('#c-ch-url').value = t.url || '';
  $('#c-ch-database').value = t.database || '';
  $('#c-ch-user').value = t.user || '';
  $('#c-ch-password-ref').value = t.passwordRef || '';
  $('#c-ch-datasource').value = t.dataSource || '';
  showRegularFields();
  $('#c-result').className = '';
  $('#c-result').textContent = '';
  $('#c-checks').hidden = true;
  $('#c-checks').replaceChildren();
  $('#conn-form-title').textContent = state.editing ? `Edit connection ${state.editing}` : 'New connection';
  $('#c-save').textContent = state.editing ? 'Save…' : 'Create';
  $('#conn-form-card').hidden = false;
  $('#conn-form-card').scrollIntoView();
}

function newConnection() {
  state.editing = null;
  const d = state.catalog.defaults || {};
  // the default reference is a value, not a placeholder: Create and Test use it unless a token is pasted
  fillConnectionForm({ tokenRef: d.tokenRef || 'env:APPMETRICA_TOKEN', target: { url: d.clickhouseUrl || '', database: d.clickhouseDatabase || '' } });
  $('#c-name').focus();
}

async function editConnection(name) {
  try {
    const c = await api('connections/' + encodeURIComponent(name));
    state.editing = name;
    fillConnectionForm(c);
  } catch (e) {
    notice(`edit ${name}: ${e.message}`, true);
  }
}

function closeConnectionForm() {
  state.editing = null;
  $('#c-token').value = '';
  $('#conn-form-card').hidden = true;
}

async function saveConnection(ev) {
  ev.preventDefault();
  const result = $('#c-result');
  result.className = '';
  result.textContent = '';
  const button = $('#c-save');
  button.disabled = true;
  try {
    await storePastedToken();
    const c = connectionFromForm();
    if (!c.tokenRef) throw new Error('Paste a token or give a token reference.');
    if (state.editing) {
      const path = 'connections/' + encodeURIComponent(state.editing);
      const dry = await api(path + '?dryRun=true', 'PUT', c);
      const actions = (dry && dry.plan && dry.plan.actions) || [];
      const answer = await confirmAction(`Save connection ${state.editing}?`, 'What this edit will do:',
        { items: actions.length ? actions : [{ kind: 'nothing', text: 'Nothing changes.' }], ok: 'Confirm' });
      if (!answer) { result.textContent = 'Not saved.'; return; }
      const r = await api(path, 'PUT', c);
      const done = ((r.plan && r.plan.actions) || []).map((a) => a.text).join(' ');
      notice(`Connection ${state.editing} saved.` + (done ? ' ' + done : ''));
    } else {
      const v = await api('connections', 'POST', c);
      notice(`Connection ${v.name} created: ${v.regularity === 'regular' ? 'its first run starts now, then on schedule' : 'it starts loading now'}.`);
    }
    closeConnectionForm();
  } catch (e) {
    result.className = 'error';
    result.textContent = e.message;
  } finally {
    button.disabled = false;
  }
  refresh();
}

function setupConnections(catalog) {
  $('#connections-card').hidden = !catalog.connections;
  if (!catalog.connections) return;
  $('#c-sources').replaceChildren(...catalog.sources.map((s) => el('label', {},
    el('input', { type: 'checkbox', name: 'c-source', value: s.name }),
    s.name + (s.dated ? '' : ' (no dates)'))));
  $('#c-all-sources').addEventListener('click', () => $('#c-sources').querySelectorAll('input').forEach((i) => { i.checked = true; }));
  $('#c-no-sources').addEventListener('click', () => $('#c-sources').querySelectorAll('input').forEach((i) => { i.checked = false; }));
  if (catalog.oauthClientId) {
    const link = $('#c-get-token');
    link.href = 'https://oauth.yandex.ru/authorize?' + new URLSearchParams({ response_type: 'token', client_id: catalog.oauthClientId });
    link.hidden = false;
  }
  document.querySelectorAll('input[name=regularity]').forEach((r) => r.addEventListener('change', showRegularFields));
  $('#c-apps').addEventListener('input', syncPicker);
  $('#c-apps-load').addEventListener('click', loadApplications);
  $('#conn-new').addEventListener('click', newConnection);
  $('#c-cancel').addEventListener('click', closeConnectionForm);
  $('#c-test').addEventListener('click', testConnection);
  $('#conn-form').addEventListener('submit', saveConnection);
}

// ------------------------------------------------------------------ day coverage

const COVERAGE_EVERY = 5; // refresh cycles between coverage reads (each reads ClickHouse and the job repository)
const COV_PITCH = 28; // a day column: 26 px cell + 2 px spacing
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  children.forEach((c) => e.append(c));
  return e;
}

function shortNum(n) {
  if (n >= 1e6) return (n / 1e6).toFixed(n >= 1e7 ? 0 : 1) + 'M';
  if (n >= 1e3) return (n / 1e3).toFixed(n >= 1e4 ? 0 : 1) + 'k';
  return String(n);
}

// rows per day as bars under the day columns: a drop shows at a glance; a day with a failed cell is red
function rowsChart(app) {
  const max = Math.max(1, ...app.days.map((d) => d.rows));
  const h = 48;
  const chart = svg('svg', { class: 'cov-chart', width: app.days.length * COV_PITCH - 2, height: h, role: 'img',
    'aria-label': 'rows per day, up to ' + num(max) });
  app.days.forEach((d, i) => {
    const failed = Object.values(d.cells).some((c) => c.state === 'failed');
    // an empty failed day still gets a red stub: the failure is what the eye should find
    const bh = d.rows === 0 ? (failed ? 3 : 0) : Math.max(2, Math.round((d.rows / max) * (h - 2)));
    const bar = svg('rect', { x: i * COV_PITCH, y: h - bh, width: COV_PITCH - 2, height: bh, rx: 2,
      fill: failed ? '#d64545' : '#2f6fec', 'data-day': d.day, 'data-rows': d.rows });
    bar.append(svg('title', {}, document.createTextNode(`${d.day}: ${num(d.rows)} rows`)));
    chart.append(bar);
  });
  chart.append(svg('line', { x1: 0, y1: h - 0.5, x2: app.days.length * COV_PITCH, y2: h - 0.5, stroke: '#cdd3de' }));
  return chart;
}

function cellTitle(source, day, c) {
  const lines = [`${source} ${day}: ${c.state}, ${num(c.rows)} rows`];
  if (c.loadedAt) lines.push('loaded ' + time(c.loadedAt));
  if (c.executionId !== null && c.executionId !== undefined) lines.push('execution ' + c.executionId);
  if (c.error) lines.push(c.error);
  if (c.state === 'missing' || c.state === 'failed' || c.state === 'stopped') lines.push('click to load this range');
  return lines.join('\n');
}

// the run of days around the clicked one with the same state (and, failed, the same execution)
function rangeAround(app, source, index) {
  const c = app.days[index].cells[source];
  const same = (i) => {
    const o = app.days[i].cells[source];
    return o.state === c.state && (c.state !== 'failed' && c.state !== 'stopped' || o.executionId === c.executionId);
  };
  let a = index;
  let b = index;
  while (a > 0 && same(a - 1)) a--;
  while (b < app.days.length - 1 && same(b + 1)) b++;
  return { from: app.days[a].day, to: app.days[b].day, cell: c };
}

async function loadRange(app, source, index) {
  const r = rangeAround(app, source, index);
  const days = r.from === r.to ? r.from : `${r.from} … ${r.to}`;
  try {
    if ((r.cell.state === 'failed' || r.cell.state === 'stopped') && r.cell.restartable) {
      const answer = await confirmAction(`Restart execution ${r.cell.executionId}?`,
        (r.cell.state === 'stopped' ? `It was stopped before it loaded application ${app.applicationId}, ${source}, ${days}. `
          : `It failed on application ${app.applicationId}, ${source}, ${days}: ${r.cell.error || 'no reason recorded'}. `)
        + 'The restart continues from its checkpoints; the slices it completed are skipped.', { ok: 'Restart' });
      if (!answer) return;
      const e = await api(`executions/${r.cell.executionId}/restart`, 'POST', { parameters: {} });
      notice(`Execution ${r.cell.executionId} restarted as execution ${e.id}.`);
      state.selected = e.id;
    } else {
      const answer = await confirmAction(`Load application ${app.applicationId}, ${source}, ${days}?`,
        'A one-time load of exactly these days, with the parameters of the last load of this application.', { ok: 'Start' });
      if (!answer) return;
      const parameters = Object.assign({}, app.startParameters, {
        applicationIds: String(app.applicationId), sources: source, dateSince: r.from, dateUntil: r.to,
      });
      const e = await api('executions', 'POST', { parameters });
      notice(`Execution ${e.id} started for application ${app.applicationId}, ${source}, ${days}.`);
      state.selected = e.id;
    }
  } catch (e) {
    notice(e.message, true);
  }
  refreshCoverage();
  refresh();
}

// a failed cell links to its execution: the detail card shows its slices and the reason in full
function showExecution(id) {
  state.selected = id;
  refresh().then(() => $('#detail').scrollIntoView({ behavior: 'smooth' }));
}

function renderApplication(app) {
  const head = el('tr', {}, el('th', { class: 'src' }), app.days.map((d) => el('th', { class: 'day', text: d.day })));
  const chartRow = el('tr', { class: 'cov-chart-row' }, el('th', { class: 'src muted', text: 'rows / day (max ' + shortNum(Math.max(0, ...app.days.map((d) => d.rows))) + ')' }),
    el('td', { colspan: app.days.length }, rowsChart(app)));
  const rows = app.sources.map((source) => el('tr', { 'data-source': source }, el('th', { class: 'src', text: source }),
    app.days.map((d, i) => {
      const c = d.cells[source];
      const clickable = c.state === 'missing' || c.state === 'failed' || c.state === 'stopped';
      return el('td', {
        class: 'cov-cell ' + c.state, 'data-day': d.day, 'data-source': source, 'data-state': c.state, 'data-rows': c.rows,
        'data-execution': c.executionId, title: cellTitle(source, d.day, c), text: c.rows ? shortNum(c.rows) : '',
        onclick: clickable ? () => loadRange(app, source, i) : undefined,
      });
    })));
  const totals = el('tr', {}, el('th', { class: 'src muted', text: 'rows' }), app.days.map((d) => el('td', { class: 'cov-rows', text: shortNum(d.rows) })));
  const failures = [];
  for (const d of app.days) {
    for (const source of app.sources) {
      const c = d.cells[source];
      if (c.state === 'failed') failures.push({ id: c.executionId, text: `${d.day} ${source}: ${c.error || 'no reason recorded'}` });
    }
  }
  return el('div', { class: 'cov-app', 'data-application': app.applicationId },
    el('h3', { text: 'Application ' + app.applicationId }),
    el('div', { class: 'cov-scroll' }, el('table', { class: 'cov-grid' }, el('thead', {}, head), el('tbody', {}, chartRow, rows, totals))),
    failures.length ? el('ul', { class: 'cov-failures' }, failures.slice(0, 10).map((f) => el('li', {},
      el('button', { type: 'button', class: 'link', 'data-execution': f.id, text: 'execution ' + f.id, onclick: () => showExecution(f.id) }),
      ' ' + f.text))) : null);
}

async function refreshCoverage() {
  const database = $('#cov-database').value.trim();
  if (!state.coverageShown || !database) return;
  try {
    const c = await api('coverage?database=' + encodeURIComponent(database));
    $('#cov-legend').hidden = false;
    $('#cov-status').textContent = c.applications.length
      ? `${c.database}: ${c.from} … ${c.to} · updated ${new Date().toLocaleTimeString()}`
      : `Nothing loaded into ${c.database} yet.`;
    $('#coverage').replaceChildren(...c.applications.map(renderApplication));
  } catch (e) {
    // an old grid under a new error would be read as this database's
    $('#coverage').replaceChildren();
    $('#cov-legend').hidden = true;
    $('#cov-status').textContent = 'coverage: ' + e.message;
  }
  try {
    const dbs = await api('coverage/databases');
    $('#cov-databases').replaceChildren(...dbs.map((d) => el('option', { value: d })));
  } catch (e) {
    // the list is a convenience: the field still takes any name
  }
}

// until the user types one: the database of the newest load, which is most likely the one asked about
function suggestCoverageDatabase(list) {
  const db = list.length && list[0].parameters && list[0].parameters.clickhouseDatabase;
  if (db && !state.coverageTyped && !state.coverageShown) $('#cov-database').value = db;
}

function setupCoverage(catalog) {
  $('#cov-database').value = (catalog.defaults && catalog.defaults.clickhouseDatabase) || '';
  $('#cov-database').addEventListener('input', () => { state.coverageTyped = true; });
  $('#coverage-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.coverageShown = true;
    state.coverageCycle = 0;
    $('#cov-status').textContent = 'reading…';
    refreshCoverage();
  });
}

// ------------------------------------------------------------------ refresh loop

async function refresh() {
  clearTimeout(state.timer);
  if (state.busy) { state.timer = setTimeout(refresh, REFRESH_MS); return; }
  state.busy = true;
  try {
    const list = await api('executions?limit=50');
    renderExecutions(list);
    suggestCoverageDatabase(list);
    if (state.selected === null && list.length) state.selected = list[0].id;
    if (state.selected !== null) {
      try {
        renderDetail(await api('executions/' + state.selected));
      } catch (e) {
        if (e.status === 404) { state.selected = null; $('#detail').hidden = true; } else throw e;
      }
    }
    if (state.catalog && state.catalog.connections) renderConnections(await api('connections'));
    if (state.coverageShown && ++state.coverageCycle % COVERAGE_EVERY === 0) refreshCoverage();
    $('#refreshed').textContent = 'live · updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    if (e.status === 401) { showLogin(); state.busy = false; return; }
    $('#refreshed').textContent = 'update failed: ' + e.message;
  } finally {
    state.busy = false;
  }
  state.timer = setTimeout(refresh, REFRESH_MS);
}

// ------------------------------------------------------------------ start form

function isoDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return d.toISOString().substring(0, 10);
}

function setupForm(catalog) {
  const box = $('#f-sources');
  box.replaceChildren(...catalog.sources.map((s) => el('label', {},
    el('input', { type: 'checkbox', name: 'source', value: s.name, checked: s.name === 'events' }),
    s.name + (s.dated ? '' : ' (no dates)'))));
  $('#f-all-sources').onclick = () => box.querySelectorAll('input').forEach((i) => { i.checked = true; });
  $('#f-no-sources').onclick = () => box.querySelectorAll('input').forEach((i) => { i.checked = false; });
  $('#f-since').value = isoDay(-7);
  $('#f-until').value = isoDay(-1);
  $('#start-form').addEventListener('submit', startLoad);
}

async function startLoad(ev) {
  ev.preventDefault();
  const result = $('#start-result');
  result.className = '';
  result.textContent = '';
  let params;
  try {
    params = keyValueLines($('#f-extra').value);
  } catch (e) {
    result.className = 'error';
    result.textContent = e.message;
    return;
  }
  params.applicationIds = $('#f-apps').value.trim();
  params.sources = [...document.querySelectorAll('#f-sources input:checked')].map((i) => i.value).join(',');
  params.dateDimension = $('#f-dimension').value;
  const button = $('#start-submit');
  button.disabled = true;
  try {
    params.dateSince = $('#f-since').value;
    params.dateUntil = $('#f-until').value;
    const e = await api('executions', 'POST', { parameters: params });
    result.textContent = `Execution ${e.id} started.`;
    state.selected = e.id;
  } catch (e) {
    result.className = 'error';
    result.textContent = e.message;
  } finally {
    button.disabled = false;
  }
  refresh();
}

// ------------------------------------------------------------------ login and start-up

function showLogin() {
  clearTimeout(state.timer);
  $('#app').hidden = true;
  $('#whoami').hidden = true;
  $('#login').hidden = false;
  $('#login-user').focus();
}

async function showApp(session) {
  state.session = session;
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#whoami').hidden = false;
  $('#user').textContent = session.user || '';
  $('#logout').hidden = session.login !== 'form';
  if (!state.catalog) {
    state.catalog = await api('catalog');
    setupForm(state.catalog);
    setupConnections(state.catalog);
    setupCoverage(state.catalog);
  }
  refresh();
}

async function boot() {
  $('#login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('#login-error').textContent = '';
    try {
      const session = await api('login', 'POST', { user: $('#login-user').value, password: $('#login-password').value });
      $('#login-password').value = '';
      await showApp(session);
    } catch (e) {
      $('#login-error').textContent = e.status === 401 ? 'Wrong user or password.' : e.message;
    }
  });
  $('#logout').addEventListener('click', async () => {
    try { await api('logout', 'POST', {}); } catch (e) { /* logged out anyway */ }
    showLogin();
  });
  try {
    await showApp(await api('session'));
  } catch (e) {
    if (e.status === 401) showLogin();
    else { document.body.append(el('p', { class: 'error', text: 'The console cannot reach its API: ' + e.message })); }
  }
}

boot();
