// Account pages and the audit trail against the real server with the demo
// accounts: the 三员 rules are visible (the security administrator edits
// roles but not their own; the system administrator edits no roles), and
// the auditor finds a refusal in 审计日志.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loginAs, menuEntries, startEnvironment, textOf, withPage } from './helpers.mjs';

describe('accounts and audit', () => {
  let env;
  before(async () => { env = await startEnvironment({ seed: true }); });
  after(async () => { await env?.stop(); });

  test('secadmin edits roles under the 三员 rules, its own row disabled', async (t) => {
    await withPage(t, env, async (page) => {
      await loginAs(page, env, 'secadmin');
      const menu = await menuEntries(page);
      assert.ok(menu.includes('用户') && menu.includes('角色'), `menu: ${menu}`);
      for (const entry of ['部门', '执法主体', '审计日志']) assert.ok(!menu.includes(entry), `三员 menu lacks ${entry}: ${menu}`);

      await page.goto(`${env.server.url}/console/users`);
      const table = page.getByTestId('user-table');
      await table.getByTestId('user-row-secadmin').waitFor();
      assert.equal(await page.getByTestId('user-create').count(), 0, 'secadmin creates no accounts');

      // Own row: the role button is disabled, with the reason on hover.
      const own = table.locator('tbody tr').filter({ has: page.getByTestId('user-row-secadmin') });
      assert.ok(await own.getByTestId('user-roles').isDisabled(), 'own roles are not editable');
      await own.getByTestId('own-roles-locked').hover();
      await page.getByText('任何人不能修改自己的角色').waitFor();

      // Another account: the editor shows the rules; a 三员 role excludes the others.
      const other = table.locator('tbody tr').filter({ has: page.getByTestId('user-row-scjg_officer') });
      await other.getByTestId('user-roles').click();
      await page.getByTestId('sanyuan-rules').waitFor();
      assert.match(await textOf(page.getByTestId('sanyuan-rules')), /必须单独持有/);
      const auditorOption = page.getByTestId('role-option-auditor');
      assert.ok(await auditorOption.locator('input').isDisabled(), 'a 三员 role cannot join the officer role');

      // Grant a second department role and see it in the list.
      await page.getByTestId('role-option-legal_reviewer').click();
      await page.getByTestId('roles-save').click();
      await page.getByText('角色已更新').waitFor();
      await other.getByText('法制审核人员').waitFor();
    });
  });

  test('sysadmin manages accounts but has no role editing; a new account shows its password once', async (t) => {
    await withPage(t, env, async (page) => {
      await loginAs(page, env, 'sysadmin');
      const menu = await menuEntries(page);
      assert.ok(menu.includes('用户'), `menu: ${menu}`);
      assert.ok(!menu.includes('审计日志') && !menu.includes('执法主体'), `menu: ${menu}`);

      await page.goto(`${env.server.url}/console/users`);
      await page.getByTestId('user-table').getByTestId('user-row-sysadmin').waitFor();
      assert.equal(await page.getByTestId('user-roles').count(), 0, 'no role editing for sysadmin');

      const username = `zhangsan${Date.now() % 100000}`;
      await page.getByTestId('user-create').click();
      await page.getByTestId('new-username').fill(username);
      await page.getByTestId('new-display-name').fill('张三');
      await page.getByTestId('new-user-save').click();
      await page.getByTestId('otp-password').waitFor();
      assert.equal(await textOf(page.getByTestId('otp-username')), username);
      const initial = await page.getByTestId('otp-password').inputValue();
      assert.ok(initial.length >= 12, 'an initial password is shown');
      await page.getByTestId('otp-done').click();
      await page.getByTestId('user-row-' + username).waitFor();
    });
  });

  test('the auditor sees a refusal in 审计日志', async (t) => {
    await withPage(t, env, async (page) => {
      // A refusal: the system administrator asks for the audit trail.
      await loginAs(page, env, 'sysadmin');
      const status = await page.evaluate(async () => (await fetch('/api/v1/audit')).status);
      assert.equal(status, 403);
      // The page itself is not offered to them.
      await page.goto(`${env.server.url}/console/audit`);
      await page.getByTestId('forbidden').waitFor();
      await page.getByTestId('user-menu').click();
      await page.getByTestId('menu-logout').click();
      await page.getByTestId('login-username').waitFor();

      await loginAs(page, env, 'auditor');
      assert.deepEqual(await menuEntries(page), ['首页', '审计日志', '完整性']);
      await page.getByTestId('console-menu').getByRole('menuitem', { name: '审计日志' }).click();
      const table = page.getByTestId('audit-table');
      await table.waitFor();
      await page.getByTestId('audit-filter-event').click();
      await page.getByRole('option', { name: /拒绝访问/ }).click();
      const row = table.locator('tbody tr').filter({ hasText: '/api/v1/audit' }).first();
      await row.waitFor();
      assert.match(await textOf(row), /sysadmin/);
      assert.match(await textOf(row), /403/);
    });
  });
});
