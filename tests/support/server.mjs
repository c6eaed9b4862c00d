// Starts a real xzzf server for a test and stops it afterwards.
//
// startServer({ db: 'sqlite' | '<postgresql://… url>', args: [...], env: {...}, beforeStart })
// resolves to { url, dataDir, proc, logs(), stop() } once the server has printed
// its "xzzf listening on http://HOST:PORT" line. The binary defaults to
// build/release/xzzf; XZZF_BIN overrides it. beforeStart(dbUrl, dataDir), when
// given, runs (and is awaited) after the data dir exists and before the server
// starts, e.g. to load demo data into the database.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function binaryPath() {
  return process.env.XZZF_BIN || path.join(repoRoot, 'build/release/xzzf');
}

// The database a test run uses: SQLite in the server's data dir, or the
// PostgreSQL URL the test script exported.
export function databaseUrl(kind, dataDir) {
  if (kind === 'sqlite') return `sqlite://${path.join(dataDir, 'xzzf.db')}`;
  if (kind === 'postgres') {
    const url = process.env.XZZF_TEST_PG_URL;
    if (!url) throw new Error('XZZF_TEST_PG_URL is not set: start PostgreSQL with scripts/pg.sh');
    return url;
  }
  return kind;
}

// Servers on one PostgreSQL database are instances of one deployment: they
// must share the record's signing key (a server refuses a key other than the
// one that signed the checkpoints). One key file per database URL, made once.
function sharedRecordKey(dbUrl) {
  const name = createHash('sha256').update(dbUrl).digest('hex').slice(0, 16);
  const file = path.join(tmpdir(), `xzzf-test-record-${name}.key`);
  if (!existsSync(file)) {
    const r = spawnSync(binaryPath(), ['record', 'keygen', '--out', file], { encoding: 'utf8' });
    if (r.status !== 0 && !existsSync(file)) throw new Error(`record keygen failed: ${r.stderr}`);
  }
  return file;
}

// … and the personal data key (privacy.key_file): the database remembers the
// key it was first used with and a server with another refuses to start. The
// file format is the one the server makes: a comment and 64 hex digits.
function sharedPrivacyKey(dbUrl) {
  const name = createHash('sha256').update(dbUrl).digest('hex').slice(0, 16);
  const file = path.join(tmpdir(), `xzzf-test-privacy-${name}.key`);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, `# xzzf test personal data key\n${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
  }
  return file;
}

// The arguments that give another xzzf command (`xzzf demo`) the personal
// data key the server of this database uses: its data directory, and on
// PostgreSQL the shared key file.
export function keyArgs(dbUrl, dataDir) {
  return ['--data-dir', dataDir,
    ...(dbUrl.startsWith('postgresql:') ? ['--set', `privacy.key_file=${sharedPrivacyKey(dbUrl)}`] : [])];
}

export async function startServer({ db = 'sqlite', args = [], env = {}, timeoutMs = 20000, beforeStart } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'xzzf-test-'));
  const dbUrl = databaseUrl(db, dataDir);
  if (beforeStart) {
    try {
      await beforeStart(dbUrl, dataDir);
    } catch (err) {
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }
  const proc = spawn(
    binaryPath(),
    ['serve', '--db', dbUrl, '--listen', '127.0.0.1:0', '--data-dir', dataDir,
      '--web-dir', path.join(repoRoot, 'web/dist'),
      ...(dbUrl.startsWith('postgresql:')
        ? ['--set', `record.key_file=${sharedRecordKey(dbUrl)}`, '--set', `privacy.key_file=${sharedPrivacyKey(dbUrl)}`]
        : []),
      ...args],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = output.match(/xzzf listening on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${output}`)); });
  }).catch((err) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  proc.removeAllListeners('exit');
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url,
    dbUrl,
    dataDir,
    keyArgs: keyArgs(dbUrl, dataDir),
    proc,
    exited,
    logs: () => output,
    async stop({ keepDataDir = false } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      let timer;
      const result = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r(null), 10000); })]);
      clearTimeout(timer);
      if (result === null) { proc.kill('SIGKILL'); await exited; }
      if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
      return result;
    },
  };
}
