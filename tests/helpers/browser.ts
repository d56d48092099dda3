import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { adminBuildProblem } from './admin-build';

/**
 * Debian's Chromium against the built admin panel (dist/build, made by the jest global setup or
 * CI's "build admin" phase), the way staff use it: one browser per test file.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(__dirname, '..', '..', '.tmp', 'screenshots');
/** Screenshots the README shows (committed; rewritten by a run with UPDATE_README_SCREENSHOTS=1). */
export const DOC_SCREENSHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
/** Generous: the machine is shared and the first page load parses the whole admin bundle. */
export const UI_TIMEOUT = 60_000;

/** Resolves when the page's running animations (a popover opening) have ended: for a picture of the settled page. */
export async function animationsDone(page: Page): Promise<void> {
  // run in the browser: globalThis is the page's window
  await page.evaluate(() =>
    Promise.all((globalThis as unknown as { document: { getAnimations(): Array<{ finished: Promise<unknown> }> } }).document.getAnimations().map((animation) => animation.finished))
  );
}

export interface Panel {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught errors of the page: a test ends by expecting none. */
  problems: string[];
  /** Signs in through the login form and waits for the home page. */
  signIn(email: string, password: string): Promise<void>;
  /** Closes Strapi's own announcement banner ("Introducing the new Media Library") when it shows. */
  dismissBanner(): Promise<void>;
  /** A full-page screenshot in .tmp/screenshots (and docs/screenshots, without the banner, when `forReadme`). */
  screenshot(name: string, forReadme?: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function openPanel(baseUrl: string): Promise<Panel> {
  // never skip: a run without the built panel or the browser must fail and say why
  const buildProblem = adminBuildProblem();
  if (buildProblem) throw new Error(`${buildProblem}: run NODE_ENV=production npm run build (the jest global setup does it)`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  // The panel calls out (analytics, AI, update checks): keep the test to this Strapi.
  await context.route((url) => url.origin !== baseUrl, (route) => route.abort());
  // A development bundle (left by `strapi develop --no-watch-admin`) opens a guided tour; staff would close it.
  await context.addInitScript({ content: `localStorage.setItem('STRAPI_GUIDED_TOUR', '{"enabled":false}')` });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));

  async function dismissBanner(): Promise<void> {
    const close = page.getByRole('button', { name: /Close the banner/ });
    if (await close.isVisible()) await close.click();
  }

  return {
    browser,
    context,
    page,
    problems,
    async signIn(email, password) {
      await page.goto('/admin', { timeout: UI_TIMEOUT });
      await page.locator('input[name="email"]').fill(email);
      await page.locator('input[name="password"]').fill(password);
      await page.getByRole('button', { name: 'Login' }).click();
      await page.getByText(/^Hello /).waitFor();
    },
    dismissBanner,
    async screenshot(name, forReadme = false) {
      if (forReadme) await dismissBanner();
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      // the committed pictures change only when asked for, so a test run leaves the checkout clean
      if (forReadme && process.env.UPDATE_README_SCREENSHOTS === '1') {
        fs.mkdirSync(DOC_SCREENSHOTS, { recursive: true });
        fs.copyFileSync(file, path.join(DOC_SCREENSHOTS, `${name}.png`));
      }
    },
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
}
