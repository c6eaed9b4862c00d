// Data-driven HTTP scenarios: every tests/api/scenarios/*.json runs against the
// real server, once on SQLite and once on PostgreSQL. Scenarios with the same
// config share one server start per database. The format is described in
// tests/api/README.md.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { idNumber } from '../support/id-number.mjs';
import { binaryPath, repoRoot, startServer } from '../support/server.mjs';
import {
  DATABASES, PG_MISSING_MESSAGE, dbDescribeOptions, matchJson, pgMissingInCi, setArgs, sleep,
} from './helpers.mjs';

const scenarioDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scenarios');

// Checked on every response of every step (QUALITY.md: CSP and nosniff on
// every answer, whatever its status).
const EVERY_RESPONSE_HEADERS = {
  'content-security-policy': "$regex:(^|;)\\s*frame-ancestors 'none'\\s*(;|$)",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-request-id': '$regex:^[0-9A-Za-z-]{8,}$',
};

// What a scenario may require of the checkout; unmet, the scenario is skipped
// with the message.
const REQUIREMENTS = {
  'web-dist': {
    met: () => existsSync(path.join(repoRoot, 'web/dist/index.html')),
    message: 'web/dist/index.html is missing: the web app is not built (run `npm run build`)',
  },
};

const KEYS = {
  scenario: ['name', 'description', 'config', 'requires', 'seed', 'users', 'steps'],
  step: ['name', 'request', 'expect', 'login', 'as', 'save', 'sleep_ms'],
  request: ['method', 'path', 'headers', 'json', 'body', 'body_bytes', 'chunked', 'content_type', 'csrf'],
  expect: ['status', 'json', 'headers', 'absent_headers', 'body', 'body_not_contains'],
  user: ['username', 'password', 'roles', 'department_code', 'jurisdiction_code', 'display_name'],
  login: ['username', 'password'],
};
const SEEDS = ['demo'];
// Always added: cheap password hashing (the test suite only).
const ALWAYS_CONFIG = { 'testing.routes': 'true', 'testing.fast_hashing': 'true' };
const execFileP = promisify(execFile);

function checkKeys(obj, allowed, where) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`${where}: expected an object`);
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new Error(`${where}: unknown key "${k}" (allowed: ${allowed.join(', ')})`);
  }
}

// A typo in a scenario must not turn a check into one that cannot fail.
function validate(s, file) {
  checkKeys(s, KEYS.scenario, file);
  if (typeof s.name !== 'string' || !s.name) throw new Error(`${file}: "name" is required`);
  for (const [k, v] of Object.entries(s.config ?? {})) {
    if (typeof v !== 'string') throw new Error(`${file}: config "${k}" must be a string (it becomes --set ${k}=VALUE)`);
  }
  for (const r of s.requires ?? []) if (!REQUIREMENTS[r]) throw new Error(`${file}: unknown requirement "${r}"`);
  if (!Array.isArray(s.steps) || s.steps.length === 0) throw new Error(`${file}: "steps" must be a non-empty array`);
  if (s.seed !== undefined && !SEEDS.includes(s.seed)) throw new Error(`${file}: unknown seed "${s.seed}"`);
  if (s.users !== undefined && !Array.isArray(s.users)) throw new Error(`${file}: "users" must be an array`);
  (s.users ?? []).forEach((u, i) => {
    checkKeys(u, KEYS.user, `${file} users[${i}]`);
    if (typeof u.username !== 'string' || typeof u.password !== 'string') {
      throw new Error(`${file} users[${i}]: "username" and "password" are required`);
    }
  });
  s.steps.forEach((step, i) => {
    const where = `${file} step ${i + 1}`;
    checkKeys(step, KEYS.step, where);
    const kinds = ['request', 'login', 'sleep_ms'].filter((k) => k in step);
    if (kinds.length !== 1) throw new Error(`${where}: a step has exactly one of request, login, sleep_ms`);
    if ('as' in step && step.as !== null && typeof step.as !== 'string') throw new Error(`${where}: "as" is a name or null`);
    if ('sleep_ms' in step) {
      if (!Number.isInteger(step.sleep_ms) || step.sleep_ms < 0) throw new Error(`${where}: sleep_ms must be an integer`);
      return;
    }
    if ('login' in step) {
      checkKeys(step.login, KEYS.login, `${where} login`);
      if ('expect' in step) checkKeys(step.expect, KEYS.expect, `${where} expect`);
      return;
    }
    checkKeys(step.request, KEYS.request, `${where} request`);
    checkKeys(step.expect, KEYS.expect, `${where} expect`);
    if (typeof step.request.path !== 'string' || !step.request.path.startsWith('/')) {
      throw new Error(`${where}: request.path must start with /`);
    }
    const bodies = ['json', 'body', 'body_bytes'].filter((k) => k in step.request);
    if (bodies.length > 1) throw new Error(`${where}: request has more than one of ${bodies.join(', ')}`);
    if (!Number.isInteger(step.expect.status)) throw new Error(`${where}: expect.status is required`);
    if (step.save !== undefined) {
      checkKeys(step.save, Object.keys(step.save), `${where} save`);
      for (const v of Object.values(step.save)) if (typeof v !== 'string') throw new Error(`${where}: save paths are strings`);
    }
  });
}

function loadScenarios() {
  const files = readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no scenario files in ${scenarioDir}`);
  return files.map((f) => {
    let s;
    try {
      s = JSON.parse(readFileSync(path.join(scenarioDir, f), 'utf8'));
    } catch (e) {
      throw new Error(`${f}: ${e.message}`);
    }
    validate(s, f);
    return { ...s, file: f, config: { ...ALWAYS_CONFIG, ...(s.config ?? {}) } };
  });
}

function groupByConfig(scenarios) {
  const groups = new Map();
  for (const s of scenarios) {
    const key = JSON.stringify([s.seed ?? null, Object.entries(s.config).sort(([a], [b]) => a.localeCompare(b))]);
    if (!groups.has(key)) groups.set(key, { config: s.config, seed: s.seed, scenarios: [] });
    groups.get(key).scenarios.push(s);
  }
  return [...groups.values()];
}

function buildRequest(req) {
  const headers = { ...(req.headers ?? {}) };
  let body;
  if ('json' in req) {
    body = JSON.stringify(req.json);
    headers['content-type'] ??= 'application/json';
  } else if ('body' in req) {
    body = req.body;
  } else if ('body_bytes' in req) {
    body = 'x'.repeat(req.body_bytes);
  }
  if (req.content_type) headers['content-type'] = req.content_type;
  const init = { method: req.method ?? 'GET', headers, redirect: 'manual', signal: AbortSignal.timeout(15000) };
  if (body !== undefined) {
    if (req.chunked) {
      // A stream body is sent with Transfer-Encoding: chunked, no Content-Length.
      const bytes = Buffer.from(body);
      init.body = new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 1024) controller.enqueue(bytes.subarray(i, i + 1024));
          controller.close();
        },
      });
      init.duplex = 'half';
    } else {
      init.body = body;
    }
  }
  return init;
}

const clip = (text, n = 300) => (text.length > n ? `${text.slice(0, n)}… (${text.length} chars)` : text);

function describeRequest(req) {
  const r = { method: req.method ?? 'GET', path: req.path };
  for (const k of ['headers', 'content_type', 'chunked']) if (k in req) r[k] = req[k];
  let text = JSON.stringify(r);
  if ('json' in req) text += ` json ${clip(JSON.stringify(req.json))}`;
  if ('body' in req) text += ` body ${JSON.stringify(clip(req.body))}`;
  if ('body_bytes' in req) text += ` body ${req.body_bytes} bytes of "x"`;
  return text;
}

// An exact string, or "$regex:…".
function matchText(expected, actual) {
  if (actual === null) return false;
  if (expected.startsWith('$regex:')) return new RegExp(expected.slice('$regex:'.length), 'u').test(actual);
  return expected === actual;
}

// ---------------------------------------------------------------------------
// Logged-in scenarios: variables, sessions, accounts

/** Replaces {{var}} in every string of v; a string that is exactly "{{var}}" takes the value's type. */
function substitute(v, vars, where) {
  if (typeof v === 'string') {
    const whole = /^\{\{([A-Za-z0-9_]+)\}\}$/.exec(v);
    if (whole) {
      if (!(whole[1] in vars)) throw new Error(`${where}: unknown variable {{${whole[1]}}}`);
      return vars[whole[1]];
    }
    return v.replace(/\{\{([A-Za-z0-9_]+)\}\}/g, (_, name) => {
      if (!(name in vars)) throw new Error(`${where}: unknown variable {{${name}}}`);
      return String(vars[name]);
    });
  }
  if (Array.isArray(v)) return v.map((e) => substitute(e, vars, where));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, substitute(e, vars, where)]));
  }
  return v;
}

function dig(value, dotted) {
  let cur = value;
  for (const part of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(part in cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Creates the scenario's accounts with `xzzf user create … --password-stdin`. */
async function createUsers(server, users) {
  for (const u of users) {
    const args = ['user', 'create', '--db', server.dbUrl, '--username', u.username, '--password-stdin',
      '--set', 'testing.fast_hashing=true', '--set', 'log.level=warn'];
    for (const r of u.roles ?? []) args.push('--role', r);
    if (u.department_code) args.push('--department-code', u.department_code);
    if (u.jurisdiction_code) args.push('--jurisdiction-code', u.jurisdiction_code);
    if (u.display_name) args.push('--display-name', u.display_name);
    const child = execFileP(binaryPath(), args, { timeout: 30000 });
    child.child.stdin.end(`${u.password}\n`);
    try {
      await child;
    } catch (e) {
      throw new Error(`xzzf user create ${u.username} failed: ${e.stderr || e.message}`);
    }
  }
}

async function seedDemo(server) {
  try {
    await execFileP(binaryPath(), ['demo', '--db', server.dbUrl, '--laws', path.join(repoRoot, 'laws'),
      ...server.keyArgs,
      '--set', 'testing.fast_hashing=true',
      '--set', 'log.level=warn'], { timeout: 120000 });
  } catch (e) {
    throw new Error(`xzzf demo failed: ${e.stderr || e.message}`);
  }
}

/** The per-run state of one scenario: variables and logged-in sessions. */
function newRunState() {
  const vars = { run: `r${randomBytes(4).toString('hex')}` };
  // {{id_number_1}} … {{id_number_3}}, and each one's masked form {{id_masked_N}}.
  for (let i = 1; i <= 3; i += 1) {
    let id = idNumber();
    while (Object.values(vars).includes(id)) id = idNumber();
    vars[`id_number_${i}`] = id;
    vars[`id_masked_${i}`] = `${id.slice(0, 6)}********${id.slice(14)}`;
  }
  // One with a wrong check character.
  const first = vars.id_number_1;
  vars.id_number_bad = first.slice(0, 17) + (first[17] === '0' ? '1' : '0');
  return { vars, sessions: new Map(), current: null };
}

function sessionCookie(res) {
  const all = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [res.headers.get('set-cookie')];
  for (const c of all) {
    const m = c && /^xzzf_session=([^;]*)/.exec(c);
    if (m) return { value: m[1], cleared: /max-age=0/i.test(c) || m[1] === '' };
  }
  return null;
}

// Adds the session's cookie and CSRF header to a request.
function withSession(req, session) {
  if (!session) return req;
  const headers = { ...(req.headers ?? {}) };
  if (session.cookie) headers.cookie = `xzzf_session=${session.cookie}`;
  const mutating = ['POST', 'PUT', 'PATCH', 'DELETE'].includes((req.method ?? 'GET').toUpperCase());
  const hasOwn = Object.keys(headers).some((h) => h.toLowerCase() === 'x-csrf-token');
  if (mutating && req.csrf !== false && !hasOwn && session.csrf) headers['x-csrf-token'] = session.csrf;
  return { ...req, headers };
}

// Runs one step of any kind; returns a description of what did not match, or null.
async function runAnyStep(server, scenario, rawStep, index, state) {
  const where = `${scenario.file} step ${index + 1} "${rawStep.name}"`;
  if ('sleep_ms' in rawStep) {
    await sleep(rawStep.sleep_ms);
    return null;
  }
  let step;
  try {
    step = substitute(rawStep, state.vars, where);
  } catch (e) {
    return e.message;
  }
  if ('as' in step) state.current = step.as;
  if ('login' in step) {
    const name = step.as ?? 'default';
    const loginStep = {
      name: step.name,
      request: { method: 'POST', path: '/api/v1/session', json: step.login },
      expect: step.expect ?? { status: 200 },
    };
    const outcome = await runStep(server, scenario, loginStep, index);
    if (outcome.res?.status === 200) {
      const cookie = sessionCookie(outcome.res);
      state.sessions.set(name, { cookie: cookie?.value, csrf: outcome.json?.csrf_token });
      state.current = name;
    }
    return outcome.failure;
  }
  const session = state.current === null ? null : state.sessions.get(state.current);
  if (state.current !== null && !session) return `${where}: no session named "${state.current}" (log in first)`;
  const sent = { ...step, request: withSession(step.request, session) };
  const outcome = await runStep(server, scenario, sent, index);
  if (session && outcome.res) {
    const cookie = sessionCookie(outcome.res);
    if (cookie && !cookie.cleared) session.cookie = cookie.value;
  }
  const problems = [];
  for (const [name, p] of Object.entries(step.save ?? {})) {
    let v;
    if (p.startsWith('$header:')) v = outcome.res?.headers.get(p.slice('$header:'.length)) ?? undefined;
    else v = dig(outcome.json, p);
    if (v === undefined) problems.push(`${where}: save "${name}": nothing at ${p} in ${clip(JSON.stringify(outcome.json ?? null))}`);
    else state.vars[name] = v;
  }
  if (outcome.failure) problems.unshift(outcome.failure);
  return problems.length ? problems.join('\n') : null;
}

// Runs one request step; returns { failure (a description of what did not match, or null), res, json }.
async function runStep(server, scenario, step, index) {
  const req = step.request;
  const exp = step.expect;
  let res;
  let text;
  try {
    const { csrf: _csrf, ...plain } = req;
    res = await fetch(new URL(req.path, server.url), buildRequest(plain));
    text = await res.text();
  } catch (e) {
    return {
      failure: `${scenario.file} step ${index + 1} "${step.name}": ${describeRequest(req)} failed: ${e.message}` +
        `${e.cause ? ` (${e.cause.code ?? e.cause.message})` : ''}\n--- server log (tail) ---\n${server.logs().slice(-3000)}`,
    };
  }
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  const problems = [];
  if (res.status !== exp.status) problems.push(`status: expected ${exp.status}, got ${res.status}`);
  const headersExpected = { ...EVERY_RESPONSE_HEADERS, ...(exp.headers ?? {}) };
  for (const [name, value] of Object.entries(headersExpected)) {
    if (name !== name.toLowerCase()) throw new Error(`${scenario.file}: header names in expectations are lower case: "${name}"`);
    const actual = res.headers.get(name);
    if (!matchText(value, actual)) {
      problems.push(`header ${name}: expected ${JSON.stringify(value)}, got ${actual === null ? 'no such header' : JSON.stringify(actual)}`);
    }
  }
  for (const name of exp.absent_headers ?? []) {
    if (res.headers.has(name)) problems.push(`header ${name}: expected absent, got ${JSON.stringify(res.headers.get(name))}`);
  }
  if ('json' in exp) {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      problems.push(`body: expected JSON, got ${JSON.stringify(text.slice(0, 500))}`);
    }
    if (parsed !== undefined) problems.push(...matchJson(exp.json, parsed, 'body'));
  }
  if ('body' in exp && !matchText(exp.body, text)) {
    problems.push(`body: expected ${JSON.stringify(exp.body)}, got ${JSON.stringify(text.slice(0, 500))}${text.length > 500 ? '…' : ''}`);
  }
  for (const bad of exp.body_not_contains ?? []) {
    if (text.includes(bad)) problems.push(`body: must not contain ${JSON.stringify(bad)}, got ${JSON.stringify(text.slice(0, 500))}`);
  }
  if (problems.length > 0) {
    const headers = Object.fromEntries(res.headers.entries());
    return { res, json, failure: ([
      `${scenario.file} step ${index + 1} "${step.name}"`,
      `request:  ${describeRequest(req)}`,
      `expected: ${JSON.stringify(exp)}`,
      `actual:   status ${res.status}, headers ${JSON.stringify(headers)}`,
      `          body ${clip(text, 1500)}`,
      'mismatches:',
      ...problems.map((p) => `  - ${p}`),
    ].join('\n')) };
  }
  return { res, json, failure: null };
}

const scenarios = loadScenarios();
const groups = groupByConfig(scenarios);

for (const db of DATABASES) {
  describe(`scenarios on ${db}`, dbDescribeOptions(db), () => {
    if (pgMissingInCi(db)) {
      test('PostgreSQL is available', () => assert.fail(PG_MISSING_MESSAGE));
      return;
    }
    for (const group of groups) {
      const label = Object.entries(group.config).map(([k, v]) => `${k}=${v}`).join(' ');
      describe(`server with ${label}`, () => {
        let server;
        before(async () => {
          server = await startServer({ db, args: setArgs(group.config) });
          if (group.seed === 'demo') await seedDemo(server);
        });
        after(async () => { await server?.stop(); });

        for (const s of group.scenarios) {
          const unmet = (s.requires ?? []).filter((r) => !REQUIREMENTS[r].met());
          const options = unmet.length ? { skip: unmet.map((r) => REQUIREMENTS[r].message).join('; ') } : {};
          test(`${s.name} (${s.file})`, options, async () => {
            // Later steps run even when one fails, so that one run reports every mismatch.
            const failures = [];
            const state = newRunState();
            if (s.users?.length) await createUsers(server, substitute(s.users, state.vars, `${s.file} users`));
            for (const [i, step] of s.steps.entries()) {
              const failure = await runAnyStep(server, s, step, i, state);
              if (failure) failures.push(failure);
            }
            if (failures.length) assert.fail(`${failures.length} of ${s.steps.length} step(s) failed\n\n${failures.join('\n\n')}`);
          });
        }
      });
    }
  });
}
