// Steps in the console that several browser tests take: the API as a given
// account, waiting for the server's answers, the menu, Element Plus date
// pickers and selects, the review of a power item and its queue, the
// browser problems a test expects, and the dates the personnel tests enter
// (days in Asia/Shanghai).
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import { loginAs, newPassword, textOf } from './helpers.mjs';

/**
 * The API as `username`, logged in with its own cookie jar (the first login's
 * password change done and recorded in env): get(path), post(path, body),
 * each resolving with the JSON answer and failing on another status.
 */
export async function apiAs(env, username) {
  const ctx = await request.newContext({ baseURL: env.server.url });
  let res = await ctx.post('/api/v1/session', { data: { username, password: env.password(username) } });
  assert.equal(res.status(), 200, await res.text());
  let session = await res.json();
  if (session.must_change_password) {
    const next = newPassword();
    res = await ctx.put('/api/v1/session/password', {
      data: { current_password: env.password(username), new_password: next },
      headers: { 'X-CSRF-Token': session.csrf_token },
    });
    assert.equal(res.status(), 204, await res.text());
    env.credentials.set(username, next);
    session = await (await ctx.get('/api/v1/session')).json();
  }
  const call = async (method, path, body) => {
    const r = await ctx.fetch(path, { method, data: body, headers: { 'X-CSRF-Token': session.csrf_token } });
    assert.ok(r.status() === 200 || r.status() === 201, `${method} ${path} answered ${r.status()}: ${await r.text()}`);
    return r.json();
  };
  return { get: (path) => call('GET', path), post: (path, body = {}) => call('POST', path, body), dispose: () => ctx.dispose() };
}

/** Waits for the next answer of the server to a request whose method, path and query match. */
export function nextAnswer(page, method, pathname, params = {}) {
  return page.waitForResponse((res) => {
    const url = new URL(res.url());
    return res.request().method() === method && url.pathname === pathname
      && Object.entries(params).every(([k, v]) => url.searchParams.get(k) === v);
  });
}

/** Opens the console menu's entry `label`; resolves once its page (at `pathname`) shows its title. */
export async function openMenu(page, label, pathname) {
  await page.getByTestId('console-menu').getByRole('menuitem', { name: label }).click();
  await page.waitForURL((url) => url.pathname === pathname);
  await page.getByTestId('page-title').filter({ hasText: label }).waitFor();
}

/**
 * Logs `username` in on the console page of power item `id` and waits until
 * the item shows as published (已公布).
 */
export async function openPublishedItem(page, env, username, id) {
  await loginAs(page, env, username, { path: `/console/power-items/${id}` });
  await page.goto(`${env.server.url}/console/power-items/${id}`);
  await page.getByTestId('power-status').filter({ hasText: '已公布' }).waitFor();
}

/** Types a date into the Element Plus date picker inside the element with this test id. */
export async function setDate(page, testId, date) {
  const input = page.getByTestId(testId).locator('input');
  await input.fill(date);
  await input.press('Enter');
}

/**
 * Picks an option of the Element Plus select with this test id: a string is
 * the option's whole text, a RegExp a pattern of it.
 */
export async function choose(page, testId, option) {
  await page.getByTestId(testId).locator('.el-select__wrapper').click();
  const name = typeof option === 'string' ? { name: option, exact: true } : { name: option };
  await page.locator('.el-select-dropdown:visible').getByRole('option', name).click();
}

/** Until no select's dropdown shows (the last one picked fades out). */
export const noDropdown = (page) => page.waitForFunction(() => [...document.querySelectorAll('.el-select-dropdown')]
  .every((e) => !e.checkVisibility()));

/** The options an Element Plus select offers, then closed again by a click on `away`. */
export async function optionsOf(page, testId, away) {
  await noDropdown(page);
  await page.getByTestId(testId).locator('.el-select__wrapper').click();
  const list = page.locator('.el-select-dropdown:visible');
  await list.waitFor();
  const texts = (await list.getByRole('option').allInnerTexts()).map((s) => s.trim());
  await away.click();
  await list.waitFor({ state: 'hidden' });
  return texts;
}

/**
 * Takes one step of the review from the item's page (the dialog's comment
 * optional); resolves with the dialog's hint.
 */
export async function step(page, button, comment = '') {
  await page.getByTestId(button).click();
  const dialog = page.getByTestId('review-dialog');
  await dialog.getByTestId('review-confirm').waitFor();
  const hint = await textOf(dialog.getByTestId('review-hint'));
  if (comment) await dialog.getByTestId('review-comment').fill(comment);
  const answer = nextAnswer(page, 'POST', new URL(page.url()).pathname.replace('/console/power-items', '/api/v1/power-items')
    + `/${button.replace('power-action-', '')}`);
  await dialog.getByTestId('review-confirm').click();
  assert.equal((await answer).status(), 200);
  await dialog.waitFor({ state: 'hidden' });
  return hint;
}

/** The row of a table that links to the item. */
export const rowOf = (table, id) => table.locator('tbody tr').filter({
  has: table.page().locator(`a[href="/console/power-items/${id}"], a[href^="/console/power-items/${id}?"]`),
});

/** Opens the item from the review queue's tab and checks what the queue says it is about. */
export async function fromQueue(page, tab, id, change) {
  await openMenu(page, '审核队列', '/console/power-reviews');
  await page.getByTestId(`review-tab-${tab}`).click();
  const row = rowOf(page.getByTestId(`review-queue-${tab}`), id);
  await row.waitFor();
  assert.equal(await textOf(row.getByTestId('queue-change')), change);
  await row.getByTestId('queue-link').click();
  await page.waitForURL((url) => url.pathname === `/console/power-items/${id}`);
}

/**
 * The browser problems a test did not expect: all but the 401 of the session
 * check before the login, which the browser reports, and those matching one
 * of `allowed` (the refusals and look-ups a test provokes on purpose).
 */
export const unexpected = (problems, ...allowed) => problems
  .filter((p) => ![/status of 401/, ...allowed].some((re) => re.test(p)));

/** Today in Asia/Shanghai, YYYY-MM-DD, and the same day `years` on. */
export function shanghaiDate(years = 0) {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).split('-');
  return `${Number(y) + years}-${m}-${d === '29' && m === '02' ? '28' : d}`;
}
