// Shared pieces of the HTTP scenario and server tests (tests/api/): the
// databases a test runs on, JSON subset matching, raw-socket HTTP, and reading
// the audit trail straight from the database.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import path from 'node:path';

const execFileP = promisify(execFile);

// ---------------------------------------------------------------------------
// Databases

export const DATABASES = ['sqlite', 'postgres'];

/**
 * Options for describe() on one database. PostgreSQL needs XZZF_TEST_PG_URL
 * (the test script starts a throwaway cluster with scripts/pg.sh and exports
 * it). Without it the PostgreSQL run is skipped with a message, except under
 * CI, where `pgMissingInCi(db)` is true and the caller adds a failing test.
 */
export function dbDescribeOptions(db) {
  if (db === 'postgres' && !process.env.XZZF_TEST_PG_URL && !process.env.CI) {
    return { skip: 'XZZF_TEST_PG_URL is not set: start PostgreSQL with `scripts/pg.sh start DIR` and export its URL to run these on PostgreSQL' };
  }
  return {};
}

export function pgMissingInCi(db) {
  return db === 'postgres' && !process.env.XZZF_TEST_PG_URL && Boolean(process.env.CI);
}

export const PG_MISSING_MESSAGE =
  'XZZF_TEST_PG_URL is not set, but CI is: the PostgreSQL run of the HTTP tests is required in CI. ' +
  'The test script must start PostgreSQL (scripts/pg.sh start DIR) and export XZZF_TEST_PG_URL.';

/** `--set key=value` arguments for startServer(). */
export function setArgs(config) {
  return Object.entries(config).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
}

// ---------------------------------------------------------------------------
// JSON subset matching
//
// Every key of the expectation must match, recursively. Expected values may be
//   "$regex:…"                  a string matching the regular expression
//   "$type:string|number|…"     the JSON type (string, number, object, array, boolean, null)
//   "$absent"                   (as an object member) the key must not be there
//   {"$contains": [...]}        an array holding, in any order, an element matching each
// Arrays otherwise match element-wise with equal length; other values strictly.

export function jsonType(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const TYPES = new Set(['string', 'number', 'object', 'array', 'boolean', 'null']);

/** The list of mismatches between expected and actual (empty: they match). */
export function matchJson(expected, actual, where = '$') {
  const problems = [];
  const show = (v) => (v === undefined ? 'nothing' : JSON.stringify(v));
  if (typeof expected === 'string' && expected.startsWith('$regex:')) {
    const re = new RegExp(expected.slice('$regex:'.length), 'u');
    if (typeof actual !== 'string' || !re.test(actual)) {
      problems.push(`${where}: expected a string matching /${re.source}/, got ${show(actual)}`);
    }
    return problems;
  }
  if (typeof expected === 'string' && expected.startsWith('$type:')) {
    const wanted = expected.slice('$type:'.length).split('|');
    for (const t of wanted) if (!TYPES.has(t)) throw new Error(`${where}: unknown type "${t}" in "${expected}"`);
    if (!wanted.includes(jsonType(actual))) {
      problems.push(`${where}: expected type ${wanted.join(' or ')}, got ${jsonType(actual)} ${show(actual)}`);
    }
    return problems;
  }
  if (expected === '$absent') {
    throw new Error(`${where}: "$absent" is only meaningful as the value of an object member`);
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      problems.push(`${where}: expected an array, got ${jsonType(actual)} ${show(actual)}`);
      return problems;
    }
    if (expected.length !== actual.length) {
      problems.push(`${where}: expected ${expected.length} element(s), got ${actual.length}: ${show(actual)}`);
      return problems;
    }
    expected.forEach((e, i) => problems.push(...matchJson(e, actual[i], `${where}[${i}]`)));
    return problems;
  }
  if (expected !== null && typeof expected === 'object') {
    const keys = Object.keys(expected);
    if (keys.includes('$contains')) {
      if (keys.length !== 1 || !Array.isArray(expected.$contains)) {
        throw new Error(`${where}: {"$contains": [...]} takes an array and no other key`);
      }
      if (!Array.isArray(actual)) {
        problems.push(`${where}: expected an array, got ${jsonType(actual)} ${show(actual)}`);
        return problems;
      }
      const used = new Set();
      expected.$contains.forEach((e, i) => {
        const j = actual.findIndex((a, k) => !used.has(k) && matchJson(e, a, where).length === 0);
        if (j < 0) problems.push(`${where}: no element matches $contains[${i}] ${show(e)} in ${show(actual)}`);
        else used.add(j);
      });
      return problems;
    }
    if (jsonType(actual) !== 'object') {
      problems.push(`${where}: expected an object, got ${jsonType(actual)} ${show(actual)}`);
      return problems;
    }
    for (const k of keys) {
      const here = `${where}.${k}`;
      const has = Object.prototype.hasOwnProperty.call(actual, k);
      if (expected[k] === '$absent') {
        if (has) problems.push(`${here}: expected no such member, got ${show(actual[k])}`);
      } else if (!has) {
        problems.push(`${here}: missing (expected ${show(expected[k])})`);
      } else {
        problems.push(...matchJson(expected[k], actual[k], here));
      }
    }
    return problems;
  }
  if (expected !== actual) problems.push(`${where}: expected ${show(expected)}, got ${show(actual)}`);
  return problems;
}

// ---------------------------------------------------------------------------
// HTTP over a raw socket (for what fetch hides: keep-alive, slow clients)

/** Connects to the server of `url`; resolves once connected. */
export function connect(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => { socket.off('error', reject); resolve(socket); });
    socket.once('error', reject);
  });
}

/**
 * Collects what a socket receives and when it is closed. `closed` resolves to
 * { at, data, error } when the peer ends or resets the connection.
 */
export function watch(socket) {
  const state = { data: Buffer.alloc(0), closedAt: null, error: null };
  state.closed = new Promise((resolve) => {
    const done = (error) => {
      if (state.closedAt !== null) return;
      state.closedAt = Date.now();
      state.error = error ?? null;
      resolve({ at: state.closedAt, data: state.data, error: state.error });
    };
    socket.on('data', (chunk) => {
      state.data = Buffer.concat([state.data, chunk]);
      state.onData?.();
    });
    socket.on('end', () => done());
    socket.on('close', () => done());
    socket.on('error', (e) => done(e));
  });
  return state;
}

/**
 * Parses one HTTP/1.1 response with a Content-Length from the front of buf.
 * Returns { status, headers, body, rest } or null if it is not complete yet.
 */
export function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!m) throw new Error(`not an HTTP response: ${JSON.stringify(lines[0])}`);
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buf.length < end + 4 + length) return null;
  return {
    status: Number(m[1]),
    headers,
    body: buf.subarray(end + 4, end + 4 + length).toString('utf8'),
    rest: buf.subarray(end + 4 + length),
  };
}

/** Waits for the next complete response on a watched socket. */
export function nextResponse(state, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      state.onData = null;
      reject(new Error(`no complete response within ${timeoutMs} ms; received so far: ${JSON.stringify(state.data.toString('latin1'))}`));
    }, timeoutMs);
    const check = () => {
      let r;
      try { r = parseResponse(state.data); } catch (e) { clearTimeout(timer); state.onData = null; reject(e); return; }
      if (r) {
        clearTimeout(timer);
        state.onData = null;
        state.data = r.rest;
        resolve(r);
      } else if (state.closedAt !== null) {
        clearTimeout(timer);
        state.onData = null;
        reject(new Error(`connection closed before a complete response; received: ${JSON.stringify(state.data.toString('latin1'))}`));
      }
    };
    state.onData = check;
    state.closed.then(check);
    check();
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// Reading the audit trail straight from the database

/**
 * The audit_events rows with one of the given request ids, as objects with
 * event, status, code, method, path, request_id, actor.
 */
export async function auditRowsByRequestId(server, db, requestIds) {
  for (const id of requestIds) {
    if (!/^[0-9a-f]{1,64}$/.test(id)) throw new Error(`unexpected request id ${JSON.stringify(id)}`);
  }
  const list = requestIds.map((id) => `'${id}'`).join(',');
  const columns = 'event, status, code, method, path, request_id, actor';
  if (db === 'sqlite') {
    const file = path.join(server.dataDir, 'xzzf.db');
    const { stdout } = await execFileP('sqlite3', ['-json', file,
      `SELECT ${columns} FROM audit_events WHERE request_id IN (${list}) ORDER BY id`]);
    return stdout.trim() ? JSON.parse(stdout) : [];
  }
  const { stdout } = await execFileP('psql', [process.env.XZZF_TEST_PG_URL, '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c',
    `SELECT coalesce(json_agg(t), '[]'::json) FROM (SELECT ${columns} FROM audit_events WHERE request_id IN (${list}) ORDER BY id) t`]);
  return JSON.parse(stdout.trim());
}
