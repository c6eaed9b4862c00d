// Behaviour of the HTTP server itself: slow clients, keep-alive, streamed
// uploads, graceful shutdown, the access log, refusals in the audit trail and
// the OpenAPI document. Most of it does not depend on the database and runs on
// SQLite only; the audit trail is checked on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../support/server.mjs';
import {
  DATABASES, PG_MISSING_MESSAGE, auditRowsByRequestId, connect, dbDescribeOptions, nextResponse,
  pgMissingInCi, setArgs, sleep, watch,
} from './helpers.mjs';

const TESTING = { 'testing.routes': 'true' };
const MB = 1024 * 1024;

function start(config = {}, db = 'sqlite') {
  return startServer({ db, args: setArgs({ ...TESTING, ...config }) });
}

async function getJson(url, init = {}) {
  const res = await fetch(url, { signal: AbortSignal.timeout(15000), ...init });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json, rid: res.headers.get('x-request-id') };
}

function vmRssKb(pid) {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]);
}

function incomingFiles(server) {
  const dir = path.join(server.dataDir, 'uploads', 'incoming');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => {
    let size = null;
    try { size = statSync(path.join(dir, name)).size; } catch { /* removed meanwhile */ }
    return { name, size };
  });
}

async function pollUntil(check, { timeoutMs = 3000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) return value;
    await sleep(intervalMs);
  }
}

/**
 * POSTs `total` bytes of random data to /api/v1/test/upload in chunks,
 * computing the SHA-256 while sending (the body is never held whole).
 * With Content-Length unless `chunked`. `onProgress(sent)` may be async and is
 * awaited between chunks. Resolves once the response is in, even if the server
 * answered before the whole body was sent (as it does for 413).
 */
function streamUpload(url, total, { chunked = false, chunkSize = 256 * 1024, onProgress } = {}) {
  const u = new URL('/api/v1/test/upload', url);
  const hash = createHash('sha256');
  let sent = 0;
  return new Promise((resolve, reject) => {
    let answered = false;
    const headers = { 'content-type': 'application/octet-stream' };
    if (!chunked) headers['content-length'] = String(total);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers, agent: false });
    const responded = new Promise((resolveResponse) => {
      req.on('response', (res) => {
        answered = true;
        resolveResponse();
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try { json = JSON.parse(text); } catch { json = undefined; }
          resolve({ status: res.statusCode, headers: res.headers, text, json, sent, complete: sent === total, sha256: hash.digest('hex') });
          req.destroy();
        });
        res.on('error', reject);
      });
    });
    req.on('error', (e) => { if (!answered) reject(new Error(`upload failed after ${sent} of ${total} bytes: ${e.message}`)); });
    req.setTimeout(60000, () => req.destroy(new Error('upload timed out')));
    const closed = new Promise((r) => req.once('close', r));
    (async () => {
      while (sent < total && !answered) {
        const chunk = randomBytes(Math.min(chunkSize, total - sent));
        hash.update(chunk);
        sent += chunk.length;
        if (!req.write(chunk)) {
          let onDrain;
          await Promise.race([new Promise((r) => { onDrain = r; req.once('drain', r); }), responded, closed]);
          req.off('drain', onDrain);
        }
        if (onProgress) await onProgress(sent);
      }
      if (!answered) req.end();
    })().catch((e) => { req.destroy(e); reject(e); });
  });
}

// ---------------------------------------------------------------------------

describe('slow clients are timed out (http.read_timeout_seconds=2)', () => {
  let server;
  before(async () => { server = await start({ 'http.read_timeout_seconds': '2', 'http.idle_timeout_seconds': '3' }); });
  after(async () => { await server?.stop(); });

  // Waits for the server to close a stalled connection; returns seconds waited.
  async function closedAfter(socketState, since) {
    const closed = await Promise.race([socketState.closed, sleep(10000).then(() => null)]);
    assert.ok(closed, 'the server did not close the stalled connection within 10 s');
    return (closed.at - since) / 1000;
  }

  async function stillServes() {
    const r = await getJson(`${server.url}/healthz`);
    assert.equal(r.status, 200, `a normal request on a new connection: ${r.status} ${r.text}`);
  }

  test('half a request header, then nothing: closed after 2 s; new connections still served', async () => {
    const socket = await connect(server.url);
    const state = watch(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nAccept: appl');
    const since = Date.now();
    try {
      const s = await closedAfter(state, since);
      assert.ok(s >= 1.5 && s <= 6, `closed after ${s.toFixed(2)} s; expected between 1.5 and 6 s`);
    } finally {
      socket.destroy();
    }
    await stillServes();
  });

  test('a header dripped one byte every 250 ms: closed within the timeout, not kept alive by the drip', async () => {
    const socket = await connect(server.url);
    const state = watch(socket);
    const since = Date.now();
    const header = `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'a'.repeat(200)}`;
    let i = 0;
    const drip = setInterval(() => {
      if (state.closedAt === null && i < header.length) socket.write(header[i++]);
    }, 250);
    try {
      const s = await closedAfter(state, since);
      assert.ok(s >= 1.5 && s <= 6, `closed after ${s.toFixed(2)} s while dripping; expected between 1.5 and 6 s`);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
    await stillServes();
  });

  test('a body that stalls (Content-Length 100, 10 bytes sent): closed after 2 s', async () => {
    const socket = await connect(server.url);
    const state = watch(socket);
    socket.write('POST /api/v1/test/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Content-Length: 100\r\n\r\n{"text": "');
    const since = Date.now();
    try {
      const s = await closedAfter(state, since);
      assert.ok(s >= 1.5 && s <= 6, `closed after ${s.toFixed(2)} s; expected between 1.5 and 6 s`);
      assert.ok(!/^HTTP\/1\.1 200/.test(state.data.toString('latin1')), 'the incomplete command was not executed');
    } finally {
      socket.destroy();
    }
    await stillServes();
  });

  test('an idle keep-alive connection is closed after http.idle_timeout_seconds=3', async () => {
    const socket = await connect(server.url);
    const state = watch(socket);
    try {
      socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      const r = await nextResponse(state);
      assert.equal(r.status, 200);
      const since = Date.now();
      const s = await closedAfter(state, since);
      assert.ok(s >= 2.5 && s <= 7, `idle connection closed after ${s.toFixed(2)} s; expected between 2.5 and 7 s`);
    } finally {
      socket.destroy();
    }
  });
});

// ---------------------------------------------------------------------------

describe('connections and uploads (default limits)', () => {
  let server;
  before(async () => { server = await start(); });
  after(async () => { await server?.stop(); });

  test('keep-alive: two requests on one connection are both answered', async () => {
    const socket = await connect(server.url);
    const state = watch(socket);
    try {
      socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      const first = await nextResponse(state);
      assert.equal(first.status, 200);
      assert.deepEqual(JSON.parse(first.body), { status: 'ok' });
      assert.notEqual(first.headers.connection, 'close', 'the first response keeps the connection open');
      const body = JSON.stringify({ text: '第二个请求' });
      socket.write(`POST /api/v1/test/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      const second = await nextResponse(state);
      assert.equal(second.status, 200, second.body);
      assert.deepEqual(JSON.parse(second.body), { text: '第二个请求' });
      assert.equal(state.closedAt, null, 'the connection is still open');
      assert.notEqual(first.headers['x-request-id'], second.headers['x-request-id'], 'each request has its own id');
    } finally {
      socket.destroy();
    }
  });

  test('keep-alive: two pipelined requests sent at once are answered in order', async () => {
    const socket = await connect(server.url);
    const state = watch(socket);
    try {
      socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /api/v1/public/info HTTP/1.1\r\nHost: localhost\r\n\r\n');
      const first = await nextResponse(state);
      const second = await nextResponse(state);
      assert.deepEqual([first.status, second.status], [200, 200]);
      assert.deepEqual(JSON.parse(first.body), { status: 'ok' });
      assert.equal(typeof JSON.parse(second.body).version, 'string');
    } finally {
      socket.destroy();
    }
  });

  test('Connection: close is honoured', async () => {
    const socket = await connect(server.url);
    const state = watch(socket);
    try {
      socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      const r = await nextResponse(state);
      assert.equal(r.status, 200);
      assert.equal(r.headers.connection, 'close');
      const closed = await Promise.race([state.closed, sleep(3000).then(() => null)]);
      assert.ok(closed, 'the server closed the connection after answering');
    } finally {
      socket.destroy();
    }
  });

  test('a 50 MB upload is streamed to a file: size and SHA-256 right, memory flat, temp file removed', async (t) => {
    // Warm up the upload path so that one-off allocations are not counted.
    const warm = await streamUpload(server.url, 1 * MB);
    assert.equal(warm.status, 200, warm.text);
    await pollUntil(() => incomingFiles(server).length === 0);
    const rssBefore = vmRssKb(server.proc.pid);
    let rssPeak = rssBefore;
    let midway = null;

    const total = 50 * MB;
    const r = await streamUpload(server.url, total, {
      onProgress: async (sent) => {
        if (sent % (5 * MB) === 0) rssPeak = Math.max(rssPeak, vmRssKb(server.proc.pid));
        if (midway === null && sent >= 25 * MB) {
          // Half-way, the body is already on disk in the upload folder.
          midway = await pollUntil(() => {
            const files = incomingFiles(server);
            return files.length === 1 && files[0].size > 0 ? files : null;
          }, { timeoutMs: 2000 }) ?? incomingFiles(server);
        }
      },
    });
    const rssAfter = vmRssKb(server.proc.pid);
    rssPeak = Math.max(rssPeak, rssAfter);

    assert.equal(r.status, 200, `upload answered ${r.status}: ${r.text}`);
    assert.equal(r.json.bytes, total, 'bytes received');
    assert.equal(r.json.sha256, r.sha256, 'SHA-256 of what was sent');
    assert.equal(midway.length, 1, `one temp file while uploading, found ${JSON.stringify(midway)}`);
    assert.match(midway[0].name, /\.part$/);
    assert.ok(midway[0].size > 0 && midway[0].size < total,
      `half-way the temp file holds part of the body (${midway[0].size} bytes)`);
    const growthMb = (rssPeak - rssBefore) / 1024;
    t.diagnostic(`server RSS ${rssBefore} kB before, peak ${rssPeak} kB (+${growthMb.toFixed(1)} MB) during a 50 MB upload`);
    // AddressSanitizer keeps freed memory in quarantine, so a sanitized build
    // (scripts/sanitize.sh) grows without holding the body: skip the bound there.
    if (!process.env.XZZF_SANITIZED) {
      assert.ok(growthMb <= 30, `server RSS grew by ${growthMb.toFixed(1)} MB during a 50 MB upload (${rssBefore} kB → peak ${rssPeak} kB)`);
    }
    const left = await pollUntil(() => (incomingFiles(server).length === 0 ? [] : null), { timeoutMs: 2000 });
    assert.deepEqual(left ?? incomingFiles(server), [], 'the temp file is removed after the request');
  });

  test('the same upload sent chunked (no Content-Length) is received whole', async () => {
    const total = 3 * MB + 123;
    const r = await streamUpload(server.url, total, { chunked: true, chunkSize: 100000 });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { bytes: total, sha256: r.sha256 });
  });

  test('every registered route is in the OpenAPI document', async () => {
    const r = await getJson(`${server.url}/api/v1/openapi.json`);
    assert.equal(r.status, 200);
    const routes = [
      ['get', '/healthz'], ['get', '/readyz'], ['get', '/metrics'], ['get', '/api/v1/public/info'],
      ['get', '/api/v1/openapi.json'], ['post', '/api/v1/test/echo'], ['post', '/api/v1/test/upload'],
      ['get', '/api/v1/test/sleep'], ['get', '/api/v1/test/crash'],
    ];
    const missing = routes.filter(([m, p]) => typeof r.json.paths?.[p]?.[m]?.responses !== 'object');
    assert.deepEqual(missing, [], 'routes without an operation (with responses) in the OpenAPI document');
  });

  test('every documented path without parameters is answered by the server (no 404/405)', async () => {
    const doc = (await getJson(`${server.url}/api/v1/openapi.json`)).json;
    const methods = ['get', 'post', 'put', 'patch', 'delete'];
    const problems = [];
    for (const [p, ops] of Object.entries(doc.paths)) {
      if (p.includes('{')) continue;
      for (const m of methods.filter((x) => ops[x])) {
        const init = { method: m.toUpperCase() };
        if (m !== 'get' && m !== 'delete') { init.body = '{}'; init.headers = { 'content-type': 'application/json' }; }
        const res = await getJson(new URL(p, server.url), init);
        if (res.status === 405 || (res.status === 404 && res.json?.error?.code === 'http.not_found')) {
          problems.push(`${m.toUpperCase()} ${p} → ${res.status} ${res.text}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});

describe('upload over http.upload_body_limit=1048576', () => {
  let server;
  before(async () => { server = await start({ 'http.upload_body_limit': String(MB) }); });
  after(async () => { await server?.stop(); });

  test('exactly the limit is accepted', async () => {
    const r = await streamUpload(server.url, MB);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { bytes: MB, sha256: r.sha256 });
  });

  test('5 MB with Content-Length: 413 before the body is stored', async () => {
    const r = await streamUpload(server.url, 5 * MB);
    assert.equal(r.status, 413, r.text);
    assert.equal(r.json?.error?.code, 'http.body_too_large', r.text);
    assert.match(r.json.error.message, /1048576/);
    const left = await pollUntil(() => (incomingFiles(server).length === 0 ? [] : null), { timeoutMs: 2000 });
    assert.deepEqual(left ?? incomingFiles(server), [], 'no upload file left behind');
  });

  test('5 MB chunked (no Content-Length): 413 once the limit is passed, partial file removed', async () => {
    const r = await streamUpload(server.url, 5 * MB, { chunked: true, chunkSize: 64 * 1024 });
    assert.equal(r.status, 413, r.text);
    assert.equal(r.json?.error?.code, 'http.body_too_large', r.text);
    const left = await pollUntil(() => (incomingFiles(server).length === 0 ? [] : null), { timeoutMs: 2000 });
    assert.deepEqual(left ?? incomingFiles(server), [], 'no partial upload file left behind');
    const health = await getJson(`${server.url}/healthz`);
    assert.equal(health.status, 200);
  });
});

// ---------------------------------------------------------------------------

describe('graceful shutdown', () => {
  test('SIGTERM: the request in flight completes, new connections are refused, exit code 0', async () => {
    const server = await start();
    try {
      const inflight = getJson(`${server.url}/api/v1/test/sleep?ms=1500`);
      await sleep(300);
      server.proc.kill('SIGTERM');
      await sleep(300);

      const refused = await connect(server.url).then((s) => { s.destroy(); return null; }, (e) => e);
      assert.equal(refused?.code, 'ECONNREFUSED', `a new connection after SIGTERM: ${refused ? refused.message : 'was accepted'}`);

      const r = await inflight;
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { slept_ms: 1500 });
      const answeredAt = Date.now();

      const exit = await Promise.race([server.exited, sleep(10000).then(() => null)]);
      assert.ok(exit, `the server did not exit within 10 s of the last request finishing\n${server.logs().slice(-2000)}`);
      assert.deepEqual(exit, { code: 0, signal: null }, server.logs().slice(-2000));
      assert.ok(Date.now() - answeredAt < 3000, 'the server exits promptly once nothing is in flight, not after the grace period');
    } finally {
      await server.stop();
    }
  });

  test('SIGTERM with an idle server: exits at once with code 0', async () => {
    const server = await start();
    try {
      assert.equal((await getJson(`${server.url}/healthz`)).status, 200); // leaves an idle keep-alive connection
      const since = Date.now();
      server.proc.kill('SIGTERM');
      const exit = await Promise.race([server.exited, sleep(10000).then(() => null)]);
      assert.deepEqual(exit, { code: 0, signal: null }, server.logs().slice(-2000));
      assert.ok(Date.now() - since < 3000, `exit took ${Date.now() - since} ms`);
    } finally {
      await server.stop();
    }
  });

  test('a request longer than server.shutdown_grace_seconds=1 does not hold up the exit', async () => {
    const server = await start({ 'server.shutdown_grace_seconds': '1' });
    try {
      const inflight = getJson(`${server.url}/api/v1/test/sleep?ms=8000`).catch((e) => e);
      await sleep(300);
      const since = Date.now();
      server.proc.kill('SIGTERM');
      const exit = await Promise.race([server.exited, sleep(10000).then(() => null)]);
      const took = Date.now() - since;
      assert.ok(exit, 'the server did not exit within 10 s of SIGTERM');
      assert.ok(took <= 4000,
        `with a 1 s grace period the server exited ${(took / 1000).toFixed(1)} s after SIGTERM (expected ≤ 4 s); ` +
        'a handler still running kept the process alive');
      await inflight;
    } finally {
      await server.stop();
    }
  });
});

// ---------------------------------------------------------------------------

describe('access log (log.access=file)', () => {
  let server;
  let logFile;
  const sent = [];
  const token = randomBytes(6).toString('hex');

  before(async () => {
    server = await start({ 'log.access': 'file' });
    logFile = path.join(server.dataDir, 'logs', 'access.log');
    const requests = [
      ['GET', '/healthz', undefined, 200, '/healthz'],
      ['GET', '/api/v1/public/info?id_number=110101199003071234', undefined, 200, '/api/v1/public/info'],
      ['POST', '/api/v1/test/echo', { text: 'a' }, 200, '/api/v1/test/echo'],
      ['POST', '/api/v1/test/echo', { text: 'a', role: 'admin' }, 400, '/api/v1/test/echo'],
      ['GET', `/api/v1/nope-${token}`, undefined, 404, null],
    ];
    for (const [method, target, body, status, route] of requests) {
      const init = { method };
      if (body) { init.body = JSON.stringify(body); init.headers = { 'content-type': 'application/json' }; }
      const r = await getJson(new URL(target, server.url), init);
      assert.equal(r.status, status, `${method} ${target}: ${r.text}`);
      sent.push({ method, path: target.split('?')[0], status, route, rid: r.rid });
    }
  });
  after(async () => {
    await server?.stop();
  });

  const readLines = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : []);

  test('lines are written while the server runs (within 3 s), not only at exit', async () => {
    const lines = await pollUntil(() => {
      const l = readLines();
      return sent.every((s) => l.some((line) => line.includes(s.rid))) ? l : null;
    }, { timeoutMs: 3000 });
    assert.ok(lines, `after 3 s access.log holds ${readLines().length} line(s) for ${sent.length} requests made: ${JSON.stringify(readLines())}`);
  });

  test('one JSON line per request with method, path (no query), status, route, ms, rid', async () => {
    await server.stop({ keepDataDir: true });
    try {
      const lines = readLines();
      assert.equal(lines.length, sent.length, `access.log lines: ${JSON.stringify(lines)}`);
      const entries = lines.map((l) => {
        try { return JSON.parse(l); } catch { assert.fail(`not a JSON line: ${l}`); }
      });
      for (const s of sent) {
        const mine = entries.filter((e) => e.rid === s.rid);
        assert.equal(mine.length, 1, `one line for request ${s.rid} (${s.method} ${s.path}): ${JSON.stringify(entries)}`);
        const e = mine[0];
        assert.equal(e.method, s.method);
        assert.equal(e.path, s.path, 'path without the query string');
        assert.equal(e.status, s.status);
        assert.equal(typeof e.route, 'string');
        if (s.route) assert.equal(e.route, s.route, 'route: the matched pattern');
        assert.equal(typeof e.ms, 'number');
        assert.ok(e.ms >= 0 && e.ms < 10000, `ms = ${e.ms}`);
      }
      assert.ok(!readFileSync(logFile, 'utf8').includes('110101199003071234'), 'the query string (personal data) is not logged');
    } finally {
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------

for (const db of DATABASES) {
  describe(`refusals go to the audit trail on ${db}`, dbDescribeOptions(db), () => {
    if (pgMissingInCi(db)) {
      test('PostgreSQL is available', () => assert.fail(PG_MISSING_MESSAGE));
      return;
    }
    let server;
    before(async () => { server = await start({ 'http.json_body_limit': '1024' }, db); });
    after(async () => { await server?.stop(); });

    test('413, 404 and unknown-field 400 are recorded as http.refused; a 200 is not', async () => {
      const token = randomBytes(8).toString('hex');
      const echo = `${server.url}/api/v1/test/echo`;
      const json = { 'content-type': 'application/json' };
      const requests = [
        { what: 'a JSON body over the limit', method: 'POST', path: '/api/v1/test/echo', status: 413, code: 'http.body_too_large',
          send: () => getJson(echo, { method: 'POST', headers: json, body: 'x'.repeat(4096) }) },
        { what: 'an unknown API path', method: 'GET', path: `/api/v1/audit-test-${token}`, status: 404, code: 'http.not_found',
          send: () => getJson(`${server.url}/api/v1/audit-test-${token}`) },
        { what: 'an unknown JSON field', method: 'POST', path: '/api/v1/test/echo', status: 400, code: 'json.unknown_field',
          send: () => getJson(echo, { method: 'POST', headers: json, body: JSON.stringify({ text: 'a', department_id: 7 }) }) },
      ];
      const problems = [];
      for (const r of requests) {
        const res = await r.send();
        r.rid = res.rid;
        r.answer = { status: res.status, code: res.json?.error?.code };
        if (res.status !== r.status || r.answer.code !== r.code) {
          problems.push(`${r.what}: ${r.method} ${r.path} answered ${res.status} ${res.text.slice(0, 300)}; expected ${r.status} ${r.code}`);
        }
      }
      const ok = await getJson(echo, { method: 'POST', headers: json, body: JSON.stringify({ text: 'a' }) });
      assert.equal(ok.status, 200, ok.text);

      // The audit writer batches about every 50 ms.
      const rids = [...requests.map((r) => r.rid), ok.rid];
      let rows = [];
      await pollUntil(async () => {
        rows = await auditRowsByRequestId(server, db, rids);
        return rows.length >= requests.length;
      }, { timeoutMs: 3000, intervalMs: 100 });
      for (const r of requests) {
        const mine = rows.filter((row) => row.request_id === r.rid);
        if (mine.length !== 1) {
          problems.push(`${r.what} (answered ${r.answer.status} ${r.answer.code}, request ${r.rid}): ${mine.length} audit rows, expected 1`);
          continue;
        }
        const row = mine[0];
        const got = { event: row.event, method: row.method, path: row.path, status: Number(row.status), code: row.code, actor: row.actor };
        // The row records what the client was told.
        const want = { event: 'http.refused', method: r.method, path: r.path, status: r.answer.status, code: r.answer.code, actor: 'anonymous' };
        try {
          assert.deepEqual(got, want);
        } catch {
          problems.push(`${r.what}: audit row ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
        }
      }
      if (rows.some((row) => row.request_id === ok.rid)) problems.push('the accepted request (200) has an audit row');
      assert.deepEqual(problems, [], `audit rows found: ${JSON.stringify(rows)}`);
    });
  });
}
