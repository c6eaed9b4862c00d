// Enforcement qualification (执法资格) in the console and the portal, against
// the real server with the demo data. Set-up through the API as the legal
// office: an officer of 永城市市场监督管理局 with both trainings but no exam
// (the one refused), and a certificate issued in 2024 whose 年审 is overdue
// (for the reminders). Then in the browser, as the legal office:
// - 新增执法人员: the officer's ID number and phone show masked; the whole
//   values only after confirming a view that is written to the audit trail;
// - an exam session (its pass line and the rule's basis shown), a passing
//   score for the new officer, still listed when the drawer opens again;
// - 申请执法证 for the officer without an exam: refused, with the message and
//   《河南省行政执法条例》第二十一条第一款 shown in the dialog;
// - 申请执法证 for the new officer, approved with a number of the test's own:
//   有效; the public check (no login) at /certificates/<number> shows 有效 and
//   the name; 暂扣 with a reason, and the public check shows 暂扣 and that the
//   holder may not act; the printable card shows the number and the QR code
//   (served) with 扫码核验;
// - the photo, uploaded on the officer's page, on the card and the public check;
// - 换证 of a valid certificate of its own set-up: a 有效期至 not after the
//   发证日期 refused in the form, then the new dates shown, the same number, and 换证
//   on the history with its reason and the legal office named;
// - 证件提醒 shows the overdue 年审 in red; 定期轮岗 the officer in the same post
//   since 2019;
// and as an officer (执法人员 role, officer.read only) the pages without the
// buttons to change anything. The tests run in order and share the set-up.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { idNumber, maskedIdNumber } from '../support/id-number.mjs';
import { apiAs, choose, nextAnswer, noDropdown, openMenu, setDate, shanghaiDate, unexpected } from './console-helpers.mjs';
import { loginAs, menuEntries, startEnvironment, textOf, withPage } from './helpers.mjs';

const MARKET = '永城市市场监督管理局';
const BASIS_EXAM = '《河南省行政执法条例》第二十一条第一款';
const STAMP = String(Date.now() % 1000000).padStart(6, '0');
const NEW_OFFICER = { name: '周明远', phone: '13912345678', postedOn: '2019-05-01' };
const NO_EXAM = '吴立新';
const OVERDUE = '郑海波';
const RENEWED = '钱振宇';
const NUMBER = `豫E2E${STAMP}`;
const RENEW_NUMBER = `豫REN${STAMP}`;
// The demo's legal office account (src/app/cli.cpp), named on the history.
const OFFICE_NAME = '司法局执法监督科';
const EXAM_TITLE = `行政执法资格考试（测试 ${STAMP}）`;
// A PNG of one pixel: the officer's photo.
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('执法资格: officers, exams, certificates and the public check', () => {
  let env;
  let api;
  let market;
  let post; // an enforcement post of the department
  let session; // the exam session of the set-up
  const ids = {}; // noExam, overdue, created, renewed → officer id; certificate → id

  // Set-up steps through the API as the legal office.
  const officer = async (fullName, startedOn) => (await api.post('/api/v1/officers', {
    department_id: market.id, full_name: fullName, id_number: idNumber(), employment: 'established',
    post_id: post.id, post_started_on: startedOn,
  })).id;
  const trained = async (id) => {
    await api.post(`/api/v1/officers/${id}/trainings`, { course: '行政执法公共法律知识', kind: 'public_law', hours: 40, completed_on: '2024-03-01' });
    await api.post(`/api/v1/officers/${id}/trainings`, { course: '市场监管法律法规', kind: 'special_law', hours: 40, completed_on: '2024-03-15' });
  };
  /** Trained, passed the exam, applied and approved: the certificate (valid). */
  const certified = async (id, number, issuedOn, expiresOn) => {
    await trained(id);
    await api.post(`/api/v1/exam-sessions/${session.id}/results`, { officer_id: id, score: 90 });
    const applied = await api.post('/api/v1/certificate-applications', {
      officer_id: id, kind: 'enforcement', sectors: ['market'], jurisdiction_ids: [market.jurisdiction_id],
    });
    return api.post(`/api/v1/certificate-applications/${applied.id}/review`, {
      approve: true, number, issued_on: issuedOn, expires_on: expiresOn,
    });
  };

  before(async () => {
    env = await startEnvironment({ seed: true });
    api = await apiAs(env, 'legal_office');
    market = (await api.get('/api/v1/departments?page_size=200')).items.find((d) => d.name === MARKET);
    assert.ok(market, `${MARKET} in the demo`);
    post = (await api.get(`/api/v1/departments/${market.id}/posts`)).items.find((p) => p.is_enforcement);
    assert.ok(post, 'an enforcement post of the department');
    session = await api.post('/api/v1/exam-sessions', {
      jurisdiction_id: market.jurisdiction_id, title: `2024年度执法资格考试（准备 ${STAMP}）`, held_on: '2024-04-20',
    });

    ids.noExam = await officer(NO_EXAM, '2024-01-02');
    await trained(ids.noExam);

    // A certificate issued in 2024 and never reviewed since: its 年审 is overdue.
    ids.overdue = await officer(OVERDUE, '2023-06-01');
    await certified(ids.overdue, `豫OLD${STAMP}`, '2024-06-01', shanghaiDate(3));
  });
  after(async () => {
    await api?.dispose();
    await env?.stop();
  });

  test('a new officer: masked in the list and on the page, in full only after an audited, confirmed view', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office');
      const menu = await menuEntries(page);
      for (const entry of ['执法人员', '考试', '执法证件', '证件提醒', '定期轮岗']) assert.ok(menu.includes(entry), `menu has ${entry}: ${menu}`);

      await openMenu(page, '执法人员', '/console/officers');
      await page.getByTestId('officers-table').waitFor();
      await page.getByTestId('officer-new').click();
      const dialog = page.getByTestId('officer-dialog');
      await dialog.getByTestId('officer-name').waitFor();
      await choose(page, 'officer-department', MARKET);
      await dialog.getByTestId('officer-name').fill(NEW_OFFICER.name);
      const id = idNumber();
      await dialog.getByTestId('officer-id-number').fill(id);
      await dialog.getByTestId('officer-phone').fill(NEW_OFFICER.phone);
      await choose(page, 'officer-post', '执法岗（执法岗位）');
      await noDropdown(page);
      await setDate(page, 'officer-post-started', NEW_OFFICER.postedOn);
      const created = nextAnswer(page, 'POST', '/api/v1/officers');
      await dialog.getByTestId('officer-save').click();
      const answer = await created;
      assert.equal(answer.status(), 201);
      ids.created = (await answer.json()).id;

      await page.waitForURL((url) => url.pathname === `/console/officers/${ids.created}`);
      await page.getByTestId('page-title').filter({ hasText: NEW_OFFICER.name }).waitFor();
      const masked = maskedIdNumber(id);
      assert.equal(await textOf(page.getByTestId('officer-id-number')), masked);
      assert.equal(await textOf(page.getByTestId('officer-phone')), '139****5678');
      assert.match(await textOf(page.getByTestId('officer-info')), new RegExp(`${MARKET}.*在编在职人员`));
      assert.match(await textOf(page.getByTestId('officer-posts')), /执法岗 是 2019-05-01 至今/);
      assert.equal(await textOf(page.getByTestId('officer-photo-none')), '未上传照片');

      // The whole values: confirm first, the view goes to the audit trail.
      await page.getByTestId('officer-reveal').click();
      const box = page.locator('.el-message-box');
      await box.waitFor();
      assert.match(await textOf(box), /此次查看将记入审计日志/);
      const revealed = nextAnswer(page, 'POST', `/api/v1/officers/${ids.created}/reveal`);
      await box.getByRole('button', { name: '查看' }).click();
      assert.equal((await revealed).status(), 200);
      await page.getByTestId('officer-revealed').waitFor();
      assert.equal(await textOf(page.getByTestId('officer-id-number')), id);
      assert.equal(await textOf(page.getByTestId('officer-phone')), NEW_OFFICER.phone);

      // The list: masked.
      await page.getByTestId('officer-back').click();
      await page.waitForURL((url) => url.pathname === '/console/officers');
      const byName = nextAnswer(page, 'GET', '/api/v1/officers', { q: NEW_OFFICER.name });
      await page.getByTestId('officers-filter-q').fill(NEW_OFFICER.name);
      assert.equal((await byName).status(), 200);
      const row = page.getByTestId('officers-table').locator('tbody tr').filter({ hasText: NEW_OFFICER.name });
      await row.waitFor();
      assert.equal(await page.getByTestId('officers-table').locator('tbody tr').count(), 1);
      assert.equal(await textOf(row.getByTestId('officer-id-number')), masked);
      assert.match(await textOf(row), new RegExp(`${MARKET}.*139\\*{4}5678.*在编在职人员.*执法岗`));

      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
    // Its trainings, through the API.
    await api.post(`/api/v1/officers/${ids.created}/trainings`, { course: '行政执法公共法律知识', kind: 'public_law', hours: 40, completed_on: '2025-03-01' });
    await api.post(`/api/v1/officers/${ids.created}/trainings`, { course: '市场监管法律法规', kind: 'special_law', hours: 32, completed_on: '2025-04-01' });
  });

  test('exam passed, 申请 refused without an exam (第二十一条), approved with a number: 有效, then 暂扣, in the console and the portal', async (t) => {
    assert.ok(ids.created, 'the officer of the first test');
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office');

      // An exam session: its pass line comes from the rule set, with the basis.
      await openMenu(page, '考试', '/console/exam-sessions');
      await page.getByTestId('exam-sessions-table').waitFor();
      await page.getByTestId('exam-new').click();
      const dialog = page.getByTestId('exam-dialog');
      await dialog.getByTestId('exam-title-input').fill(EXAM_TITLE);
      const made = nextAnswer(page, 'POST', '/api/v1/exam-sessions');
      await dialog.getByTestId('exam-save-session').click();
      const session = await made;
      assert.equal(session.status(), 201);
      const { pass_line: passLine } = await session.json();
      await dialog.waitFor({ state: 'hidden' });
      const row = page.getByTestId('exam-sessions-table').locator('tbody tr').filter({ hasText: EXAM_TITLE });
      await row.waitFor();
      assert.equal(await textOf(row.getByTestId('exam-pass-line')), `${passLine} 分`);
      assert.match(await textOf(row.getByTestId('exam-pass-line-basis')), /^依据：.*《河南省行政执法条例》第二十一条/);
      assert.match(await textOf(row), /永城市/);

      // A passing score for the new officer.
      await row.getByTestId('exam-results').click();
      const drawer = page.getByTestId('exam-drawer');
      await drawer.getByTestId('exam-save').waitFor();
      const found = nextAnswer(page, 'GET', '/api/v1/officers', { q: NEW_OFFICER.name });
      await drawer.getByTestId('exam-officer').locator('.el-select__wrapper').click();
      await drawer.getByTestId('exam-officer').locator('input').fill(NEW_OFFICER.name);
      assert.equal((await found).status(), 200);
      await page.locator('.el-select-dropdown:visible').getByRole('option', { name: new RegExp(NEW_OFFICER.name) }).click();
      await noDropdown(page);
      assert.ok(await drawer.getByTestId('exam-exempted').locator('input').isDisabled(), 'no exemption without 法律职业资格');
      await drawer.getByTestId('exam-score').locator('input').fill(String(passLine + 20));
      await drawer.getByTestId('exam-score').locator('input').press('Tab');
      const scored = nextAnswer(page, 'POST', `/api/v1/exam-sessions/${(await session.json()).id}/results`);
      await drawer.getByTestId('exam-save').click();
      assert.equal((await scored).status(), 200);
      const entered = drawer.getByTestId('exam-entered').locator('tbody tr').filter({ hasText: NEW_OFFICER.name });
      await entered.waitFor();
      assert.equal(await textOf(entered.getByTestId('exam-result')), '合格');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });

      // Opened again, the drawer lists the session's results as the server
      // gives them.
      const listed = nextAnswer(page, 'GET', `/api/v1/exam-sessions/${(await session.json()).id}/results`);
      await row.getByTestId('exam-results').click();
      await drawer.getByTestId('exam-save').waitFor();
      const listing = await listed;
      assert.equal(listing.status(), 200);
      assert.equal((await listing.json()).total, 1);
      await drawer.getByTestId('exam-entered-title').filter({ hasText: '已登记成绩（1 人）' }).waitFor();
      assert.equal(await drawer.getByTestId('action-error').count(), 0, 'no load error');
      await entered.waitFor();
      assert.equal(await textOf(entered.getByTestId('exam-result')), '合格');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });

      // No exam passed: the application is refused, with the article.
      await page.goto(`${env.server.url}/console/officers/${ids.noExam}`);
      await page.getByTestId('page-title').filter({ hasText: NO_EXAM }).waitFor();
      await page.getByRole('tab', { name: '执法证件' }).click();
      await page.getByTestId('certificate-apply').click();
      const apply = page.getByTestId('apply-dialog');
      await apply.getByTestId('apply-sectors').locator('.el-tag').filter({ hasText: '市场监管' }).first().waitFor();
      const refused = nextAnswer(page, 'POST', '/api/v1/certificate-applications');
      await apply.getByTestId('apply-save').click();
      const refusal = await refused;
      assert.equal(refusal.status(), 422);
      assert.equal((await refusal.json()).error?.code, 'personnel.no_exam_pass');
      const error = apply.getByTestId('action-error');
      await error.waitFor();
      assert.match(await textOf(error.getByTestId('action-error-message')), new RegExp(`${NO_EXAM}没有考试合格的记录`));
      assert.equal(await textOf(error.getByTestId('action-error-basis')), `依据：${BASIS_EXAM}`);
      assert.ok(await apply.isVisible(), 'the dialog stays open');
      await apply.getByRole('button', { name: '取消' }).click();
      await apply.waitFor({ state: 'hidden' });

      // The new officer: the exam shows, the application goes in.
      await page.goto(`${env.server.url}/console/officers/${ids.created}`);
      await page.getByTestId('page-title').filter({ hasText: NEW_OFFICER.name }).waitFor();
      await page.getByRole('tab', { name: '考试' }).click();
      const exam = page.getByTestId('officer-exams').locator('tbody tr').filter({ hasText: EXAM_TITLE });
      await exam.waitFor();
      assert.equal(await textOf(exam.getByTestId('exam-result')), '合格');
      await page.getByRole('tab', { name: '执法证件' }).click();
      await page.getByTestId('certificate-apply').click();
      await apply.getByTestId('apply-sectors').locator('.el-tag').filter({ hasText: '市场监管' }).first().waitFor();
      const accepted = nextAnswer(page, 'POST', '/api/v1/certificate-applications');
      await apply.getByTestId('apply-save').click();
      const application = await accepted;
      assert.equal(application.status(), 201);
      ids.certificate = (await application.json()).id;
      await apply.waitFor({ state: 'hidden' });
      const mine = page.locator('[data-testid="officer-tabs"] [data-testid="certificates-table"] tbody tr');
      await mine.filter({ hasText: '待审核' }).waitFor();

      // The legal office's queue: 待审核 → the application → 审核 with a number.
      await openMenu(page, '执法证件', '/console/certificates');
      const pending = nextAnswer(page, 'GET', '/api/v1/certificates', { status: 'applied' });
      await choose(page, 'certificates-filter-status', '待审核');
      assert.equal((await pending).status(), 200);
      const queued = page.getByTestId('certificates-table').locator('tbody tr').filter({ hasText: NEW_OFFICER.name });
      await queued.waitFor();
      await queued.getByTestId('certificate-link').click();
      await page.waitForURL((url) => url.pathname === `/console/certificates/${ids.certificate}`);
      await page.getByTestId('certificate-status').filter({ hasText: '待审核' }).first().waitFor();
      await page.getByTestId('certificate-review').click();
      const review = page.getByTestId('certificate-review-dialog');
      await review.getByTestId('certificate-review-number').fill(NUMBER);
      await setDate(page, 'certificate-review-expires', shanghaiDate(3));
      const approved = nextAnswer(page, 'POST', `/api/v1/certificate-applications/${ids.certificate}/review`);
      await review.getByTestId('certificate-review-save').click();
      assert.equal((await approved).status(), 200);
      await review.waitFor({ state: 'hidden' });
      await page.getByTestId('page-title').filter({ hasText: NUMBER }).waitFor();
      await page.getByTestId('certificate-status').filter({ hasText: '有效' }).first().waitFor();
      assert.equal(await textOf(page.getByTestId('certificate-number')), NUMBER);
      assert.match(await textOf(page.getByTestId('certificate-info')), new RegExp(`${NEW_OFFICER.name}.*${MARKET}.*行政执法证.*市场监管.*永城市`));
      assert.deepEqual((await page.getByTestId('certificate-event-action').allInnerTexts()).map((s) => s.trim()),
        ['审核通过，登记证件编号', '部门申请']);

      // The public check, no login: 有效 and the name.
      const portal = await env.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      try {
        const visitor = await portal.newPage();
        visitor.setDefaultTimeout(10000);
        await visitor.goto(`${env.server.url}/certificates/${encodeURIComponent(NUMBER)}`);
        await visitor.getByTestId('certificate-result').waitFor();
        assert.equal(await textOf(visitor.getByTestId('public-certificate-status')), '有效');
        assert.equal(await textOf(visitor.getByTestId('public-certificate-name')), NEW_OFFICER.name);
        assert.equal(await textOf(visitor.getByTestId('public-certificate-number')), NUMBER);
        assert.equal(await textOf(visitor.getByTestId('public-certificate-department')), MARKET);
        assert.equal(await visitor.getByTestId('certificate-number-input').inputValue(), NUMBER);

        // 暂扣 in the console, with the reason on the history.
        await page.getByTestId('certificate-action-suspend').click();
        const act = page.getByTestId('certificate-action-dialog');
        assert.match(await textOf(act.getByTestId('certificate-action-effect')), /不得从事行政执法活动/);
        await act.getByTestId('certificate-action-save').click();
        await act.locator('.el-form-item__error').filter({ hasText: '请填写暂扣的理由' }).waitFor();
        await act.getByTestId('certificate-action-reason').fill('涉嫌违法执法，调查期间暂扣（测试）');
        const suspended = nextAnswer(page, 'POST', `/api/v1/certificates/${encodeURIComponent(NUMBER)}/suspend`);
        await act.getByTestId('certificate-action-save').click();
        assert.equal((await suspended).status(), 200);
        await act.waitFor({ state: 'hidden' });
        await page.getByTestId('certificate-status').filter({ hasText: '暂扣' }).first().waitFor();
        assert.equal(await textOf(page.getByTestId('certificate-event-reason').first()), '理由：涉嫌违法执法，调查期间暂扣（测试）');
        assert.equal(await page.getByTestId('certificate-action-lift').count(), 1, '恢复 offered for a suspended one');
        assert.equal(await page.getByTestId('certificate-action-suspend').count(), 0);

        // The public check again: 暂扣, and the holder may not act on it.
        await visitor.reload();
        await visitor.getByTestId('certificate-result').waitFor();
        assert.equal(await textOf(visitor.getByTestId('public-certificate-status')), '暂扣');
        assert.match(await textOf(visitor.getByTestId('public-certificate-verdict')), /不得从事行政执法活动/);
        assert.match(await visitor.getByTestId('certificate-verdict').getAttribute('class'), /verdict--bad/);
      } finally {
        await portal.close();
      }

      // The printable card: number, name, kind, the QR code's place and caption.
      await page.getByTestId('certificate-card-link').click();
      await page.waitForURL((url) => url.pathname === `/console/certificates/${ids.certificate}/card`);
      await page.getByTestId('card-front').waitFor();
      assert.equal(await textOf(page.getByTestId('card-kind')), '行政执法证');
      assert.equal(await textOf(page.getByTestId('card-name')), NEW_OFFICER.name);
      assert.equal(await textOf(page.getByTestId('card-number')), NUMBER);
      assert.match(await textOf(page.getByTestId('card-back')), /市场监管.*永城市.*扫码核验/);
      assert.equal(await page.getByTestId('console-menu').count(), 0, 'no console chrome around the card');
      await page.getByTestId('card-not-valid').filter({ hasText: '暂扣' }).waitFor();
      const qr = page.getByTestId('card-qr');
      await qr.waitFor();
      assert.equal(await qr.getAttribute('src'), `/api/v1/public/certificates/${encodeURIComponent(NUMBER)}/qr.svg`);
      await page.waitForFunction(() => document.querySelector('[data-testid="card-qr"]')?.naturalWidth > 0);
      assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code is served');

      assert.deepEqual(unexpected(problems, /status of 422/), [], 'no console errors but the refusal');
    });
  });

  test('the photo: uploaded on the officer\'s page, printed on the card beside the QR code, shown by the public check', async (t) => {
    assert.ok(ids.certificate, 'the certificate of the test before');
    assert.equal((await api.get(`/api/v1/officers/${ids.created}`)).has_photo, false, 'no photo yet');
    const loaded = (locator) => locator.evaluate((img) => img.complete && img.naturalWidth > 0);
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office', { path: `/console/officers/${ids.created}` });
      await page.goto(`${env.server.url}/console/officers/${ids.created}`);
      await page.getByTestId('officer-photo-none').waitFor();
      const put = nextAnswer(page, 'PUT', `/api/v1/officers/${ids.created}/photo`);
      await page.getByTestId('officer-photo-file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PHOTO });
      assert.equal((await put).status(), 200);
      const photo = page.getByTestId('officer-photo-img');
      await photo.waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="officer-photo-img"]')?.naturalWidth > 0);
      assert.equal(await textOf(page.getByTestId('officer-photo-upload')), '更换照片');

      await page.goto(`${env.server.url}/console/certificates/${ids.certificate}/card`);
      await page.getByTestId('card-photo').waitFor();
      await page.waitForFunction(() => ['card-photo', 'card-qr']
        .every((id) => document.querySelector(`[data-testid="${id}"]`)?.naturalWidth > 0));
      assert.ok(await loaded(page.getByTestId('card-qr')), 'the QR code is served');

      const portal = await env.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      try {
        const visitor = await portal.newPage();
        await visitor.goto(`${env.server.url}/certificates/${encodeURIComponent(NUMBER)}`);
        await visitor.getByTestId('public-certificate-photo').waitFor();
        await visitor.waitForFunction(() => document.querySelector('[data-testid="public-certificate-photo"]')?.naturalWidth > 0);
      } finally {
        await portal.close();
      }
      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
  });

  test('换证: a valid certificate gets a new 有效期至, with 换证 on its history', async (t) => {
    ids.renewed = await officer(RENEWED, '2023-03-01');
    const issued = await certified(ids.renewed, RENEW_NUMBER, '2024-09-01', shanghaiDate(1));
    assert.equal(issued.status, 'valid');
    const today = shanghaiDate(0);
    const expires = shanghaiDate(5);
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office', { path: `/console/certificates/${issued.id}` });
      await page.goto(`${env.server.url}/console/certificates/${issued.id}`);
      await page.getByTestId('page-title').filter({ hasText: RENEW_NUMBER }).waitFor();
      assert.equal(await textOf(page.getByTestId('certificate-expires-on')), shanghaiDate(1));

      await page.getByTestId('certificate-renew').click();
      const dialog = page.getByTestId('certificate-renew-dialog');
      await dialog.getByTestId('certificate-renew-save').waitFor();
      assert.equal(await dialog.getByTestId('certificate-renew-issued').locator('input').inputValue(), today, '发证日期 is today');
      // Not after the 发证日期: said in the form.
      await setDate(page, 'certificate-renew-expires', today);
      await dialog.getByTestId('certificate-renew-save').click();
      await dialog.locator('.el-form-item__error').filter({ hasText: '有效期至应晚于发证日期' }).waitFor();

      await setDate(page, 'certificate-renew-expires', expires);
      await dialog.getByTestId('certificate-renew-reason').fill('有效期届满前换证（测试）');
      const renewed = nextAnswer(page, 'POST', `/api/v1/certificates/${encodeURIComponent(RENEW_NUMBER)}/renew`);
      await dialog.getByTestId('certificate-renew-save').click();
      const answer = await renewed;
      assert.equal(answer.status(), 200);
      assert.deepEqual(answer.request().postDataJSON(), { issued_on: today, expires_on: expires, reason: '有效期届满前换证（测试）' });
      await dialog.waitFor({ state: 'hidden' });

      await page.getByTestId('certificate-expires-on').filter({ hasText: expires }).waitFor();
      assert.equal(await textOf(page.getByTestId('certificate-issued-on')), today);
      assert.equal(await textOf(page.getByTestId('certificate-number')), RENEW_NUMBER, 'the same number');
      await page.getByTestId('certificate-status').filter({ hasText: '有效' }).first().waitFor();
      assert.deepEqual((await page.getByTestId('certificate-event-action').allInnerTexts()).map((s) => s.trim()),
        ['换证', '审核通过，登记证件编号', '部门申请']);
      const latest = page.getByTestId('certificate-event').first();
      assert.equal(await textOf(latest.getByTestId('certificate-event-reason')), '理由：有效期届满前换证（测试）');
      assert.equal(await textOf(latest.getByTestId('certificate-event-actor')), `操作人：${OFFICE_NAME}`);
      assert.equal(await page.getByTestId('certificate-renew').count(), 1, '换证 still offered for a valid one');

      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
  });

  test('the portal: an unknown number is not found', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      await page.goto(`${env.server.url}/certificates`);
      await page.getByTestId('page-title').filter({ hasText: '执法证件查询' }).waitFor();
      assert.match(await textOf(page.getByTestId('portal-nav')), /执法证件查询/);
      await page.getByTestId('certificate-number-input').fill(`NO-SUCH-${STAMP}`);
      await page.getByTestId('certificate-search').click();
      await page.waitForURL((url) => url.pathname === `/certificates/NO-SUCH-${STAMP}`);
      await page.getByTestId('certificate-not-found').waitFor();
      assert.match(await textOf(page.getByTestId('certificate-not-found')), /未查到该证件编号/);
      assert.deepEqual(unexpected(problems, /status of 404/), [], 'no console errors but the 404');
    });
  });

  test('证件提醒 shows the overdue 年审 in red; 定期轮岗 the officer in one post since 2019', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office');
      await openMenu(page, '证件提醒', '/console/certificates/reminders');
      const overdue = page.getByTestId('certificates-table').locator('tbody tr').filter({ hasText: OVERDUE });
      await overdue.waitFor();
      const level = overdue.getByTestId('reminder-level');
      assert.equal(await textOf(level), '已逾期');
      assert.match(await level.getAttribute('class'), /el-tag--danger/);
      assert.equal(await textOf(overdue.getByTestId('reminder-reason')), '年审');
      assert.equal(await textOf(overdue.getByTestId('reminder-due')), '2025-06-01');

      await openMenu(page, '定期轮岗', '/console/officers/rotation');
      const due = page.getByTestId('rotation-table').locator('tbody tr').filter({ hasText: NEW_OFFICER.name });
      await due.waitFor();
      assert.match(await textOf(due), new RegExp(`${MARKET}.*执法岗.*${NEW_OFFICER.postedOn}`));
      assert.ok(Number.parseInt(await textOf(due.getByTestId('rotation-years')), 10) >= 5);
      assert.equal(await page.getByTestId('rotation-table').locator('tbody tr').filter({ hasText: NO_EXAM }).count(), 0,
        'not an officer in the post since 2024');
      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
  });

  test('an officer (officer.read) sees the pages without the buttons that change anything', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'scjg_officer');
      const menu = await menuEntries(page);
      for (const entry of ['执法人员', '考试', '执法证件', '证件提醒', '定期轮岗']) assert.ok(menu.includes(entry), `menu has ${entry}: ${menu}`);

      await openMenu(page, '执法人员', '/console/officers');
      await page.getByTestId('officers-table').locator('tbody tr').filter({ hasText: NEW_OFFICER.name }).waitFor();
      assert.equal(await page.getByTestId('officer-new').count(), 0);
      assert.equal(await page.getByTestId('officers-filter-department').count(), 0, 'one department: no department filter');

      await page.goto(`${env.server.url}/console/officers/${ids.created}`);
      await page.getByTestId('page-title').filter({ hasText: NEW_OFFICER.name }).waitFor();
      for (const button of ['officer-reveal', 'officer-assign-post', 'officer-photo-upload']) {
        assert.equal(await page.getByTestId(button).count(), 0, `no ${button}`);
      }
      await page.getByRole('tab', { name: '执法证件' }).click();
      await page.locator('[data-testid="officer-tabs"] [data-testid="certificate-link"]').filter({ hasText: NUMBER }).click();
      await page.waitForURL((url) => url.pathname === `/console/certificates/${ids.certificate}`);
      await page.getByTestId('certificate-status').filter({ hasText: '暂扣' }).first().waitFor();
      assert.equal(await page.locator('[data-testid^="certificate-action-"]').count(), 0, 'no certificate actions');
      // Neither the reasons of its changes nor, on the officer's page, exam scores.
      assert.equal(await page.getByTestId('certificate-history').count(), 0, 'no history for a colleague');
      await page.goBack();
      await page.getByTestId('officer-tabs').waitFor();
      assert.equal(await page.getByRole('tab', { name: '考试' }).count(), 0, 'no exam tab for a colleague');

      await openMenu(page, '考试', '/console/exam-sessions');
      await page.getByTestId('exam-sessions-table').locator('tbody tr').filter({ hasText: EXAM_TITLE }).waitFor();
      assert.equal(await page.getByTestId('exam-new').count(), 0);
      assert.equal(await page.getByTestId('exam-results').count(), 0);
      assert.deepEqual(unexpected(problems), [], 'no console errors');
    });
  });
});
