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

const instanceType = z.string().regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'expected e.g. ml.m5.xlarge');
/** A comma-separated string (environment) or a JSON array (config file). */
const instanceTypeList = z
  .union([z.string(), z.array(z.string())])
  .transform((raw) => (typeof raw === 'string' ? raw.split(',') : raw).map((t) => t.trim()))
  .pipe(z.array(instanceType));

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
    /** Unset: `<TASK_QUEUE>-io` and `<TASK_QUEUE>-models`. */
    IO_TASK_QUEUE: z.string().min(1).optional(),
    MODEL_TASK_QUEUE: z.string().min(1).optional(),
    MAX_CACHED_WORKFLOWS: positiveInt.default(200),
    MAX_CONCURRENT_ACTIVITIES: positiveInt.default(4),
    MAX_CONCURRENT_MODEL_ACTIVITIES: positiveInt.default(2),
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).default(30),

    STORE: z.enum(['local', 's3']).default('local'),
    S3_BUCKET: z.string().min(3).optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_FORCE_PATH_STYLE: booleanFromString.default(false),

    MODEL_BACKEND: z.enum(['local', 'sagemaker']).default('local'),
    /** SageMaker model names, one per pipeline model (MODEL_BACKEND=sagemaker). */
    SAGEMAKER_TECHNIQUE_MODEL: z.string().min(1).optional(),
    SAGEMAKER_CLUSTER_MODEL: z.string().min(1).optional(),
    SAGEMAKER_FLOW_MODEL: z.string().min(1).optional(),
    SAGEMAKER_INSTANCE_TYPE: instanceType.default('ml.m5.xlarge'),
    /** Tried in order when SageMaker has no capacity for the instance type before. */
    SAGEMAKER_FALLBACK_INSTANCE_TYPES: instanceTypeList.optional(),
    SAGEMAKER_INSTANCE_COUNT: positiveInt.default(1),
    /** Between DescribeTransformJob calls; a slower poll would only delay each step's end. */
    SAGEMAKER_POLL_SECONDS: z.coerce.number().positive().max(300).default(30),
    /** Transform jobs per step, the first included, when SageMaker reports no capacity. */
    SAGEMAKER_CAPACITY_ATTEMPTS: positiveInt.default(4),
    /** Before the second job; doubled before each later one. */
    SAGEMAKER_CAPACITY_BACKOFF_SECONDS: z.coerce.number().min(0).default(60),
    /** Unset: S3_REGION. */
    SAGEMAKER_REGION: z.string().min(1).optional(),
    SAGEMAKER_ENDPOINT: z.url().optional(),
    ATTACK_BUNDLE: z.string().min(1).optional(),
    /** A technique text model written by `train-techniques`; without it, lower accuracy. */
    TECHNIQUE_MODEL: z.string().min(1).optional(),

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

    // Ticketing (campaigns, JIRA, Elastic cases). JIRA and cases are off unless configured.
    EVENT_THRESHOLD: positiveInt.default(2),
    TACTIC_THRESHOLD: z.coerce.number().int().min(0).default(1),
    CAMPAIGNS: booleanFromString.default(true),
    /** Also one JIRA issue and one case per flow of two or more clusters. */
    TICKETS_PER_FLOW: booleanFromString.default(false),
    JIRA_URL: z.url().optional(),
    /** Set for Jira Cloud (basic auth with an API token); unset, the token is a bearer PAT. */
    JIRA_EMAIL: z.string().min(1).optional(),
    JIRA_API_TOKEN: z.string().min(1).optional(),
    JIRA_PROJECT: z.string().min(1).optional(),
    JIRA_ISSUE_TYPE: z.string().min(1).default('Task'),
    KIBANA_URL: z.url().optional(),
    KIBANA_API_KEY: z.string().min(1).optional(),
    KIBANA_SPACE: z.string().min(1).optional(),
    /** Set to link each case to the original Elastic Security alerts it is about. */
    ELASTICSEARCH_URL: z.url().optional(),
    ELASTICSEARCH_API_KEY: z.string().min(1).optional(),
    ELASTICSEARCH_ALERTS_INDEX: z.string().min(1).default('.alerts-security.alerts-*'),

    // The campaign UI: served by `serve`, `run --serve` and `ui` when UI_TOKEN is set.
    UI_HOST: z.string().min(1).default('127.0.0.1'),
    UI_PORT: z.coerce.number().int().min(1).max(65535).default(8090),
    /** What analysts type to log in; long enough that guessing it is hopeless. */
    UI_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  })
  // `when`: run even when another setting is invalid, so that every problem is reported at once.
  .superRefine(
    (s, ctx) => {
      if (s.STORE === 's3' && !s.S3_BUCKET) {
        ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'required when STORE=s3' });
      }
      if (s.MODEL_BACKEND === 'sagemaker') {
        if (s.STORE !== 's3') {
          ctx.addIssue({
            code: 'custom',
            path: ['MODEL_BACKEND'],
            message: 'MODEL_BACKEND=sagemaker needs STORE=s3: transform jobs read and write S3',
          });
        }
        const names = ['TECHNIQUE', 'CLUSTER', 'FLOW'].map((m) => `SAGEMAKER_${m}_MODEL`);
        for (const name of names as (keyof typeof s)[]) {
          if (!s[name]) {
            const message = 'required when MODEL_BACKEND=sagemaker';
            ctx.addIssue({ code: 'custom', path: [name], message });
          }
        }
      }
      // A worker polls one queue per role; a shared name would hand model work to I/O workers.
      const queues = [s.TASK_QUEUE, s.IO_TASK_QUEUE, s.MODEL_TASK_QUEUE].filter(Boolean);
      if (new Set(queues).size !== queues.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['IO_TASK_QUEUE'],
          message: 'TASK_QUEUE, IO_TASK_QUEUE and MODEL_TASK_QUEUE must be three different queues',
        });
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
  )
  .superRefine(
    (s, ctx) => {
      const together = (set: string, needed: (keyof typeof s)[]) => {
        for (const name of needed) {
          if (!s[name])
            ctx.addIssue({ code: 'custom', path: [name], message: `required with ${set}` });
        }
      };
      if (s.JIRA_URL) together('JIRA_URL', ['JIRA_API_TOKEN', 'JIRA_PROJECT']);
      if (s.KIBANA_URL) together('KIBANA_URL', ['KIBANA_API_KEY']);
      // The alerts are linked to cases: without Kibana there is nothing to link them to.
      if (s.ELASTICSEARCH_URL) {
        together('ELASTICSEARCH_URL', ['ELASTICSEARCH_API_KEY', 'KIBANA_URL']);
      }
    },
    { when: () => true },
  );

export type Settings = z.infer<typeof settingsSchema>;
export const settingNames = Object.keys(settingsSchema.shape) as (keyof Settings)[];

/** Settings that must never be logged or passed to a workflow. */
export const secretSettings: ReadonlySet<string> = new Set([
  'TEMPORAL_API_KEY',
  'JIRA_API_TOKEN',
  'KIBANA_API_KEY',
  'ELASTICSEARCH_API_KEY',
  'UI_TOKEN',
]);

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
    /** Workflow tasks; activities too for runs that name no activity queue. */
    taskQueue: string;
    ioTaskQueue: string;
    modelTaskQueue: string;
    maxCachedWorkflows: number;
    /** Per worker, for I/O-bound activities. */
    maxConcurrentActivities: number;
    /** Per worker, for `runModel` (CPU- or job-bound). */
    maxConcurrentModelActivities: number;
    shutdownGraceSeconds: number;
  };
  store:
    | { kind: 'local'; root: string }
    | { kind: 's3'; bucket: string; endpoint?: string; region: string; forcePathStyle: boolean };
  models: { backend: 'local' } | { backend: 'sagemaker'; sagemaker: SageMakerSettings };
  attackBundle?: string;
  techniqueModel?: string;
  pipeline: PipelineSettings;
  maxInputBytes: number;
  vrl: { dir?: string; mappings: VrlMapping[]; maxRecordBytes: number };
  /** Where tickets go; secrets stay here and reach activities through their clients only. */
  tickets: {
    jira?: { url: string; email?: string; apiToken: string; project: string; issueType: string };
    cases?: { kibanaUrl: string; apiKey: string; space?: string };
    /** Where the original alerts of Elastic-sourced runs are found, to link them to cases. */
    elasticsearch?: { url: string; apiKey: string; alertsIndex: string };
  };
  /** The campaign UI; off without a token. */
  ui: { host: string; port: number; token?: string };
}

/** Where and how SageMaker batch-transform jobs run; see models/sagemaker-runner.ts. */
export interface SageMakerSettings {
  modelNames: { technique: string; cluster: string; flow: string };
  /** The first is used first; the next one after each capacity failure, the last one repeatedly. */
  instanceTypes: string[];
  instanceCount: number;
  pollSeconds: number;
  capacityAttempts: number;
  capacityBackoffSeconds: number;
  region: string;
  endpoint?: string;
}

/** The tuning that travels in workflow input: plain numbers, never secrets. */
export interface PipelineSettings {
  chunkSize: number;
  clusterBatchSize: number;
  clusterWindowSeconds: number;
  batchesBeforeContinueAsNew: number;
  /**
   * Where the workflows schedule activities. Optional because runs started before the queues
   * were split carry none: their activities stay on the workflow's own queue.
   */
  taskQueues?: ActivityTaskQueues;
  /** Which ticketing steps run after the flow step; unset in runs recorded before they existed. */
  tickets?: TicketSettings;
}

export interface ActivityTaskQueues {
  io: string;
  model: string;
}

/** Ticketing switches and thresholds for workflow input: whether each is on, never credentials. */
export interface TicketSettings {
  campaigns: boolean;
  jira: boolean;
  cases: boolean;
  /** A campaign needs at least this many alerts in its cluster... */
  eventThreshold: number;
  /** ...and at least this many ATT&CK tactics. */
  tacticThreshold: number;
  /** JIRA and cases also keep a ticket per flow; unset in runs started before it existed. */
  perFlow?: boolean;
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
  const ioTaskQueue = s.IO_TASK_QUEUE ?? `${s.TASK_QUEUE}-io`;
  const modelTaskQueue = s.MODEL_TASK_QUEUE ?? `${s.TASK_QUEUE}-models`;
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
      ioTaskQueue,
      modelTaskQueue,
      maxCachedWorkflows: s.MAX_CACHED_WORKFLOWS,
      maxConcurrentActivities: s.MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentModelActivities: s.MAX_CONCURRENT_MODEL_ACTIVITIES,
      shutdownGraceSeconds: s.SHUTDOWN_GRACE_SECONDS,
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
    models:
      s.MODEL_BACKEND === 'sagemaker'
        ? { backend: 'sagemaker', sagemaker: toSageMakerSettings(s) }
        : { backend: 'local' },
    attackBundle: s.ATTACK_BUNDLE,
    techniqueModel: s.TECHNIQUE_MODEL,
    pipeline: {
      chunkSize: s.CHUNK_SIZE,
      clusterBatchSize: s.CLUSTER_BATCH_SIZE,
      clusterWindowSeconds: s.CLUSTER_WINDOW_SECONDS,
      batchesBeforeContinueAsNew: s.BATCHES_BEFORE_CONTINUE_AS_NEW,
      taskQueues: { io: ioTaskQueue, model: modelTaskQueue },
      tickets: {
        campaigns: s.CAMPAIGNS,
        jira: Boolean(s.JIRA_URL),
        cases: Boolean(s.KIBANA_URL),
        eventThreshold: s.EVENT_THRESHOLD,
        tacticThreshold: s.TACTIC_THRESHOLD,
        perFlow: s.TICKETS_PER_FLOW,
      },
    },
    maxInputBytes: s.MAX_INPUT_BYTES,
    vrl: { dir: s.VRL_DIR, mappings: s.VRL_MAPPINGS, maxRecordBytes: s.SPLUNK_MAX_RECORD_BYTES },
    tickets: {
      jira: s.JIRA_URL
        ? {
            url: s.JIRA_URL,
            email: s.JIRA_EMAIL,
            apiToken: s.JIRA_API_TOKEN as string,
            project: s.JIRA_PROJECT as string,
            issueType: s.JIRA_ISSUE_TYPE,
          }
        : undefined,
      cases: s.KIBANA_URL
        ? { kibanaUrl: s.KIBANA_URL, apiKey: s.KIBANA_API_KEY as string, space: s.KIBANA_SPACE }
        : undefined,
      elasticsearch: s.ELASTICSEARCH_URL
        ? {
            url: s.ELASTICSEARCH_URL,
            apiKey: s.ELASTICSEARCH_API_KEY as string,
            alertsIndex: s.ELASTICSEARCH_ALERTS_INDEX,
          }
        : undefined,
    },
    ui: { host: s.UI_HOST, port: s.UI_PORT, token: s.UI_TOKEN },
  };
}

function toSageMakerSettings(s: Settings): SageMakerSettings {
  return {
    modelNames: {
      technique: s.SAGEMAKER_TECHNIQUE_MODEL as string,
      cluster: s.SAGEMAKER_CLUSTER_MODEL as string,
      flow: s.SAGEMAKER_FLOW_MODEL as string,
    },
    instanceTypes: [s.SAGEMAKER_INSTANCE_TYPE, ...(s.SAGEMAKER_FALLBACK_INSTANCE_TYPES ?? [])],
    instanceCount: s.SAGEMAKER_INSTANCE_COUNT,
    pollSeconds: s.SAGEMAKER_POLL_SECONDS,
    capacityAttempts: s.SAGEMAKER_CAPACITY_ATTEMPTS,
    capacityBackoffSeconds: s.SAGEMAKER_CAPACITY_BACKOFF_SECONDS,
    region: s.SAGEMAKER_REGION ?? s.S3_REGION,
    endpoint: s.SAGEMAKER_ENDPOINT,
  };
}
