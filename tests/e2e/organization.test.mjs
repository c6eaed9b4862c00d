// Organization pages against the real server with the demo data: a
// department's administrator adds an agency; the legal office confirms a
// proposed 执法主体 and publishes it, and the portal's 执法主体公示 shows it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  loginAs, menuEntries, newPassword, startEnvironment, submitLogin, submitPasswordChange, textOf, withPage,
} from './helpers.mjs';

describe('organization', () => {
  let env;
  before(async () => { env = await startEnvironment({ seed: true }); });
  after(async () => { await env?.stop(); });

  test('a department administrator must change the password, then adds an agency and sees it listed', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      // Not logged in: the console sends to the login page, keeping the way back.
      await page.goto(`${env.server.url}/console/agencies`);
      await page.getByTestId('login-username').waitFor();
      const login = new URL(page.url());
      assert.equal(login.pathname, '/console/login');
      assert.equal(login.searchParams.get('redirect'), '/console/agencies');

      // A wrong password: the server's generic message.
      await submitLogin(page, 'scjg_admin', 'not-the-password');
      await page.getByTestId('login-error').waitFor();
      assert.match(await textOf(page.getByTestId('login-error')), /用户名或密码错误/);

      // First login: the password page, which cannot be left for another page.
      const demoPassword = env.password('scjg_admin');
      await submitLogin(page, 'scjg_admin', demoPassword);
      await page.waitForURL('**/console/password**');
      await page.getByTestId('password-forced').waitFor();
      assert.match(await textOf(page.getByTestId('password-policy')), /12 位.*大写字母、小写字母、数字、符号中的三类/);
      await page.goto(`${env.server.url}/console/subjects`);
      await page.getByTestId('password-forced').waitFor();
      assert.equal(new URL(page.url()).pathname, '/console/password', 'no other page before the password is changed');

      // A password the policy refuses is not accepted.
      await submitPasswordChange(page, demoPassword, 'kurz');
      assert.equal(new URL(page.url()).pathname, '/console/password');
      const next = newPassword();
      await submitPasswordChange(page, demoPassword, next);
      env.credentials.set('scjg_admin', next);
      await page.waitForURL((url) => url.pathname !== '/console/password');
      await page.getByTestId('console-menu').getByRole('menuitem', { name: '内设机构' }).click();

      // The menu has the organization pages, not the accounts or audit ones.
      const menu = await menuEntries(page);
      for (const entry of ['首页', '部门', '内设机构', '岗位', '执法主体']) assert.ok(menu.includes(entry), `menu has ${entry}: ${menu}`);
      for (const entry of ['用户', '角色', '审计日志']) assert.ok(!menu.includes(entry), `menu lacks ${entry}: ${menu}`);

      // Own department preselected; add an agency.
      const table = page.getByTestId('agency-table');
      await table.waitFor();
      const name = `综合执法${Date.now() % 100000}队`;
      await page.getByTestId('agency-create').click();
      await page.getByTestId('agency-name').fill(name);
      await page.getByTestId('agency-duties').fill('负责辖区内市场监管综合执法。');
      await page.getByTestId('agency-save').click();
      await table.getByText(name, { exact: true }).waitFor();

      // Still listed after a reload: it is on the server.
      await page.reload();
      await page.getByTestId('agency-table').getByText(name, { exact: true }).waitFor();

      // 退出登录 ends the session: the console asks for a login again.
      await page.getByTestId('user-menu').click();
      await page.getByTestId('menu-logout').click();
      await page.getByTestId('login-username').waitFor();
      await page.goto(`${env.server.url}/console/agencies`);
      await page.getByTestId('login-username').waitFor();
      assert.deepEqual(problems.filter((p) => !/status of 40[13]/.test(p)), [], 'no console errors');
    });
  });

  test('the legal office confirms a proposed subject and publishes it; the portal shows it', async (t) => {
    await withPage(t, env, async (page) => {
      await loginAs(page, env, 'legal_office');
      await page.getByTestId('console-menu').getByRole('menuitem', { name: '执法主体' }).click();
      const table = page.getByTestId('subject-table');
      await table.waitFor();

      // The demo has one proposed subject.
      await page.getByTestId('filter-status').click();
      await page.getByRole('option', { name: '待确认' }).click();
      const row = table.locator('tbody tr').filter({ has: page.getByTestId('subject-confirm') }).first();
      await row.waitFor();
      const name = await textOf(row.locator('td').first());
      assert.ok(name.length > 0);

      await row.getByTestId('subject-confirm').click();
      const doc = `永政〔2026〕${Date.now() % 1000}号`;
      await page.getByTestId('confirm-document').fill(doc);
      await page.getByTestId('confirm-save').click();
      await page.getByText('执法主体已确认').waitFor();

      // Now among the confirmed ones, with its document; publish it.
      await page.getByTestId('filter-status').click();
      await page.getByRole('option', { name: '已确认' }).click();
      const confirmed = table.locator('tbody tr').filter({ hasText: name }).first();
      await confirmed.getByText(doc).waitFor();
      await confirmed.getByTestId('subject-publish').click();
      await page.getByRole('dialog').getByRole('button', { name: '公告' }).click();
      await confirmed.getByTestId('subject-published').waitFor();

      // The portal: home links to 执法主体公示, which lists the subject.
      await page.goto(`${env.server.url}/`);
      await page.getByTestId('service-link-subjects').click();
      await page.getByTestId('public-subject-list').waitFor();
      const card = page.getByTestId('public-subject').filter({ hasText: name });
      await card.first().waitFor();
      assert.match(await textOf(card.first()), new RegExp(doc.replace(/[〔〕]/g, '.')));

      // Search by name narrows the list.
      await page.getByTestId('public-subject-q').fill(name);
      await page.waitForFunction(
        (n) => [...document.querySelectorAll('[data-testid="public-subject-name"]')].every((e) => e.textContent.includes(n)),
        name,
      );
    });
  });
});
