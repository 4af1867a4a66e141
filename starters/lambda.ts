import { readFile } from 'node:fs/promises';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { ConfigError, loadConfig, type Config } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { createObjectStore } from '../core/store/index.js';
import { createS3Handler, type StarterContext } from './lambda-handler.js';

/**
 * The S3-triggered starter Lambda (bundled by `npm run build:lambda` into dist/lambda/index.mjs).
 * Settings come from the function's environment; TEMPORAL_API_KEY belongs there too (from
 * Secrets Manager at deploy time), never in an event or the bundle.
 */

/**
 * A client-only connection: core/temporal-connection.ts also serves workers and so imports
 * @temporalio/worker, whose native module a Lambda bundle cannot carry.
 */
async function connect(temporal: Config['temporal'], address: string): Promise<Connection> {
  const options: ConnectionOptions = { address, apiKey: temporal.apiKey };
  if (temporal.tlsCert && temporal.tlsKey) {
    const [crt, key] = await Promise.all([readFile(temporal.tlsCert), readFile(temporal.tlsKey)]);
    options.tls = { clientCertPair: { crt, key } };
  } else if (temporal.tls || temporal.apiKey) {
    options.tls = true;
  }
  return Connection.connect(options);
}

export async function contextFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): Promise<StarterContext> {
  const config = loadConfig(env);
  const address = config.temporal.address;
  if (!address) {
    throw new ConfigError(['TEMPORAL_ADDRESS: required by the Lambda starter (it runs no server)']);
  }
  const logger = createLogger(config.logLevel, 'starter-lambda');
  const connection = await connect(config.temporal, address);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  logger.info(
    { address, namespace: config.temporal.namespace, store: config.store.kind },
    'starter Lambda connected',
  );
  return { client, store: createObjectStore(config.store), config, logger };
}

let context: Promise<StarterContext> | undefined;

/** Once per container: warm invocations reuse the connection. A failed start is retried. */
function containerContext(): Promise<StarterContext> {
  context ??= contextFromEnvironment().catch((err: unknown) => {
    context = undefined;
    throw err;
  });
  return context;
}

export const handler = createS3Handler(containerContext);
