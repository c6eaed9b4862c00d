// Bulk entry of 执法资格 in the console, against the real server with the demo
// data, with spreadsheets written here by exceljs on the layout of the
// templates the pages offer (their headers checked first):
// - the administrator of 永城市市场监督管理局 (scjg_admin) opens 批量导入执法人员
//   from the officers list, the own department preselected, and uploads a
//   file whose second person has an ID number with a wrong check character:
//   the report names row 3 and 身份证号码 (without the number), and the list
//   counts as many officers as before; the fixed file imports all three,
//   the page says so and links back to the list, which shows them masked;
// - the legal office, for an officer whose application is pending (set up
//   through the API: the officer, both trainings, a passed exam, 申请 at
//   /certificate-applications),
//   opens 导入证件编号 from the certificates list: a file with the wrong
//   name is refused with the row and 姓名, the application still pending;
//   the fixed file records the number, and the certificate shows 有效 with
//   that number and the legal office's account as who issued it.
// The tests share the server and run in order.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { idNumber, maskedIdNumber as masked } from '../support/id-number.mjs';
import { apiAs, nextAnswer, openMenu, shanghaiDate, unexpected } from './console-helpers.mjs';
import { loginAs, startEnvironment, textOf, withPage } from './helpers.mjs';

const MARKET = '永城市市场监督管理局';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const STAMP = String(Date.now() % 1000000).padStart(6, '0');
// The templates' layouts (src/personnel/sheet.cpp officer_template() and number_template()).
const OFFICER_HEADERS = ['姓名', '身份证号码', '联系电话', '人员性质', '法律职业资格', '岗位', '到岗日期'];
const NUMBER_HEADERS = ['姓名', '身份证号码', '证件种类', '证件编号', '发证日期', '有效期至'];
const IMPORTED = ['冯志强', '陈晓燕', '褚建华'];
const PENDING = '卫国平';
const NUMBER = `豫IMP${STAMP}`;
// The display name of the demo's legal office account (src/app/cli.cpp).
const OFFICE_NAME = '司法局执法监督科';

/** GET path through the logged-in page (its session cookie): { status, type, bytes }. */
async function pageDownload(page, path) {
  return page.evaluate(async (p) => {
    const res = await fetch(p, { credentials: 'same-origin' });
    return { status: res.status, type: res.headers.get('content-type'), bytes: Array.from(new Uint8Array(await res.arrayBuffer())) };
  }, path);
}

/**
 * The template the page links to, downloaded through the page: its sheet's
 * name, checked to have `headers` in its first row.
 */
async function templateSheet(page, headers) {
  const href = await page.getByTestId('import-template').getAttribute('href');
  const template = await pageDownload(page, href);
  assert.equal(template.status, 200);
  assert.equal(template.type, XLSX);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(template.bytes));
  const sheet = book.worksheets[0];
  assert.deepEqual(sheet.getRow(1).values.slice(1).map((v) => String(v ?? '').trim()), headers,
    'the template has the columns of src/personnel/sheet.cpp');
  return sheet.name;
}

/** An .xlsx of one sheet named `name`: the headers, then the rows, every cell text (as the template asks). */
async function workbook(name, headers, rows) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(name);
  for (const r of [headers, ...rows]) {
    const row = sheet.addRow(r);
    row.eachCell({ includeEmpty: true }, (cell) => { cell.numFmt = '@'; });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Chooses the file and starts the import on the page; resolves to the server's answer to `pathname`. */
async function importFile(page, pathname, name, buffer) {
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: XLSX, buffer });
  await page.getByTestId('import-file-name').filter({ hasText: name }).waitFor();
  const answer = nextAnswer(page, 'POST', pathname);
  await page.getByTestId('import-submit').click();
  return answer;
}

/** The rows of the page's report table: [{ row, column, problem }]. */
async function reportRows(page) {
  const rows = page.getByTestId('import-report').locator('tbody tr');
  await rows.first().waitFor();
  return rows.evaluateAll((trs) => trs.map((tr) => {
    const cells = [...tr.querySelectorAll('td')].map((td) => td.innerText.replace(/\s+/g, ' ').trim());
    return { row: cells[0], column: cells[1], problem: cells[2] };
  }));
}

/** Opens the officers list from the menu → the number of officers the server counted, as the pager shows it. */
async function officerCount(page) {
  const answer = nextAnswer(page, 'GET', '/api/v1/officers');
  await openMenu(page, '执法人员', '/console/officers');
  const res = await answer;
  assert.equal(res.status(), 200);
  const { total } = await res.json();
  await page.locator('.el-pagination__total').filter({ hasText: `共 ${total} 条` }).waitFor();
  return total;
}

describe('执法人员 and 证件编号 imported from spreadsheets', () => {
  let env;
  let office; // the API as the legal office
  let market;
  const ids = {}; // pending → officer id, certificate → id

  before(async () => {
    env = await startEnvironment({ seed: true });
    office = await apiAs(env, 'legal_office');
    market = (await office.get('/api/v1/departments?page_size=200')).items.find((d) => d.name === MARKET);
    assert.ok(market, `${MARKET} in the demo`);
  });
  after(async () => {
    await office?.dispose();
    await env?.stop();
  });

  test('批量导入执法人员: a bad ID number refuses the whole file with its row and column; the fixed file imports all', async (t) => {
    const people = IMPORTED.map(() => idNumber());
    const bad = people[1].slice(0, 17) + (people[1][17] === '0' ? '1' : '0');
    const rows = (second) => [
      [IMPORTED[0], people[0], '13700001111', '在编在职人员', '否', '执法岗', '2025-09-01'],
      [IMPORTED[1], second, '', '在编在职人员', '是', '', ''],
      [IMPORTED[2], people[2], '', '劳动合同工', '', '', ''],
    ];
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'scjg_admin');
      const before = await officerCount(page);

      await page.getByTestId('officer-import').click();
      await page.waitForURL((url) => url.pathname === '/console/officers/import');
      await page.getByTestId('page-title').filter({ hasText: '批量导入执法人员' }).waitFor();
      // The administrator's own department, preselected.
      await page.getByTestId('import-department').filter({ hasText: MARKET }).waitFor();
      const sheetName = await templateSheet(page, OFFICER_HEADERS);

      // One bad row: nothing imported, the report names the row and the column.
      const refused = await importFile(page, '/api/v1/officers/import', '执法人员（有误）.xlsx',
        await workbook(sheetName, OFFICER_HEADERS, rows(bad)));
      assert.equal(refused.status(), 400);
      assert.equal((await refused.json()).imported, 0);
      await page.getByTestId('import-refused').waitFor();
      const report = await reportRows(page);
      assert.equal(report.length, 1, `one problem: ${JSON.stringify(report)}`);
      assert.deepEqual({ row: report[0].row, column: report[0].column }, { row: '3', column: '身份证号码' },
        'the second person is on row 3 of the sheet (the header is row 1)');
      assert.match(report[0].problem, /不是有效的 18 位居民身份证号码/);
      assert.ok(!(await textOf(page.getByTestId('import-report'))).includes(bad), 'the report does not repeat the ID number');
      assert.equal(await page.getByTestId('import-result').count(), 0, 'no success shown');
      assert.equal(await officerCount(page), before, 'nothing imported');

      // The fixed file: all three.
      await page.getByTestId('officer-import').click();
      await page.waitForURL((url) => url.pathname === '/console/officers/import');
      await page.getByTestId('import-department').filter({ hasText: MARKET }).waitFor();
      const imported = await importFile(page, '/api/v1/officers/import', '执法人员（已修改）.xlsx',
        await workbook(sheetName, OFFICER_HEADERS, rows(people[1])));
      assert.equal(imported.status(), 200);
      assert.deepEqual(await imported.json(), { imported: 3, report: [] });
      assert.equal(await textOf(page.getByTestId('import-result').locator('.el-alert__title')), '已导入 3 名执法人员');
      assert.equal(await page.getByTestId('import-report').count(), 0, 'no problems left');

      const listed = nextAnswer(page, 'GET', '/api/v1/officers');
      await page.getByTestId('import-list-link').click();
      await page.waitForURL((url) => url.pathname === '/console/officers');
      assert.equal((await (await listed).json()).total, before + 3);
      await page.locator('.el-pagination__total').filter({ hasText: `共 ${before + 3} 条` }).waitFor();
      const table = page.getByTestId('officers-table');
      for (const [i, name] of IMPORTED.entries()) {
        const row = table.locator('tbody tr').filter({ hasText: name });
        await row.waitFor();
        assert.equal(await textOf(row.getByTestId('officer-id-number')), masked(people[i]));
        assert.match(await textOf(row), new RegExp(MARKET));
      }
      assert.match(await textOf(table.locator('tbody tr').filter({ hasText: IMPORTED[0] })), /137\*{4}1111.*在编在职人员.*执法岗/);
      assert.equal(await textOf(table.locator('tbody tr').filter({ hasText: IMPORTED[2] }).getByTestId('officer-employment')), '劳动合同工');

      assert.deepEqual(unexpected(problems, /status of 400/), [], 'no console errors but the refusal');
    });
  });

  test('导入证件编号: the pending application gets the province\'s number and the certificate is 有效', async (t) => {
    const person = idNumber();
    const post = (await office.get(`/api/v1/departments/${market.id}/posts`)).items.find((p) => p.is_enforcement);
    ids.pending = (await office.post('/api/v1/officers', {
      department_id: market.id, full_name: PENDING, id_number: person, employment: 'established',
      post_id: post.id, post_started_on: '2024-01-02',
    })).id;
    await office.post(`/api/v1/officers/${ids.pending}/trainings`, { course: '行政执法公共法律知识', kind: 'public_law', hours: 40, completed_on: '2025-03-01' });
    await office.post(`/api/v1/officers/${ids.pending}/trainings`, { course: '市场监管法律法规', kind: 'special_law', hours: 32, completed_on: '2025-04-01' });
    const session = await office.post('/api/v1/exam-sessions', {
      jurisdiction_id: market.jurisdiction_id, title: `执法资格考试（导入测试 ${STAMP}）`, held_on: '2025-05-10',
    });
    const result = await office.post(`/api/v1/exam-sessions/${session.id}/results`, { officer_id: ids.pending, score: session.pass_line + 10 });
    assert.equal(result.passed, true);
    const applied = await office.post('/api/v1/certificate-applications', {
      officer_id: ids.pending, kind: 'enforcement', sectors: ['market'], jurisdiction_ids: [market.jurisdiction_id],
    });
    assert.equal(applied.status, 'applied');
    ids.certificate = applied.id;
    const row = (name) => [name, person, '行政执法证', NUMBER, shanghaiDate(0), shanghaiDate(5)];

    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office');
      await openMenu(page, '执法证件', '/console/certificates');
      await page.getByTestId('certificates-import-numbers').click();
      await page.waitForURL((url) => url.pathname === '/console/certificates/import-numbers');
      await page.getByTestId('page-title').filter({ hasText: '导入证件编号' }).waitFor();
      const sheetName = await templateSheet(page, NUMBER_HEADERS);

      // A name that is not the one entered for the ID number: refused, still pending.
      const refused = await importFile(page, '/api/v1/certificates/import-numbers', '证件编号（有误）.xlsx',
        await workbook(sheetName, NUMBER_HEADERS, [row(`${PENDING}甲`)]));
      assert.equal(refused.status(), 400);
      await page.getByTestId('import-refused').waitFor();
      const report = await reportRows(page);
      assert.deepEqual(report.map((r) => [r.row, r.column]), [['2', '姓名']], JSON.stringify(report));
      assert.match(report[0].problem, /姓名不一致/);
      assert.equal((await office.get(`/api/v1/certificates/${ids.certificate}`)).status, 'applied', 'not issued');

      // The fixed file (picked again on the same page): the number recorded.
      const issued = await importFile(page, '/api/v1/certificates/import-numbers', '证件编号.xlsx',
        await workbook(sheetName, NUMBER_HEADERS, [row(PENDING)]));
      assert.equal(issued.status(), 200);
      assert.deepEqual(await issued.json(), { imported: 1, report: [] });
      assert.equal(await textOf(page.getByTestId('import-result').locator('.el-alert__title')), '已登记 1 份证件的编号');
      assert.equal(await page.getByTestId('import-report').count(), 0, 'the last report is gone');

      await page.getByTestId('import-list-link').click();
      await page.waitForURL((url) => url.pathname === '/console/certificates');
      const listedRow = page.getByTestId('certificates-table').locator('tbody tr').filter({ hasText: NUMBER });
      await listedRow.waitFor();
      assert.match(await textOf(listedRow), new RegExp(`${PENDING}.*有效`));
      await listedRow.getByTestId('certificate-link').click();
      await page.waitForURL((url) => url.pathname === `/console/certificates/${ids.certificate}`);
      await page.getByTestId('certificate-status').filter({ hasText: '有效' }).first().waitFor();
      assert.equal(await textOf(page.getByTestId('certificate-number')), NUMBER);
      assert.deepEqual((await page.getByTestId('certificate-event-action').allInnerTexts()).map((s) => s.trim()),
        ['审核通过，登记证件编号', '部门申请']);
      // Who issued it: the account that imported the numbers.
      assert.equal(await textOf(page.getByTestId('certificate-event').first().getByTestId('certificate-event-actor')),
        `操作人：${OFFICE_NAME}`);

      assert.deepEqual(unexpected(problems, /status of 400/), [], 'no console errors but the refusal');
    });
  });
});
