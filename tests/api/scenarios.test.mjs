// Data-driven HTTP scenarios: every tests/api/scenarios/*.json runs against the
// real server, once on SQLite and once on PostgreSQL. Scenarios with the same
// config share one server start per database. The format is described in
// tests/api/README.md.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { repoRoot, startServer } from '../support/server.mjs';
import {
  DATABASES, PG_MISSING_MESSAGE, dbDescribeOptions, matchJson, pgMissingInCi, setArgs,
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
  scenario: ['name', 'description', 'config', 'requires', 'steps'],
  step: ['name', 'request', 'expect'],
  request: ['method', 'path', 'headers', 'json', 'body', 'body_bytes', 'chunked', 'content_type'],
  expect: ['status', 'json', 'headers', 'absent_headers', 'body', 'body_not_contains'],
};

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
  s.steps.forEach((step, i) => {
    const where = `${file} step ${i + 1}`;
    checkKeys(step, KEYS.step, where);
    checkKeys(step.request, KEYS.request, `${where} request`);
    checkKeys(step.expect, KEYS.expect, `${where} expect`);
    if (typeof step.request.path !== 'string' || !step.request.path.startsWith('/')) {
      throw new Error(`${where}: request.path must start with /`);
    }
    const bodies = ['json', 'body', 'body_bytes'].filter((k) => k in step.request);
    if (bodies.length > 1) throw new Error(`${where}: request has more than one of ${bodies.join(', ')}`);
    if (!Number.isInteger(step.expect.status)) throw new Error(`${where}: expect.status is required`);
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
    return { ...s, file: f, config: { 'testing.routes': 'true', ...(s.config ?? {}) } };
  });
}

function groupByConfig(scenarios) {
  const groups = new Map();
  for (const s of scenarios) {
    const key = JSON.stringify(Object.entries(s.config).sort(([a], [b]) => a.localeCompare(b)));
    if (!groups.has(key)) groups.set(key, { config: s.config, scenarios: [] });
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

// Runs one step; returns a description of what did not match, or null.
async function runStep(server, scenario, step, index) {
  const req = step.request;
  const exp = step.expect;
  let res;
  let text;
  try {
    res = await fetch(new URL(req.path, server.url), buildRequest(req));
    text = await res.text();
  } catch (e) {
    return `${scenario.file} step ${index + 1} "${step.name}": ${describeRequest(req)} failed: ${e.message}` +
      `${e.cause ? ` (${e.cause.code ?? e.cause.message})` : ''}\n--- server log (tail) ---\n${server.logs().slice(-3000)}`;
  }
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
    return ([
      `${scenario.file} step ${index + 1} "${step.name}"`,
      `request:  ${describeRequest(req)}`,
      `expected: ${JSON.stringify(exp)}`,
      `actual:   status ${res.status}, headers ${JSON.stringify(headers)}`,
      `          body ${clip(text, 1500)}`,
      'mismatches:',
      ...problems.map((p) => `  - ${p}`),
    ].join('\n'));
  }
  return null;
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
        before(async () => { server = await startServer({ db, args: setArgs(group.config) }); });
        after(async () => { await server?.stop(); });

        for (const s of group.scenarios) {
          const unmet = (s.requires ?? []).filter((r) => !REQUIREMENTS[r].met());
          const options = unmet.length ? { skip: unmet.map((r) => REQUIREMENTS[r].message).join('; ') } : {};
          test(`${s.name} (${s.file})`, options, async () => {
            // Later steps run even when one fails, so that one run reports every mismatch.
            const failures = [];
            for (const [i, step] of s.steps.entries()) {
              const failure = await runStep(server, s, step, i);
              if (failure) failures.push(failure);
            }
            if (failures.length) assert.fail(`${failures.length} of ${s.steps.length} step(s) failed\n\n${failures.join('\n\n')}`);
          });
        }
      });
    }
  });
}
