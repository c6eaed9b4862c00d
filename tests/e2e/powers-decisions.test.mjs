// Decisions about powers and the laws they rest on, against the real server
// with the demo data. Set-up, through the API as the legal office: a new
// department of 永城市 (永城市市容环境卫生管理局, 城市管理 sector) and an item
// of 永城市城市管理局 on article 37 of 《城市市容和环境卫生管理条例》, and an
// item of 永城市市场监督管理局 on article 33 of
// 《河南省商品交易市场监督管理条例》 (a text no demo item cites), both
// submitted, approved and published. Then, in the browser, as the legal
// office:
// - a 委托 of 永城市城市管理局 to 永城市环境卫生管理所: without a term the
//   form itself asks for it (委托须载明期限) and sends nothing; with the term
//   but no items the server refuses it (powers.entrust_incomplete) and the
//   form shows the message naming what is missing and the basis,
//   《中华人民共和国行政处罚法》第二十条第二款; with the items it is
//   registered and its page lists them;
// - 申请转移 of the article-37 item: a department of another government
//   (永城市芒山镇人民政府) is refused with a visible reason (or not offered);
//   to the new department the queue shows "转移至 …", and once approved and
//   published the item belongs to it under a code of its own;
// - 废止 of 《河南省商品交易市场监督管理条例》 in the law library: the text
//   shows 已废止 and its date, the item citing it is listed as affected
//   (待修订) and under 只看待修订 of the power items page.
// The tests run in order and share the set-up.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  apiAs, choose, fromQueue, nextAnswer, noDropdown, openMenu, openPublishedItem, optionsOf, rowOf, setDate, step,
  unexpected,
} from './console-helpers.mjs';
import { loginAs, menuEntries, startEnvironment, textOf, withPage } from './helpers.mjs';

const URBAN = '永城市城市管理局';
const MARKET = '永城市市场监督管理局';
const TOWNSHIP = '永城市芒山镇人民政府';
const NEW_DEPARTMENT = { code: '411481-SRHW', name: '永城市市容环境卫生管理局', short_name: '永市容环卫' };
const URBAN_NORM = '城市市容和环境卫生管理条例';
const REPEALED_NORM = '河南省商品交易市场监督管理条例';
const TRANSFERRED = {
  name: '对逾期未改造或者未拆除不符合城市容貌标准、环境卫生标准的建筑物或者设施的行政处罚',
  article: 37,
};
const CITING = { name: '对市场开办者未按规定办理市场变更、注销登记的行政处罚', article: 33 };
const ENTRUST = {
  title: '关于委托永城市环境卫生管理所实施环境卫生设施管理方面行政处罚的委托书',
  docNumber: '永城管〔2024〕8号',
  grantee: '永城市环境卫生管理所',
  validUntil: '2026-12-31',
  // Demo items of 永城市城市管理局, published.
  items: ['对损坏各类环境卫生设施及其附属设施的行政处罚', '对乱倒垃圾、建筑渣土、污水、污油、粪便或者乱扔动物尸体的行政处罚'],
};
const ENTRUST_BASIS = '《中华人民共和国行政处罚法》第二十条第二款';
const REPEALED_ON = '2025-06-30';

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Until the messages under the fields inside the element with this test id are exactly `texts`. */
async function fieldErrorsAre(page, testId, texts) {
  const shown = () => page.getByTestId(testId).locator('.el-form-item__error').allInnerTexts()
    .then((all) => all.map((s) => s.trim()));
  await page.waitForFunction(([id, want]) => {
    const all = [...document.querySelectorAll(`[data-testid="${id}"] .el-form-item__error`)].map((e) => e.textContent.trim());
    return JSON.stringify(all) === JSON.stringify(want);
  }, [testId, texts]).catch(async (e) => {
    throw new Error(`field messages ${JSON.stringify(await shown())}, expected ${JSON.stringify(texts)}: ${e.message}`);
  });
}

describe('power decisions: 委托 refused with its basis, 转移, a repealed law', () => {
  let env;
  let api;
  const ids = {}; // transferred, citing → item id
  const codes = {}; // transferred, citing → code when published
  let newDepartmentId = 0;
  let repealedNormId = 0;

  before(async () => {
    env = await startEnvironment({ seed: true });
    api = await apiAs(env, 'legal_office');
    const departments = (await api.get('/api/v1/departments?page_size=200')).items;
    const urban = departments.find((d) => d.name === URBAN);
    const market = departments.find((d) => d.name === MARKET);
    assert.ok(urban && market, `${URBAN} and ${MARKET} in the demo`);
    assert.ok(departments.some((d) => d.name === TOWNSHIP), `${TOWNSHIP} in the demo`);
    assert.ok(!departments.some((d) => d.code === NEW_DEPARTMENT.code || d.name === NEW_DEPARTMENT.name), 'the new department is new');

    // 机构职能调整: a new department of the same government takes over part of 城市管理.
    const created = await api.post('/api/v1/departments', {
      ...NEW_DEPARTMENT,
      jurisdiction_id: urban.jurisdiction_id,
      sectors: ['urban'],
      effective_from: '2024-01-01',
    });
    newDepartmentId = created.id;

    const normOf = async (title) => {
      const norms = (await api.get(`/api/v1/norms?q=${encodeURIComponent(title)}`)).items;
      const id = norms.find((n) => n.title === title)?.id;
      assert.ok(id, `${title} in the library`);
      return id;
    };
    const urbanNormId = await normOf(URBAN_NORM);
    repealedNormId = await normOf(REPEALED_NORM);
    const cited = await api.get(`/api/v1/power-items?norm_id=${repealedNormId}&page_size=200`);
    assert.equal(cited.total, 0, `no demo item cites ${REPEALED_NORM}`);

    const publish = async (key, department, sector, normId, { name, article }) => {
      const item = await api.post('/api/v1/power-items', {
        department_id: department.id,
        name,
        category: 'penalty',
        sector,
        bases: [{ norm_id: normId, article }],
        responsibility: '立案责任、调查责任、审查责任、决定责任、送达责任、执行责任',
        effective_from: '2022-01-01',
      });
      for (const action of ['submit', 'approve', 'publish']) await api.post(`/api/v1/power-items/${item.id}/${action}`);
      const published = await api.get(`/api/v1/power-items/${item.id}`);
      assert.equal(published.status, 'published');
      ids[key] = item.id;
      codes[key] = published.code;
    };
    await publish('transferred', urban, 'urban', urbanNormId, TRANSFERRED);
    await publish('citing', market, 'market', repealedNormId, CITING);
  });
  after(async () => {
    await api?.dispose();
    await env?.stop();
  });

  test('a 委托 without a term or items is refused, the server\'s refusal shown with 第二十条第二款; complete, it is registered', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      const posts = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/authorizations') posts.push(r.url());
      });
      await loginAs(page, env, 'legal_office');
      const menu = await menuEntries(page);
      assert.ok(menu.includes('授权与委托'), `menu: ${menu}`);

      await openMenu(page, '授权与委托', '/console/authorizations');
      await page.getByTestId('authorizations-table').waitFor();
      await page.getByTestId('authorization-new').click();
      const dialog = page.getByTestId('authorization-dialog');
      await dialog.getByTestId('authorization-title').waitFor();
      await choose(page, 'authorization-kind', '委托');
      const hint = dialog.getByTestId('authorization-kind-hint');
      await hint.filter({ hasText: '第二十条' }).waitFor();
      assert.match(await textOf(hint), /《中华人民共和国行政处罚法》第二十条.*委托书应当载明委托的具体事项、权限、期限/);
      assert.equal(await textOf(dialog.getByTestId('authorization-valid-until').locator('.el-form-item__label')), '委托期限至');

      await dialog.getByTestId('authorization-title').fill(ENTRUST.title);
      await dialog.getByTestId('authorization-doc-number').fill(ENTRUST.docNumber);
      await dialog.getByTestId('authorization-issuer').fill(URBAN);
      await setDate(page, 'authorization-decided-on', '2024-03-01');
      await setDate(page, 'authorization-effective-on', '2024-03-15');
      const items = nextAnswer(page, 'GET', '/api/v1/power-items', { status: 'published' });
      await choose(page, 'authorization-grantor', URBAN);
      assert.equal((await items).status(), 200, 'the grantor\'s published items to pick from');
      await dialog.getByTestId('authorization-grantee-name').fill(ENTRUST.grantee);
      await dialog.getByTestId('authorization-scope').fill('环境卫生设施管理方面的行政处罚，以永城市城市管理局的名义实施，不得再委托');
      await noDropdown(page);

      // No term: the form asks for it and sends nothing. (Choosing 委托 already
      // checked the then empty form; the messages of the fields filled since go
      // as each is checked again.)
      await dialog.getByTestId('authorization-save').click();
      const termError = dialog.getByTestId('authorization-valid-until').locator('.el-form-item__error');
      await termError.filter({ hasText: '委托须载明期限' }).waitFor();
      await fieldErrorsAre(page, 'authorization-dialog', ['委托须载明期限']);
      assert.deepEqual(posts, [], 'nothing sent without a term');

      // The term, but no items: the server refuses it, with the provision.
      await setDate(page, 'authorization-valid-until', ENTRUST.validUntil);
      await termError.waitFor({ state: 'hidden' });
      const refused = nextAnswer(page, 'POST', '/api/v1/authorizations');
      await dialog.getByTestId('authorization-save').click();
      const refusal = await refused;
      assert.equal(refusal.status(), 422);
      assert.equal((await refusal.json()).error?.code, 'powers.entrust_incomplete');
      const error = dialog.getByTestId('action-error');
      await error.waitFor();
      assert.match(await textOf(error), /未能登记/);
      assert.equal(await textOf(error.getByTestId('action-error-message')),
        '委托书未载明委托的具体事项：委托书应当载明委托的具体事项、权限、期限');
      assert.equal(await textOf(error.getByTestId('action-error-basis')), `依据：${ENTRUST_BASIS}`);
      assert.match(await textOf(error), /错误代码：powers\.entrust_incomplete/);
      assert.ok(await dialog.isVisible(), 'the form stays open to complete');
      assert.equal(posts.length, 1);

      // With the items it is registered.
      for (const name of ENTRUST.items) await choose(page, 'authorization-items', new RegExp(escapeRe(name)));
      await hint.click();
      await noDropdown(page);
      const created = nextAnswer(page, 'POST', '/api/v1/authorizations');
      await dialog.getByTestId('authorization-save').click();
      assert.equal((await created).status(), 201);
      await page.waitForURL((url) => /^\/console\/authorizations\/\d+$/.test(url.pathname));
      await page.getByTestId('page-title').filter({ hasText: ENTRUST.title }).waitFor();
      assert.equal(await textOf(page.getByTestId('authorization-kind-name')), '委托');
      assert.match(await textOf(page.getByTestId('authorization-basis')), /第二十条/);
      assert.equal(await textOf(page.getByTestId('authorization-grantor')), URBAN);
      assert.equal(await textOf(page.getByTestId('authorization-grantee')), ENTRUST.grantee);
      const info = await textOf(page.getByTestId('authorization-info'));
      assert.match(info, new RegExp(`文号 ${escapeRe(ENTRUST.docNumber)}`));
      assert.match(info, new RegExp(`有效期至 ${ENTRUST.validUntil}`));
      await page.getByTestId('authorization-item-link').nth(ENTRUST.items.length - 1).waitFor();
      assert.deepEqual((await page.getByTestId('authorization-item-link').allInnerTexts()).map((s) => s.trim()).sort(),
        [...ENTRUST.items].sort());
      assert.match(await textOf(page.locator('h2').filter({ hasText: '涉及的权责事项' })), /（2 项）/);

      // Listed under its kind.
      await page.getByTestId('authorization-back').click();
      await page.waitForURL((url) => url.pathname === '/console/authorizations');
      await choose(page, 'authorizations-filter-kind', '委托');
      const row = page.getByTestId('authorizations-table').locator('tbody tr').filter({ hasText: ENTRUST.title });
      await row.waitFor();
      assert.match(await textOf(row), new RegExp(`${URBAN}.*${ENTRUST.grantee}`));

      assert.deepEqual(unexpected(problems, /status of 422/), [], 'no console errors but the refusal');
    });
  });

  test('a transfer to a new department of the same government: reviewed, published, the item moves under a new code', async (t) => {
    const id = ids.transferred;
    await withPage(t, env, async (page, { problems }) => {
      await openPublishedItem(page, env, 'legal_office', id);
      assert.equal(await textOf(page.getByTestId('power-department')), URBAN);
      assert.equal(await textOf(page.getByTestId('power-code')), codes.transferred);

      await page.getByTestId('power-action-transfer').click();
      const dialog = page.getByTestId('change-dialog');
      await dialog.getByTestId('change-confirm').waitFor();
      assert.match(await textOf(dialog.getByTestId('change-hint')), /机构职能调整.*另行编码/);
      const offered = await optionsOf(page, 'change-department', dialog.getByTestId('change-hint'));
      assert.ok(offered.includes(NEW_DEPARTMENT.name), `departments: ${offered}`);
      assert.ok(!offered.includes(URBAN), 'not to its own department');
      await dialog.getByTestId('change-comment').fill('机构职能调整，环境卫生管理方面的行政处罚由永城市市容环境卫生管理局行使');

      // A department of another government (a township): not offered, or refused with the reason shown.
      t.diagnostic(offered.includes(TOWNSHIP) ? `${TOWNSHIP} offered: the server's refusal checked` : `${TOWNSHIP} not offered`);
      if (offered.includes(TOWNSHIP)) {
        await choose(page, 'change-department', TOWNSHIP);
        const refused = nextAnswer(page, 'POST', `/api/v1/power-items/${id}/transfer`);
        await dialog.getByTestId('change-confirm').click();
        const refusal = await refused;
        assert.equal(refusal.status(), 400);
        assert.equal((await refusal.json()).error?.code, 'powers.change_target');
        const error = dialog.getByTestId('action-error');
        await error.waitFor();
        assert.equal(await textOf(error.getByTestId('action-error-message')),
          `不能转移至“${TOWNSHIP}”：转移限于同一级人民政府的部门之间`);
        assert.match(await textOf(error), /错误代码：powers\.change_target/);
        assert.ok(await dialog.isVisible(), 'the dialog stays open');
        await noDropdown(page);
      }

      await choose(page, 'change-department', NEW_DEPARTMENT.name);
      // The dropdown fades out over the dialog's buttons.
      await noDropdown(page);
      const asked = nextAnswer(page, 'POST', `/api/v1/power-items/${id}/transfer`);
      await dialog.getByTestId('change-confirm').click();
      assert.equal((await asked).status(), 200);
      await dialog.waitFor({ state: 'hidden' });
      await page.getByTestId('power-status').filter({ hasText: '待审核' }).waitFor();
      assert.equal(await textOf(page.getByTestId('power-change-text')), `待生效的变更：转移至 ${NEW_DEPARTMENT.name}`);
      assert.equal(await textOf(page.getByTestId('power-department')), URBAN, 'still the old department until published');

      // The queue says what is approved; so does each step.
      await fromQueue(page, 'submitted', id, `转移至 ${NEW_DEPARTMENT.name}`);
      assert.match(await step(page, 'power-action-approve', '同意转移'), new RegExp(`本次审核的是：转移至 ${NEW_DEPARTMENT.name}`));
      await page.getByTestId('power-status').filter({ hasText: '已审核' }).waitFor();
      await fromQueue(page, 'approved', id, `转移至 ${NEW_DEPARTMENT.name}`);
      assert.match(await step(page, 'power-action-publish'), new RegExp(`公布后该事项转移至 ${NEW_DEPARTMENT.name}`));

      await page.getByTestId('power-status').filter({ hasText: '已公布' }).waitFor();
      await page.getByTestId('power-department').filter({ hasText: NEW_DEPARTMENT.name }).waitFor();
      const code = await textOf(page.getByTestId('power-code'));
      assert.ok(code.startsWith(`${NEW_DEPARTMENT.code}-`), `a code of the new department: ${code}`);
      assert.notEqual(code, codes.transferred);
      assert.equal(await page.getByTestId('power-change').count(), 0, 'nothing pending');
      // The review trail names the request.
      assert.ok((await page.getByTestId('review-action').allInnerTexts()).map((s) => s.trim()).includes('申请转移'));

      // The new department's list has it.
      await openMenu(page, '权责事项', '/console/power-items');
      const byDepartment = nextAnswer(page, 'GET', '/api/v1/power-items', { department_id: String(newDepartmentId) });
      await choose(page, 'powers-filter-department', NEW_DEPARTMENT.name);
      assert.equal((await byDepartment).status(), 200);
      const row = rowOf(page.getByTestId('powers-table'), id);
      await row.waitFor();
      assert.equal(await textOf(row.getByTestId('power-code')), code);
      assert.equal(await textOf(row.getByTestId('power-status')), '已公布');

      assert.deepEqual(unexpected(problems, /status of 400/), [], 'no console errors but the refusal');
    });
  });

  test('a repealed regulation shows 已废止 and its date; the item citing it is on the revision list', async (t) => {
    const id = ids.citing;
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office');
      await openMenu(page, '法律法规库', '/console/library');
      const found = nextAnswer(page, 'GET', '/api/v1/norms', { q: '商品交易市场' });
      await page.getByTestId('library-filter-q').fill('商品交易市场');
      assert.equal((await found).status(), 200);
      const table = page.getByTestId('library-table');
      const link = table.getByRole('link', { name: REPEALED_NORM, exact: true });
      await link.click();
      await page.waitForURL((url) => url.pathname === `/console/library/${repealedNormId}`);
      await page.getByTestId('page-title').filter({ hasText: REPEALED_NORM }).waitFor();
      assert.equal(await page.getByTestId('norm-repealed').count(), 0, 'in force');
      assert.match(await textOf(page.getByTestId('norm-info')), /废止日期 —/);

      await page.getByTestId('norm-repeal').click();
      const dialog = page.getByTestId('repeal-dialog');
      await dialog.getByTestId('repeal-note').waitFor();
      assert.match(await textOf(dialog), /引用该文本的所有权责事项都将标注为“依据已变化，待修订”/);
      await setDate(page, 'repeal-date', REPEALED_ON);
      await dialog.getByTestId('repeal-note').fill('河南省人民代表大会常务委员会关于废止部分地方性法规的决定（测试）');
      const repealed = nextAnswer(page, 'POST', `/api/v1/norms/${repealedNormId}/repeal`);
      await dialog.getByTestId('repeal-confirm').click();
      assert.equal((await repealed).status(), 200);
      await dialog.waitFor({ state: 'hidden' });

      await page.getByTestId('norm-repealed').filter({ hasText: '已废止' }).waitFor();
      assert.match(await textOf(page.getByTestId('norm-info')), new RegExp(`废止日期 ${REPEALED_ON}`));
      assert.equal(await page.getByTestId('norm-repeal').count(), 0, 'no second repeal');
      assert.equal(await page.getByTestId('norm-amend').count(), 0, 'no amendment of a repealed text');

      // The item citing it: affected, to be revised.
      const affected = page.getByTestId('affected-items');
      await affected.getByTestId('affected-table').waitFor();
      assert.match(await textOf(affected), /受影响的权责事项（待修订）/);
      assert.match(await textOf(affected.getByTestId('affected-count')), /^共 1 项事项所引条文已修改、删去或废止/);
      const row = rowOf(affected.getByTestId('affected-table'), id);
      await row.waitFor();
      assert.match(await textOf(row), new RegExp(`${escapeRe(codes.citing)}.*${escapeRe(CITING.name)}.*${MARKET}.*已公布`));

      // The list of the library shows the date too.
      await page.getByTestId('library-back').click();
      await page.waitForURL((url) => url.pathname === '/console/library');
      const listed = table.locator('tbody tr').filter({ has: page.getByRole('link', { name: REPEALED_NORM, exact: true }) });
      await listed.getByTestId('norm-repealed').filter({ hasText: `${REPEALED_ON} 废止` }).waitFor();

      // 权责事项, 只看待修订: the item is there, marked.
      await openMenu(page, '权责事项', '/console/power-items');
      await page.getByTestId('powers-table').waitFor();
      const flagged = nextAnswer(page, 'GET', '/api/v1/power-items', { flagged: 'true' });
      await page.getByTestId('powers-filter-flagged').click();
      assert.equal((await flagged).status(), 200);
      const byName = nextAnswer(page, 'GET', '/api/v1/power-items', { flagged: 'true', q: CITING.name });
      await page.getByTestId('powers-filter-q').fill(CITING.name);
      assert.equal((await byName).status(), 200);
      const powers = page.getByTestId('powers-table');
      const item = rowOf(powers, id);
      await item.waitFor();
      assert.equal(await powers.locator('tbody tr').count(), 1);
      assert.equal(await textOf(item.getByTestId('power-flagged')), '依据已变化');
      assert.equal(await textOf(item.getByTestId('power-status')), '已公布');
      assert.equal(await textOf(item.getByTestId('power-code')), codes.citing);

      await item.getByTestId('power-link').click();
      await page.waitForURL((url) => url.pathname === `/console/power-items/${id}`);
      await page.getByTestId('power-flagged-notice').waitFor();
      assert.match(await textOf(page.getByTestId('power-flagged')), /待修订/);

      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
  });
});
