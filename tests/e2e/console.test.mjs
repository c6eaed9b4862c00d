// The console's entry page and the not-found view (SPA fallback) against the real server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fetchInfo, startEnvironment, textOf, withPage } from './helpers.mjs';

describe('console', () => {
  let env;
  before(async () => { env = await startEnvironment(); });
  after(async () => { await env?.stop(); });

  test('entry page /console shows its heading and the server status', async (t) => {
    await withPage(t, env, async (page) => {
      const info = await fetchInfo(env.server);
      const response = await page.goto(`${env.server.url}/console`);
      assert.equal(response.status(), 200);

      const heading = page.getByRole('heading', { level: 1 });
      assert.equal(await textOf(heading), '管理端');
      await page.getByTestId('service-state').waitFor();

      const status = await textOf(page.getByTestId('server-status'));
      assert.match(status, /服务状态\s*正常/);
      assert.equal(await textOf(page.getByTestId('service-state')), '正常');
      assert.equal(await textOf(page.getByTestId('server-version')), info.version);
      assert.match(await textOf(page.getByTestId('server-time')), /^\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}:\d{2}$/);
      assert.equal(await textOf(page.getByTestId('console-name')), info.name);
      assert.equal(await textOf(page.getByTestId('brand-name')), info.name);
      assert.ok((await textOf(page.getByTestId('footer-version'))).includes(info.version));
      assert.match(await textOf(page.getByTestId('login-notice')), /登录功能即将开放/);
      assert.equal(await page.title(), `管理端 - ${info.name}`);

      // The menu has only the pages that work.
      const items = await page.getByTestId('console-menu').getByRole('menuitem').allInnerTexts();
      assert.deepEqual(items.map((s) => s.trim()), ['首页']);
    });
  });

  test('deep link /console/does-not-exist shows the Chinese not-found view', async (t) => {
    await withPage(t, env, async (page) => {
      const info = await fetchInfo(env.server);
      const response = await page.goto(`${env.server.url}/console/does-not-exist`);
      assert.equal(response.status(), 200, 'the server answers a deep link with index.html');
      assert.match(response.headers()['content-type'] || '', /^text\/html/);

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
