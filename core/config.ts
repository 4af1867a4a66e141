import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseVrlMappings, type VrlMapping } from './vrl-mappings.js';

/**
 * Every setting the product reads, keyed by its environment variable name. A JSON config file
 * (CONFIG_FILE) may hold the same keys; the environment wins over the file.
 */
const booleanFromString = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

export const settingsSchema = z
  .object({
    DATA_DIR: z.string().min(1).default('./data'),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),

    TEMPORAL_ADDRESS: z.string().min(1).optional(),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    TEMPORAL_TLS: booleanFromString.default(false),
    TEMPORAL_TLS_CERT: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY: z.string().min(1).optional(),
    TEMPORAL_CLI_PATH: z.string().min(1).optional(),
    TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
    TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
    TEMPORAL_UI_URL: z.url().optional(),
    TASK_QUEUE: z.string().min(1).default('alert-pipeline'),
    MAX_CACHED_WORKFLOWS: positiveInt.default(200),
    MAX_CONCURRENT_ACTIVITIES: positiveInt.default(4),

    STORE: z.enum(['local', 's3']).default('local'),
    S3_BUCKET: z.string().min(3).optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_FORCE_PATH_STYLE: booleanFromString.default(false),

    MODEL_BACKEND: z.enum(['local']).default('local'),
    ATTACK_BUNDLE: z.string().min(1).optional(),

    CHUNK_SIZE: positiveInt.default(5000),
    CLUSTER_BATCH_SIZE: positiveInt.default(2000),
    CLUSTER_WINDOW_SECONDS: z.coerce.number().positive().default(1800),
    BATCHES_BEFORE_CONTINUE_AS_NEW: positiveInt.default(50),
    MAX_INPUT_BYTES: positiveInt.default(512 * 1024 * 1024),

    VRL_DIR: z.string().min(1).optional(),
    /** A JSON array of {program, keyPrefix?, sourcetype?}: the user's own mappings. */
    VRL_MAPPINGS: z
      .union([z.string(), z.array(z.unknown())])
      .optional()
      .transform((raw, ctx) => {
        try {
          return parseVrlMappings(raw ?? []);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
    SPLUNK_MAX_RECORD_BYTES: positiveInt.default(8 * 1024 * 1024),
  })
  // `when`: run even when another setting is invalid, so that every problem is reported at once.
  .superRefine(
    (s, ctx) => {
      if (s.STORE === 's3' && !s.S3_BUCKET) {
        ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'required when STORE=s3' });
      }
      if (Boolean(s.TEMPORAL_TLS_CERT) !== Boolean(s.TEMPORAL_TLS_KEY)) {
        ctx.addIssue({
          code: 'custom',
          path: [s.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'],
          message: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together',
        });
      }
    },
    { when: () => true },
  );

export type Settings = z.infer<typeof settingsSchema>;
export const settingNames = Object.keys(settingsSchema.shape) as (keyof Settings)[];

/** Settings that must never be logged or passed to a workflow. */
export const secretSettings: ReadonlySet<string> = new Set(['TEMPORAL_API_KEY']);

export interface Config {
  dataDir: string;
  logLevel: Settings['LOG_LEVEL'];
  temporal: {
    /** Unset: the product runs its own dev server. */
    address?: string;
    namespace: string;
    apiKey?: string;
    tls: boolean;
    tlsCert?: string;
    tlsKey?: string;
    cliPath?: string;
    port: number;
    uiPort: number;
    uiUrl?: string;
    taskQueue: string;
    maxCachedWorkflows: number;
    maxConcurrentActivities: number;
  };
  store:
    | { kind: 'local'; root: string }
    | { kind: 's3'; bucket: string; endpoint?: string; region: string; forcePathStyle: boolean };
  models: { backend: 'local' };
  attackBundle?: string;
  pipeline: PipelineSettings;
  maxInputBytes: number;
  vrl: { dir?: string; mappings: VrlMapping[]; maxRecordBytes: number };
}

/** The tuning that travels in workflow input: plain numbers, never secrets. */
export interface PipelineSettings {
  chunkSize: number;
  clusterBatchSize: number;
  clusterWindowSeconds: number;
  batchesBeforeContinueAsNew: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`CONFIG_FILE ${file}: cannot be read (${(err as Error).message})`]);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('expected a JSON object of setting names to values');
    }
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError([`CONFIG_FILE ${file}: ${(err as Error).message}`]);
  }
}

/** Reads settings from a config file (optional) and the environment and validates them all. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const fromFile = env.CONFIG_FILE ? readConfigFile(env.CONFIG_FILE) : {};
  const unknownInFile = Object.keys(fromFile).filter((k) => !settingNames.includes(k as never));
  const raw: Record<string, unknown> = { ...fromFile };
  for (const name of settingNames) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const parsed = settingsSchema.safeParse(raw);
  const problems = unknownInFile.map((k) => `${k}: not a known setting (in ${env.CONFIG_FILE})`);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.') || '(settings)';
      const shown = secretSettings.has(name) ? '' : ` (got ${JSON.stringify(raw[name])})`;
      problems.push(`${name}: ${issue.message}${raw[name] === undefined ? '' : shown}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return toConfig(parsed.data);
}

function toConfig(s: Settings): Config {
  const dataDir = path.resolve(s.DATA_DIR);
  return {
    dataDir,
    logLevel: s.LOG_LEVEL,
    temporal: {
      address: s.TEMPORAL_ADDRESS,
      namespace: s.TEMPORAL_NAMESPACE,
      apiKey: s.TEMPORAL_API_KEY,
      tls: s.TEMPORAL_TLS,
      tlsCert: s.TEMPORAL_TLS_CERT,
      tlsKey: s.TEMPORAL_TLS_KEY,
      cliPath: s.TEMPORAL_CLI_PATH,
      port: s.TEMPORAL_PORT,
      uiPort: s.TEMPORAL_UI_PORT,
      uiUrl: s.TEMPORAL_UI_URL,
      taskQueue: s.TASK_QUEUE,
      maxCachedWorkflows: s.MAX_CACHED_WORKFLOWS,
      maxConcurrentActivities: s.MAX_CONCURRENT_ACTIVITIES,
    },
    store:
      s.STORE === 's3'
        ? {
            kind: 's3',
            bucket: s.S3_BUCKET as string,
            endpoint: s.S3_ENDPOINT,
            region: s.S3_REGION,
            forcePathStyle: s.S3_FORCE_PATH_STYLE,
          }
        : { kind: 'local', root: path.join(dataDir, 'store') },
    models: { backend: s.MODEL_BACKEND },
    attackBundle: s.ATTACK_BUNDLE,
    pipeline: {
      chunkSize: s.CHUNK_SIZE,
      clusterBatchSize: s.CLUSTER_BATCH_SIZE,
      clusterWindowSeconds: s.CLUSTER_WINDOW_SECONDS,
      batchesBeforeContinueAsNew: s.BATCHES_BEFORE_CONTINUE_AS_NEW,
    },
    maxInputBytes: s.MAX_INPUT_BYTES,
    vrl: { dir: s.VRL_DIR, mappings: s.VRL_MAPPINGS, maxRecordBytes: s.SPLUNK_MAX_RECORD_BYTES },
  };
}
