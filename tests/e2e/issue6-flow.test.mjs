// Issue 6, the acceptance scenario, against the real server with the demo
// data: the administrator of 永城市市场监督管理局 imports the department's
// power list from a spreadsheet (the import template's layout, written here
// with exceljs) that has one bad row — it cites an article the law does not
// have — and sees the report naming the row and the column; nothing was
// imported. The fixed file imports all three items as drafts, which the
// administrator submits. The legal office returns one with a reason,
// approves the other two and publishes them. A member of the public (no
// login, a phone-sized screen) searches the portal's 权责清单 with two
// characters, finds a published item, opens it and reads the article it
// rests on; the returned item is nowhere on the portal. A word found in more
// items than the portal counts (portal.search_total_cap, 100 here) shows
// "100 项以上" with a hint to narrow the search. The tests run in order and
// share the items.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { choose, nextAnswer, openMenu, step, unexpected } from './console-helpers.mjs';
import { loginAs, startEnvironment, textOf, withPage } from './helpers.mjs';

const DEPARTMENT = '永城市市场监督管理局';
const CAP = 100;
const QUALITY = '中华人民共和国产品质量法';
const METROLOGY = '中华人民共和国计量法';
// The template's layout (src/powers/sheet.cpp power_template()).
const SHEET = '权责清单';
const HEADERS = ['事项编码', '事项名称', '职权类别', '执法领域', '实施依据', '实施对象', '承办机构', '承办岗位',
  '责任事项', '办理时限', '追责情形', '施行日期'];

const RESPONSIBILITY = '立案责任、调查责任、审查责任、告知责任、决定责任、送达责任、执行责任';
const LIABILITIES = '对符合立案条件的违法行为不依法立案查处的\n违反法定程序实施行政处罚的\n滥用职权、徇私舞弊的';

// Three items of administrative penalty of 市场监管 that the demo's list
// does not have yet, on articles of laws/national: 产品质量法 (2018-12-29)
// and 计量法 (2018-10-26).
const ITEMS = [
  {
    name: '对制造、销售未经考核合格的计量器具新产品的行政处罚',
    bases: [`《${METROLOGY}》第二十三条`, `《${METROLOGY}》第三十条`],
    scope: '制造、销售计量器具新产品的公民、法人或者其他组织',
  },
  {
    name: '对为禁止生产、销售的产品提供运输、保管、仓储等便利条件的行政处罚',
    bases: [`《${QUALITY}》第六十一条`],
    scope: '为禁止生产、销售的产品提供运输、保管、仓储等便利条件的公民、法人或者其他组织',
    // In the first file this row cites an article the law does not have.
    bad: `《${QUALITY}》第六百一十一条`,
    article: /知道或者应当知道属于本法规定禁止生产、销售的产品而为其提供运输、保管、仓储等便利条件的/,
  },
  {
    name: '对制造、修理、销售的计量器具不合格的行政处罚',
    bases: [`《${METROLOGY}》第二十四条`, `《${METROLOGY}》第三十条`],
    scope: '制造、修理、销售计量器具的公民、法人或者其他组织',
  },
];
const [PUBLISHED, FOUND, RETURNED] = ITEMS;
// Two characters of FOUND's name, in no other name of the demo's list
// (src/powers/data/demo_items.json): what a member of the public types.
const QUERY = '仓储';
const RETURN_REASON = '第二十四条规定的是没收违法所得、可以并处罚款，请在责任事项中写明罚款的裁量基准后重新提交';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** GET path through the logged-in page (its session cookie): { status, bytes }. */
async function pageDownload(page, path) {
  return page.evaluate(async (p) => {
    const res = await fetch(p, { credentials: 'same-origin' });
    return { status: res.status, type: res.headers.get('content-type'), bytes: Array.from(new Uint8Array(await res.arrayBuffer())) };
  }, path);
}

/**
 * The template filled in: the rows of ITEMS on the template's own sheet
 * (its name and header row checked first), each cell text. With `withBadRow`
 * the second item cites its bad article.
 */
async function fillTemplate(template, { withBadRow }) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(template));
  const sheet = book.worksheets[0];
  assert.equal(sheet.name, SHEET, 'the template has one sheet, 权责清单');
  const headers = sheet.getRow(1).values.slice(1).map((v) => String(v ?? '').trim());
  assert.deepEqual(headers, HEADERS, 'the template has the columns of src/powers/sheet.cpp');
  for (const item of ITEMS) {
    const cells = {
      事项编码: '',
      事项名称: item.name,
      职权类别: '行政处罚',
      执法领域: '市场监管',
      实施依据: (withBadRow && item.bad ? [item.bad] : item.bases).join('；'),
      实施对象: item.scope,
      承办机构: '执法稽查大队',
      承办岗位: '执法岗',
      责任事项: RESPONSIBILITY,
      办理时限: '自立案之日起九十日内作出行政处罚决定',
      追责情形: LIABILITIES,
      施行日期: '2019-03-01',
    };
    const row = sheet.addRow(HEADERS.map((h) => cells[h]));
    row.eachCell({ includeEmpty: true }, (cell) => { cell.numFmt = '@'; });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * Opens the console's list with its 关键词 filter set to `q` (in the
 * address) → { total: what the server answered, rows: the table's rows }.
 */
async function consoleList(page, env, q) {
  const answer = nextAnswer(page, 'GET', '/api/v1/power-items', { q });
  await page.goto(`${env.server.url}/console/power-items?q=${encodeURIComponent(q)}`);
  const res = await answer;
  assert.equal(res.status(), 200);
  const table = page.getByTestId('powers-table');
  await table.waitFor();
  return { total: (await res.json()).total, rows: table.locator('tbody tr') };
}

/** Chooses the file and starts the import in the wizard; resolves to the server's answer. */
async function importFile(page, name, buffer) {
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: XLSX, buffer });
  const answer = nextAnswer(page, 'POST', '/api/v1/power-items/import');
  await page.getByTestId('import-submit').click();
  return answer;
}

/** The rows of the wizard's error table: [{ row, column, problem }]. */
async function reportRows(page) {
  const rows = page.getByTestId('import-report').locator('tbody tr');
  await rows.first().waitFor();
  return rows.evaluateAll((trs) => trs.map((tr) => {
    const cells = [...tr.querySelectorAll('td')].map((td) => td.innerText.replace(/\s+/g, ' ').trim());
    return { row: cells[0], column: cells[1], problem: cells[2] };
  }));
}

describe('issue 6: import, review and publish a power list; the public finds it', () => {
  let env;
  const ids = new Map(); // item name → id
  before(async () => {
    // The smallest cap there is, so that the demo's list goes past it.
    env = await startEnvironment({ seed: true, args: ['--set', `portal.search_total_cap=${CAP}`] });
  });
  after(async () => { await env?.stop(); });

  test('a department administrator imports a spreadsheet, fixes the bad row, imports again and submits', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'scjg_admin', { path: '/console/power-items/import' });
      if (new URL(page.url()).pathname !== '/console/power-items/import') {
        await page.goto(`${env.server.url}/console/power-items/import`);
      }
      await page.getByTestId('import-file').waitFor({ state: 'attached' });
      // The import goes to the administrator's own department.
      await page.getByTestId('import-department').filter({ hasText: DEPARTMENT }).waitFor();
      await page.getByTestId('import-template').waitFor();

      // The template, as the wizard offers it, through the administrator's session.
      const template = await pageDownload(page, '/api/v1/power-items/template');
      assert.equal(template.status, 200);
      assert.equal(template.type, XLSX);
      const bad = await fillTemplate(template.bytes, { withBadRow: true });
      const good = await fillTemplate(template.bytes, { withBadRow: false });

      // The file with the bad row: refused as a whole, with the row and the column.
      const refused = await importFile(page, '权责清单（市场监管局）.xlsx', bad);
      assert.equal(refused.status(), 400);
      const body = await refused.json();
      assert.equal(body.imported, 0);
      const report = await reportRows(page);
      assert.equal(report.length, 1, `one problem: ${JSON.stringify(report)}`);
      assert.deepEqual({ row: report[0].row, column: report[0].column }, { row: '3', column: '实施依据' },
        'the second item is on row 3 of the sheet (the header is row 1)');
      assert.match(report[0].problem, /第六百一十一条/, 'the problem names the article that does not exist');
      assert.match(report[0].problem, new RegExp(QUALITY));
      assert.equal(await page.getByTestId('import-result').count(), 0, 'no success shown');

      // Nothing of the file was imported: the list, by each name, is empty.
      for (const item of ITEMS) {
        const { total, rows } = await consoleList(page, env, item.name);
        assert.equal(total, 0, `${item.name} not imported`);
        await page.getByTestId('powers-table').locator('.el-table__empty-block').waitFor();
        assert.equal(await rows.count(), 0);
      }

      // The fixed file: all three, as drafts.
      await page.goto(`${env.server.url}/console/power-items/import`);
      await page.getByTestId('import-file').waitFor({ state: 'attached' });
      const imported = await importFile(page, '权责清单（市场监管局）-已修改.xlsx', good);
      assert.equal(imported.status(), 200);
      assert.equal((await imported.json()).imported, 3);
      const result = page.getByTestId('import-result');
      await result.waitFor();
      assert.match(await textOf(result), /3/, 'the wizard says three items were imported');
      assert.equal(await page.getByTestId('import-report').locator('tbody tr').count(), 0, 'no problems left');

      // Each found in the list and submitted from its page.
      for (const item of ITEMS) {
        const { total, rows } = await consoleList(page, env, item.name);
        assert.equal(total, 1, `${item.name} imported once`);
        const row = rows.filter({ hasText: item.name });
        await row.getByTestId('power-status').filter({ hasText: '草稿' }).waitFor();
        await row.getByTestId('power-link').click();
        await page.waitForURL((url) => /^\/console\/power-items\/\d+$/.test(url.pathname));
        ids.set(item.name, Number(new URL(page.url()).pathname.split('/').pop()));
        await page.getByTestId('page-title').filter({ hasText: item.name }).waitFor();
        assert.match(await textOf(page.getByTestId('power-code')), /^411481-SCJG-CF-\d{3}$/, 'the code is generated');
        const labels = (await page.getByTestId('power-basis').getByTestId('basis-label').allInnerTexts()).map((x) => x.trim());
        assert.deepEqual(labels, item.bases);
        await step(page, 'power-action-submit');
        await page.getByTestId('power-status').filter({ hasText: '待审核' }).waitFor();
      }

      assert.deepEqual(unexpected(problems, /status of 400/), [], 'no console errors but the refused import');
    });
  });

  test('the legal office returns one item with a reason, approves the other two and publishes them', async (t) => {
    assert.equal(ids.size, 3, 'the items were imported');
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office');
      await openMenu(page, '审核队列', '/console/power-reviews');

      // The queue holds the department's three items; each is decided on its page.
      const queue = page.getByTestId('review-queue-submitted');
      for (const item of ITEMS) {
        const row = queue.locator('tbody tr').filter({ hasText: item.name });
        await row.waitFor();
        assert.match(await textOf(row), new RegExp(DEPARTMENT));
      }
      const open = async (item, status) => {
        await page.goto(`${env.server.url}/console/power-items/${ids.get(item.name)}`);
        await page.getByTestId('page-title').filter({ hasText: item.name }).waitFor();
        await page.getByTestId('power-status').filter({ hasText: status }).waitFor();
      };

      await queue.locator('tbody tr').filter({ hasText: RETURNED.name }).getByTestId('queue-link').click();
      await page.waitForURL((url) => url.pathname === `/console/power-items/${ids.get(RETURNED.name)}`);
      await page.getByTestId('power-status').filter({ hasText: '待审核' }).waitFor();
      await step(page, 'power-action-return', RETURN_REASON);
      await page.getByTestId('power-status').filter({ hasText: '已退回' }).waitFor();
      assert.equal(await textOf(page.getByTestId('power-last-comment')), RETURN_REASON);

      for (const item of [PUBLISHED, FOUND]) {
        await open(item, '待审核');
        await step(page, 'power-action-approve', '依据准确，责任事项完整，同意');
        await page.getByTestId('power-status').filter({ hasText: '已审核' }).waitFor();
      }
      // Then both published.
      for (const item of [PUBLISHED, FOUND]) {
        await open(item, '已审核');
        await step(page, 'power-action-publish');
        await page.getByTestId('power-status').filter({ hasText: '已公布' }).waitFor();
      }

      // None of the three waits in the queue any more.
      await page.goto(`${env.server.url}/console/power-reviews`);
      await queue.waitFor();
      await page.waitForLoadState('networkidle');
      for (const item of ITEMS) {
        assert.equal(await queue.locator('tbody tr').filter({ hasText: item.name }).count(), 0, `${item.name} decided`);
      }

      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
  });

  test('a member of the public finds a published item with a 2-character search and reads its basis', async (t) => {
    assert.equal(ids.size, 3, 'the items were imported');
    await withPage(t, env, async (page, { problems }) => {
      // The home page's search box leads to the list, the query in the URL.
      await page.goto(`${env.server.url}/`);
      const home = page.getByTestId('home-power-search');
      await home.getByLabel('权责清单关键词').fill(QUERY);
      const searched = nextAnswer(page, 'GET', '/api/v1/public/power-items', { q: QUERY });
      await home.getByRole('button', { name: '查询' }).click();
      assert.equal((await searched).status(), 200);
      await page.waitForURL((url) => url.pathname === '/power-items' && url.searchParams.get('q') === QUERY);
      await page.getByRole('heading', { level: 1, name: '权责清单' }).waitFor();
      assert.equal(await page.getByLabel('关键词', { exact: true }).inputValue(), QUERY, 'the search box keeps the query');

      // The item is among the results, the query marked in its name; the
      // returned one is not.
      const results = page.getByTestId('power-result');
      const found = results.filter({ hasText: FOUND.name });
      await found.waitFor();
      assert.equal(await textOf(found.getByTestId('power-result-department')), DEPARTMENT);
      assert.equal(await textOf(found.getByTestId('power-result-category')), '行政处罚');
      assert.equal(await textOf(found.getByTestId('power-result-bases')), FOUND.bases.join('；'));
      assert.match(await textOf(found.getByTestId('power-result-code')), /^411481-SCJG-CF-\d{3}$/);
      assert.deepEqual((await found.getByTestId('highlight').allInnerTexts()).map((s) => s.trim()), [QUERY]);
      assert.equal(await results.filter({ hasText: RETURNED.name }).count(), 0);
      assert.match(await textOf(page.getByTestId('power-count')), /共 \d+ 项/);

      // It fits the narrow screen: nothing wider than the page.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling on a phone (${overflow}px too wide)`);

      // The item's page: every basis with the law's own words.
      await found.getByTestId('power-result-link').click();
      await page.waitForURL((url) => url.pathname === `/power-items/${ids.get(FOUND.name)}`);
      await page.getByTestId('page-title').filter({ hasText: FOUND.name }).waitFor();
      assert.equal(await textOf(page.getByTestId('power-department')), DEPARTMENT);
      assert.equal(await textOf(page.getByTestId('power-sector')), '市场监管');
      assert.equal(await textOf(page.getByTestId('power-agency')), '执法稽查大队');
      assert.equal(await textOf(page.getByTestId('power-responsibility')), RESPONSIBILITY);
      assert.deepEqual((await page.getByTestId('power-liabilities').locator('li').allInnerTexts()).map((s) => s.trim()),
        LIABILITIES.split('\n'));
      const basis = page.getByTestId('power-basis');
      assert.equal(await basis.count(), 1);
      assert.equal(await textOf(basis.getByTestId('basis-label')), FOUND.bases[0]);
      assert.match(await textOf(basis.getByTestId('basis-source')), new RegExp(`《${QUALITY}》`));
      assert.match(await textOf(basis.getByTestId('basis-version')), /^\d{4}年\d{2}月\d{2}日版本$/);
      assert.match(await textOf(basis.getByTestId('basis-text')), FOUND.article);

      // Back to the same search.
      await page.getByTestId('power-back').click();
      await page.waitForURL((url) => url.pathname === '/power-items' && url.searchParams.get('q') === QUERY);
      await results.filter({ hasText: FOUND.name }).waitFor();

      // Narrowed to the department: still there.
      await choose(page, 'power-filter-department', new RegExp(`^${DEPARTMENT}（\\d+）$`));
      await page.waitForURL((url) => url.searchParams.has('department_id') && url.searchParams.get('q') === QUERY);
      await results.filter({ hasText: FOUND.name }).waitFor();
      await page.getByTestId('power-clear').click();
      await page.waitForURL((url) => url.pathname === '/power-items' && url.search === '');

      // The other published item by four characters of its name; the
      // returned one shares them and is not there.
      const search = async (q) => {
        const answer = nextAnswer(page, 'GET', '/api/v1/public/power-items', { q });
        await page.getByLabel('关键词', { exact: true }).fill(q);
        await page.getByLabel('关键词', { exact: true }).press('Enter');
        await page.waitForURL((url) => url.searchParams.get('q') === q);
        assert.equal((await answer).status(), 200);
        await page.getByTestId('power-count').filter({ hasText: q }).waitFor();
      };
      await search('计量器具');
      await results.filter({ hasText: PUBLISHED.name }).waitFor();
      assert.equal(await results.filter({ hasText: RETURNED.name }).count(), 0);

      // The returned item by its whole name: nothing, and the hint to type less.
      await search(RETURNED.name);
      const empty = page.getByTestId('power-empty');
      await empty.waitFor();
      assert.match(await textOf(empty), /没有找到/);
      assert.match(await textOf(empty), /减少关键词的字数/);
      // Nor by its address.
      await page.goto(`${env.server.url}/power-items/${ids.get(RETURNED.name)}`);
      await page.getByTestId('power-not-found').waitFor();

      assert.deepEqual(unexpected(problems, /status of 404/), [], 'no console errors but the missing item');
    }, { viewport: { width: 390, height: 844 } });
  });

  test('a word in more items than the portal counts shows "100 项以上" and a hint to narrow it', async (t) => {
    const WORD = '处罚';
    // What the portal lists, read through the unsearched (exactly counted) list.
    const published = [];
    for (let page = 1; ; page += 1) {
      const res = await fetch(`${env.server.url}/api/v1/public/power-items?page_size=200&page=${page}`);
      assert.equal(res.status, 200);
      const body = await res.json();
      published.push(...body.items);
      if (body.items.length < 200) break;
    }
    const matching = published.filter((it) => [it.name, it.code, it.department_name, ...(it.bases || []).map((b) => b.label)]
      .some((s) => (s || '').includes(WORD))).length;
    assert.ok(matching > CAP, `the demo publishes more than ${CAP} items with “${WORD}” (${matching})`);

    await withPage(t, env, async (page, { problems }) => {
      const answer = nextAnswer(page, 'GET', '/api/v1/public/power-items', { q: WORD });
      await page.goto(`${env.server.url}/power-items?q=${encodeURIComponent(WORD)}`);
      const body = await (await answer).json();
      assert.equal(body.total, CAP);
      assert.equal(body.total_capped, true);
      await page.getByTestId('power-count').filter({ hasText: `共 ${CAP} 项以上` }).waitFor();
      assert.match(await textOf(page.getByTestId('power-capped')), /请增加关键词或选择部门、类别以缩小范围/);
      assert.equal(await page.getByTestId('power-result').count(), 20, 'a full first page');

      // Narrowed to one department, the count is exact again.
      const narrowed = nextAnswer(page, 'GET', '/api/v1/public/power-items', { q: WORD });
      await choose(page, 'power-filter-department', new RegExp(`^${DEPARTMENT}（\\d+）$`));
      const exact = await (await narrowed).json();
      const inDepartment = published.filter((it) => it.department_name === DEPARTMENT
        && [it.name, it.code, it.department_name, ...(it.bases || []).map((b) => b.label)].some((s) => (s || '').includes(WORD))).length;
      assert.ok(inDepartment > 0 && inDepartment <= CAP, `the department has 1 to ${CAP} such items (${inDepartment})`);
      assert.equal(exact.total_capped, false);
      assert.equal(exact.total, inDepartment);
      await page.getByTestId('power-count').filter({ hasText: `共 ${inDepartment} 项` }).waitFor();
      assert.equal(await page.getByTestId('power-capped').count(), 0);
      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
  });
});
