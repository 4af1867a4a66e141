import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger, LogLevel, LogMetadata } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ClusterBatchStep } from '../../activities/cluster-batches.js';
import { createActivities, type PipelineActivities } from '../../activities/index.js';
import type { AttackCatalog } from '../../core/attack.js';
import { loadConfig } from '../../core/config.js';
import { modelInputKey, runKeys } from '../../core/keys.js';
import { LocalObjectStore, putJson } from '../../core/store/index.js';
import { LocalModelRunner } from '../../models/runner.js';
import { loadVrlPrograms } from '../../activities/vrl/program-set.js';

export interface LogLine {
  level: LogLevel;
  message: string;
  meta?: LogMetadata;
}

/** Keeps the activities' log lines so tests can read them instead of the console. */
export class CapturingLogger implements Logger {
  readonly lines: LogLine[] = [];
  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.lines.push({ level, message, meta });
  }
  trace = (m: string, meta?: LogMetadata) => this.log('TRACE', m, meta);
  debug = (m: string, meta?: LogMetadata) => this.log('DEBUG', m, meta);
  info = (m: string, meta?: LogMetadata) => this.log('INFO', m, meta);
  warn = (m: string, meta?: LogMetadata) => this.log('WARN', m, meta);
  error = (m: string, meta?: LogMetadata) => this.log('ERROR', m, meta);
}

/** The activities over a LocalObjectStore in a temp dir, run in a mock activity context. */
export class Harness {
  readonly logger = new CapturingLogger();
  readonly env = new MockActivityEnvironment({}, { logger: this.logger });
  readonly acts: PipelineActivities;
  readonly heartbeats: unknown[] = [];

  private constructor(
    readonly dir: string,
    readonly store: LocalObjectStore,
    attack: AttackCatalog,
  ) {
    const config = loadConfig({ DATA_DIR: dir });
    const models = new LocalModelRunner(store, attack);
    this.acts = createActivities({ config, store, attack, models, vrl: loadVrlPrograms() });
    this.env.on('heartbeat', (d: unknown) => this.heartbeats.push(d));
  }

  static async create(attack: AttackCatalog): Promise<Harness> {
    const dir = await mkdtemp(path.join(tmpdir(), 'activities-'));
    return new Harness(dir, new LocalObjectStore(path.join(dir, 'store')), attack);
  }

  run<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
    return this.env.run(fn, ...args);
  }

  async cleanup(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Every step of one run, in the order IngestWorkflow calls them. */
  async runPipeline(run: string, inputKey: string, chunkSize: number, clusterBatchSize: number) {
    const { acts } = this;
    const keys = runKeys(run);
    const prepared = await this.run(acts.prepareInput, { run, inputKey, chunkSize });
    const techniqueOutputs: (string | null)[] = [];
    for (const [chunk, input] of prepared.techniqueInputs.entries()) {
      techniqueOutputs.push(
        input &&
          (await this.run(acts.runModel, {
            model: 'technique',
            inputKey: input,
            outputPrefix: keys.techniqueOutputPrefix(chunk),
            jobName: `${run}-technique-${chunk}`,
          })),
      );
    }
    const enriched = await this.run(acts.processEnriched, {
      run,
      chunks: prepared.chunks,
      techniqueOutputs,
      clusterBatchSize,
    });
    const lookup = await this.run(acts.updateLookupTable, { run, techniqueOutputs });
    const batches = await this.clusterLoop(run, enriched.clusterBatches);
    const settled = await this.run(acts.processCluster, {
      run,
      chunks: prepared.chunks,
      batches,
      maxFlowGapSeconds: 1800 * 12,
    });
    const flowOutputKey = await this.run(acts.runModel, {
      model: 'flow',
      inputKey: settled.flowInputKey,
      outputPrefix: keys.flowOutputPrefix,
      jobName: `${run}-flow`,
    });
    const outputs = await this.run(acts.writeOutputs, { run, flowOutputKey });
    return { prepared, techniqueOutputs, enriched, lookup, batches, settled, outputs };
  }

  async clusterLoop(run: string, totalBatches: number, windowSeconds = 1800): Promise<number> {
    const keys = runKeys(run);
    let previousOutputKey: string | null = null;
    for (let batch = 0; ; batch++) {
      const step: ClusterBatchStep = await this.run(this.acts.buildClusterInput, {
        run,
        batch,
        totalBatches,
        previousOutputKey,
        windowSeconds,
      });
      if (step.done) return batch;
      previousOutputKey = await this.run(this.acts.runModel, {
        model: 'cluster',
        inputKey: step.inputKey,
        outputPrefix: keys.clusterOutputPrefix(batch),
        jobName: `${run}-cluster-${batch}`,
      });
    }
  }

  /** Writes a cluster model answer by hand where runModel would have put it. */
  async putClusterAnswer(run: string, batch: number, answer: unknown): Promise<void> {
    const keys = runKeys(run);
    const input = modelInputKey(keys.clusterInputPrefix(batch));
    await putJson(this.store, `${keys.clusterOutputPrefix(batch)}/input.json.out`, answer);
    if (!(await this.store.exists(input))) await putJson(this.store, input, {});
  }
}
