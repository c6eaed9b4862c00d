// Changes of a published power list (权责清单) against the real server with the
// demo data. Set-up, through the API as the legal office: three items of
// 永城市城市管理局 on articles of 《城市市容和环境卫生管理条例》, submitted,
// approved and published. Then, in the browser: the legal office registers a
// 下放 decision from 永城市城市管理局 to 永城市芒山镇人民政府 (行政处罚法
// 第二十四条) covering one item; asks for that item to be 下放 under it, sees
// in the review queue what it is approving ("下放至 永城市芒山镇人民政府"),
// approves and publishes it, and the item belongs to 芒山镇 under a new code.
// A 申请取消 (a reason required) is withdrawn (撤回申请) and the published
// version stands; asked again, approved and published it shows 已取消. The
// dashboard 清单编制进度 shows the counts these steps changed and the deadline
// set there. Last, an amendment of article 34 of the regulation (录入修正)
// lists the item citing it under 受影响的权责事项（待修订）, and not the one
// citing article 36. The tests run in order and share the items.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  apiAs, choose, fromQueue, nextAnswer, openMenu, openPublishedItem, optionsOf, rowOf, setDate, step, unexpected,
} from './console-helpers.mjs';
import { loginAs, menuEntries, startEnvironment, textOf, withPage } from './helpers.mjs';

const GRANTOR = '永城市城市管理局';
const TOWNSHIP = '永城市芒山镇人民政府';
const NORM = '城市市容和环境卫生管理条例';
const DECISION = '关于赋予芒山镇部分县级行政处罚权的决定';
const ITEMS = {
  delegated: { name: '对擅自在街道两侧和公共场地堆放物料、搭建建筑物构筑物的行政处罚', article: 36 },
  cancelled: { name: '对饲养家畜家禽影响市容和环境卫生的行政处罚', article: 35 },
  amended: { name: '对随地吐痰、乱扔果皮纸屑等影响市容环境卫生行为的行政处罚', article: 34 },
};
const NEW_TEXT_34 = [
  '有下列行为之一者，城市人民政府市容环境卫生行政主管部门除责令其纠正违法行为、采取补救措施外，可以并处警告、罚款：',
  '（一）随地吐痰、便溺，乱扔果皮、纸屑、烟头和口香糖等废弃物的；',
  '（二）在城市建筑物、设施以及树木上涂写、刻画或者未经批准张挂、张贴宣传品等的。',
].join('\n');

describe('power list changes: 下放, 取消, progress, amended law', () => {
  let env;
  let api;
  const ids = {}; // key of ITEMS → item id
  const codes = {}; // key of ITEMS → code when published
  let normId = 0;
  let baseline = null; // GET /power-items/progress after the set-up
  let decisionPath = '';

  const progressRow = (answer, name) => answer.departments.find((d) => d.department_name === name)
    || { published: 0, cancelled: 0, total: 0 };

  before(async () => {
    env = await startEnvironment({ seed: true });
    api = await apiAs(env, 'legal_office');
    const departments = (await api.get('/api/v1/departments?page_size=200')).items;
    const grantor = departments.find((d) => d.name === GRANTOR);
    assert.ok(grantor, `${GRANTOR} in the demo`);
    assert.ok(departments.some((d) => d.name === TOWNSHIP), `${TOWNSHIP} in the demo`);
    const norms = (await api.get(`/api/v1/norms?q=${encodeURIComponent(NORM)}`)).items;
    normId = norms.find((n) => n.title === NORM)?.id;
    assert.ok(normId, `${NORM} in the library`);
    for (const [key, { name, article }] of Object.entries(ITEMS)) {
      const item = await api.post('/api/v1/power-items', {
        department_id: grantor.id,
        name,
        category: 'penalty',
        sector: 'urban',
        bases: [{ norm_id: normId, article }],
        responsibility: '立案责任、调查责任、审查责任、决定责任、送达责任、执行责任',
        effective_from: '2022-01-01',
      });
      for (const action of ['submit', 'approve', 'publish']) await api.post(`/api/v1/power-items/${item.id}/${action}`);
      ids[key] = item.id;
      codes[key] = item.code;
    }
    baseline = await api.get('/api/v1/power-items/progress');
  });
  after(async () => {
    await api?.dispose();
    await env?.stop();
  });

  test('the legal office registers a 下放 decision to a township, citing 行政处罚法 第二十四条', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office');
      const menu = await menuEntries(page);
      for (const entry of ['权责事项', '审核队列', '编制进度', '授权与委托']) assert.ok(menu.includes(entry), `menu: ${menu}`);

      await openMenu(page, '授权与委托', '/console/authorizations');
      await page.getByTestId('authorizations-table').waitFor();
      await page.getByTestId('authorization-new').click();
      const dialog = page.getByTestId('authorization-dialog');
      await dialog.getByTestId('authorization-title').waitFor();
      const hint = dialog.getByTestId('authorization-kind-hint');
      assert.match(await textOf(hint), /《中华人民共和国行政处罚法》第二十四条.*乡镇/);

      await dialog.getByTestId('authorization-title').fill(DECISION);
      await dialog.getByTestId('authorization-doc-number').fill('豫政〔2021〕30号');
      await dialog.getByTestId('authorization-issuer').fill('河南省人民政府');
      await setDate(page, 'authorization-decided-on', '2021-12-20');
      await setDate(page, 'authorization-effective-on', '2022-01-01');
      const items = nextAnswer(page, 'GET', '/api/v1/power-items', { status: 'published' });
      await choose(page, 'authorization-grantor', GRANTOR);
      assert.equal((await items).status(), 200, 'the grantor\'s published items to pick from');
      // 下放 only to a township's department.
      const grantees = await optionsOf(page, 'authorization-grantee', hint);
      assert.ok(grantees.includes(TOWNSHIP), `grantees: ${grantees}`);
      assert.ok(!grantees.includes('永城市市场监督管理局'), 'no county department to 下放 to');
      await choose(page, 'authorization-grantee', TOWNSHIP);
      await dialog.getByTestId('authorization-scope').fill('城市市容和环境卫生管理方面的部分行政处罚权，以镇人民政府名义行使');
      await choose(page, 'authorization-items', new RegExp(ITEMS.delegated.name));
      await hint.click();

      const created = nextAnswer(page, 'POST', '/api/v1/authorizations');
      await dialog.getByTestId('authorization-save').click();
      assert.equal((await created).status(), 201);
      await page.waitForURL((url) => /^\/console\/authorizations\/\d+$/.test(url.pathname));
      decisionPath = new URL(page.url()).pathname;
      await page.getByTestId('page-title').filter({ hasText: DECISION }).waitFor();
      assert.equal(await textOf(page.getByTestId('authorization-kind-name')), '下放');
      assert.match(await textOf(page.getByTestId('authorization-basis')), /第二十四条/);
      assert.equal(await textOf(page.getByTestId('authorization-grantor')), GRANTOR);
      assert.equal(await textOf(page.getByTestId('authorization-grantee')), TOWNSHIP);
      await page.getByTestId('authorization-item-link').first().waitFor();
      assert.deepEqual((await page.getByTestId('authorization-item-link').allInnerTexts()).map((s) => s.trim()), [ITEMS.delegated.name]);

      // Listed under its kind.
      await page.getByTestId('authorization-back').click();
      await page.waitForURL((url) => url.pathname === '/console/authorizations');
      await choose(page, 'authorizations-filter-kind', '下放');
      const row = page.getByTestId('authorizations-table').locator('tbody tr').filter({ hasText: DECISION });
      await row.waitFor();
      assert.match(await textOf(row), new RegExp(`${GRANTOR}.*${TOWNSHIP}`));

      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
  });

  test('a 下放 request, approved and published, moves the item to 芒山镇 under a new code', async (t) => {
    assert.ok(decisionPath, 'the decision was registered');
    const id = ids.delegated;
    await withPage(t, env, async (page, { problems }) => {
      await openPublishedItem(page, env, 'legal_office', id);
      assert.equal(await textOf(page.getByTestId('power-department')), GRANTOR);

      await page.getByTestId('power-action-delegate').click();
      const dialog = page.getByTestId('change-dialog');
      await dialog.getByTestId('change-confirm').waitFor();
      assert.match(await textOf(dialog.getByTestId('change-hint')), /第二十四条/);
      await choose(page, 'change-department', TOWNSHIP);
      await choose(page, 'change-authorization', new RegExp(DECISION));
      await dialog.getByTestId('change-comment').fill('依据永政〔2021〕30号，由芒山镇人民政府行使');
      const asked = nextAnswer(page, 'POST', `/api/v1/power-items/${id}/delegate`);
      await dialog.getByTestId('change-confirm').click();
      assert.equal((await asked).status(), 200);
      await dialog.waitFor({ state: 'hidden' });
      await page.getByTestId('power-status').filter({ hasText: '待审核' }).waitFor();
      assert.equal(await textOf(page.getByTestId('power-change-text')), `待生效的变更：下放至 ${TOWNSHIP}`);

      // The queue says what is approved; so does each step.
      await fromQueue(page, 'submitted', id, `下放至 ${TOWNSHIP}`);
      assert.match(await step(page, 'power-action-approve', '同意下放'), new RegExp(`本次审核的是：下放至 ${TOWNSHIP}`));
      await page.getByTestId('power-status').filter({ hasText: '已审核' }).waitFor();
      await fromQueue(page, 'approved', id, `下放至 ${TOWNSHIP}`);
      assert.match(await step(page, 'power-action-publish'), new RegExp(`公布后该事项下放至 ${TOWNSHIP}`));

      await page.getByTestId('power-status').filter({ hasText: '已公布' }).waitFor();
      await page.getByTestId('power-department').filter({ hasText: TOWNSHIP }).waitFor();
      const code = await textOf(page.getByTestId('power-code'));
      assert.notEqual(code, codes.delegated, 'a new code under the township');
      assert.equal(await page.getByTestId('power-change').count(), 0, 'nothing pending');

      // 芒山镇's list has it.
      await openMenu(page, '权责事项', '/console/power-items');
      const byTownship = nextAnswer(page, 'GET', '/api/v1/power-items');
      await choose(page, 'powers-filter-department', TOWNSHIP);
      assert.equal((await byTownship).status(), 200);
      const byName = nextAnswer(page, 'GET', '/api/v1/power-items', { q: code });
      await page.getByTestId('powers-filter-q').fill(code);
      assert.equal((await byName).status(), 200);
      const row = rowOf(page.getByTestId('powers-table'), id);
      await row.waitFor();
      assert.equal(await textOf(row.getByTestId('power-code')), code);
      assert.equal(await textOf(row.getByTestId('power-status')), '已公布');

      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
  });

  test('a cancel request needs a reason, can be withdrawn; approved and published, the item shows 已取消', async (t) => {
    const id = ids.cancelled;
    await withPage(t, env, async (page, { problems }) => {
      await openPublishedItem(page, env, 'legal_office', id);

      await page.getByTestId('power-action-cancel').click();
      const dialog = page.getByTestId('change-dialog');
      await dialog.getByTestId('change-confirm').click();
      await dialog.locator('.el-form-item__error').filter({ hasText: '请填写申请理由' }).waitFor();
      assert.equal(await dialog.getByTestId('change-department').count(), 0, 'a cancel goes nowhere');
      const askCancel = async () => {
        await dialog.getByTestId('change-comment').fill('上位法已不再规定该项处罚，申请取消');
        const asked = nextAnswer(page, 'POST', `/api/v1/power-items/${id}/cancel`);
        await dialog.getByTestId('change-confirm').click();
        assert.equal((await asked).status(), 200);
        await dialog.waitFor({ state: 'hidden' });
        assert.equal(await textOf(page.getByTestId('power-change-text')), '待生效的变更：申请取消');
      };
      await askCancel();

      // 撤回申请: the published version stands again, with every step open.
      assert.equal(await page.getByTestId('power-action-edit').count(), 0, 'a request has no fields to edit');
      const withdrawn = await step(page, 'power-action-withdraw', '经复核该项处罚仍有依据');
      assert.match(withdrawn, /撤回“申请取消”的申请后，事项恢复为已公布的第 \d+ 版/);
      await page.getByTestId('power-status').filter({ hasText: '已公布' }).waitFor();
      assert.equal(await page.getByTestId('power-change-text').count(), 0, 'no change waits');
      assert.equal(await page.getByTestId('power-action-withdraw').count(), 0);
      assert.ok((await page.getByTestId('review-action').allInnerTexts()).map((s) => s.trim()).some((s) => s.includes('撤回')));

      await page.getByTestId('power-action-cancel').click();
      await askCancel();

      await fromQueue(page, 'submitted', id, '申请取消');
      await step(page, 'power-action-approve');
      await fromQueue(page, 'approved', id, '申请取消');
      assert.match(await step(page, 'power-action-publish'), /公布后该事项即告取消/);
      await page.getByTestId('power-status').filter({ hasText: '已取消' }).waitFor();
      await page.getByTestId('power-cancelled-notice').waitFor();
      for (const action of ['amend', 'cancel', 'delegate', 'transfer']) {
        assert.equal(await page.getByTestId(`power-action-${action}`).count(), 0, `no ${action} of a cancelled item`);
      }
      // The review trail names the request.
      assert.ok((await page.getByTestId('review-action').allInnerTexts()).map((s) => s.trim()).includes('申请取消'));

      // 已取消 is a status of the list.
      await openMenu(page, '权责事项', '/console/power-items');
      const filtered = nextAnswer(page, 'GET', '/api/v1/power-items', { status: 'cancelled' });
      await choose(page, 'powers-filter-status', '已取消');
      assert.equal((await filtered).status(), 200);
      assert.equal(await textOf(rowOf(page.getByTestId('powers-table'), id).getByTestId('power-status')), '已取消');

      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
  });

  test('清单编制进度 shows the counts the changes made and the deadline set there', async (t) => {
    const before = { township: progressRow(baseline, TOWNSHIP), grantor: progressRow(baseline, GRANTOR) };
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office');
      await openMenu(page, '编制进度', '/console/power-items/progress');
      const table = page.getByTestId('progress-table');
      const row = (name) => table.locator('tbody tr').filter({ has: page.getByTestId('progress-department').filter({ hasText: new RegExp(`^${name}$`) }) });
      await row(GRANTOR).waitFor();
      const cell = async (name, field) => Number(await textOf(row(name).locator(`[data-field="${field}"]`)));
      assert.equal(await cell(TOWNSHIP, 'published'), before.township.published + 1, '芒山镇 got the delegated item');
      assert.equal(await cell(GRANTOR, 'published'), before.grantor.published - 2, 'one item moved, one cancelled');
      assert.equal(await cell(GRANTOR, 'cancelled'), before.grantor.cancelled + 1);
      assert.equal(await cell(GRANTOR, 'total'), before.grantor.total - 1, 'the moved item counts for 芒山镇');
      await row(GRANTOR).getByTestId('progress-bar').waitFor();

      // A deadline in the past: the departments not done are overdue.
      assert.equal(await page.getByTestId('deadline-form').count(), 1, 'the legal office sets the deadline');
      await setDate(page, 'deadline-date', '2015-10-31');
      const saved = nextAnswer(page, 'POST', '/api/v1/power-items/deadline');
      await page.getByTestId('deadline-save').click();
      assert.equal((await saved).status(), 200);
      await page.getByTestId('progress-deadline-date').filter({ hasText: '2015年10月31日' }).waitFor();
      assert.match(await textOf(page.getByTestId('progress-days')), /^已超过截止日期 \d+ 天$/);
      await row(GRANTOR).getByTestId('progress-state').filter({ hasText: '已逾期' }).waitFor();

      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
  });

  test('an amended article lists the item citing it under 受影响的权责事项（待修订）', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office', { path: `/console/library/${normId}` });
      await page.goto(`${env.server.url}/console/library/${normId}`);
      await page.getByTestId('page-title').filter({ hasText: NORM }).waitFor();
      await page.getByTestId('norm-version').first().waitFor();
      const versionsBefore = await page.getByTestId('norm-version').count();

      await page.getByTestId('norm-amend').click();
      const dialog = page.getByTestId('amend-dialog');
      await dialog.getByTestId('amend-note').waitFor();
      await setDate(page, 'amend-version-date', '2024-06-01');
      await setDate(page, 'amend-effective-on', '2024-07-01');
      await dialog.getByTestId('amend-note').fill('2024年6月1日国务院令第X号修正（测试）');
      await dialog.getByTestId('amend-source').fill('测试数据');
      await choose(page, 'amend-article-base', '第三十四条');
      assert.match(await textOf(dialog.getByTestId('amend-article-current')), /随地吐痰、便溺，乱扔果皮、纸屑和烟头等废弃物的/);
      assert.match(await dialog.getByTestId('amend-article-text').inputValue(), /随地吐痰/, 'the current text to edit from');
      await dialog.getByTestId('amend-article-text').fill(NEW_TEXT_34);
      const amended = nextAnswer(page, 'POST', `/api/v1/norms/${normId}/amend`);
      await dialog.getByTestId('amend-save').click();
      assert.equal((await amended).status(), 201);
      await dialog.waitFor({ state: 'hidden' });

      // The new version is shown, with the changed article.
      await page.getByTestId('norm-version').nth(versionsBefore).waitFor();
      await page.getByTestId('version-date').filter({ hasText: '2024-06-01' }).waitFor();
      const article = page.locator('[data-testid="norm-article"][data-label="第三十四条"]');
      assert.equal(await article.getAttribute('data-change'), 'changed');
      assert.match(await textOf(article.getByTestId('article-text')), /口香糖/);

      const affected = page.getByTestId('affected-items');
      await affected.getByTestId('affected-table').waitFor();
      assert.match(await textOf(affected), /受影响的权责事项（待修订）/);
      const row = rowOf(affected.getByTestId('affected-table'), ids.amended);
      await row.waitFor();
      assert.match(await textOf(row), new RegExp(`${ITEMS.amended.name}.*${GRANTOR}.*已公布`));
      assert.equal(await rowOf(affected.getByTestId('affected-table'), ids.delegated).count(), 0, 'article 36 did not change');

      await row.getByTestId('affected-link').click();
      await page.waitForURL((url) => url.pathname === `/console/power-items/${ids.amended}`);
      await page.getByTestId('power-flagged-notice').waitFor();

      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
  });
});
