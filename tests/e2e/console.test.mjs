// The console's login, home page and menu, and the not-found view (SPA
// fallback), against the real server with the demo accounts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  fetchInfo, loginAs, menuEntries, startEnvironment, submitLogin, textOf, withPage,
} from './helpers.mjs';

describe('console', () => {
  let env;
  before(async () => { env = await startEnvironment({ seed: true }); });
  after(async () => { await env?.stop(); });

  test('/console without a session shows the login page', async (t) => {
    await withPage(t, env, async (page) => {
      const info = await fetchInfo(env.server);
      const response = await page.goto(`${env.server.url}/console`);
      assert.equal(response.status(), 200);
      await page.getByTestId('login-username').waitFor();
      assert.equal(new URL(page.url()).pathname, '/console/login');
      assert.equal(await textOf(page.getByRole('heading', { level: 1 })), '登录管理端');
      assert.equal(await textOf(page.getByTestId('brand-name')), info.name);
      assert.ok((await textOf(page.getByTestId('footer-version'))).includes(info.version));
      assert.equal(await page.getByTestId('console-menu').count(), 0, 'no menu before login');
      assert.equal(await page.title(), `登录 - ${info.name}`);
    });
  });

  test('after login the home shows the account, the server status and a menu of working pages', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      const info = await fetchInfo(env.server);
      await loginAs(page, env, 'legal_office');
      assert.equal(new URL(page.url()).pathname, '/console');
      assert.equal(await textOf(page.getByRole('heading', { level: 1 })), '管理端');
      await page.getByTestId('service-state').waitFor();
      assert.equal(await textOf(page.getByTestId('server-version')), info.version);
      assert.match(await textOf(page.getByTestId('server-time')), /^\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}:\d{2}$/);
      assert.equal(await textOf(page.getByTestId('console-name')), info.name);
      assert.equal(await page.title(), `管理端 - ${info.name}`);
      assert.match(await textOf(page.getByTestId('welcome')), /legal_office/);

      // Every entry of the menu opens a page that works (no error, no refusal).
      const entries = await menuEntries(page);
      assert.deepEqual(entries, ['首页', '行政区划', '部门', '内设机构', '岗位', '执法主体', '记录浏览', '完整性', '规则集', '法定工作日历', '法律法规库', '权责事项', '审核队列', '编制进度', '授权与委托', '执法人员', '考试', '执法证件', '证件提醒', '定期轮岗']);
      for (const entry of entries.slice(1)) {
        await page.getByTestId('console-menu').getByRole('menuitem', { name: entry }).click();
        await page.getByTestId('page-title').filter({ hasText: entry }).waitFor();
        await page.waitForLoadState('networkidle');
        assert.equal(await page.getByTestId('error-notice').count(), 0, `${entry} loads without error`);
        assert.equal(await page.getByTestId('forbidden').count(), 0, `${entry} is allowed`);
      }
      // The session check before the login answers 401, which the browser reports.
      const unexpected = problems.filter((p) => !/status of 401/.test(p));
      assert.deepEqual(unexpected, [], 'no console errors, page errors or CSP violations');
    });
  });

  test('deep link /console/does-not-exist: login first, then the Chinese not-found view', async (t) => {
    await withPage(t, env, async (page) => {
      const info = await fetchInfo(env.server);
      const response = await page.goto(`${env.server.url}/console/does-not-exist`);
      assert.equal(response.status(), 200, 'the server answers a deep link with index.html');
      assert.match(response.headers()['content-type'] || '', /^text\/html/);
      await page.getByTestId('login-username').waitFor();
      assert.equal(new URL(page.url()).searchParams.get('redirect'), '/console/does-not-exist');

      await submitLogin(page, 'legal_office', env.password('legal_office'));
      const notFound = page.getByTestId('not-found');
      await notFound.waitFor();
      assert.equal(await textOf(notFound.getByRole('heading', { level: 1 })), '页面不存在');
      assert.equal(await textOf(page.getByTestId('not-found-path')), '/console/does-not-exist');
      await page.getByTestId('console-menu').waitFor(); // inside the console's layout
      assert.equal(await page.title(), `页面不存在 - ${info.name}`);

      await page.getByRole('link', { name: '返回管理端首页' }).click();
      await page.getByTestId('service-state').waitFor();
      assert.equal(new URL(page.url()).pathname, '/console');
    });
  });

  test('a session that ended on the server sends the next request to the login page and back', async (t) => {
    await withPage(t, env, async (page, { context }) => {
      await loginAs(page, env, 'legal_office');
      // The session ends behind the console's back (as after the idle timeout).
      await context.clearCookies();
      await page.getByTestId('console-menu').getByRole('menuitem', { name: '部门' }).click();
      await page.getByTestId('session-expired').waitFor();
      const login = new URL(page.url());
      assert.equal(login.pathname, '/console/login');
      assert.equal(login.searchParams.get('redirect'), '/console/departments');

      await submitLogin(page, 'legal_office', env.password('legal_office'));
      await page.getByTestId('department-table').waitFor();
      assert.equal(new URL(page.url()).pathname, '/console/departments');
    });
  });

  test('deep link to an unknown portal path shows the not-found view in the portal', async (t) => {
    await withPage(t, env, async (page) => {
      const response = await page.goto(`${env.server.url}/gongshi/no-such-page`);
      assert.equal(response.status(), 200, 'the server answers a deep link with index.html');
      await page.getByTestId('not-found').waitFor();
      assert.equal(await textOf(page.getByRole('heading', { level: 1 })), '页面不存在');
      assert.equal(await page.getByTestId('console-menu').count(), 0, 'the portal has no console menu');

      await page.getByRole('link', { name: '返回门户首页' }).click();
      await page.getByTestId('site-name').waitFor();
      assert.equal(new URL(page.url()).pathname, '/');
    });
  });
});
