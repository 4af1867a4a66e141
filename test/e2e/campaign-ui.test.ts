import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedbackWeightsKey, modelInputKey, runKeys } from '../../core/keys.js';
import type { ClusterModelInput } from '../../core/formats.js';
import { getJson } from '../../core/store/index.js';
import { sendFeedback } from '../../starters/feedback-signal.js';
import { startCampaignUi, type CampaignUi } from '../../ui/server.js';
import { twoCampaigns } from '../helpers/alerts.js';
import { launchChromium, skipWithoutChromium, type Chromium } from '../helpers/browser.js';
import {
  startTemporalTestEnv,
  testConfig,
  testDeps,
  testLogger,
  withWorker,
  type TemporalTestEnv,
} from '../helpers/temporal.js';
import { runToCampaigns } from '../feedback/campaign-run.js';
import { historyText } from '../tickets/history-text.js';
import { sharedData } from '../helpers/shared-data.js';

const screenshot = path.resolve(import.meta.dirname, '../.tmp/campaign-page.png');
const token = 'campaign-ui-browser-token-42d1';
// With the ATT&CK bundle the alerts get techniques and tactics, so the page shows stages.
const attack = sharedData('attack/enterprise-attack.json');

let env: TemporalTestEnv;
let chromium: Chromium;
let browser: BrowserContext;

describe.skipIf(skipWithoutChromium('the campaign UI test'))('the campaign UI in a browser', () => {
  beforeAll(async () => {
    env = await startTemporalTestEnv();
    chromium = await launchChromium('campaign-ui');
    browser = chromium.browser;
  });
  afterAll(async () => {
    await chromium?.close();
    await env?.stop();
  });

  it('logs in, cuts two events into another campaign, and the next run clusters with the new weights', async () => {
    const config = testConfig(env, {
      TACTIC_THRESHOLD: '0',
      UI_TOKEN: token,
      ...(attack.skip ? {} : { ATTACK_BUNDLE: attack.path }),
    });
    const deps = await testDeps(config);
    let ui: CampaignUi | undefined;
    await withWorker(env, deps, async () => {
      const { byCluster } = await runToCampaigns(deps, env.client, 'input/day1.json', twoCampaigns);
      const [c0, c1] = [byCluster.get('c0')!, byCluster.get('c1')!];
      ui = await startCampaignUi({
        config,
        store: deps.store,
        send: (action) => sendFeedback(env.client, config, action),
        logger: testLogger,
        token,
        port: 0,
      });
      const page = await browser.newPage();
      await page.goto(ui.url);
      await page.getByLabel('Access token').fill(token);
      await page.getByRole('button', { name: 'Log in' }).click();

      const rows = page.locator('#campaigns tbody tr');
      await expect.poll(() => rows.count()).toBe(2);
      const sizeOf = (id: string) =>
        page.locator(`#campaigns tr[data-campaign="${id}"] td.events`).innerText();
      expect([await sizeOf(c0.id), await sizeOf(c1.id)]).toEqual(['24', '16']);

      await page.locator(`#campaigns tr[data-campaign="${c0.id}"] a`).first().click();
      await page.locator('svg.flow').waitFor();
      expect(await page.locator('#event-count').innerText()).toBe('24');
      expect(await page.locator('.stage').count()).toBeGreaterThan(0);
      const eventRows = page.locator('#events tbody tr');
      const picked = [
        await eventRows.nth(0).getAttribute('data-id'),
        await eventRows.nth(1).getAttribute('data-id'),
      ];
      // The filter narrows the table to one event; clearing it brings the rest back.
      await page.locator('#filter-text').fill(picked[0]!);
      await expect.poll(() => page.locator('#events tbody tr:visible').count()).toBe(1);
      await page.locator('#filter-text').fill('');
      await eventRows.nth(0).locator('.pick').check();
      await eventRows.nth(1).locator('.pick').check();

      await page.getByRole('button', { name: 'Cut selected…' }).click();
      await page.locator('#cut-target-all').selectOption(c1.id);
      await page.getByLabel('event weight port').fill('0.5');
      await page.getByRole('button', { name: 'Confirm cut' }).click();
      const banner = page.locator('p.banner');
      await banner.waitFor({ timeout: 60_000 });
      expect(await banner.innerText()).toMatch(/Feedback .+ applied/);
      expect(await page.locator('#event-count').innerText()).toBe('22');
      mkdirSync(path.dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
      console.log(`campaign page screenshot: ${screenshot}`);

      // Hiding keeps the event in the campaign but out of the table until asked for.
      const hiddenId = await eventRows.nth(0).getAttribute('data-id');
      await eventRows.nth(0).locator('.pick').check();
      const cutUrl = page.url();
      await page.getByRole('button', { name: 'Hide selected' }).click();
      await page.waitForURL((url) => url.href !== cutUrl, { timeout: 60_000 });
      expect(await banner.innerText()).toMatch(/Feedback .+ applied/);
      const hiddenRow = page.locator(`#events tr[data-id="${hiddenId}"]`);
      expect(await hiddenRow.getAttribute('data-hidden')).toBe('true');
      expect(await hiddenRow.isVisible()).toBe(false);
      await page.locator('#show-hidden').check();
      expect(await hiddenRow.isVisible()).toBe(true);
      expect(await page.locator('#event-count').innerText()).toBe('22');

      await page.goto(ui.url);
      expect([await sizeOf(c0.id), await sizeOf(c1.id)]).toEqual(['22', '18']);
      await page.goto(`${ui.url}/campaigns/${c1.id}`);
      const moved = await page
        .locator('#events tbody tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
      expect(moved).toEqual(expect.arrayContaining(picked));
      await page.close();

      const weights = await getJson<ClusterModelInput['weights']>(deps.store, feedbackWeightsKey);
      expect(weights.node['10.9.0.1']).toBe(0.75);
      expect(weights.event).toMatchObject({ 'port=22': 0.5, 'port=443': 0.5 });

      // The next run of an input snapshots the new weights and hands them to the clusterer.
      const next = await runToCampaigns(deps, env.client, 'input/day2.json', twoCampaigns);
      const keys = runKeys(next.run);
      const snapshot = await getJson<ClusterModelInput['weights']>(
        deps.store,
        `${keys.scratch}/weights.json`,
      );
      const clusterInput = await getJson<ClusterModelInput>(
        deps.store,
        modelInputKey(keys.clusterInputPrefix(0)),
      );
      const expected = { node: weights.node, event: weights.event };
      expect(snapshot).toEqual(expected);
      expect(clusterInput.weights).toEqual(expected);
      // The UI's token stays with the UI: not in the feedback workflow's input or signals.
      expect(await historyText(env.client, 'feedback')).not.toContain(token);
    });
    await ui?.close();
  });
});
