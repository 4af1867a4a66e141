import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/**
 * Heartbeats every activity while it runs, at a third of its heartbeat timeout. The server then
 * learns within that timeout that a worker died (SIGKILL, OOM, a lost host) and retries the
 * activity elsewhere, instead of waiting out the whole start-to-close timeout.
 *
 * Activities that checkpoint progress in heartbeat details (and resume from them on the next
 * attempt) still heartbeat themselves; these beats repeat their latest details, so a checkpoint is
 * never overwritten by an empty beat.
 */
export const keepAliveHeartbeats: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const timeoutMs = ctx.info.heartbeatTimeoutMs;
      if (!timeoutMs) return next(input);
      const send = ctx.heartbeat;
      let details: unknown = ctx.info.heartbeatDetails;
      Object.defineProperty(ctx, 'heartbeat', {
        configurable: true,
        value: (latest?: unknown) => {
          details = latest;
          send(latest);
        },
      });
      const timer = setInterval(() => send(details), Math.max(250, timeoutMs / 3));
      try {
        return await next(input);
      } finally {
        clearInterval(timer);
      }
    },
  },
});
