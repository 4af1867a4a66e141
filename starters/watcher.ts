import type { Logger } from '../core/logger.js';
import type { ObjectStore } from '../core/store/index.js';

export interface WatcherOptions {
  store: ObjectStore;
  prefixes: string[];
  intervalMs: number;
  logger: Logger;
  /** Called once per new object; failures are logged and retried on the next poll. */
  onObject: (key: string) => Promise<void>;
}

/**
 * Plays the part of S3 event notifications for the local store: polls the watched prefixes and
 * reports each new object once it has been seen unchanged in two polls (a file still being
 * copied in is left for the next poll).
 */
export function watchStore(options: WatcherOptions): { stop(): Promise<void> } {
  const handled = new Set<string>();
  let candidates = new Map<string, string>();
  let stopped = false;
  let current: Promise<void> = Promise.resolve();

  const poll = async (): Promise<void> => {
    const seen = new Map<string, string>();
    for (const prefix of options.prefixes) {
      for (const key of await options.store.list(prefix)) {
        if (handled.has(key)) continue;
        const head = await options.store.head(key);
        if (!head || head.size === 0) continue;
        const version = `${head.size}:${head.version}`;
        seen.set(key, version);
        if (candidates.get(key) !== version) continue;
        try {
          await options.onObject(key);
          handled.add(key);
        } catch (err) {
          options.logger.error(
            { key, err: (err as Error).message },
            'could not start a run for a new object',
          );
        }
      }
    }
    candidates = seen;
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      current = poll().catch((err) =>
        options.logger.error({ err: (err as Error).message }, 'watching the store failed'),
      );
      await current;
      await new Promise((r) => setTimeout(r, options.intervalMs));
    }
  };
  void loop();
  return {
    async stop() {
      stopped = true;
      await current;
    },
  };
}
