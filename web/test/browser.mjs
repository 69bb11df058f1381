// Starts Debian's Chromium headless through playwright-core, with a fresh
// profile that is removed afterwards. Nothing is downloaded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser context on a fresh profile; `close()` also deletes the profile. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'roster-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `steps(page)` on a new page of a fresh browser, then checks that no script
 * error happened on the page, and closes the browser whatever happened.
 */
export async function withPage(steps) {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await steps(page);
    if (problems.length) throw new Error(`script errors on the page: ${problems.join('; ')}`);
  } finally {
    await browser.close();
  }
}
