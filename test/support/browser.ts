import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium: CI installs it (.ci/run); elsewhere the browser tests are skipped, saying why. */
export const CHROMIUM = '/usr/bin/chromium';
export const skipBrowser: string | false = existsSync(CHROMIUM) ? false : `browser tests skipped: no Chromium at ${CHROMIUM} (apt install chromium)`;
if (skipBrowser) console.log(`# ${skipBrowser}`);

/** One headless Chromium with a fresh profile (its own temporary user data directory), for one test file. */
export async function launchBrowser(): Promise<{ browser: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'contactd-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    // Not UTC: a time shown or read in the wrong zone shows as an error (the machines run in UTC).
    timezoneId: 'America/New_York',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page that fails the test on any script error or CSP violation (the console must run under its own policy). */
export async function newPage(browser: BrowserContext, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; problems: string[] }> {
  // A new tab: its sessionStorage is its own, so it starts signed out.
  const page = await browser.newPage();
  await page.setViewportSize(viewport);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  return { page, problems };
}

export async function signIn(page: Page, baseUrl: string, key: string, path = '/ui/contacts'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the page as it is now: no serious or critical violation. */
export async function assertAccessible(page: Page, context: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (an inline <script> it would refuse).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${axeSource}\nwindow.axe = axe;`);
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v: any) => v.impact === 'serious' || v.impact === 'critical').map((v: any) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n: any) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
  assert.deepEqual(violations, [], `${context}: accessibility violations`);
}
