#!/usr/bin/env node
// Crash test (QUALITY.md, reliability suite 1): a write load through the
// server, kill -9 at a random moment, restart on the same SQLite database,
// ITERATIONS times. After every restart, and once more at the end on the
// stopped database: every write acknowledged with 201 is present (its row and
// its record entry), the record has no gap (COUNT(*) = MAX(seq)+1 =
// record_head.size), `xzzf record verify --public-key` passes and
// `PRAGMA integrity_check` prints ok. See tests/reliability/README.md.
//
//   tests/reliability/crash.mjs [ITERATIONS]     default 200
//
// Environment: XZZF_BIN (default build/release/xzzf), CRASH_CLIENTS
// (concurrent writers, default 4), CRASH_SEED (random delays; printed, so a
// run can be repeated), CRASH_KEEP=1 keeps the work directory (it is always
// kept, and named, on failure). Needs node 18+ and the sqlite3 command.
import { spawn, execFile } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.XZZF_BIN || path.join(root, 'build/release/xzzf');
const iterations = Number(process.argv[2] ?? process.env.ITERATIONS ?? 200);
const clientCount = Number(process.env.CRASH_CLIENTS || 4);
const seed = Number(process.env.CRASH_SEED || Math.floor(Math.random() * 2 ** 31));
const DEMO_PASSWORD = 'Xzzf-Demo-2026';
const NEW_PASSWORD = 'Crash-Test-Pass-2026';
const ACCOUNTS = ['scjg_admin', 'legal_office'];
const MIN_DELAY_MS = 50;
const MAX_DELAY_MS = 800;

if (!Number.isInteger(iterations) || iterations < 1) {
  console.error('usage: crash.mjs [ITERATIONS]   (a positive integer, default 200)');
  process.exit(2);
}
if (!existsSync(bin)) {
  console.error(`crash: ${bin} not found (build it with scripts/build.sh, or set XZZF_BIN)`);
  process.exit(2);
}

// mulberry32: small seeded generator, so that the delays of a run can be repeated.
let rngState = seed >>> 0;
function random() {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randomInt = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const work = mkdtempSync(path.join(tmpdir(), 'xzzf-crash-'));
const dbFile = path.join(work, 'xzzf.db');
const dbUrl = `sqlite://${dbFile}`;
const dataDir = path.join(work, 'data');
const publicKey = path.join(dataDir, 'record-signing.key.pub');
const serverLog = createWriteStream(path.join(work, 'server.log'));
const env = { ...process.env, XZZF_TESTING_FAST_HASHING: '1' };

// ---------------------------------------------------------------------------
// The server: one child at a time, killed by its PID, never left behind.

let server = null; // { proc, url, exited }

function killServer() {
  if (server && server.proc.exitCode === null && server.proc.signalCode === null) {
    try { process.kill(server.proc.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}
process.on('exit', killServer);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killServer();
    console.error(`crash: ${sig}; work directory kept: ${work}`);
    process.exit(130);
  });
}

async function startServer(label) {
  serverLog.write(`\n===== ${label}\n`);
  const proc = spawn(bin, [
    'serve', '--db', dbUrl, '--listen', '127.0.0.1:0', '--data-dir', dataDir,
    // No web app: the load is API only, and the server starts faster.
    '--web-dir', path.join(work, 'no-web'),
    // Signed checkpoints often, so that kills also land while one is signed.
    '--set', 'record.checkpoint_every_entries=20',
    '--set', 'record.checkpoint_every_seconds=1',
    '--set', 'log.access=off',
  ], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  server = { proc, url: null, exited };
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s:\n${output}`)), 20000);
    const onData = (chunk) => {
      serverLog.write(chunk);
      if (output.length < 65536) output += chunk.toString();
      const m = output.match(/xzzf listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (chunk) => { serverLog.write(chunk); if (output.length < 65536) output += chunk.toString(); });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  server.url = url;
  return server;
}

async function stopServer(signal) {
  if (!server) return null;
  const s = server;
  if (s.proc.exitCode === null && s.proc.signalCode === null) process.kill(s.proc.pid, signal);
  let timer;
  const result = await Promise.race([s.exited, new Promise((r) => { timer = setTimeout(() => r(null), 35000); })]);
  clearTimeout(timer);
  if (result === null) { process.kill(s.proc.pid, 'SIGKILL'); await s.exited; }
  server = null;
  return result;
}

// ---------------------------------------------------------------------------
// HTTP

async function call(url, method, pathName, body, session) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session) {
    headers.cookie = session.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = session.csrf;
  }
  const res = await fetch(url + pathName, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, json, text, cookie: res.headers.get('set-cookie') };
}

async function login(url, username, password) {
  const r = await call(url, 'POST', '/api/v1/session', { username, password });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
  return { cookie: r.cookie.split(';')[0], csrf: r.json.csrf_token, mustChange: r.json.must_change_password };
}

// ---------------------------------------------------------------------------
// The database, read with the sqlite3 command (next to the running server:
// WAL lets it read a consistent snapshot).

async function sql(query, file = dbFile) {
  const { stdout } = await execFileP('sqlite3', ['-batch', '-noheader', '-separator', '|',
    '-cmd', '.timeout 10000', file, query], { maxBuffer: 256 * 1024 * 1024 });
  return stdout.trimEnd().split('\n').filter((l) => l !== '');
}

const acked = []; // { name, dept, id } answered 201
const unknown = []; // { name, dept } sent, no answer (the kill came first)
const refused = new Map(); // "status code" -> count
let lastEntries = 0;

// Everything the brief asks after a restart; returns a list of problems.
async function check(label, { full }) {
  const problems = [];
  const [counts] = await sql(
    'SELECT (SELECT COUNT(*) FROM record_entries), (SELECT COALESCE(MAX(seq) + 1, 0) FROM record_entries), ' +
    '(SELECT size FROM record_head WHERE id = 1), ' +
    "(SELECT COUNT(*) FROM agencies a WHERE a.name LIKE 'crash-%' AND NOT EXISTS (SELECT 1 FROM record_entries e " +
    "WHERE e.subject_type = 'agency' AND e.subject_id = a.id AND e.action = 'agency.created')), " +
    "(SELECT COUNT(*) FROM record_entries e WHERE e.subject_type = 'agency' AND e.action = 'agency.created' " +
    'AND NOT EXISTS (SELECT 1 FROM agencies a WHERE a.id = e.subject_id))');
  const [count, next, size, rowsWithoutEntry, entriesWithoutRow] = counts.split('|').map(Number);
  if (!(count === next && next === size)) {
    problems.push(`record gap: COUNT(*) = ${count}, MAX(seq)+1 = ${next}, record_head.size = ${size}`);
  }
  if (size < lastEntries) problems.push(`record shrank: ${lastEntries} entries before, ${size} now`);
  lastEntries = size;
  if (rowsWithoutEntry) problems.push(`${rowsWithoutEntry} agency row(s) without their record entry`);
  if (entriesWithoutRow) problems.push(`${entriesWithoutRow} agency.created entr(ies) without their row`);

  const present = new Map();
  for (const line of await sql("SELECT name, department_id, id FROM agencies WHERE name LIKE 'crash-%'")) {
    const [name, dept, id] = line.split('|');
    present.set(name, { dept: Number(dept), id: Number(id) });
  }
  let missing = 0;
  for (const w of acked) {
    const p = present.get(w.name);
    if (!p || p.dept !== w.dept || (w.id !== null && p.id !== w.id)) {
      if (missing < 10) {
        problems.push(`acknowledged write lost: agency "${w.name}" (department ${w.dept}, id ${w.id}) ` +
          (p ? `found as department ${p.dept}, id ${p.id}` : 'not in the database'));
      }
      missing++;
    }
  }
  if (missing > 10) problems.push(`… ${missing} acknowledged writes lost in all`);
  const unknownPresent = unknown.filter((w) => present.has(w.name)).length;

  if (full) {
    const v = await execFileP(bin, ['record', 'verify', '--db', dbUrl, '--public-key', publicKey], { env })
      .then(({ stdout }) => ({ code: 0, out: stdout }), (e) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }));
    if (v.code !== 0) problems.push(`xzzf record verify exited ${v.code}:\n${v.out.trim()}`);
    const ic = await sql('PRAGMA integrity_check');
    if (ic.join('\n') !== 'ok') problems.push(`PRAGMA integrity_check: ${ic.slice(0, 10).join('; ')}`);
  }
  if (problems.length) {
    console.log(`crash: ${label}: ${problems.length} problem(s)`);
    for (const p of problems) console.log(`  - ${p}`);
  }
  return { problems, present: acked.length - missing, unknownPresent, entries: size };
}

// ---------------------------------------------------------------------------
// The load: clientCount writers, each logged in on its own session, creating
// agencies with unique names until the server dies under them.

async function writer(url, c, iter, account, depts, state) {
  let session;
  try {
    session = await login(url, account, NEW_PASSWORD);
  } catch (err) {
    if (!state.killed) state.errors.push(`writer ${c}: ${err.message}`);
    return;
  }
  for (let n = 0; !state.killed; n++) {
    const dept = depts[n % depts.length];
    const name = `crash-${seed}-${iter}-${c}-${n}`;
    let r;
    try {
      r = await call(url, 'POST', `/api/v1/departments/${dept}/agencies`,
        { name, duties: `崩溃测试 ${iter}/${c}/${n}` }, session);
    } catch {
      // No answer: the kill came first. It may or may not have been committed.
      unknown.push({ name, dept });
      state.unknown++;
      continue;
    }
    if (r.status === 201) {
      // The status line came; a body cut off by the kill still means acknowledged.
      acked.push({ name, dept, id: typeof r.json?.id === 'number' ? r.json.id : null });
      state.acked++;
    } else {
      const key = `${r.status} ${r.json?.error?.code ?? ''}`.trim();
      refused.set(key, (refused.get(key) ?? 0) + 1);
    }
  }
}

// ---------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  console.log(`crash: ${iterations} iteration(s), ${clientCount} writers, seed ${seed}, binary ${bin.startsWith(root + path.sep) ? path.relative(root, bin) : bin}`);
  await execFileP(bin, ['demo', '--db', dbUrl, '--data-dir', dataDir], { env });

  // Set up: the demo accounts change their password once; the departments
  // each account may add agencies to.
  await startServer('setup');
  const deptsOf = {};
  for (const account of ACCOUNTS) {
    const s = await login(server.url, account, DEMO_PASSWORD);
    const r = await call(server.url, 'PUT', '/api/v1/session/password',
      { current_password: DEMO_PASSWORD, new_password: NEW_PASSWORD }, s);
    if (r.status !== 204) throw new Error(`password change of ${account}: ${r.status} ${r.text}`);
    const s2 = await login(server.url, account, NEW_PASSWORD);
    const d = await call(server.url, 'GET', '/api/v1/departments?page_size=100', undefined, s2);
    if (d.status !== 200) throw new Error(`departments of ${account}: ${d.status} ${d.text}`);
    deptsOf[account] = d.json.items.filter((x) => x.status === 'active').map((x) => x.id);
    if (!deptsOf[account].length) throw new Error(`${account} sees no active department`);
  }
  await stopServer('SIGTERM');
  // The load writes one entry per agency and nothing else on the record.
  const [setupEntries] = (await sql('SELECT size FROM record_head WHERE id = 1')).map(Number);

  let failures = 0;
  let maxLoad = 0;
  const firstProblems = [];
  for (let i = 1; i <= iterations; i++) {
    await startServer(`iteration ${i}`);
    const c = await check(`after restart ${i}`, { full: true });
    if (c.problems.length) { failures++; firstProblems.push(...c.problems.map((p) => `restart ${i}: ${p}`)); }

    const state = { killed: false, acked: 0, unknown: 0, errors: [] };
    const delay = randomInt(MIN_DELAY_MS, MAX_DELAY_MS);
    const writers = [];
    for (let w = 0; w < clientCount; w++) {
      const account = ACCOUNTS[w % ACCOUNTS.length];
      writers.push(writer(server.url, w, i, account, deptsOf[account], state));
    }
    await sleep(delay);
    state.killed = true;
    const pid = server.proc.pid;
    await stopServer('SIGKILL');
    await Promise.all(writers);
    for (const e of state.errors) console.log(`crash: iteration ${i}: ${e}`);
    maxLoad = Math.max(maxLoad, state.acked);
    if (i % 10 === 0 || i === iterations || iterations <= 20) {
      console.log(`crash: iteration ${i}/${iterations}: killed pid ${pid} after ${delay} ms, ` +
        `${state.acked} acknowledged, ${state.unknown} unanswered; ${acked.length} acknowledged so far`);
    }
  }

  // The end: restart on what the last kill left, check, stop cleanly, check
  // the stopped database once more.
  await startServer('final');
  let c = await check('after the last restart', { full: true });
  if (c.problems.length) { failures++; firstProblems.push(...c.problems.map((p) => `last restart: ${p}`)); }
  const stop = await stopServer('SIGTERM');
  if (stop?.code !== 0) { failures++; firstProblems.push(`the server stopped with ${stop?.code ?? stop?.signal} on SIGTERM`); }
  c = await check('on the stopped database', { full: true });
  if (c.problems.length) { failures++; firstProblems.push(...c.problems.map((p) => `stopped: ${p}`)); }
  const accounted = setupEntries + acked.length + c.unknownPresent;
  if (c.entries !== accounted) {
    failures++;
    firstProblems.push(`the record holds ${c.entries} entries, but setup (${setupEntries}) + acknowledged ` +
      `(${acked.length}) + committed without an answer (${c.unknownPresent}) = ${accounted}`);
  }
  const [journal] = await sql('PRAGMA journal_mode');
  const [checkpoints] = await sql('SELECT COUNT(*) FROM record_checkpoints');
  const seconds = (Date.now() - started) / 1000;

  const refusedText = [...refused].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  console.log('');
  console.log(`iterations:                ${iterations} (kill -9 after ${MIN_DELAY_MS}–${MAX_DELAY_MS} ms of load, ${clientCount} writers)`);
  console.log(`acknowledged writes:       ${acked.length} (at most ${maxLoad} in one iteration)`);
  console.log(`writes present:            ${c.present} of ${acked.length}`);
  console.log(`unanswered at the kill:    ${unknown.length} (${c.unknownPresent} of them committed)`);
  console.log(`refused answers:           ${refusedText}`);
  console.log(`record entries:            ${c.entries} (no gap: COUNT = MAX(seq)+1 = head size; ` +
    `${setupEntries} before the load + one per agency written)`);
  console.log(`signed checkpoints:        ${checkpoints}`);
  console.log(`checks:                    ${iterations + 2} (record verify with the public key, integrity_check, journal_mode ${journal})`);
  console.log(`time taken:                ${seconds.toFixed(1)} s`);
  const pass = failures === 0 && c.present === acked.length && acked.length > 0;
  if (acked.length === 0) console.log('crash: no write was acknowledged at all: the load did not run');
  if (!pass) {
    for (const p of firstProblems.slice(0, 20)) console.log(`  - ${p}`);
    console.log(`work directory kept: ${work}`);
  }
  console.log(pass ? 'crash: PASS' : 'crash: FAIL');
  return pass;
}

main().then(
  (pass) => {
    serverLog.end();
    if (pass && process.env.CRASH_KEEP !== '1') rmSync(work, { recursive: true, force: true });
    else if (pass) console.log(`work directory kept: ${work}`);
    process.exitCode = pass ? 0 : 1;
  },
  (err) => {
    killServer();
    console.error(`crash: ${err.stack || err}`);
    console.error(`work directory kept: ${work}`);
    console.log('crash: FAIL');
    process.exitCode = 1;
  },
);
