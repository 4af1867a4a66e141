import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putJson } from '../../core/store/index.js';
import { startIngest } from '../../starters/start-run.js';
import { twoCampaigns } from '../helpers/alerts.js';
import {
  startTemporalTestEnv,
  testConfig,
  testDeps,
  withWorker,
  type TemporalTestEnv,
} from '../helpers/temporal.js';
import { launchChromium, skipWithoutChromium, type Chromium } from '../helpers/browser.js';

const screenshotDir = path.resolve(import.meta.dirname, '../.tmp');

let env: TemporalTestEnv;
let chromium: Chromium;
let browser: BrowserContext;

describe.skipIf(skipWithoutChromium('the Web UI test'))(
  'the Temporal Web UI of the embedded server',
  () => {
    beforeAll(async () => {
      env = await startTemporalTestEnv();
      chromium = await launchChromium('web-ui');
      browser = chromium.browser;
    });
    afterAll(async () => {
      await chromium?.close();
      await env?.stop();
    });

    it('finds a finished run by its search attributes, with its flow child listed', async () => {
      const config = testConfig(env);
      const deps = await testDeps(config);
      const inputKey = 'input/web-ui check.json';
      await putJson(deps.store, inputKey, twoCampaigns);
      const started = await startIngest(env.client, deps.store, config, inputKey);
      await withWorker(env, deps, () => started.handle.result());

      const page = await browser.newPage();
      // The operator's path: a search by the run's input key, as typed in the UI's query box.
      const query = encodeURIComponent(`InputKey="${inputKey}"`);
      await page.goto(`${env.server.uiUrl}/namespaces/default/workflows?query=${query}`);
      const row = page.getByRole('link', { name: started.workflowId, exact: true });
      await row.waitFor({ timeout: 60_000 });
      const table = await page.locator('table').innerText();
      expect(table).toContain('COMPLETED');
      expect(table).toContain('ingestWorkflow');
      mkdirSync(screenshotDir, { recursive: true });
      const listShot = path.join(screenshotDir, 'web-ui-search.png');
      await page.screenshot({ path: listShot, fullPage: true });

      // The row links to the run (it opens on the timeline); its children are under Relationships.
      const href = await row.getAttribute('href');
      expect(href).toContain(`/workflows/${encodeURIComponent(started.workflowId)}/`);
      await page.goto(`${env.server.uiUrl}${href}`);
      await page.getByRole('tab', { name: /Relationships/ }).click();
      const child = page.getByRole('link', { name: `${started.workflowId}/flow`, exact: true });
      await child.waitFor({ timeout: 30_000 });
      const childRow = child.locator('xpath=ancestor::*[contains(., "flowWorkflow")][1]');
      expect(await childRow.innerText()).toContain('COMPLETED');
      const childShot = path.join(screenshotDir, 'web-ui-relationships.png');
      await page.screenshot({ path: childShot, fullPage: true });
      console.log(`Web UI screenshots: ${listShot} ${childShot}`);
      await page.close();
    });
  },
);
