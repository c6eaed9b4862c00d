// Shared pieces of the browser tests: the browser (Debian's chromium through
// playwright-core), the server (tests/support/server.mjs), a page per test
// that records console errors, and a screenshot when a test fails.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { binaryPath, keyArgs, repoRoot, startServer } from '../support/server.mjs';

export const artifactsDir = path.join(repoRoot, 'tests/e2e/artifacts');
export const CHROMIUM = process.env.XZZF_CHROMIUM || '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Starts the real server on the built UI; fails early when the UI is not built. */
export async function startServerWithUi(options) {
  const index = path.join(repoRoot, 'web/dist/index.html');
  if (!existsSync(index)) throw new Error('web/dist/index.html is missing: run `npm run build` first');
  return startServer(options);
}

/**
 * The server and a browser for one test file: call in before(), stop in after().
 * With `seed: true` the demo data and accounts are loaded first (see
 * startSeededEnvironment below for what env then carries).
 */
export async function startEnvironment({ seed = false, ...options } = {}) {
  if (seed) return startSeededEnvironment(options);
  const server = await startServerWithUi(options);
  let browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    server,
    browser,
    async stop() {
      await browser.close().catch(() => {});
      const result = await server.stop();
      return result;
    },
  };
}

function fileName(name) {
  return name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'test';
}

/**
 * Runs body(page, diag) in a fresh browser context. diag.problems collects
 * console errors and warnings, uncaught page errors and CSP violations.
 * When body throws, a full-page screenshot goes to tests/e2e/artifacts/<test name>.png
 * (and the server's log is printed) before the error is passed on.
 */
export async function withPage(t, env, body, { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await env.browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.exposeFunction('__xzzfCspViolation', (text) => problems.push(`csp: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__xzzfCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  try {
    await body(page, { problems, context });
  } catch (error) {
    mkdirSync(artifactsDir, { recursive: true });
    const file = path.join(artifactsDir, `${fileName(t.fullName || t.name)}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    t.diagnostic(`screenshot: ${path.relative(repoRoot, file)}`);
    if (problems.length) t.diagnostic(`browser problems:\n${problems.join('\n')}`);
    t.diagnostic(`server log (tail):\n${env.server.logs().slice(-4000)}`);
    throw error;
  } finally {
    await context.close().catch(() => {});
  }
}

/** GET /api/v1/public/info straight from the server, as the test's reference. */
export async function fetchInfo(server) {
  const res = await fetch(new URL('/api/v1/public/info', server.url));
  if (res.status !== 200) throw new Error(`/api/v1/public/info answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** The text of an element, whitespace collapsed. */
export async function textOf(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

// ---- demo data and logging in ---------------------------------------------

/**
 * Runs `xzzf demo --db URL` (with the server's personal data key) on the test's database before the server starts
 * (the `beforeStart` hook of tests/support/server.mjs) and keeps its output.
 * Resolves to { output } once the command exited 0.
 */
export function runDemo(dbUrl, dataDir) {
  return new Promise((resolve, reject) => {
    const proc = spawn(binaryPath(), ['demo', '--db', dbUrl, '--laws', path.join(repoRoot, 'laws'), ...keyArgs(dbUrl, dataDir)],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (c) => { output += c.toString(); });
    proc.stderr.on('data', (c) => { output += c.toString(); });
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 ? resolve({ output }) : reject(new Error(`xzzf demo exited with ${code}:\n${output}`))));
  });
}

/**
 * The demo password of an account, read from the demo command's output: the
 * line "演示密码：<password>（…）" that gives the one password of all demo
 * accounts. Fails when the output does not list the account at all.
 */
export function demoPassword(output, username) {
  const listed = output.split('\n').some((l) => l.trim().split(/\s+/)[0] === username);
  if (!listed) throw new Error(`the demo output lists no account ${username}:\n${output}`);
  const shared = /密码[：:]\s*([\x21-\x7e]{8,})/.exec(output);
  if (!shared) throw new Error(`no password in the demo output:\n${output}`);
  return shared[1];
}

/**
 * startEnvironment({ seed: true }): the demo loaded before the server starts.
 * env.demo.output holds what the demo command printed, env.credentials the current password of each account the
 * tests used (loginAs changes it at the first login and records the new one).
 */
async function startSeededEnvironment(options = {}) {
  let demo = null;
  const env = await startEnvironment({
    ...options,
    beforeStart: async (dbUrl, dataDir) => {
      demo = await runDemo(dbUrl, dataDir);
      await options.beforeStart?.(dbUrl, dataDir);
    },
  });
  env.demo = demo;
  env.credentials = new Map();
  env.password = (username) => env.credentials.get(username) || demoPassword(demo.output, username);
  return env;
}

let passwordCounter = 0;
/** A new password that meets the policy (≥ 12 characters, 4 classes). */
export function newPassword() {
  passwordCounter += 1;
  return `Neu-Kennwort-${Date.now() % 100000}-${passwordCounter}a`;
}

/** Fills the console's login form and submits it (the page must show it). */
export async function submitLogin(page, username, password) {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Fills the password page's form and submits it. */
export async function submitPasswordChange(page, current, next) {
  await page.getByTestId('password-current').fill(current);
  await page.getByTestId('password-new').fill(next);
  await page.getByTestId('password-repeat').fill(next);
  await page.getByTestId('password-submit').click();
}

/**
 * Logs `username` in through the console's login page and, when the server
 * asks for it (first login), changes the password; ends on the console home
 * (or the page `path` when given) with the menu shown.
 */
export async function loginAs(page, env, username, { path: target = '/console' } = {}) {
  await page.goto(`${env.server.url}${target}`);
  await page.getByTestId('login-username').waitFor();
  await submitLogin(page, username, env.password(username));
  await page.waitForURL((url) => !url.pathname.startsWith('/console/login'));
  if (new URL(page.url()).pathname === '/console/password') {
    const next = newPassword();
    await submitPasswordChange(page, env.password(username), next);
    await page.waitForURL((url) => url.pathname !== '/console/password');
    env.credentials.set(username, next);
  }
  await page.getByTestId('console-menu').waitFor();
}

/** The texts of the console menu's entries, in order. */
export async function menuEntries(page) {
  const items = await page.getByTestId('console-menu').getByRole('menuitem').allInnerTexts();
  return items.map((s) => s.trim());
}
