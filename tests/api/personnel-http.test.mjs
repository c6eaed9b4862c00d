// personnel/ over HTTP where the scenario runner cannot go (it builds neither
// an .xlsx nor an image), on SQLite and PostgreSQL; the files are written
// here, the spreadsheets by exceljs:
// - the administrator of 永城市市场监督管理局 downloads the officers' template
//   (its headers and one made-up example row), uploads a file with one bad
//   row and gets 400 with the row report — nothing imported, no whole ID
//   number in the answer — then the fixed file imports every row, masked;
// - the legal office imports the numbers the province issued: a name that
//   does not match the ID number is refused with the report, the fixed file
//   issues both applications, which the public check then finds;
// - the server runs as a deployment that issues numbers itself
//   (personnel.number_issuer = self, a prefix of this run): an approval
//   without a number gets the prefix and 00000001;
// - an officer's photo (checked, then shown by the public check), the QR
//   code of a certificate, and scores and reasons of changes kept from
//   colleagues who only read the officer list.
// Every name and ID number is new each run: on PostgreSQL runs share a database.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { DATABASES, PG_MISSING_MESSAGE, dbDescribeOptions, pgMissingInCi, setArgs } from './helpers.mjs';
import { idNumber, maskedIdNumber as masked } from '../support/id-number.mjs';
import { binaryPath, repoRoot, startServer } from '../support/server.mjs';

const execFileP = promisify(execFile);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// src/personnel/sheet.cpp officer_template() and number_template().
const OFFICER_HEADERS = ['姓名', '身份证号码', '联系电话', '人员性质', '法律职业资格', '岗位', '到岗日期'];
const NUMBER_HEADERS = ['姓名', '身份证号码', '证件种类', '证件编号', '发证日期', '有效期至'];
const EXAMPLE_ID = '411481190001010014';
// A real PNG of one white pixel.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==', 'base64');

/** An .xlsx of one sheet: the headers, then the rows, every cell text. */
async function workbook(name, headers, rows) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(name);
  for (const r of [headers, ...rows]) {
    const row = sheet.addRow(r);
    row.eachCell({ includeEmpty: true }, (cell) => { cell.numFmt = '@'; });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function readBook(bytes) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes);
  const sheet = book.worksheets[0];
  const rows = [];
  sheet.eachRow((row) => rows.push(row.values.slice(1).map((v) => String(v ?? ''))));
  return { name: sheet.name, rows };
}

async function run(cmd, args, stdin) {
  const child = execFileP(binaryPath(), [...cmd, ...args, '--set', 'testing.fast_hashing=true', '--set', 'log.level=warn'],
    { timeout: 120000 });
  if (stdin !== undefined) child.child.stdin.end(stdin);
  try {
    await child;
  } catch (e) {
    throw new Error(`xzzf ${cmd.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

/** A logged-in client: cookie and CSRF token; request() answers { status, headers, json, text, bytes }. */
async function login(url, username, password) {
  const client = {
    cookie: null,
    csrf: null,
    async request(method, p, { json, body, contentType } = {}) {
      const headers = {};
      if (this.cookie) headers.cookie = `xzzf_session=${this.cookie}`;
      if (method !== 'GET' && this.csrf) headers['x-csrf-token'] = this.csrf;
      let payload;
      if (json !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(json);
      } else if (body !== undefined) {
        headers['content-type'] = contentType ?? XLSX;
        payload = body;
      }
      const res = await fetch(new URL(p, url), { method, headers, body: payload });
      const bytes = Buffer.from(await res.arrayBuffer());
      const text = bytes.toString('utf8');
      let parsed;
      try { parsed = JSON.parse(text); } catch { parsed = undefined; }
      return { status: res.status, headers: res.headers, json: parsed, text, bytes };
    },
  };
  const res = await fetch(new URL('/api/v1/session', url), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `login ${username}: ${text}`);
  const m = /xzzf_session=([^;]*)/.exec(res.headers.getSetCookie().join('\n'));
  client.cookie = m[1];
  client.csrf = JSON.parse(text).csrf_token;
  return client;
}

for (const db of DATABASES) {
  describe(`personnel over HTTP on ${db}`, dbDescribeOptions(db), () => {
    if (pgMissingInCi(db)) {
      test('PostgreSQL is available', () => assert.fail(PG_MISSING_MESSAGE));
      return;
    }
    const runId = `r${randomBytes(4).toString('hex')}`;
    const prefix = `测${runId}`;
    const ids = [idNumber(), idNumber(), idNumber()];
    while (new Set(ids).size < 3) ids[2] = idNumber();
    const names = [`王甲${runId}`, `李乙${runId}`, `赵丙${runId}`];
    let server;
    let sc; // the administrator of 永城市市场监督管理局
    let lo; // the legal office
    let juris;
    const officers = {}; // name → id

    before(async () => {
      server = await startServer({
        db,
        args: setArgs({ 'testing.fast_hashing': 'true', 'personnel.number_issuer': 'self', 'personnel.number_prefix': prefix }),
      });
      await run(['demo'], ['--db', server.dbUrl, '--laws', path.join(repoRoot, 'laws'), ...server.keyArgs]);
      const users = [
        ['lo', 'legal_office', '411481-SFJ', 'Legal-Office-Pass-1'],
        ['sc', 'dept_admin', '411481-SCJG', 'Market-Admin-Pass-1'],
      ];
      for (const [name, role, dept, pw] of users) {
        await run(['user', 'create'], ['--db', server.dbUrl, '--username', `${name}_${runId}`, '--password-stdin',
          '--role', role, '--department-code', dept], `${pw}\n`);
      }
      lo = await login(server.url, `lo_${runId}`, 'Legal-Office-Pass-1');
      sc = await login(server.url, `sc_${runId}`, 'Market-Admin-Pass-1');
      const dept = await lo.request('GET', '/api/v1/departments?q=411481-SCJG');
      juris = dept.json.items[0].jurisdiction_id;
    });
    after(async () => { await server?.stop(); });

    test('the officers template has the headers and a made-up example', async () => {
      const res = await sc.request('GET', '/api/v1/officers/import-template');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('content-type'), XLSX);
      assert.match(res.headers.get('content-disposition'), /filename\*=UTF-8''/);
      const book = await readBook(res.bytes);
      assert.deepEqual(book.rows[0], OFFICER_HEADERS);
      assert.equal(book.rows.length, 2);
      assert.equal(book.rows[1][1], EXAMPLE_ID, 'born 1900-01-01: obviously no officer');
      // Uploaded as it is, the example row is refused.
      const back = await sc.request('POST', '/api/v1/officers/import', { body: res.bytes });
      assert.equal(back.status, 400, back.text);
      assert.deepEqual(back.json.report.map((i) => [i.row, i.column]), [[2, '身份证号码']]);
      assert.ok(!back.text.includes(EXAMPLE_ID));
      const anonymous = await fetch(new URL('/api/v1/officers/import-template', server.url));
      assert.equal(anonymous.status, 401);
    });

    test('one bad row imports nothing, the report names row and column; the fixed file imports all', async () => {
      const good = [
        [names[0], ids[0], '13812345678', '在编在职人员', '是', '执法岗', '2024-03-01'],
        [names[1], ids[1], '', 'established', '', '', ''],
      ];
      const bad = ids[2].slice(0, 17) + (ids[2][17] === '0' ? '1' : '0');
      const cases = [
        { row: [names[2], bad, '', '在编在职人员', '', '', ''], column: '身份证号码', says: /不是有效的 18 位居民身份证号码/ },
        { row: [names[2], ids[0], '', '在编在职人员', '', '', ''], column: '身份证号码', says: new RegExp(`与第 2 行的身份证号码（${masked(ids[0]).replaceAll('*', '\\*')}）重复`) },
        { row: [names[2], ids[2], '', '正式工', '', '', ''], column: '人员性质', says: /应为在编在职人员/ },
        { row: [names[2], ids[2], '', '在编在职人员', '', '巡查岗', ''], column: '岗位', says: /巡查岗/ },
      ];
      for (const c of cases) {
        const file = await workbook('执法人员', OFFICER_HEADERS, [...good, c.row]);
        const res = await sc.request('POST', '/api/v1/officers/import', { body: file });
        assert.equal(res.status, 400, res.text);
        assert.equal(res.json.error.code, 'personnel.import_invalid');
        assert.equal(res.json.imported, 0);
        assert.equal(res.json.report.length, 1, res.text);
        assert.equal(res.json.report[0].row, 4);
        assert.equal(res.json.report[0].column, c.column);
        assert.match(res.json.report[0].message, c.says);
        for (const id of [...ids, bad]) assert.ok(!res.text.includes(id), `a whole ID number in ${res.text}`);
        const none = await sc.request('GET', `/api/v1/officers?q=${encodeURIComponent(runId)}`);
        assert.equal(none.json.total, 0, 'nothing imported');
      }
      const junk = await sc.request('POST', '/api/v1/officers/import', { body: '这不是表格', contentType: 'application/octet-stream' });
      assert.equal(junk.status, 400);
      assert.match(junk.json.error.code, /^sheets\./);

      const fixed = await workbook('执法人员', OFFICER_HEADERS,
        [...good, [names[2], ids[2], '', '工勤人员', '否', '执法岗', '']]);
      const res = await sc.request('POST', '/api/v1/officers/import', { body: fixed });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, { imported: 3, report: [] });
      const list = await sc.request('GET', `/api/v1/officers?q=${encodeURIComponent(runId)}`);
      assert.equal(list.json.total, 3);
      for (const o of list.json.items) officers[o.full_name] = o.id;
      const first = list.json.items.find((o) => o.full_name === names[0]);
      assert.equal(first.id_number, masked(ids[0]));
      assert.equal(first.phone, '138****5678');
      assert.equal(first.post.post_name, '执法岗');
      assert.equal(first.post.started_on, '2024-03-01');
      assert.ok(!list.text.includes(ids[0]));
      // Once entered, the same people again are refused.
      const again = await sc.request('POST', '/api/v1/officers/import', { body: fixed });
      assert.equal(again.status, 400);
      assert.equal(again.json.report.length, 3);
    });

    test('the numbers the province issued: all rows or none; the public check finds them', async () => {
      const session = await lo.request('POST', '/api/v1/exam-sessions',
        { json: { jurisdiction_id: juris, title: `执法资格考试${runId}`, held_on: '2025-11-15' } });
      assert.equal(session.status, 201, session.text);
      const certs = {};
      for (const name of names) {
        const id = officers[name];
        for (const kind of ['public_law', 'special_law']) {
          const t = await sc.request('POST', `/api/v1/officers/${id}/trainings`,
            { json: { course: '法律知识', kind, hours: 16, completed_on: '2025-10-20' } });
          assert.equal(t.status, 201, t.text);
        }
        const r = await lo.request('POST', `/api/v1/exam-sessions/${session.json.id}/results`, { json: { officer_id: id, score: 85 } });
        assert.equal(r.status, 200, r.text);
      }
      for (const name of names.slice(0, 2)) {
        const a = await sc.request('POST', '/api/v1/certificate-applications',
          { json: { officer_id: officers[name], kind: 'enforcement', sectors: ['market'], jurisdiction_ids: [juris] } });
        assert.equal(a.status, 201, a.text);
        certs[name] = a.json.id;
      }
      const template = await lo.request('GET', '/api/v1/certificates/import-numbers-template');
      assert.equal(template.status, 200);
      assert.deepEqual((await readBook(template.bytes)).rows[0], NUMBER_HEADERS);

      const numbers = [`豫A${runId}1`, `豫A${runId}2`];
      const rows = [
        [names[0], ids[0], '行政执法证', numbers[0], '2026-01-05', '2031-01-04'],
        [`${names[1]}X`, ids[1], '行政执法证', numbers[1], '2026-01-05', '2031-01-04'],
      ];
      const refused = await lo.request('POST', '/api/v1/certificates/import-numbers',
        { body: await workbook('证件编号', NUMBER_HEADERS, rows) });
      assert.equal(refused.status, 400, refused.text);
      assert.deepEqual(refused.json.report.map((i) => [i.row, i.column]), [[3, '姓名']]);
      assert.ok(!refused.text.includes(ids[1]));
      assert.equal((await lo.request('GET', `/api/v1/certificates/${certs[names[0]]}`)).json.status, 'applied');
      // Only the legal office issues.
      const denied = await sc.request('POST', '/api/v1/certificates/import-numbers',
        { body: await workbook('证件编号', NUMBER_HEADERS, rows) });
      assert.equal(denied.status, 403);

      rows[1][0] = names[1];
      const done = await lo.request('POST', '/api/v1/certificates/import-numbers',
        { body: await workbook('证件编号', NUMBER_HEADERS, rows) });
      assert.equal(done.status, 200, done.text);
      assert.deepEqual(done.json, { imported: 2, report: [] });
      for (const [i, name] of names.slice(0, 2).entries()) {
        const c = await sc.request('GET', `/api/v1/certificates/${certs[name]}`);
        assert.equal(c.json.status, 'valid');
        assert.equal(c.json.number, numbers[i]);
        assert.deepEqual(c.json.events.map((e) => e.action), ['apply', 'issue']);
        const seen = await fetch(new URL(`/api/v1/public/certificates/${encodeURIComponent(numbers[i])}`, server.url));
        assert.equal(seen.status, 200);
        assert.equal((await seen.json()).full_name, name);
      }
    });

    test('a photo for the card and the public check, its QR code, and who sees scores and reasons', async () => {
      const id = officers[names[0]];
      const number = `豫A${runId}1`; // issued by the test before
      const notImage = await sc.request('PUT', `/api/v1/officers/${id}/photo`, { body: 'GIF89a', contentType: 'image/gif' });
      assert.equal(notImage.status, 400, notImage.text);
      assert.equal(notImage.json.error.code, 'personnel.photo_invalid');
      const before = await fetch(new URL(`/api/v1/public/certificates/${encodeURIComponent(number)}/photo`, server.url));
      assert.equal(before.status, 404);

      const set = await sc.request('PUT', `/api/v1/officers/${id}/photo`, { body: PNG, contentType: 'image/png' });
      assert.equal(set.status, 200, set.text);
      assert.equal(set.json.has_photo, true);
      const own = await sc.request('GET', `/api/v1/officers/${id}/photo`);
      assert.equal(own.status, 200);
      assert.equal(own.headers.get('content-type'), 'image/png');
      assert.deepEqual(own.bytes, PNG);
      const anonymousPut = await fetch(new URL(`/api/v1/officers/${id}/photo`, server.url), { method: 'PUT', body: PNG });
      assert.equal(anonymousPut.status, 401);

      // The public: the check says there is a photo and shows it, no login.
      const check = await (await fetch(new URL(`/api/v1/public/certificates/${encodeURIComponent(number)}`, server.url))).json();
      assert.equal(check.has_photo, true);
      const photo = await fetch(new URL(`/api/v1/public/certificates/${encodeURIComponent(number)}/photo`, server.url));
      assert.equal(photo.status, 200);
      assert.deepEqual(Buffer.from(await photo.arrayBuffer()), PNG);
      // The QR code of the card, for numbers that exist only.
      const qr = await fetch(new URL(`/api/v1/public/certificates/${encodeURIComponent(number)}/qr.svg`, server.url));
      assert.equal(qr.status, 200);
      assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
      const svg = await qr.text();
      assert.match(svg, /^<svg [^>]*viewBox="0 0 (\d+) \1"/);
      assert.ok((svg.match(/h\d+v\d+h-\d+z/g) ?? []).length > 50, 'modules drawn');
      const unknown = await fetch(new URL(`/api/v1/public/certificates/${encodeURIComponent(`${number}9`)}/qr.svg`, server.url));
      assert.equal(unknown.status, 404);

      // Scores and the reasons of changes: the administrator and the legal
      // office, not a colleague who reads the officer list.
      await run(['user', 'create'], ['--db', server.dbUrl, '--username', `of_${runId}`, '--password-stdin',
        '--role', 'officer', '--department-code', '411481-SCJG'], 'Officer-Pass-1\n');
      const colleague = await login(server.url, `of_${runId}`, 'Officer-Pass-1');
      assert.equal((await colleague.request('GET', `/api/v1/officers/${id}`)).status, 200);
      assert.equal((await colleague.request('GET', `/api/v1/officers/${id}/exams`)).status, 403);
      const sessions = await lo.request('GET', '/api/v1/exam-sessions');
      const session = sessions.json.items.find((x) => x.title === `执法资格考试${runId}`);
      assert.equal((await colleague.request('GET', `/api/v1/exam-sessions/${session.id}/results`)).status, 403);
      const certs = await sc.request('GET', `/api/v1/certificates?officer_id=${id}`);
      const cert = certs.json.items[0];
      const seenByColleague = await colleague.request('GET', `/api/v1/certificates/${cert.id}`);
      assert.equal(seenByColleague.status, 200);
      assert.equal(seenByColleague.json.events, undefined);
      const seenByOffice = await lo.request('GET', `/api/v1/certificates/${cert.id}`);
      assert.equal(seenByOffice.json.events.at(-1).actor_name, `lo_${runId}`);
      const results = await sc.request('GET', `/api/v1/exam-sessions/${session.id}/results`);
      assert.equal(results.status, 200, results.text);
      assert.deepEqual(results.json.items.map((r) => r.officer_name).sort(), [...names].sort());
      // The list by department.
      const market = await lo.request('GET', `/api/v1/certificates?department_id=${set.json.department_id}&officer_id=${id}`);
      assert.equal(market.json.total, 1);
      const elsewhere = await lo.request('GET', `/api/v1/certificates?department_id=${set.json.department_id + 1}&officer_id=${id}`);
      assert.equal(elsewhere.json.total, 0);
    });

    test('a deployment that issues numbers gives the next one of its prefix', async () => {
      const a = await sc.request('POST', '/api/v1/certificate-applications',
        { json: { officer_id: officers[names[2]], kind: 'enforcement', sectors: ['market'], jurisdiction_ids: [juris] } });
      // 赵丙 is 工勤人员: 第二十条 refuses; enter a 在编 one by the form instead.
      assert.equal(a.status, 422, a.text);
      const id = idNumber();
      const o = await sc.request('POST', '/api/v1/officers',
        { json: { department_id: (await sc.request('GET', `/api/v1/officers/${officers[names[0]]}`)).json.department_id,
          full_name: `钱丁${runId}`, id_number: id, employment: 'established' } });
      assert.equal(o.status, 201, o.text);
      for (const kind of ['public_law', 'special_law']) {
        await sc.request('POST', `/api/v1/officers/${o.json.id}/trainings`,
          { json: { course: '法律知识', kind, hours: 16, completed_on: '2025-10-20' } });
      }
      const sessions = await lo.request('GET', '/api/v1/exam-sessions');
      const session = sessions.json.items.find((s) => s.title === `执法资格考试${runId}`);
      await lo.request('POST', `/api/v1/exam-sessions/${session.id}/results`, { json: { officer_id: o.json.id, score: 90 } });
      const applied = await sc.request('POST', '/api/v1/certificate-applications',
        { json: { officer_id: o.json.id, kind: 'enforcement', sectors: ['market'], jurisdiction_ids: [juris] } });
      assert.equal(applied.status, 201, applied.text);
      const issued = await lo.request('POST', `/api/v1/certificate-applications/${applied.json.id}/review`,
        { json: { approve: true, issued_on: '2026-01-05', expires_on: '2031-01-04' } });
      assert.equal(issued.status, 200, issued.text);
      assert.equal(issued.json.number, `${prefix}00000001`);
      assert.equal(issued.json.status, 'valid');
    });
  });
}
