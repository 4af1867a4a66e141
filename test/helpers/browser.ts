import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium package; playwright-core never downloads a browser of its own. */
export const chromiumPath = '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);

/**
 * Whether a browser test file must be skipped: only when chromium is missing outside CI, with
 * the reason printed. In CI a missing browser fails the test instead (see `launchChromium`).
 */
export function skipWithoutChromium(what: string): boolean {
  if (haveChromium || process.env.CI) return false;
  console.warn(`skipping ${what}: ${chromiumPath} is missing (apt-get install chromium)`);
  return true;
}

export interface Chromium {
  browser: BrowserContext;
  close(): Promise<void>;
}

/** Headless chromium on a fresh profile: no cookies or cached state from an earlier run. */
export async function launchChromium(name: string): Promise<Chromium> {
  if (!haveChromium) throw new Error(`CI is set and ${chromiumPath} is missing`);
  const profileDir = mkdtempSync(path.join(os.tmpdir(), `${name}-chromium-`));
  const browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    viewport: { width: 1440, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
