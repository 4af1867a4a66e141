import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { startUiIfConfigured } from './campaign-ui.js';
import { openHost } from './host.js';

/** `ui`: the campaign UI alone, for a deployment whose workers and watcher run elsewhere. */
export async function uiCommand(config: Config, logger: Logger): Promise<number> {
  if (!config.ui.token) {
    process.stderr.write('UI_TOKEN: required to serve the campaign UI\n');
    return 2;
  }
  const host = await openHost(config, logger, { worker: false });
  try {
    const ui = await startUiIfConfigured(host, logger);
    process.stdout.write(`campaign UI ${ui!.url}; Ctrl-C stops\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await ui!.close();
  } finally {
    await host.close();
  }
  return 0;
}
