// The law library (法律法规库) against the real server with the demo data
// (`xzzf demo` loads the texts of laws/, found from the working directory:
// run the tests from the repository root). The legal office finds
// 中华人民共和国农产品质量安全法 by part of its title and reads its two
// versions: the 2022 revision (81 articles, every one new or changed, in
// force from 2023-01-01) and the 2018 amendment (56 articles, the first
// version in the library, so none marked); it narrows the 2022 version to
// the changed articles, finds the version in force on a day, and searches
// 中华人民共和国行政处罚法 for 工作日 (第八十五条). A department's officer
// reads the library too, filtered by 效力层级.
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

/** Types a date into the Element Plus date picker inside the element with this test id. */
async function setDate(page, testId, date) {
  const input = page.getByTestId(testId).locator('input');
  await input.fill(date);
  await input.press('Enter');
}

/** Searches the list by title and opens the text with exactly this title. */
async function openNorm(page, q, title) {
  const answer = nextAnswer(page, '/api/v1/norms', { q });
  await page.getByTestId('library-filter-q').fill(q);
  assert.equal((await answer).status(), 200);
  const table = page.getByTestId('library-table');
  await table.getByTestId('norm-link').filter({ hasText: q }).first().waitFor();
  await table.getByRole('link', { name: title, exact: true }).click();
  await page.waitForURL((url) => /^\/console\/library\/\d+$/.test(url.pathname));
  await page.getByTestId('page-title').filter({ hasText: title }).waitFor();
}

/** Waits until the article list shows this version's articles (its summary says 共 N 条). */
async function waitForArticles(page, count) {
  await page.getByTestId('norm-article-count').filter({ hasText: new RegExp(`^\\s*共 ${count} 条`) }).waitFor();
}

/** The API path of the articles of the text the page shows. */
const articlesPath = (page) => `${new URL(page.url()).pathname.replace('/console/library', '/api/v1/norms')}/articles`;

const article = (page, label) => page.locator(`[data-testid="norm-article"][data-label="${label}"]`);

describe('law library', () => {
  let env;
  before(async () => {
    env = await startEnvironment({ seed: true });
  });
  after(async () => { await env?.stop(); });

  test('the legal office reads the versions and articles of a law and searches a text', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'legal_office');
      const menu = await menuEntries(page);
      assert.ok(menu.includes('法律法规库'), `menu: ${menu}`);

      const all = await pageGet(page, '/api/v1/norms?page_size=1');
      assert.equal(all.status, 200);
      assert.ok(all.body.total > 0, 'the demo loaded no texts: xzzf demo looks for laws/ in its working directory '
        + `(run the tests from the repository root)\n${env.demo.output}`);

      await openMenu(page, '法律法规库', '/console/library');
      assert.match(await textOf(page.getByTestId('library-intro')), /官方公布的文本.*出处.*新版本.*职权事项.*待修订/);
      const table = page.getByTestId('library-table');
      await table.locator('tbody tr').first().waitFor();

      // 农产品: the law and Henan's implementing measures.
      const found = nextAnswer(page, '/api/v1/norms', { q: '农产品' });
      await page.getByTestId('library-filter-q').fill('农产品');
      const answer = await (await found).json();
      await table.locator('tbody tr').nth(answer.items.length - 1).waitFor();
      assert.equal(await table.locator('tbody tr').count(), answer.total);
      const row = table.locator('tbody tr').filter({ has: page.getByRole('link', { name: '中华人民共和国农产品质量安全法', exact: true }) });
      assert.equal(await textOf(row.getByTestId('norm-level')), '法律');
      assert.equal(await textOf(row.getByTestId('norm-region')), '全国');
      assert.equal(await textOf(row.getByTestId('norm-latest')), '2022-09-02');
      assert.equal(await textOf(row.getByTestId('norm-version-count')), '共 2 个版本');
      assert.equal(await textOf(row.getByTestId('norm-effective')), '2023-01-01');
      assert.equal(new URL(page.url()).searchParams.get('q'), '农产品', 'the search is in the address');

      await row.getByRole('link', { name: '中华人民共和国农产品质量安全法', exact: true }).click();
      await page.waitForURL((url) => /^\/console\/library\/\d+$/.test(url.pathname));
      await page.getByTestId('page-title').filter({ hasText: '中华人民共和国农产品质量安全法' }).waitFor();
      assert.equal(await textOf(page.getByTestId('norm-level')), '法律');
      assert.match(await textOf(page.getByTestId('norm-info')), /制定机关 全国人民代表大会常务委员会.*适用地域 全国/);
      assert.match(await textOf(page.getByTestId('norm-intro')), /官方公布的文本.*新版本/);

      // Two versions, in date order; the page opens on the latest (the 2022 revision).
      const versions = page.getByTestId('norm-version');
      await versions.nth(1).waitFor();
      assert.equal(await versions.count(), 2);
      assert.match(await textOf(versions.nth(0)), /^2018-10-26 修正\s*库内最早版本$/);
      assert.match(await textOf(versions.nth(1)), /^2022-09-02 修订\s*变更 81 条$/);
      await waitForArticles(page, 81);
      assert.equal(await page.getByTestId('norm-article').count(), 81);
      assert.equal(await textOf(page.getByTestId('version-effective')), '2023-01-01');
      assert.match(await textOf(page.getByTestId('version-history')), /2022年9月2日.*修订/);
      assert.match(await textOf(page.getByTestId('version-source')), /农产品质量安全法\(2022-09-02\)/);
      assert.equal(await page.getByTestId('norm-removed').count(), 0);
      assert.match(await textOf(article(page, '第八十一条').getByTestId('article-text')), /2023年1月1日起施行/);
      // Every article of the revision is new or changed, and tagged so.
      assert.equal(await page.locator('[data-testid="norm-article"][data-change="new"]').count()
        + await page.locator('[data-testid="norm-article"][data-change="changed"]').count(), 81);
      assert.equal(await page.getByTestId('article-change').count(), 81);
      assert.equal(await textOf(article(page, '第八十一条').getByTestId('article-change')), '新增');
      // Chapters: the first one is 总则, grouped with its articles.
      assert.match(await textOf(page.getByTestId('norm-chapter-title').first()), /^第一章 总 ?则$/);

      // The 2018 version: 56 articles, the first in the library, nothing marked.
      const older = nextAnswer(page, articlesPath(page));
      await versions.filter({ hasText: '2018-10-26' }).click();
      assert.equal((await older).status(), 200);
      await waitForArticles(page, 56);
      assert.equal(await page.getByTestId('norm-article').count(), 56);
      assert.equal(await page.getByTestId('article-change').count(), 0, 'no article tagged in the first version');
      assert.equal(await page.locator('[data-testid="norm-article"]:not([data-change="none"])').count(), 0);
      assert.equal(await textOf(page.getByTestId('version-effective')), '文本未载明');
      assert.match(await textOf(page.getByTestId('version-changes')), /库内最早的版本/);
      assert.ok(await page.getByTestId('norm-only-changed').locator('input').isDisabled(), 'nothing to narrow to in the first version');
      // The version is in the address: a reload shows it again.
      const olderId = new URL(page.url()).searchParams.get('version');
      assert.match(olderId || '', /^\d+$/);
      await page.reload();
      await waitForArticles(page, 56);
      assert.equal(new URL(page.url()).searchParams.get('version'), olderId);

      // Back to 2022: 只看本版本修改的条文 keeps all 81.
      await versions.filter({ hasText: '2022-09-02' }).click();
      await waitForArticles(page, 81);
      await page.getByTestId('norm-only-changed').click();
      assert.ok(await page.getByTestId('norm-only-changed').locator('input').isChecked());
      assert.equal(await page.getByTestId('norm-article').count(), 81);
      assert.doesNotMatch(await textOf(page.getByTestId('norm-article-count')), /显示/);

      // On 2022-12-31 the 2018 text was still in force (the revision took effect on 2023-01-01).
      const onDay = nextAnswer(page, articlesPath(page), { date: '2022-12-31' });
      await setDate(page, 'norm-version-date', '2022-12-31');
      assert.equal((await onDay).status(), 200);
      await page.getByTestId('norm-version-located').filter({ hasText: '2022-12-31 施行的是 2018-10-26 修正 的版本' }).waitFor();
      await waitForArticles(page, 56);

      // Back to the list (the search kept), on to 中华人民共和国行政处罚法.
      await page.getByTestId('library-back').click();
      await page.waitForURL((url) => url.pathname === '/console/library');
      assert.equal(await page.getByTestId('library-filter-q').inputValue(), '农产品');
      await table.getByRole('link', { name: '中华人民共和国农产品质量安全法', exact: true }).waitFor();
      await openNorm(page, '行政处罚法', '中华人民共和国行政处罚法');
      await waitForArticles(page, 86);
      assert.equal(await page.getByTestId('norm-version').count(), 1);
      assert.equal(await textOf(page.getByTestId('version-effective')), '2021-07-15');
      // Sections (节) under their chapter.
      assert.ok((await page.getByTestId('norm-chapter-title').allInnerTexts()).some((s) => s.includes('第五章 行政处罚的决定')));

      await page.getByTestId('norm-article-search').fill('工作日');
      const hit = article(page, '第八十五条');
      await page.getByTestId('norm-article-count').filter({ hasText: '显示' }).waitFor();
      await hit.waitFor();
      assert.match(await textOf(hit.getByTestId('article-text')), /工作日/);
      assert.equal(await textOf(hit.locator('mark').first()), '工作日');
      const shown = await page.getByTestId('norm-article').locator('[data-testid="article-text"]').allInnerTexts();
      assert.ok(shown.length >= 1 && shown.length < 86, `found ${shown.length}`);
      assert.ok(shown.every((s) => s.includes('工作日')), 'only articles containing 工作日 are shown');

      // The session check before the login answers 401, which the browser reports.
      assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), [], 'no console errors');
    });
  });

  test('a department officer reads the library, filtered by 效力层级', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      await loginAs(page, env, 'scjg_officer');
      const menu = await menuEntries(page);
      assert.ok(menu.includes('法律法规库'), `menu: ${menu}`);

      await openMenu(page, '法律法规库', '/console/library');
      const table = page.getByTestId('library-table');
      await table.locator('tbody tr').first().waitFor();

      const filtered = nextAnswer(page, '/api/v1/norms', { level: 'local_regulation' });
      await page.getByTestId('library-filter-level').locator('.el-select__wrapper').click();
      await page.getByRole('option', { name: '地方性法规', exact: true }).click();
      assert.equal((await filtered).status(), 200);
      await table.getByTestId('norm-level').first().filter({ hasText: '地方性法规' }).waitFor();
      const levels = await table.getByTestId('norm-level').allInnerTexts();
      assert.ok(levels.length > 0 && levels.every((s) => s.trim() === '地方性法规'), `levels: ${levels}`);

      await openNorm(page, '行政执法条例', '河南省行政执法条例');
      assert.equal(await textOf(page.getByTestId('norm-level')), '地方性法规');
      assert.match(await textOf(page.getByTestId('norm-info')), /适用地域 河南省/);
      await page.getByTestId('norm-article').first().waitFor();
      assert.ok(await page.getByTestId('norm-article').count() > 0);
      // The session check before the login answers 401, which the browser reports.
      assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), [], 'no console errors');
    });
  });
});
