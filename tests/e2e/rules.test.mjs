// The rule set (规则集) and the statutory calendar (法定工作日历) against the
// real server with the demo data and the shipped rules: the legal office
// reads the rules in force in 永城市 on a day, with the level that set each
// value and its legal source, reads the versions of a rule, and amends one
// from a later date (a second amendment from the same date is refused with
// the server's reason; a date before today asks for 补录 first); it cannot
// amend at 河南省, a level above its own; on the calendar it counts periods in
// 工作日 and 日, sees a period that leaves the holiday data refused, one with
// a running excluded period paused, and sets and removes a local holiday. A
// department's officer reads the rule set and the calendar but changes
// nothing. The shipped calendar data covers 2015-01-01 to 2026-12-24.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loginAs, menuEntries, startEnvironment, textOf, withPage } from './helpers.mjs';

/** GET on the server from inside the page, with the page's session cookie. */
function pageGet(page, path) {
  return page.evaluate(async (p) => {
    const res = await fetch(p, { headers: { Accept: 'application/json' } });
    return { status: res.status, body: await res.json().catch(() => null) };
  }, path);
}

/** Types a date into the Element Plus date picker inside the element with this test id. */
async function setDate(page, testId, date) {
  const input = page.getByTestId(testId).locator('input');
  await input.fill(date);
  await input.press('Enter');
}

/** Waits for the next answer of the server to a GET whose path and query match. */
function nextAnswer(page, pathname, params = {}) {
  return page.waitForResponse((res) => {
    const url = new URL(res.url());
    return url.pathname === pathname && Object.entries(params).every(([k, v]) => url.searchParams.get(k) === v);
  });
}

async function openMenu(page, label, pathname) {
  await page.getByTestId('console-menu').getByRole('menuitem', { name: label }).click();
  await page.waitForURL((url) => url.pathname === pathname);
  await page.getByTestId('page-title').filter({ hasText: label }).waitFor();
}

describe('rules and calendar', () => {
  let env;
  before(async () => {
    env = await startEnvironment({ seed: true });
  });
  after(async () => { await env?.stop(); });

  test('the legal office reads the rules in force in 永城市 on a day, their history, and amends one', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office');
      const menu = await menuEntries(page);
      assert.ok(menu.includes('规则集') && menu.includes('法定工作日历'), `menu: ${menu}`);

      const jurisdictions = await pageGet(page, '/api/v1/jurisdictions');
      const yongcheng = jurisdictions.body.items.find((j) => j.name === '永城市');
      assert.ok(yongcheng, `the demo has 永城市: ${JSON.stringify(jurisdictions.body)}`);
      const henan = jurisdictions.body.items.find((j) => j.name === '河南省');

      await openMenu(page, '规则集', '/console/rules');
      const table = page.getByTestId('rules-table');
      await table.locator('tbody tr').first().waitFor();
      assert.match(await textOf(page.getByTestId('rules-intro')), /出处待核实.*作出之日施行的规则.*全过程记录/);
      await table.getByTestId('rule-amend').first().waitFor();

      // 河南省 is above the office's own 永城市: its rules are read, not amended.
      if (henan) {
        const above = nextAnswer(page, '/api/v1/rules', { jurisdiction_id: String(henan.id) });
        await page.getByTestId('rules-filter-jurisdiction').locator('.el-select__wrapper').click();
        await page.getByRole('option', { name: '河南省', exact: true }).click();
        assert.equal((await above).status(), 200);
        await table.locator('tbody tr').filter({ hasText: '听证标准：对公民的罚款' }).getByTestId('rule-region')
          .filter({ hasText: '本级：河南省' }).waitFor();
        assert.equal(await page.getByTestId('rule-amend').count(), 0, 'no 修订 above the own jurisdiction');
      }

      // 永城市 (the office's own jurisdiction, picked again from the tree) on 2026-06-01.
      await page.getByTestId('rules-filter-jurisdiction').locator('.el-select__wrapper').click();
      await page.getByRole('option', { name: '永城市', exact: true }).click();
      const loaded = nextAnswer(page, '/api/v1/rules', { jurisdiction_id: String(yongcheng.id), date: '2026-06-01' });
      await setDate(page, 'rules-filter-date', '2026-06-01');
      assert.equal((await loaded).status(), 200);
      assert.match(await textOf(page.getByTestId('rules-filter-jurisdiction')), /永城市/);

      // The hearing threshold for citizens: 5000 元, set by the province (令第204号).
      const hearing = table.locator('tbody tr').filter({ hasText: '听证标准：对公民的罚款' });
      await hearing.getByTestId('rule-value').filter({ hasText: '5000 元' }).waitFor();
      assert.equal(await textOf(hearing.getByTestId('rule-region')), '沿用上级：河南省');
      assert.match(await textOf(hearing.getByTestId('rule-citation')), /第204号/);
      assert.match(await textOf(hearing.getByTestId('rule-period')), /^\d{4}-\d{2}-\d{2} 起$/);
      // An unconfirmed source is flagged.
      const filing = table.locator('tbody tr').filter({ hasText: '重大行政处罚报送备案期限' });
      await filing.getByTestId('rule-unconfirmed').waitFor();
      assert.equal(await textOf(filing.getByTestId('rule-value')), '15 日');

      // Before every rule there was: no version in force.
      const early = nextAnswer(page, '/api/v1/rules', { date: '1990-01-01' });
      await setDate(page, 'rules-filter-date', '1990-01-01');
      await early;
      await hearing.getByTestId('rule-none').filter({ hasText: '当日无有效版本' }).waitFor();
      const back = nextAnswer(page, '/api/v1/rules', { date: '2026-06-01' });
      await setDate(page, 'rules-filter-date', '2026-06-01');
      await back;
      await hearing.getByTestId('rule-value').waitFor();

      // History of the on-the-spot fine limit: 50 元 under the 1996 law, 200 元 since 2021-07-15.
      const spot = table.locator('tbody tr').filter({ hasText: '当场处罚罚款上限（公民）' });
      await spot.getByTestId('rule-history-open').click();
      const drawer = page.getByTestId('rule-history');
      const history = drawer.getByTestId('rule-history-table');
      await history.locator('tbody tr').nth(1).waitFor();
      const versions = await history.locator('tbody tr').allInnerTexts();
      assert.equal(versions.length, 2, `two versions: ${versions}`);
      const old = history.locator('tbody tr').nth(0);
      const current = history.locator('tbody tr').nth(1);
      assert.equal(await textOf(old.getByTestId('history-value')), '50 元');
      assert.equal(await textOf(old.getByTestId('history-period')), '1996-10-01 至 2021-07-14');
      assert.equal(await textOf(current.getByTestId('history-value')), '200 元');
      assert.equal(await textOf(current.getByTestId('history-period')), '2021-07-15 起');
      assert.match(await textOf(current), /当日施行/);
      await drawer.getByRole('button', { name: /关闭/ }).click();
      await drawer.waitFor({ state: 'hidden' });

      // Amend the filing period for 永城市 from 2030-01-01.
      const reason = `市政府规范性文件调整备案期限（测试 ${Date.now() % 100000}）`;
      const amendments = [];
      page.on('request', (req) => {
        if (req.method() === 'POST' && new URL(req.url()).pathname.startsWith('/api/v1/rules/')) amendments.push(req.url());
      });
      await filing.getByTestId('rule-amend').click();
      const form = page.getByTestId('rule-amend-form');
      await form.waitFor();
      assert.equal(await textOf(form.getByTestId('amend-jurisdiction')), '永城市');
      assert.equal(await form.getByTestId('amend-retroactive').count(), 0, 'no 补录 for today');
      await form.getByTestId('amend-value').locator('input').fill('20');
      await form.getByTestId('amend-norm').fill('《永城市重大行政处罚备案规定》');
      await form.getByTestId('amend-article').fill('第六条');
      await form.getByTestId('amend-reason').fill(reason);
      // A day before today records a rule already in force: 补录 must be ticked first.
      await setDate(page, 'amend-effective-from', '2025-01-01');
      const retroactive = form.getByTestId('amend-retroactive');
      await retroactive.waitFor();
      assert.match(await textOf(retroactive), /补录已施行的规定（该日期早于今天）/);
      await page.getByTestId('amend-save').click();
      await form.getByTestId('amend-retroactive-item').locator('.el-form-item__error').filter({ hasText: '须勾选补录' }).waitFor();
      assert.deepEqual(amendments, [], 'nothing sent without 补录');
      await setDate(page, 'amend-effective-from', '2030-01-01');
      await retroactive.waitFor({ state: 'detached' });
      await page.getByTestId('amend-save').click();
      await page.getByText('已修订“重大行政处罚报送备案期限”，自 2030-01-01 起施行').waitFor();
      assert.equal(amendments.length, 1);
      await form.waitFor({ state: 'hidden' });
      // On 2026-06-01 the province's 15 日 still applies.
      assert.equal(await textOf(filing.getByTestId('rule-value')), '15 日');

      // The new version is in the history, after the province's.
      await filing.getByTestId('rule-history-open').click();
      const amended = history.locator('tbody tr').filter({ hasText: reason });
      await amended.waitFor();
      assert.equal(await textOf(amended.getByTestId('history-region')), '永城市');
      assert.equal(await textOf(amended.getByTestId('history-value')), '20 日');
      assert.equal(await textOf(amended.getByTestId('history-period')), '2030-01-01 起');
      assert.match(await textOf(amended), /《永城市重大行政处罚备案规定》第六条/);
      const rows = await history.getByTestId('history-region').allInnerTexts();
      assert.deepEqual(rows.map((s) => s.trim()), ['河南省', '永城市']);
      await drawer.getByRole('button', { name: /关闭/ }).click();
      await drawer.waitFor({ state: 'hidden' });

      // From 2030-01-01 on, 永城市's own value applies.
      const later = nextAnswer(page, '/api/v1/rules', { date: '2030-01-01' });
      await setDate(page, 'rules-filter-date', '2030-01-01');
      await later;
      await filing.getByTestId('rule-value').filter({ hasText: '20 日' }).waitFor();
      assert.equal(await textOf(filing.getByTestId('rule-region')), '本级：永城市');

      // A second version from the same day is refused; the dialog says why.
      await filing.getByTestId('rule-amend').click();
      await form.waitFor();
      await form.getByTestId('amend-value').locator('input').fill('25');
      await setDate(page, 'amend-effective-from', '2030-01-01');
      await form.getByTestId('amend-norm').fill('《永城市重大行政处罚备案规定》');
      await form.getByTestId('amend-article').fill('第六条');
      await form.getByTestId('amend-reason').fill('重复修订');
      await page.getByTestId('amend-save').click();
      await page.getByTestId('action-error').waitFor();
      assert.match(await textOf(page.getByTestId('action-error')), /须晚于 2030-01-01.*rules\.version_order/);
      // Besides the session check before the login (401), the browser reports only the refusal (409).
      assert.deepEqual(problems.filter((p) => !/status of (401|409)/.test(p)), [], 'no console errors');
    });
  });

  test('the legal office counts periods on the statutory calendar and sets a local holiday', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office');
      await openMenu(page, '法定工作日历', '/console/calendar');
      await page.getByTestId('calendar-months').waitFor();
      assert.match(await textOf(page.getByTestId('calendar-note')), /周六、周日为休息日.*班.*节假日数据覆盖 2015-01-01 至 2026-12-24.*不能计算/);

      // 2020-01-23 + 1 工作日: the Spring Festival of 2020 (extended to 2020-02-02) is left out.
      const calculator = page.getByTestId('deadline-calculator');
      await setDate(page, 'deadline-from', '2020-01-23');
      await calculator.getByTestId('deadline-count').locator('input').fill('1');
      await calculator.getByTestId('deadline-unit').getByText('工作日').click();
      await calculator.getByTestId('deadline-calculate').click();
      await calculator.getByTestId('deadline-due').filter({ hasText: '2020-02-03' }).waitFor();

      // 2026-12-20 + 30 日 runs past 2026-12-24, beyond the holiday data: said plainly, not counted.
      await setDate(page, 'deadline-from', '2026-12-20');
      await calculator.getByTestId('deadline-count').locator('input').fill('30');
      await calculator.getByTestId('deadline-unit').getByText('日', { exact: true }).click();
      await calculator.getByTestId('deadline-calculate').click();
      await calculator.getByTestId('deadline-beyond').waitFor();
      assert.match(await textOf(calculator.getByTestId('deadline-beyond-message')), /不在节假日数据覆盖的期间（2015-01-01 至 2026-12-24）内/);
      assert.equal(await calculator.getByTestId('deadline-due').count(), 0);

      // An excluded period that has not ended pauses the period.
      await setDate(page, 'deadline-from', '2024-04-01');
      await calculator.getByTestId('deadline-excluded-add').click();
      const excluded = calculator.getByTestId('deadline-excluded').first();
      const first = excluded.locator('input').first();
      await first.fill('2024-04-10');
      await first.press('Enter');
      await calculator.getByTestId('deadline-calculate').click();
      await calculator.getByTestId('deadline-paused').filter({ hasText: '期限暂停中' }).waitFor();

      // A local holiday for 永城市 on a working day of 2026, then removed again.
      const table = page.getByTestId('local-day-table');
      await page.getByTestId('local-day-create').click();
      await setDate(page, 'local-day-date', '2026-10-20');
      await page.getByTestId('local-day-name').fill('测试本地放假');
      await page.getByTestId('local-day-save').click();
      const row = table.locator('tbody tr').filter({ hasText: '测试本地放假' });
      await row.waitFor();
      assert.match(await textOf(row), /2026-10-20.*放假.*永城市/);
      const day = page.locator('[data-testid="calendar-day"][data-date="2026-10-20"]');
      await day.waitFor();
      assert.match(await textOf(day), /休.*测试本地放假.*本地/);

      await row.getByTestId('local-day-delete').click();
      await page.getByRole('dialog').getByRole('button', { name: '删除' }).click();
      await row.waitFor({ state: 'detached' });
      await day.waitFor({ state: 'detached' });
      // Besides the session check (401), the browser reports only the period beyond the data (409).
      assert.deepEqual(problems.filter((p) => !/status of (401|409)/.test(p)), [], 'no console errors');
    });
  });

  test('a department officer reads the rule set and the calendar but changes nothing', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'scjg_officer');
      const menu = await menuEntries(page);
      assert.ok(menu.includes('规则集') && menu.includes('法定工作日历'), `menu: ${menu}`);

      await openMenu(page, '规则集', '/console/rules');
      const table = page.getByTestId('rules-table');
      const hearing = table.locator('tbody tr').filter({ hasText: '听证标准：对公民的罚款' });
      await hearing.getByTestId('rule-value').waitFor();
      await hearing.getByTestId('rule-history-open').waitFor();
      assert.equal(await page.getByTestId('rule-amend').count(), 0, 'no 修订 for an officer');

      await openMenu(page, '法定工作日历', '/console/calendar');
      await page.getByTestId('calendar-months').waitFor();
      await page.getByTestId('local-day-table').waitFor();
      assert.equal(await page.getByTestId('local-day-create').count(), 0, 'no 新增 for an officer');
      assert.equal(await page.getByTestId('local-day-delete').count(), 0, 'no 删除 for an officer');
      // The session check before the login answers 401, which the browser reports.
      assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), [], 'no console errors');
    });
  });
});
