// Shared pieces of the browser tests: the browser (Debian's chromium through
// playwright-core), the server (tests/support/server.mjs), a page per test
// that records console errors, and a screenshot when a test fails.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot, startServer } from '../support/server.mjs';

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

/** The server and a browser for one test file: call in before(), stop in after(). */
export async function startEnvironment(options) {
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
