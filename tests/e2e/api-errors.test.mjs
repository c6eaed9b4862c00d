// What the pages show when the API is down, answers an error, or is slow.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fetchInfo, startEnvironment, textOf, withPage } from './helpers.mjs';

const INFO = '**/api/v1/public/info';
const SESSION = '**/api/v1/session';

describe('API failures', () => {
  let env;
  before(async () => { env = await startEnvironment(); });
  after(async () => { await env?.stop(); });

  test('unreachable API: the Chinese error is shown and 重试 loads the data', async (t) => {
    await withPage(t, env, async (page) => {
      const info = await fetchInfo(env.server);
      await page.route(INFO, (route) => route.abort('connectionrefused'));
      await page.goto(`${env.server.url}/`);

      const notice = page.getByTestId('error-notice');
      await notice.waitFor();
      assert.equal(await textOf(page.getByTestId('error-title')), '无法连接到服务器');
      assert.match(await textOf(page.getByTestId('error-message')), /网络/);
      assert.equal(await page.getByTestId('site-name').count(), 0, 'no data while the API is down');

      await page.unroute(INFO);
      await page.getByRole('button', { name: '重试' }).click();
      await page.getByTestId('site-name').waitFor();
      assert.equal(await textOf(page.getByTestId('site-name')), info.name);
      assert.equal(await textOf(page.getByTestId('server-version')), info.version);
      assert.equal(await notice.count(), 0, 'the error is gone');
      assert.equal(await page.title(), info.name);
    });
  });

  test('unreachable API on the console: the session cannot be checked, 重试 goes on to the login page', async (t) => {
    await withPage(t, env, async (page) => {
      await page.route(SESSION, (route) => route.abort('connectionrefused'));
      await page.goto(`${env.server.url}/console`);
      await page.getByTestId('error-notice').waitFor();
      assert.equal(await textOf(page.getByTestId('error-title')), '无法连接到服务器');
      assert.equal(await page.getByTestId('login-username').count(), 0);

      await page.unroute(SESSION);
      await page.getByRole('button', { name: '重试' }).click();
      await page.getByTestId('login-username').waitFor();
      assert.equal(new URL(page.url()).pathname, '/console/login');
      assert.equal(await page.getByTestId('error-notice').count(), 0, 'the error is gone');
    });
  });

  test('a 503 with the error body shows the server message and basis', async (t) => {
    await withPage(t, env, async (page) => {
      const error = {
        code: 'http.unavailable',
        message: '系统正在维护，请于今日十八时后访问。',
        basis: '《永城市行政执法监督平台运行维护规程》第五条',
      };
      await page.route(INFO, (route) => route.fulfill({
        status: 503,
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify({ error }),
      }));
      await page.goto(`${env.server.url}/`);
      await page.getByTestId('error-notice').waitFor();
      assert.equal(await textOf(page.getByTestId('error-title')), '服务暂时不可用');
      assert.equal(await textOf(page.getByTestId('error-message')), error.message);
      assert.equal(await textOf(page.getByTestId('error-basis')), `依据：${error.basis}`);
      assert.match(await textOf(page.getByTestId('error-notice')), /http\.unavailable/);
      await page.getByRole('button', { name: '重试' }).waitFor();
    });
  });

  test('a 502 that is not JSON shows a Chinese message', async (t) => {
    await withPage(t, env, async (page) => {
      await page.route(SESSION, (route) => route.fulfill({
        status: 502,
        contentType: 'text/html',
        body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      }));
      await page.goto(`${env.server.url}/console`);
      await page.getByTestId('error-notice').waitFor();
      assert.equal(await textOf(page.getByTestId('error-title')), '服务暂时不可用');
      assert.match(await textOf(page.getByTestId('error-message')), /服务暂时不可用（HTTP 502）/);
      assert.doesNotMatch(await textOf(page.getByTestId('error-notice')), /Bad Gateway/);
    });
  });

  test('a slow API shows the loading state until the data arrives', async (t) => {
    await withPage(t, env, async (page) => {
      let release;
      const released = new Promise((resolve) => { release = resolve; });
      await page.route(INFO, async (route) => {
        await released;
        await route.continue();
      });
      await page.goto(`${env.server.url}/`, { waitUntil: 'commit' });
      const loading = page.getByTestId('loading');
      await loading.waitFor();
      assert.match(await textOf(loading), /正在/);
      assert.equal(await loading.getAttribute('aria-busy'), 'true');

      release();
      await page.getByTestId('site-name').waitFor();
      assert.equal(await loading.count(), 0);
    });
  });
});
