// The public portal's home page against the real server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fetchInfo, startEnvironment, textOf, withPage } from './helpers.mjs';

const SERVICES = ['执法主体公示', '权责清单', '执法流程图', '执法结果公示', '执法证件查询', '投诉举报'];

/** "2026年11月28日 14:03:05" → ms since the epoch, read as UTC+8. */
function parseShownTime(text) {
  const m = /^(\d{4})年(\d{2})月(\d{2})日 (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  assert.ok(m, `server time is shown as 年月日 时:分:秒, got ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3600e3;
}

describe('portal home', () => {
  let env;
  before(async () => { env = await startEnvironment(); });
  after(async () => { await env?.stop(); });

  test('renders in Chinese with the name and version the API returns', async (t) => {
    await withPage(t, env, async (page) => {
      const info = await fetchInfo(env.server);
      assert.equal(typeof info.name, 'string');
      assert.match(info.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/, 'time is ISO 8601 in UTC+8');

      await page.goto(`${env.server.url}/`);
      const heading = page.getByRole('heading', { level: 1 });
      await heading.waitFor();
      assert.equal(await textOf(heading), info.name);
      assert.equal(await textOf(page.getByTestId('site-name')), info.name);
      assert.equal(await page.title(), info.name);
      assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');

      assert.equal(await textOf(page.getByTestId('server-version')), info.version);
      assert.equal(await textOf(page.getByTestId('brand-name')), info.name);
      assert.ok((await textOf(page.getByTestId('footer-version'))).includes(info.version), 'footer shows the version');

      // The server's time, close to the one the test fetched.
      const shown = parseShownTime(await textOf(page.getByTestId('server-time')));
      assert.ok(Math.abs(shown - Date.parse(info.time)) < 5 * 60e3,
        `shown server time ${shown} is near ${info.time}`);

      const services = await textOf(page.getByTestId('services'));
      for (const s of SERVICES) assert.ok(services.includes(s), `the introduction mentions ${s}`);

      // No links to pages that do not exist yet: the portal home, 执法主体公示, 权责清单, 执法证件查询, 全过程记录公示 and the console.
      const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const href of hrefs) assert.ok(['/', '/subjects', '/power-items', '/certificates', '/record', '/console'].includes(href), `unexpected link ${href}`);
      assert.ok(hrefs.includes('/power-items'), 'the home links to 权责清单');
      assert.ok(hrefs.includes('/subjects'), 'the home links to 执法主体公示');
      assert.ok(hrefs.includes('/record'), 'the home links to 全过程记录公示');

      // Chinese text: no English words on the page apart from the deployment's own name and version.
      let body = await page.locator('body').innerText();
      body = body.split(info.name).join('').split(info.version).join('');
      assert.match(body, /行政执法/);
      assert.doesNotMatch(body, /[A-Za-z]{4,}/, 'no English words are shown');
    });
  });

  test('home page has no console errors and no CSP violations', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      const response = await page.goto(`${env.server.url}/`, { waitUntil: 'networkidle' });
      assert.equal(response.status(), 200);
      const csp = response.headers()['content-security-policy'] || '';
      assert.match(csp, /default-src 'self'/, `the page is served with its CSP, got ${JSON.stringify(csp)}`);
      assert.match(csp, /script-src 'self'/);

      await page.getByTestId('site-name').waitFor();
      await page.getByTestId('server-time').waitFor();

      // Navigating within the SPA loads the console's code under the same
      // policy (its login page, as nobody is logged in).
      await page.getByRole('link', { name: '管理端' }).click();
      await page.getByTestId('login-username').waitFor();
      assert.equal(new URL(page.url()).pathname, '/console/login');
      await page.goBack();
      await page.getByTestId('site-name').waitFor();
      await page.getByTestId('services').getByRole('link', { name: '执法主体公示' }).click();
      await page.getByTestId('page-title').waitFor();
      await page.waitForLoadState('networkidle');

      // The browser reports the console's session check (401: nobody is
      // logged in) as a failed resource; that is the expected answer.
      const unexpected = problems.filter((p) => !/status of 401/.test(p));
      assert.deepEqual(unexpected, [], 'no console errors, page errors or CSP violations');
    });
  });
});
