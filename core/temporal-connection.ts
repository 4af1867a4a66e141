import { readFile } from 'node:fs/promises';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from './config.js';

/** Connection options shared by clients and workers: address, TLS and API key from config. */
async function connectionOptions(config: Config['temporal'], address: string) {
  const tls =
    config.tlsCert && config.tlsKey
      ? {
          clientCertPair: {
            crt: await readFile(config.tlsCert),
            key: await readFile(config.tlsKey),
          },
        }
      : config.tls || config.apiKey
        ? true
        : undefined;
  return { address, tls, apiKey: config.apiKey };
}

export async function connectClient(
  config: Config['temporal'],
  address: string,
): Promise<Connection> {
  return Connection.connect((await connectionOptions(config, address)) as ConnectionOptions);
}

export async function connectWorker(
  config: Config['temporal'],
  address: string,
): Promise<NativeConnection> {
  return NativeConnection.connect(
    (await connectionOptions(config, address)) as NativeConnectionOptions,
  );
}

export interface ClientSession {
  client: Client;
  connection: Connection;
  address: string;
}

/**
 * Runs one command against TEMPORAL_ADDRESS, or against the embedded server of a product that is
 * serving on this machine, and closes the connection afterwards.
 */
export async function withTemporalClient<T>(
  config: Config['temporal'],
  fn: (session: ClientSession) => Promise<T>,
): Promise<T> {
  const address = config.address ?? `127.0.0.1:${config.port}`;
  let connection: Connection;
  try {
    connection = await connectClient(config, address);
  } catch (err) {
    const hint = config.address
      ? 'check TEMPORAL_ADDRESS'
      : 'start the product with "serve" (or "run --serve"), or set TEMPORAL_ADDRESS';
    throw new Error(`cannot reach Temporal at ${address}: ${(err as Error).message}; ${hint}`);
  }
  try {
    return await fn({
      client: new Client({ connection, namespace: config.namespace }),
      connection,
      address,
    });
  } finally {
    await connection.close();
  }
}
