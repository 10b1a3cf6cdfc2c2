import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { engines } from './engines.ts';
import { startApi, type TestApi } from './api.ts';
import { launchBrowser, newPage, signIn, skipBrowser } from './browser.ts';

/** What a console test reaches: the app on one engine, listening, and the browser to drive it. */
export interface ConsoleContext {
  readonly api: TestApi;
  readonly base: string;
  readonly browser: BrowserContext;
  /** A new tab signed in with `key` (the admin key by default) on `path`; its script errors and CSP violations are collected. */
  open(key?: string, path?: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** A new tab, not signed in. */
  tab(viewport?: { width: number; height: number }): Promise<Page>;
  /** Fails on any script error or CSP violation seen so far in this engine's tabs. */
  noProblems(): void;
}

/**
 * One headless Chromium for the file, and for each engine an app listening on a free port: the
 * tests `define` registers run once per engine (skipped, saying why, without Chromium).
 */
export function consoleSuite(title: string, define: (ctx: ConsoleContext) => void): void {
  describe(title, { skip: skipBrowser }, () => {
    let browser: BrowserContext;
    let closeBrowser: () => Promise<void>;
    before(async () => {
      ({ browser, close: closeBrowser } = await launchBrowser());
    });
    after(() => closeBrowser());

    for (const engine of engines) {
      describe(`on ${engine.name}`, () => {
        let api: TestApi;
        let base: string;
        const opened: { page: Page; problems: string[] }[] = [];
        before(async () => {
          api = await startApi(engine);
          await api.app.listen({ port: 0, host: '127.0.0.1' });
          base = `http://127.0.0.1:${(api.app.server.address() as { port: number }).port}`;
        });
        after(async () => {
          for (const { page } of opened) await page.close().catch(() => {});
          await api.close();
        });
        const tab = async (viewport?: { width: number; height: number }) => {
          const made = await newPage(browser, viewport);
          opened.push(made);
          return made.page;
        };
        define({
          get api() { return api; },
          get base() { return base; },
          get browser() { return browser; },
          tab,
          async open(key = api.keys.admin, path = '/ui/contacts', viewport) {
            const page = await tab(viewport);
            await signIn(page, base, key, path);
            return page;
          },
          noProblems: () => assert.deepEqual(opened.flatMap((o) => o.problems), []),
        });
      });
    }
  });
}
