import type { Logger } from '../core/logger.js';
import { startCampaignUi, type CampaignUi } from '../ui/server.js';
import { sendFeedback } from './feedback-signal.js';
import type { Host } from './host.js';

/**
 * Starts the campaign UI beside a host when UI_TOKEN is set; its cuts and edits signal the
 * FeedbackWorkflow through the host's client. Without a token the UI stays off: it never serves
 * campaigns to whoever can reach the port.
 */
export async function startUiIfConfigured(
  host: Host,
  logger: Logger,
): Promise<CampaignUi | undefined> {
  const { token } = host.config.ui;
  if (!token) {
    logger.info('campaign UI off (set UI_TOKEN to serve it)');
    return undefined;
  }
  const ui = await startCampaignUi({
    config: host.config,
    store: host.deps.store,
    send: (action) => sendFeedback(host.client, host.config, action),
    logger,
    token,
  });
  logger.info({ url: ui.url }, 'campaign UI serving');
  return ui;
}
