// The record's command line: keygen writes a private key only its owner can
// read and never overwrites one; checkpoint, export-checkpoints and verify
// work on a real demo database, and verify fails (exit 1) with a key that
// did not sign its checkpoints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { binaryPath } from '../support/server.mjs';

function xzzf(...args) {
  const r = spawnSync(binaryPath(), args, { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('xzzf record', () => {
  let dir;
  let db;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'xzzf-record-cli-'));
    db = `sqlite://${path.join(dir, 'x.db')}`;
    const demo = xzzf('demo', '--db', db, '--data-dir', dir);
    assert.equal(demo.status, 0, demo.err);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const algorithm of ['ed25519', 'sm2']) {
    test(`keygen ${algorithm}: 0600 key, public key beside it, never overwritten`, () => {
      const key = path.join(dir, `${algorithm}.key`);
      const made = xzzf('record', 'keygen', '--out', key, '--algorithm', algorithm);
      assert.equal(made.status, 0, made.err);
      assert.match(made.out, /已生成签名密钥/);
      assert.equal(statSync(key).mode & 0o777, 0o600);
      const pub = readFileSync(`${key}.pub`, 'utf8').split('\n');
      assert.equal(pub[0], 'xzzf-record-public-key-v1');
      assert.equal(pub[1], algorithm);
      assert.match(pub[2], algorithm === 'sm2' ? /^04[0-9a-f]{128}$/ : /^[0-9a-f]{64}$/);
      const again = xzzf('record', 'keygen', '--out', key);
      assert.equal(again.status, 1);
      assert.match(again.err, /record\.key_file_exists/);
    });
  }

  test('checkpoint, export and verify with the key; another key fails', () => {
    const key = path.join(dir, 'ed25519.key');
    const signed = xzzf('record', 'checkpoint', '--db', db, '--set', `record.key_file=${key}`);
    assert.equal(signed.status, 0, signed.err);
    const checkpoint = JSON.parse(signed.out);
    assert.ok(checkpoint.size > 100, 'the demo city puts its acts on the record');
    const exported = path.join(dir, 'checkpoints.jsonl');
    const exp = xzzf('record', 'export-checkpoints', '--db', db, '--out', exported);
    assert.equal(exp.status, 0, exp.err);
    assert.deepEqual(JSON.parse(readFileSync(exported, 'utf8').trim()), checkpoint);

    const ok = xzzf('record', 'verify', '--db', db, '--public-key', `${key}.pub`, '--checkpoints', exported);
    assert.equal(ok.status, 0, ok.out + ok.err);
    assert.match(ok.out, /结果：通过/);

    const wrong = xzzf('record', 'verify', '--db', db, '--public-key', path.join(dir, 'sm2.key.pub'));
    assert.equal(wrong.status, 1, wrong.out);
    assert.match(wrong.out, /checkpoint_signature/);

    writeFileSync(path.join(dir, 'bad.jsonl'), '{"size": 1}\n');
    const bad = xzzf('record', 'verify', '--db', db, '--checkpoints', path.join(dir, 'bad.jsonl'));
    assert.equal(bad.status, 1);
    assert.match(bad.err, /第 1 行/);
  });

  test('serve refuses a key other than the one that signed the checkpoints', () => {
    // The checkpoint test above signed with ed25519.key; a fresh data dir
    // makes a key of its own.
    const data = mkdtempSync(path.join(dir, 'data-'));
    const r = spawnSync(binaryPath(), ['serve', '--db', db, '--data-dir', data, '--listen', '127.0.0.1:0'],
      { encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /record\.key_mismatch/);
    assert.doesNotMatch(r.stdout, /listening/);
  });

  test('a checkpoint saved from the portal verifies as it is', () => {
    const exported = readFileSync(path.join(dir, 'checkpoints.jsonl'), 'utf8').trim();
    const portalForm = { ...JSON.parse(exported), at: '2026-11-28T17:10:55+08:00' };
    const file = path.join(dir, 'portal.json');
    writeFileSync(file, `${JSON.stringify(portalForm)}\n`);
    const r = xzzf('record', 'verify', '--db', db, '--public-key', path.join(dir, 'ed25519.key.pub'), '--checkpoints', file);
    assert.equal(r.status, 0, r.out + r.err);
  });

  test('a configured key file that is missing is a clear error', () => {
    const r = xzzf('record', 'checkpoint', '--db', db, '--set', `record.key_file=${path.join(dir, 'none.key')}`);
    assert.equal(r.status, 1);
    assert.match(r.err, /record\.key_missing/);
  });
});
