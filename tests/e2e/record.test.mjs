// The full-process record (全过程记录) pages against the real server with the
// demo data: the legal office browses the record, filters by 对象类型 and
// sees an entry's inclusion proof checked in the browser (a tampered proof
// refused, a proof that no checkpoint covers yet checked against the current
// root); the auditor runs the integrity verification but may not read
// entries; the monitor reads entries but does not verify; the portal shows
// the latest signed checkpoint and the public key without login.
//
// The server signs checkpoints every second here (--set
// record.checkpoint_every_seconds=1) and the tests wait for the first one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { loginAs, menuEntries, startEnvironment, textOf, withPage } from './helpers.mjs';

/** Polls `fn` until it returns a truthy value; fails with `message` after `timeout` ms. */
async function until(fn, { timeout = 10000, interval = 200, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message} (last: ${last?.message || JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

async function getJson(url) {
  const res = await fetch(url);
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** GET on the server from inside the page, with the page's session cookie. */
function pageGet(page, path) {
  return page.evaluate(async (p) => {
    const res = await fetch(p, { headers: { Accept: 'application/json' } });
    return { status: res.status, body: await res.json().catch(() => null) };
  }, path);
}

describe('full-process record', () => {
  let env;
  before(async () => {
    env = await startEnvironment({ seed: true, args: ['--set', 'record.checkpoint_every_seconds=1'] });
    // The demo put its acts on the record; the server signs a checkpoint
    // within a second of starting. Wait for it (and say what came back).
    await until(async () => (await getJson(new URL('/api/v1/public/record/checkpoint', env.server.url))).status === 200,
      { timeout: 15000, interval: 500, message: 'the first signed checkpoint (GET /api/v1/public/record/checkpoint)' });
  });
  after(async () => { await env?.stop(); });

  test('the legal office filters by 对象类型 部门 and sees a valid inclusion proof', async (t) => {
    await withPage(t, env, async (page) => {
      await loginAs(page, env, 'legal_office');
      const menu = await menuEntries(page);
      assert.ok(menu.includes('记录浏览') && menu.includes('完整性'), `menu: ${menu}`);

      await page.getByTestId('console-menu').getByRole('menuitem', { name: '记录浏览' }).click();
      await page.waitForURL((url) => url.pathname === '/console/record');
      const table = page.getByTestId('record-table');
      await table.locator('tbody tr').first().waitFor();

      await page.getByTestId('record-filter-subject-type').click();
      await page.getByRole('option', { name: '部门', exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('subject_type') === 'department');

      // The list the server gives for the same filter, and the rows shown.
      const expected = await pageGet(page, '/api/v1/record/entries?subject_type=department&page=1&page_size=50');
      assert.equal(expected.status, 200, JSON.stringify(expected.body));
      assert.ok(expected.body.total > 0, 'the demo put department acts on the record');
      const seqs = expected.body.items.map((e) => String(e.seq));
      await until(async () => {
        const shown = await table.getByTestId('record-seq').allInnerTexts();
        return shown.length === seqs.length && shown.every((s, i) => s.trim() === seqs[i]);
      }, { message: `the rows ${seqs.slice(0, 5)}… of the filtered list` });
      const types = await table.getByTestId('record-subject-type').allInnerTexts();
      assert.ok(types.every((s) => s.trim() === '部门'), `every row is a 部门: ${types}`);
      assert.match(await textOf(page.getByTestId('record-pager')), new RegExp(`共 ${expected.body.total} 条`));

      // Open the newest one by clicking its row.
      const first = expected.body.items[0];
      await table.locator('tbody tr').first().click();
      await page.waitForURL((url) => url.pathname === `/console/record/entries/${first.seq}`);
      await page.getByTestId('proof-result').waitFor();
      assert.match(await textOf(page.getByTestId('proof-result')), /证明有效/);
      assert.equal(await textOf(page.getByTestId('entry-seq')), String(first.seq));
      assert.equal(await textOf(page.getByTestId('entry-subject-type')), '部门');

      const detail = await pageGet(page, `/api/v1/record/entries/${first.seq}`);
      assert.equal(detail.status, 200, JSON.stringify(detail.body));
      assert.equal(await textOf(page.getByTestId('entry-leaf-hash')), detail.body.entry.leaf_hash);
      assert.deepEqual(JSON.parse(await page.getByTestId('entry-payload').innerText()), detail.body.entry.payload);
      // The demo's acts are older than the first checkpoint: the proof is against a signed one.
      assert.ok(detail.body.proof.checkpoint, `a checkpoint covers entry ${first.seq}: ${JSON.stringify(detail.body.proof)}`);
      const proofSection = page.getByTestId('inclusion-proof');
      assert.equal(await textOf(proofSection.getByTestId('checkpoint-size')), String(detail.body.proof.checkpoint.size));
      assert.equal(await textOf(proofSection.getByTestId('checkpoint-root')), detail.body.proof.checkpoint.root);
      assert.equal(await textOf(page.getByTestId('proof-computed-root')), detail.body.proof.checkpoint.root);
      // The browser rebuilt the entry's canonical bytes from the fields shown and got its leaf hash.
      await page.getByTestId('entry-content-check').getByText('一致 ✓').waitFor();

      // The content changed on the way (the payload an attacker would show): the leaf no longer matches.
      await page.route(`**/api/v1/record/entries/${first.seq}`, async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        body.entry.payload_text = body.entry.payload_text.replace('"change":', '"change" :');
        await route.fulfill({ response, json: body });
      });
      await page.reload();
      await page.getByTestId('entry-content-check').getByText('不一致').waitFor();
      await page.unroute(`**/api/v1/record/entries/${first.seq}`);

      // The same page with one path hash changed on the way: the browser refuses it.
      if (detail.body.proof.path.length > 0) {
        await page.route(`**/api/v1/record/entries/${first.seq}`, async (route) => {
          const response = await route.fetch();
          const body = await response.json();
          const h = body.proof.path[0];
          body.proof.path[0] = (h[0] === '0' ? '1' : '0') + h.slice(1);
          await route.fulfill({ response, json: body });
        });
        await page.reload();
        await page.getByTestId('proof-result').waitFor();
        assert.match(await textOf(page.getByTestId('proof-result')), /证明无效/);
        await page.unroute(`**/api/v1/record/entries/${first.seq}`);
      }

      // An entry no checkpoint covers yet (the answer without its checkpoint):
      // the page says so, looks the algorithm up and checks against the current root.
      await page.route(`**/api/v1/record/entries/${first.seq}`, async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        body.proof.checkpoint = null;
        await route.fulfill({ response, json: body });
      });
      await page.reload();
      await page.getByTestId('proof-no-checkpoint').waitFor();
      await page.getByTestId('proof-result').waitFor();
      assert.match(await textOf(page.getByTestId('proof-result')), /证明有效/);
      await page.unroute(`**/api/v1/record/entries/${first.seq}`);

      // Back to the list: the filter is still there.
      await page.getByTestId('record-back').click();
      await page.waitForURL((url) => url.pathname === '/console/record' && url.searchParams.get('subject_type') === 'department');
    });
  });

  test('the auditor verifies the record and cannot browse it', async (t) => {
    await withPage(t, env, async (page) => {
      await loginAs(page, env, 'auditor');
      const menu = await menuEntries(page);
      assert.ok(menu.includes('完整性'), `menu: ${menu}`);
      assert.ok(!menu.includes('记录浏览'), `the auditor has no 记录浏览: ${menu}`);

      // No entries for the auditor, neither through the API nor the page.
      assert.equal((await pageGet(page, '/api/v1/record/entries')).status, 403);
      await page.goto(`${env.server.url}/console/record`);
      await page.getByTestId('forbidden').waitFor();
      assert.equal(await page.getByTestId('record-table').count(), 0);

      await page.goto(`${env.server.url}/console`);
      await page.getByTestId('console-menu').getByRole('menuitem', { name: '完整性' }).click();
      await page.waitForURL((url) => url.pathname === '/console/record/integrity');
      await page.getByTestId('record-tree-size').waitFor();
      const status = await pageGet(page, '/api/v1/record/status');
      assert.equal(status.status, 200, JSON.stringify(status.body));
      const shownSize = Number(await textOf(page.getByTestId('record-tree-size')));
      assert.ok(shownSize > 0 && shownSize <= status.body.tree_size, `tree size ${shownSize} (status says ${status.body.tree_size})`);
      await page.getByTestId('checkpoint-table').locator('tbody tr').first().waitFor();
      await page.getByTestId('public-key-download').waitFor();

      await page.getByTestId('verify-start').click();
      const result = page.getByTestId('verify-result');
      await until(async () => (await result.count()) > 0 && /^通过/.test(await textOf(result)),
        { timeout: 30000, message: 'the verification to pass' });
      assert.equal(await page.getByTestId('verify-running').count(), 0, 'the run has ended');
      const after = await pageGet(page, '/api/v1/record/status');
      assert.equal(after.body.verification.running, false);
      assert.equal(after.body.verification.last.ok, true, JSON.stringify(after.body.verification.last));
      assert.equal(after.body.verification.last.by, 'auditor');
      assert.ok(after.body.verification.last.entries > 0);
    });
  });

  test('the monitor reads the record but does not verify it', async (t) => {
    await withPage(t, env, async (page) => {
      await loginAs(page, env, 'monitor');
      const menu = await menuEntries(page);
      assert.ok(menu.includes('记录浏览'), `menu: ${menu}`);
      assert.ok(!menu.includes('完整性'), `the monitor has no 完整性: ${menu}`);
      await page.goto(`${env.server.url}/console/record/integrity`);
      await page.getByTestId('forbidden').waitFor();
    });
  });

  test('the portal shows the latest checkpoint and the public key without login', async (t) => {
    await withPage(t, env, async (page, { problems }) => {
      const before = await getJson(new URL('/api/v1/public/record/checkpoint', env.server.url));
      assert.equal(before.status, 200, JSON.stringify(before.body));

      await page.goto(`${env.server.url}/record`);
      await page.getByTestId('page-title').waitFor();
      assert.equal(await textOf(page.getByTestId('page-title')), '全过程记录公示');
      assert.match(await textOf(page.getByTestId('record-intro')), /检查点/);
      const latest = page.getByTestId('checkpoint').first();
      await latest.waitFor();
      assert.equal(new URL(page.url()).pathname, '/record', 'no login page in between');

      // The newest checkpoint when the page loaded: the one fetched before, or a newer one.
      const size = Number(await textOf(latest.getByTestId('checkpoint-size')));
      const root = await textOf(latest.getByTestId('checkpoint-root'));
      assert.ok(size >= before.body.size, `shown size ${size} ≥ ${before.body.size}`);
      const list = await getJson(new URL('/api/v1/public/record/checkpoints?page=1&page_size=100', env.server.url));
      const signed = list.body.items.find((c) => c.size === size);
      assert.ok(signed, `size ${size} is a signed checkpoint`);
      assert.equal(root, signed.root);
      assert.equal(await textOf(latest.getByTestId('checkpoint-signature')), signed.signature);

      // The earlier checkpoints, and the key file to download.
      await page.getByTestId('checkpoint-table').locator('tbody tr').first().waitFor();
      const key = await getJson(new URL('/api/v1/public/record/key', env.server.url));
      assert.equal(key.status, 200, JSON.stringify(key.body));
      assert.equal(await textOf(page.getByTestId('public-key-id')), key.body.key_id);
      const link = page.getByTestId('public-key-download');
      assert.equal(await link.getAttribute('download'), 'xzzf-record-public-key.txt');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.equal(download.suggestedFilename(), 'xzzf-record-public-key.txt');
      assert.equal(readFileSync(await download.path(), 'utf8'), key.body.file);

      assert.deepEqual(problems, [], 'no console errors or CSP violations');
    });
  });
});
