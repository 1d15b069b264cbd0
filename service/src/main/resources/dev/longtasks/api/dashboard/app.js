// The operator dashboard: reads GET /v1/tasks, /v1/tasks/stats and /v1/tasks/{id}, cancels with
// DELETE /v1/tasks/{id}. Plain JavaScript, no build step. Every string that comes from a task is
// put into the page as text (textContent, createTextNode), never as HTML; the page's CSP allows no
// inline script either. URLs are relative to /v1/ui, so the page works behind a path prefix.
'use strict';

(() => {
  const TOKEN_KEY = 'longtasks.token';
  // Adaptive polling, as in `taskctl watch`: fast after a change, backing off by half to the maximum.
  const FAST_MS = 500;
  const MAX_MS = 5000;
  const PAGE = 50;
  const MAX_LIMIT = 500;
  const STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
  const SYMBOLS = { PENDING: '○', RUNNING: '◐', SUCCEEDED: '✓', FAILED: '✗', CANCELLED: '⊘' };
  const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
  const TASK_HASH = /^#task\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

  const $ = (id) => document.getElementById(id);

  /** An answer other than 2xx, with its problem+json body (or API Gateway's {"message"}) when there is one. */
  class ApiError extends Error {
    constructor(status, body) {
      super('HTTP ' + status);
      this.status = status;
      this.body = body && typeof body === 'object' ? body : {};
    }
  }

  async function api(method, path) {
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    let response;
    try {
      response = await fetch(path, { method, headers, cache: 'no-store', credentials: 'omit' });
    } catch (e) {
      throw new ApiError(0, { detail: 'the API does not answer (' + e.message + '); retrying' });
    }
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, body);
    }
    return { status: response.status, body };
  }

  function describe(err) {
    const p = err.body || {};
    if (err.status === 0) {
      return p.detail;
    }
    if (p.detail) {
      return (p.title ? p.title + ': ' : '') + p.detail;
    }
    if (p.message && err.status === 403) {
      return 'API Gateway refused the request (' + p.message + '). If this API uses IAM authorization, a browser '
        + 'cannot sign its requests: use `taskctl ls` or `taskctl top` with --auth iam instead.';
    }
    return 'HTTP ' + err.status + (p.message ? ': ' + p.message : '');
  }

  // ---- DOM helpers: text only ----

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) {
        continue;
      }
      if (k === 'class') {
        e.className = v;
      } else if (k === 'text') {
        e.textContent = v;
      } else {
        e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) {
      if (c !== null && c !== undefined) {
        e.append(c);
      }
    }
    return e;
  }

  const short = (id) => String(id).slice(0, 8);

  function ago(iso) {
    const delta = Math.round((Date.now() - Date.parse(iso)) / 1000);
    const s = Math.abs(delta);
    const span = s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min'
      : Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    // A clock a second apart from the server's must not say "in 1 s" for what just happened.
    return delta >= -1 ? span + ' ago' : 'in ' + span;
  }

  const clip = (text, n) => (text.length > n ? text.slice(0, n - 1) + '…' : text);

  /** What a finished task came to: its error, or its result as compact JSON; clipped, in full on hover. */
  function outcome(t) {
    if (t.error) {
      const text = t.error.type + ': ' + t.error.message;
      return el('span', { class: 'outcome', title: clip(text, 1000), text: clip(text, 90) });
    }
    if (t.result !== null && t.result !== undefined) {
      const text = JSON.stringify(t.result);
      return el('span', { class: 'outcome mono', title: clip(text, 1000), text: clip(text, 60) });
    }
    return document.createTextNode('—');
  }

  function duration(seconds) {
    return seconds < 60 ? seconds + ' s' : Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
  }

  function time(iso) {
    if (!iso) {
      return document.createTextNode('—');
    }
    return el('time', { datetime: iso, title: iso, text: ago(iso) });
  }

  function statusBadge(t) {
    const badge = el('span', { class: 'status s-' + t.status },
      el('span', { 'aria-hidden': 'true', text: SYMBOLS[t.status] || '?' }), t.status);
    if (t.cancel_requested && !TERMINAL.has(t.status)) {
      return el('span', null, badge, el('span', { class: 'cancel-note', text: 'cancel requested' }));
    }
    return badge;
  }

  function progress(t) {
    if (!t.progress) {
      return el('span', { class: 'progress-text', text: t.status === 'PENDING' ? 'not started' : '—' });
    }
    const pct = Math.max(0, Math.min(100, Number(t.progress.percent) || 0));
    const message = t.progress.message ? ' ' + t.progress.message : '';
    return el('div', { class: 'progress' },
      el('progress', { max: 100, value: pct, 'aria-label': 'Progress of task ' + short(t.task_id), text: pct + '%' }),
      el('span', { class: 'progress-text', text: pct + '%' + message }));
  }

  function announce(text) {
    if (text) {
      $('announce').textContent = text;
    }
  }

  function showProblem(text) {
    const box = $('problem');
    box.textContent = text || '';
    box.hidden = !text;
  }

  // ---- Polling ----

  const state = { timer: null, delay: FAST_MS, paused: false, blocked: false, running: false, again: false, limit: PAGE };

  function schedule(changed) {
    state.delay = changed ? FAST_MS : Math.min(MAX_MS, Math.max(state.delay + 1, Math.floor(state.delay * 1.5)));
    clearTimeout(state.timer);
    state.timer = null;
    if (!state.paused && !state.blocked && !document.hidden) {
      state.timer = setTimeout(tick, state.delay);
    }
  }

  function refreshNow() {
    clearTimeout(state.timer);
    state.delay = FAST_MS;
    tick();
  }

  async function tick() {
    if (state.blocked) {
      return;
    }
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    let outcome = { changed: false, done: false };
    try {
      const id = currentTaskId();
      outcome = id ? await refreshTask(id) : await refreshList();
      showProblem('');
      $('conn').textContent = (state.paused ? 'Paused' : 'Live') + ' · updated ' + new Date().toLocaleTimeString();
    } catch (err) {
      if (!(err instanceof ApiError)) {
        // A bug in this page, or an answer it cannot read: say so, and keep polling.
        showProblem('The page could not show the answer: ' + err.message);
      } else if (err.status === 401) {
        askForToken(err);
        outcome.done = true;
      } else {
        showProblem(describe(err));
        $('conn').textContent = 'Not updated since the error below · retrying';
      }
    } finally {
      state.running = false;
    }
    if (state.again) {
      state.again = false;
      refreshNow();
    } else if (!outcome.done) {
      schedule(outcome.changed);
    }
  }

  // ---- The list ----

  const rows = new Map();
  let lastStatuses = null;
  let lastSignature = '';

  function filterQuery() {
    const q = new URLSearchParams();
    const statuses = [...document.querySelectorAll('#filters input[name="status"]:checked')].map((c) => c.value);
    if (statuses.length) {
      q.set('status', statuses.join(','));
    }
    const type = $('f-type').value.split(',').map((s) => s.trim()).filter(Boolean).join(',');
    if (type) {
      q.set('type', type);
    }
    if ($('f-since').value) {
      q.set('since', $('f-since').value);
    }
    return q;
  }

  async function refreshList() {
    const q = filterQuery();
    const statsQuery = new URLSearchParams();
    if (q.has('since')) {
      statsQuery.set('since', q.get('since'));
    }
    q.set('limit', String(state.limit));
    const [list, stats] = await Promise.all([api('GET', 'tasks?' + q), api('GET', 'tasks/stats?' + statsQuery)]);
    renderCounts(stats.body);
    const tasks = list.body.tasks;
    renderRows(tasks);
    const more = list.body.next_cursor !== null && state.limit < MAX_LIMIT;
    $('more').hidden = !more;
    $('empty').hidden = tasks.length > 0;
    $('tasks').hidden = tasks.length === 0;
    $('list-summary').textContent = tasks.length === 0 ? ''
      : 'Showing the ' + tasks.length + ' newest' + (list.body.next_cursor !== null ? '; older tasks match too.' : '.');

    const signature = JSON.stringify(tasks.map((t) => [t.task_id, t.status, t.progress, t.attempt, t.cancel_requested]))
      + JSON.stringify(stats.body.by_status);
    const changed = signature !== lastSignature;
    lastSignature = signature;
    announceEndings(tasks);
    return { changed, done: false };
  }

  /** Tells screen readers which tasks ended since the last poll, not every progress tick. */
  function announceEndings(tasks) {
    const now = new Map(tasks.map((t) => [t.task_id, t.status]));
    if (lastStatuses) {
      const ended = tasks.filter((t) => TERMINAL.has(t.status) && lastStatuses.has(t.task_id)
        && lastStatuses.get(t.task_id) !== t.status);
      announce(ended.map((t) => 'Task ' + short(t.task_id) + ' ' + t.status.toLowerCase() + '.').join(' '));
    }
    lastStatuses = now;
  }

  function renderCounts(stats) {
    const list = $('counts');
    list.replaceChildren(...STATUSES.map((s) => el('li', { class: 'count' },
      el('span', { class: 'status s-' + s }, el('span', { 'aria-hidden': 'true', text: SYMBOLS[s] }), s),
      el('span', { class: 'n', text: String(stats.by_status[s] || 0) }))));
    $('counts-window').textContent = '(' + stats.total + ' created since ' + new Date(stats.since).toLocaleTimeString() + ')';
    const types = $('known-types');
    types.replaceChildren(...Object.keys(stats.by_type).map((t) => el('option', { value: t })));
    const oldest = stats.oldest_pending;
    $('oldest').textContent = oldest
      ? 'Oldest pending: ' + short(oldest.task_id) + ' (' + oldest.task_type + '), waiting ' + duration(oldest.age_seconds)
      : 'No task is waiting to start.';
  }

  /**
   * Updates the rows in place, keyed by task id, so a link that has keyboard focus keeps it while
   * the list refreshes; only rows whose task changed are redrawn.
   */
  function renderRows(tasks) {
    const body = $('task-rows');
    const wanted = new Set(tasks.map((t) => t.task_id));
    for (const [id, row] of rows) {
      if (!wanted.has(id)) {
        row.element.remove();
        rows.delete(id);
      }
    }
    tasks.forEach((t, i) => {
      let row = rows.get(t.task_id);
      if (!row) {
        row = { element: el('tr', { 'data-task-id': t.task_id }), signature: '' };
        rows.set(t.task_id, row);
      }
      const signature = JSON.stringify([t.status, t.progress, t.attempt, t.cancel_requested, t.updated_at]);
      if (signature !== row.signature) {
        fillRow(row.element, t, row.signature === '');
        row.signature = signature;
      }
      if (body.children[i] !== row.element) {
        body.insertBefore(row.element, body.children[i] || null);
      }
    });
  }

  function fillRow(tr, t, first) {
    const cells = [
      ['Task', el('a', { href: '#task/' + encodeURIComponent(t.task_id), class: 'id', title: t.task_id,
        'aria-label': 'Task ' + short(t.task_id) + ', ' + t.task_type + ', ' + t.status, text: short(t.task_id) })],
      ['Type', document.createTextNode(t.task_type)],
      ['Status', statusBadge(t)],
      ['Progress', progress(t)],
      ['Created', time(t.created_at)],
      ['Updated', time(t.updated_at)],
      ['Outcome', outcome(t)],
    ];
    if (first) {
      tr.replaceChildren(...cells.map(([label, content]) => el('td', { 'data-label': label }, content)));
      return;
    }
    // The link cell stays (it may have focus); the rest is redrawn.
    tr.children[0].firstChild.setAttribute('aria-label', 'Task ' + short(t.task_id) + ', ' + t.task_type + ', ' + t.status);
    cells.slice(1).forEach(([, content], i) => tr.children[i + 1].replaceChildren(content));
  }

  // ---- One task ----

  let shownTask = null;

  function currentTaskId() {
    const m = TASK_HASH.exec(location.hash);
    return m ? m[1].toLowerCase() : null;
  }

  async function refreshTask(id) {
    let answer;
    try {
      answer = await api('GET', 'tasks/' + encodeURIComponent(id) + '?include=input');
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        shownTask = null;
        $('task-body').hidden = true;
        const missing = $('task-missing');
        missing.textContent = 'No task ' + id + ': the id is unknown, or the task expired (tasks are kept for an hour '
          + 'after their last update).';
        missing.hidden = false;
        return { changed: false, done: true };
      }
      throw err;
    }
    const t = answer.body;
    const before = shownTask;
    shownTask = t;
    renderTask(t);
    if (before && before.task_id === t.task_id && before.status !== t.status) {
      announce('Task ' + short(t.task_id) + ' is now ' + t.status.toLowerCase() + '.');
    }
    const changed = !before || JSON.stringify([before.status, before.progress, before.attempt, before.cancel_requested])
      !== JSON.stringify([t.status, t.progress, t.attempt, t.cancel_requested]);
    return { changed, done: TERMINAL.has(t.status) };
  }

  function json(value) {
    return value === null || value === undefined ? '—' : JSON.stringify(value, null, 2);
  }

  function renderTask(t) {
    $('task-missing').hidden = true;
    $('task-body').hidden = false;
    $('task-title').textContent = 'Task ' + t.task_id;
    $('task-status').replaceChildren(statusBadge(t));
    $('task-progress').replaceChildren(progress(t));
    const cancel = $('cancel');
    cancel.disabled = TERMINAL.has(t.status);
    const note = $('task-note');
    if (t.status === 'CANCELLED' && note.textContent.startsWith('Cancellation requested')) {
      note.textContent = 'Task cancelled.';
    }
    cancel.title = cancel.disabled ? 'The task has ended' : '';
    const fields = [
      ['Task ID', el('span', { class: 'mono', text: t.task_id })],
      ['Type', t.task_type],
      ['Status', t.status + (t.cancel_requested && !TERMINAL.has(t.status) ? ' (cancel requested)' : '')],
      ['Attempts', String(t.attempt)],
      ['Created', t.created_at],
      ['Started', t.started_at],
      ['Updated', t.updated_at],
      ['Finished', t.finished_at],
      ['Expires', t.expires_at],
    ];
    $('task-fields').replaceChildren(...fields.flatMap(([name, value]) => [
      el('dt', { text: name }),
      el('dd', null, value === null || value === undefined ? '—'
        : typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? el('span', null, value + ' (', time(value), ')')
          : value),
    ]));
    $('task-input').textContent = json(t.input);
    $('task-result').textContent = json(t.result);
    $('task-error').textContent = t.error ? t.error.type + ': ' + t.error.message : '—';
  }

  // ---- Cancel, with a confirmation ----

  function askToCancel() {
    const t = shownTask;
    if (!t || TERMINAL.has(t.status)) {
      return;
    }
    $('confirm-text').textContent = 'Task ' + t.task_id + ' (' + t.task_type + ') is ' + t.status + '. '
      + (t.status === 'PENDING' ? 'It will end CANCELLED at once.' : 'It is asked to stop and ends CANCELLED at its next check.');
    const dialog = $('confirm');
    dialog.returnValue = '';
    dialog.showModal();
    $('confirm-keep').focus();
  }

  async function cancelShownTask() {
    const t = shownTask;
    const note = $('task-note');
    try {
      const r = await api('DELETE', 'tasks/' + encodeURIComponent(t.task_id));
      note.textContent = r.status === 200 ? 'Task cancelled.'
        : 'Cancellation requested: the task stops at its handler\'s next check.';
    } catch (err) {
      if (!(err instanceof ApiError)) {
        // A bug in this page, or an answer it cannot read: say so, and keep polling.
        showProblem('The page could not show the answer: ' + err.message);
      } else if (err.status === 401) {
        askForToken(err);
        return;
      }
      note.textContent = err.status === 409 ? 'The task had already ended; nothing to cancel.' : describe(err);
    }
    announce(note.textContent);
    refreshNow();
  }

  // ---- Token ----

  function askForToken(err) {
    const had = sessionStorage.getItem(TOKEN_KEY) !== null;
    sessionStorage.removeItem(TOKEN_KEY);
    state.blocked = true;
    clearTimeout(state.timer);
    $('forget-token').hidden = true;
    $('list-view').hidden = true;
    $('task-view').hidden = true;
    showProblem('');
    $('auth').hidden = false;
    $('auth-reason').textContent = (had ? 'The token was not accepted. ' : 'This API needs a bearer token. ') + describe(err);
    $('conn').textContent = 'Waiting for a token';
    $('token').focus();
  }

  function useToken(event) {
    event.preventDefault();
    const token = $('token').value.trim();
    if (!token) {
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    $('auth').hidden = true;
    state.blocked = false;
    route(true);
  }

  // ---- Views ----

  function route(focus) {
    const id = currentTaskId();
    if (state.blocked) {
      return;
    }
    $('forget-token').hidden = sessionStorage.getItem(TOKEN_KEY) === null;
    $('list-view').hidden = Boolean(id);
    $('task-view').hidden = !id;
    $('task-note').textContent = '';
    if (id && (!shownTask || shownTask.task_id !== id)) {
      shownTask = null;
      $('task-title').textContent = 'Task ' + id;
      $('task-body').hidden = true;
    }
    if (!id) {
      lastStatuses = null;
    }
    if (focus) {
      (id ? $('task-title') : $('list-title')).focus();
    }
    refreshNow();
  }

  function start() {
    $('filters').addEventListener('submit', (e) => e.preventDefault());
    $('filters').addEventListener('change', () => {
      state.limit = PAGE;
      refreshNow();
    });
    let typing = null;
    $('f-type').addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => {
        state.limit = PAGE;
        refreshNow();
      }, 400);
    });
    // A reset clears the fields after this event; refresh once it has.
    $('filters').addEventListener('reset', () => setTimeout(() => {
      state.limit = PAGE;
      refreshNow();
    }, 0));
    $('more').addEventListener('click', () => {
      state.limit = Math.min(MAX_LIMIT, state.limit + PAGE);
      refreshNow();
    });
    $('pause').addEventListener('click', () => {
      state.paused = !state.paused;
      $('pause').setAttribute('aria-pressed', String(state.paused));
      $('conn').textContent = state.paused ? 'Paused' : 'Live';
      if (state.paused) {
        clearTimeout(state.timer);
      } else {
        refreshNow();
      }
    });
    $('forget-token').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      $('forget-token').hidden = true;
      refreshNow();
    });
    $('auth-form').addEventListener('submit', useToken);
    $('cancel').addEventListener('click', askToCancel);
    $('confirm-keep').addEventListener('click', () => $('confirm').close('keep'));
    $('confirm-cancel').addEventListener('click', () => $('confirm').close('cancel'));
    $('confirm').addEventListener('close', () => {
      const confirmed = $('confirm').returnValue === 'cancel';
      $('cancel').focus();
      if (confirmed) {
        cancelShownTask();
      }
    });
    window.addEventListener('hashchange', () => route(true));
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) {
        refreshNow();
      }
    });
    route(false);
  }

  start();
})();
