import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SeededRandom } from '../../bench/generator/random.js';

export interface S3FaultOptions {
  /** Where the real S3 API answers (the moto server). */
  target: string;
  seed: number;
  /** Share of requests answered 500 InternalError without reaching S3. */
  internalErrorRate: number;
  /** Share of requests answered 503 SlowDown, S3's throttling answer. */
  slowDownRate: number;
  /** Share of writes that reach S3 and still get a 500: the write happened, the client never knew. */
  lostResponseRate: number;
  /** Share of requests held back before they are passed on, and for how long at most. */
  delayRate: number;
  maxDelayMs: number;
}

export interface S3FaultProxy {
  endpoint: string;
  counts: {
    requests: number;
    internalErrors: number;
    slowDowns: number;
    lost: number;
    delayed: number;
  };
  /** Faults on (the default) or off: a flaky period that ends. */
  enabled: boolean;
  close(): Promise<void>;
}

const errorBody = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
  `<RequestId>fault-proxy</RequestId></Error>`;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/**
 * A loopback HTTP proxy in front of an S3 API that answers some requests the way S3 does when
 * it has a bad moment: 500 InternalError, 503 SlowDown, slow answers, and writes whose answer is
 * lost. Seeded, so a failing run can be repeated.
 */
export async function startS3FaultProxy(options: S3FaultOptions): Promise<S3FaultProxy> {
  const target = new URL(options.target);
  const random = new SeededRandom(options.seed);
  const counts = { requests: 0, internalErrors: 0, slowDowns: 0, lost: 0, delayed: 0 };
  const state = { enabled: true };

  const answerError = (res: import('node:http').ServerResponse, status: number, code: string) => {
    const body = errorBody(
      code,
      status === 503
        ? 'Please reduce your request rate.'
        : 'We encountered an internal error. Please try again.',
    );
    res.writeHead(status, {
      'content-type': 'application/xml',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      counts.requests++;
      const body = await readBody(req);
      const roll = state.enabled ? random.next() : 1;
      const isWrite = req.method === 'PUT' || req.method === 'POST' || req.method === 'DELETE';
      if (roll < options.internalErrorRate) {
        counts.internalErrors++;
        return answerError(res, 500, 'InternalError');
      }
      if (roll < options.internalErrorRate + options.slowDownRate) {
        counts.slowDowns++;
        return answerError(res, 503, 'SlowDown');
      }
      if (state.enabled && random.next() < options.delayRate) {
        counts.delayed++;
        await new Promise((r) => setTimeout(r, random.int(1, options.maxDelayMs)));
      }
      const lose = isWrite && state.enabled && random.next() < options.lostResponseRate;
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (answer) => {
          if (lose) {
            counts.lost++;
            answer.resume();
            answer.on('end', () => answerError(res, 500, 'InternalError'));
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (err) => res.destroy(err));
      upstream.end(body);
    })().catch((err: unknown) => res.destroy(err as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    get enabled() {
      return state.enabled;
    },
    set enabled(on: boolean) {
      state.enabled = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
