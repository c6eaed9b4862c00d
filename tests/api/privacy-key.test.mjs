// The personal data key at start-up: the first start makes DATA_DIR/
// personal-data.key, readable by its owner only; the database remembers it,
// and a server given another key, or a key file others may read, refuses to
// start with a message that says why.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { binaryPath, startServer } from '../support/server.mjs';

function serve(db, data, ...args) {
  return spawnSync(binaryPath(), ['serve', '--db', db, '--data-dir', data, '--listen', '127.0.0.1:0', ...args],
    { encoding: 'utf8', timeout: 20000 });
}

describe('personal data key', () => {
  let dir;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'xzzf-privacy-key-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('made at the first start (0600), then another key is refused', async () => {
    const server = await startServer({ db: 'sqlite' });
    const key = path.join(server.dataDir, 'personal-data.key');
    assert.equal(statSync(key).mode & 0o777, 0o600);
    const db = `sqlite://${path.join(server.dataDir, 'xzzf.db')}`;
    await server.stop({ keepDataDir: true });

    const other = path.join(dir, 'other.key');
    writeFileSync(other, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    // The same record key, another personal data key.
    const refused = serve(db, mkdtempSync(path.join(dir, 'data-')), '--set', `privacy.key_file=${other}`,
      '--set', `record.key_file=${path.join(server.dataDir, 'record-signing.key')}`);
    assert.equal(refused.status, 1, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /privacy\.key_mismatch/);
    assert.doesNotMatch(refused.stdout, /listening/);
    // The first key still opens it.
    const again = await startServer({
      db,
      args: ['--set', `privacy.key_file=${key}`, '--set', `record.key_file=${path.join(server.dataDir, 'record-signing.key')}`],
    });
    await again.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  });

  test('a key file that others may read is refused', () => {
    const loose = path.join(dir, 'loose.key');
    writeFileSync(loose, `${randomBytes(32).toString('hex')}\n`, { mode: 0o644 });
    const db = `sqlite://${path.join(dir, 'loose.db')}`;
    const r = serve(db, mkdtempSync(path.join(dir, 'data-')), '--set', `privacy.key_file=${loose}`);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /privacy\.key_file_exposed/);
    assert.match(r.stderr, /chmod 600/);
  });
});
