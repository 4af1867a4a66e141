import type { AttackCatalog } from '../core/attack.js';
import {
  clusterModelInputSchema,
  flowModelInputSchema,
  techniqueModelInputSchema,
} from '../core/formats.js';
import { modelOutputKey } from '../core/keys.js';
import type { ObjectStore } from '../core/store/index.js';
import { clusterBatch } from './clusterer.js';
import { detectFlows } from './flow-detector.js';
import { classifyTechniques } from './technique-classifier.js';
import type { TechniqueTextModel } from './technique-text-model.js';

export type ModelName = 'technique' | 'cluster' | 'flow';

export interface ModelJob {
  model: ModelName;
  /** `<prefix>/input.json` */
  inputKey: string;
  /** The answer lands at `<outputPrefix>/input.json.out`. */
  outputPrefix: string;
  /** Unique per run and step so that a retry never starts a second job. */
  jobName: string;
}

/**
 * The seam between the pipeline and its models, with SageMaker batch-transform semantics: an
 * input object goes in, an `.out` object comes back. Local and SageMaker backends implement it.
 */
export interface ModelRunner {
  readonly backend: string;
  run(job: ModelJob, context?: ModelRunContext): Promise<string>;
}

/** What a runner may use of the activity that runs it. */
export interface ModelRunContext {
  signal?: AbortSignal;
  /** Records progress; the next attempt of the activity finds it in `resumeFrom`. */
  heartbeat?(details: unknown): void;
  /** The last heartbeat details of an earlier attempt, if any: untrusted, check their shape. */
  resumeFrom?: unknown;
}

/** Runs the models in `models/` in-process, reading and writing the same keys SageMaker would. */
export class LocalModelRunner implements ModelRunner {
  readonly backend = 'local';

  constructor(
    private readonly store: ObjectStore,
    private readonly attack: AttackCatalog,
    /** The trained technique text model, when one is configured. */
    private readonly textModel?: TechniqueTextModel,
  ) {}

  async run(job: ModelJob): Promise<string> {
    const outputKey = modelOutputKey(job.outputPrefix, job.inputKey);
    const raw: unknown = JSON.parse((await this.store.get(job.inputKey)).toString('utf8'));
    const answer = this.answer(job.model, raw, job.inputKey);
    await this.store.put(outputKey, JSON.stringify(answer));
    return outputKey;
  }

  private answer(model: ModelName, raw: unknown, inputKey: string): unknown {
    const parse = <T>(schema: {
      safeParse(v: unknown):
        | { success: true; data: T }
        | {
            success: false;
            error: { issues: { path: PropertyKey[]; message: string }[] };
          };
    }): T => {
      const parsed = schema.safeParse(raw);
      if (parsed.success) return parsed.data;
      const first = parsed.error.issues[0];
      throw new Error(
        `${model} model input ${inputKey}: ${first?.path.join('.') || '(root)'}: ${first?.message}`,
      );
    };
    switch (model) {
      case 'technique':
        return classifyTechniques(parse(techniqueModelInputSchema), this.attack, this.textModel);
      case 'cluster':
        return clusterBatch(parse(clusterModelInputSchema));
      case 'flow':
        return detectFlows(parse(flowModelInputSchema));
    }
  }
}
