// Drives the dashboard (/v1/ui) in Debian's chromium through puppeteer-core, as an operator would:
// tasks submitted through the API appear and finish, filters narrow the list, a running task is
// cancelled from its page through the confirmation (by mouse, then by keyboard), the page works
// at phone width, and a server with a bearer token gets one typed in. Prints one JSON object:
// {"checks": {name: true|false}, "errors": [...], "screenshots": [...]}; DashboardBrowserTest
// asserts it. Usage: node dashboard-browser.mjs '<json config>'
//   config: {chromium, profile, shots, open: "http://127.0.0.1:P", tokenUrl: "http://127.0.0.1:Q", token}
import puppeteer from 'puppeteer-core';
import path from 'node:path';
import fs from 'node:fs';

const cfg = JSON.parse(process.argv[2]);
const TIMEOUT = 30_000;
const results = { checks: {}, errors: [], screenshots: [], pageErrors: [], cspViolations: [] };
let step = 'start';

function check(name, ok, detail) {
  results.checks[name] = Boolean(ok);
  if (!ok) {
    results.errors.push(name + (detail === undefined ? '' : ': ' + JSON.stringify(detail)));
  }
}

async function submit(base, data) {
  const r = await fetch(base + '/v1/tasks', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'example', data }),
  });
  if (r.status !== 202) {
    throw new Error('submit answered ' + r.status + ': ' + await r.text());
  }
  return (await r.json()).task_id;
}

async function task(base, id, token) {
  const r = await fetch(base + '/v1/tasks/' + id, { headers: token ? { authorization: 'Bearer ' + token } : {} });
  return r.json();
}

async function shoot(page, name) {
  const file = path.join(cfg.shots, name);
  await page.screenshot({ path: file, fullPage: true });
  results.screenshots.push(file);
}

function watch(page) {
  page.on('pageerror', (e) => results.pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) {
      results.cspViolations.push(m.text());
    }
  });
}

const rowText = (page, id) => page.$eval(`tr[data-task-id="${id}"]`, (r) => r.textContent).catch(() => null);

async function waitForRow(page, id, word) {
  await page.waitForFunction((i, w) => {
    const r = document.querySelector(`tr[data-task-id="${i}"]`);
    return r && r.textContent.includes(w);
  }, { timeout: TIMEOUT }, id, word);
}

async function waitForTaskStatus(page, word) {
  await page.waitForFunction((w) => document.querySelector('#task-status').textContent.includes(w),
    { timeout: TIMEOUT }, word);
}

/** Presses Tab until the focused element matches, up to max presses; returns what was focused on the way. */
async function tabTo(page, predicateSource, max) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(() => {
      const a = document.activeElement;
      return a ? (a.id || a.name || a.getAttribute('href') || a.tagName) + (a.value && a.type === 'checkbox' ? '=' + a.value : '') : null;
    });
    seen.push(here);
    if (await page.evaluate(predicateSource)) {
      return { reached: true, seen };
    }
  }
  return { reached: false, seen };
}

const focusOutline = (page) => page.evaluate(() => {
  const s = getComputedStyle(document.activeElement);
  return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
});

async function noHorizontalOverflow(page) {
  return page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, viewport: window.innerWidth,
  }));
}

let browser;
try {
  step = 'launch';
  browser = await puppeteer.launch({
    executablePath: cfg.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--user-data-dir=' + cfg.profile],
  });
  const page = await browser.newPage();
  watch(page);
  await page.setViewport({ width: 1280, height: 900 });

  step = 'the page loads and reads the API';
  const headers = (await page.goto(cfg.open + '/v1/ui')).headers();
  check('page_has_a_csp_without_inline_script', /script-src 'self'/.test(headers['content-security-policy'] || '')
    && !/unsafe-inline/.test(headers['content-security-policy']), headers['content-security-policy']);
  await page.waitForSelector('#counts li', { timeout: TIMEOUT });

  step = 'submitted tasks appear and finish';
  const quickA = await submit(cfg.open, { steps: 2, step_ms: 150 });
  const quickB = await submit(cfg.open, { steps: 3, step_ms: 150 });
  const failing = await submit(cfg.open, { steps: 2, step_ms: 50, fail_at_step: 1 });
  const mouseCancel = await submit(cfg.open, { steps: 200, step_ms: 300, note: '<img src=x onerror="window.__xss=1">' });
  const keyboardCancel = await submit(cfg.open, { steps: 200, step_ms: 300 });
  for (const id of [quickA, quickB, failing, mouseCancel, keyboardCancel]) {
    await page.waitForSelector(`tr[data-task-id="${id}"]`, { timeout: TIMEOUT });
  }
  check('submitted_tasks_appear', true);
  await waitForRow(page, quickA, 'SUCCEEDED');
  await waitForRow(page, quickB, 'SUCCEEDED');
  await waitForRow(page, failing, 'FAILED');
  await waitForRow(page, mouseCancel, 'RUNNING');
  check('quick_tasks_show_succeeded', (await rowText(page, quickA)).includes('SUCCEEDED'));
  check('a_failed_task_shows_its_error', (await rowText(page, failing)).includes('ExampleStepFailedException'));
  const counts = await page.$eval('#counts', (c) => c.textContent);
  check('counts_by_status_are_shown', /SUCCEEDED\s*[2-9]/.test(counts) && /RUNNING\s*[1-9]/.test(counts), counts);
  const symbols = await page.$eval(`tr[data-task-id="${quickA}"] .status`, (s) => s.textContent);
  check('status_is_a_word_and_a_symbol_not_only_a_colour', symbols.includes('✓') && symbols.includes('SUCCEEDED'), symbols);

  step = 'filters';
  await page.click('input[name="status"][value="FAILED"]');
  await page.waitForFunction((a) => !document.querySelector(`tr[data-task-id="${a}"]`), { timeout: TIMEOUT }, quickA);
  const failedOnly = await page.$$eval('#task-rows tr', (rs) => rs.map((r) => r.querySelector('.status').textContent));
  check('status_filter_narrows_the_list', failedOnly.length >= 1 && failedOnly.every((s) => s.includes('FAILED')), failedOnly);
  await page.click('input[name="status"][value="FAILED"]');
  await page.type('#f-type', 'noop');
  await page.waitForFunction(() => !document.querySelector('#empty').hidden, { timeout: TIMEOUT });
  check('type_filter_with_no_match_says_so', true);
  await page.click('button[type="reset"]');
  await page.waitForSelector(`tr[data-task-id="${quickA}"]`, { timeout: TIMEOUT });

  step = 'labels and keyboard on the list';
  const unlabelled = await page.$$eval('input, select', (xs) => xs
    .filter((x) => x.type !== 'hidden' && x.labels.length === 0 && !x.getAttribute('aria-label')).map((x) => x.id || x.name));
  check('every_form_control_has_a_label', unlabelled.length === 0, unlabelled);
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  const toStatus = await tabTo(page, () => document.activeElement.name === 'status', 15);
  check('tab_reaches_the_status_filter', toStatus.reached, toStatus.seen);
  check('focus_is_visible', await focusOutline(page).then((o) => o.style !== 'none' && o.width >= 2));
  const toType = await tabTo(page, () => document.activeElement.id === 'f-type', 10);
  check('tab_reaches_the_type_filter', toType.reached, toType.seen);
  const toSince = await tabTo(page, () => document.activeElement.id === 'f-since', 5);
  check('tab_reaches_the_since_filter', toSince.reached, toSince.seen);
  await page.keyboard.press('ArrowDown'); // a select changes with the arrow keys
  await page.waitForFunction(() => document.querySelector('#f-since').value === '5m', { timeout: TIMEOUT });
  await page.waitForSelector(`tr[data-task-id="${quickA}"]`, { timeout: TIMEOUT });
  check('the_since_filter_works_from_the_keyboard', true);
  const window5m = await page.$eval('#counts-window', (w) => w.textContent);
  await page.select('#f-since', '');
  await page.waitForFunction((w) => document.querySelector('#counts-window').textContent !== w, { timeout: TIMEOUT }, window5m);
  await waitForRow(page, keyboardCancel, 'RUNNING');
  await page.evaluate(() => document.activeElement.blur());
  await shoot(page, 'dashboard.png');

  step = 'cancel from the task page with the mouse';
  await page.click(`a[href="#task/${mouseCancel}"]`);
  await page.waitForFunction((i) => document.querySelector('#task-title').textContent.includes(i), { timeout: TIMEOUT }, mouseCancel);
  await waitForTaskStatus(page, 'RUNNING');
  const input = await page.$eval('#task-input', (p) => p.textContent);
  check('task_page_shows_the_input_as_text', input.includes('<img src=x onerror=') && input.includes('"steps": 200'), input);
  check('task_provided_markup_is_never_rendered', await page.evaluate(() => window.__xss === undefined
    && document.querySelector('#task-input img') === null));
  await page.click('#cancel');
  await page.waitForSelector('#confirm[open]', { timeout: TIMEOUT });
  check('the_confirmation_starts_on_the_safe_choice', await page.evaluate(() => document.activeElement.id === 'confirm-keep'));
  await page.click('#confirm-cancel');
  await waitForTaskStatus(page, 'CANCELLED');
  check('cancelled_from_the_page', (await task(cfg.open, mouseCancel)).status === 'CANCELLED');
  const announced = await page.$eval('#announce', (a) => ({ live: a.getAttribute('aria-live'), text: a.textContent }));
  check('updates_are_announced_in_a_live_region', announced.live === 'polite' && announced.text.length > 0, announced);
  check('cancel_is_disabled_once_the_task_ended', await page.$eval('#cancel', (b) => b.disabled));
  await shoot(page, 'task.png');

  step = 'cancel from the task page with the keyboard';
  await page.goto(cfg.open + '/v1/ui#task/' + keyboardCancel);
  await waitForTaskStatus(page, 'RUNNING');
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  const toCancel = await tabTo(page, () => document.activeElement.id === 'cancel', 15);
  check('tab_reaches_the_cancel_button', toCancel.reached, toCancel.seen);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#confirm[open]', { timeout: TIMEOUT });
  await page.keyboard.press('Escape');
  await page.waitForSelector('#confirm:not([open])', { timeout: TIMEOUT });
  const afterEscape = await task(cfg.open, keyboardCancel);
  check('escape_keeps_the_task', afterEscape.status === 'RUNNING' && !afterEscape.cancel_requested, afterEscape.status);
  check('focus_returns_to_the_cancel_button', await page.evaluate(() => document.activeElement.id === 'cancel'));
  await page.keyboard.press('Enter');
  await page.waitForSelector('#confirm[open]', { timeout: TIMEOUT });
  await page.keyboard.press('Tab');
  check('tab_moves_to_the_confirm_button', await page.evaluate(() => document.activeElement.id === 'confirm-cancel'));
  await page.keyboard.press('Enter');
  await waitForTaskStatus(page, 'CANCELLED');
  check('cancelled_with_the_keyboard', (await task(cfg.open, keyboardCancel)).status === 'CANCELLED');

  step = 'phone width';
  await page.setViewport({ width: 360, height: 740, isMobile: true, hasTouch: true });
  await page.goto(cfg.open + '/v1/ui');
  await waitForRow(page, keyboardCancel, 'CANCELLED');
  const phoneList = await noHorizontalOverflow(page);
  check('no_horizontal_overflow_at_360px', phoneList.doc <= 360 && phoneList.body <= 360, phoneList);
  await shoot(page, 'dashboard-phone.png');
  await page.goto(cfg.open + '/v1/ui#task/' + quickB);
  await waitForTaskStatus(page, 'SUCCEEDED');
  const phoneTask = await noHorizontalOverflow(page);
  check('no_horizontal_overflow_on_the_task_page_at_360px', phoneTask.doc <= 360 && phoneTask.body <= 360, phoneTask);

  step = 'a token from the operator';
  const guarded = await browser.newPage();
  watch(guarded);
  await guarded.setViewport({ width: 1280, height: 900 });
  const onTokenServer = await submit(cfg.tokenUrl, { steps: 1, step_ms: 0 });
  await guarded.goto(cfg.tokenUrl + '/v1/ui');
  await guarded.waitForSelector('#auth:not([hidden])', { timeout: TIMEOUT });
  check('a_401_asks_for_a_token', await guarded.evaluate(() => document.activeElement.id === 'token'
    && document.querySelector('label[for="token"]').textContent.includes('API token')));
  await guarded.type('#token', 'not-the-token');
  await guarded.keyboard.press('Enter');
  await guarded.waitForFunction(() => document.querySelector('#auth-reason').textContent.includes('not accepted'),
    { timeout: TIMEOUT });
  check('a_wrong_token_is_refused_and_forgotten', await guarded.evaluate(() => sessionStorage.getItem('longtasks.token') === null));
  await guarded.type('#token', cfg.token);
  await guarded.keyboard.press('Enter');
  await guarded.waitForSelector(`tr[data-task-id="${onTokenServer}"]`, { timeout: TIMEOUT });
  check('the_right_token_shows_the_tasks', true);
  check('the_token_is_kept_in_session_storage', await guarded.evaluate((t) => sessionStorage.getItem('longtasks.token') === t, cfg.token));
  await guarded.reload();
  await guarded.waitForSelector(`tr[data-task-id="${onTokenServer}"]`, { timeout: TIMEOUT });
  check('a_reload_keeps_the_token', await guarded.$eval('#auth', (a) => a.hidden));

  step = 'done';
  check('no_script_errors', results.pageErrors.length === 0, results.pageErrors);
  check('no_content_security_policy_violations', results.cspViolations.length === 0, results.cspViolations);
} catch (e) {
  results.errors.push('failed at "' + step + '": ' + e.message);
  try {
    const pages = browser ? await browser.pages() : [];
    if (pages.length) {
      await shoot(pages[pages.length - 1], 'failure.png');
    }
  } catch (ignored) {
    // the failure above is what matters
  }
} finally {
  if (browser) {
    await browser.close();
  }
}
process.stdout.write(JSON.stringify(results) + '\n');
