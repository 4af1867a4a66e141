import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AttackCatalog, parseAttackBundle } from '../../core/attack.js';
import type { ClusterModelInput, FlowModelInput } from '../../core/formats.js';
import { modelInputKey, modelOutputKey } from '../../core/keys.js';
import { putJson, type ObjectStore } from '../../core/store/index.js';
import { clusterBatch } from '../../models/clusterer.js';
import { detectFlows } from '../../models/flow-detector.js';
import type { ModelJob, ModelName, ModelRunner } from '../../models/runner.js';
import { classifyTechniques } from '../../models/technique-classifier.js';

/** A two-tactic, three-technique STIX bundle: enough for the technique model to answer. */
export function tinyAttackBundle(): string {
  const ref = (id: string) => [{ source_name: 'mitre-attack', external_id: id }];
  const tactic = (id: string, shortname: string, name: string) => ({
    type: 'x-mitre-tactic',
    id: `x-mitre-tactic--${id}`,
    name,
    x_mitre_shortname: shortname,
    external_references: ref(id),
  });
  const technique = (id: string, name: string, phase: string) => ({
    type: 'attack-pattern',
    id: `attack-pattern--${id}`,
    name,
    kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: phase }],
    external_references: ref(id),
  });
  const objects = [
    tactic('TA0001', 'initial-access', 'Initial Access'),
    tactic('TA0002', 'execution', 'Execution'),
    technique('T1566', 'Phishing', 'initial-access'),
    technique('T1059', 'Command and Scripting Interpreter', 'execution'),
    technique('T1059.001', 'PowerShell', 'execution'),
  ];
  return JSON.stringify({ type: 'bundle', objects });
}

export const tinyAttackCatalog = (): AttackCatalog =>
  parseAttackBundle(tinyAttackBundle(), 'contract-bundle');

const techniqueInput = { names: ['Phishing', 'T1059.001 PowerShell', 'powershell', 'unknown'] };

const alert = (i: number, time: number, src: string, dst: string, tactics: string[] = []) => ({
  i,
  time,
  src,
  dst,
  tech: [],
  tactics,
  features: [`user=u${i % 2}`],
});
const clusterInput: ClusterModelInput = {
  batch: { index: 0, total: 1 },
  params: { windowSeconds: 600 },
  weights: { node: {}, event: {} },
  nodeFeature: {},
  alerts: [
    alert(0, 100, 'host-a', '10.0.0.5', ['TA0001']),
    alert(1, 160, 'host-a', '10.0.0.6', ['TA0002']),
    alert(2, 5000, 'host-z', '10.9.9.9'),
  ],
  state: null,
};

const summary = (id: number, start: number, entities: string[], tactics: string[]) => ({
  id,
  start,
  end: start + 60,
  size: 2,
  entities,
  techniques: [],
  tactics,
});
const flowInput: FlowModelInput = {
  tacticOrder: AttackCatalog.empty('contract').tacticOrder,
  params: { maxGapSeconds: 3600 },
  clusters: [
    summary(0, 100, ['host-a'], ['TA0001']),
    summary(1, 400, ['host-a', '10.0.0.6'], ['TA0002']),
    summary(2, 9000, ['host-q'], []),
  ],
};

/** The answer each model gives in-process: what every backend's `.out` object must hold. */
export function contractCases(attack: AttackCatalog) {
  return [
    {
      model: 'technique',
      input: techniqueInput,
      answer: classifyTechniques(techniqueInput, attack, undefined),
    },
    { model: 'cluster', input: clusterInput, answer: clusterBatch(clusterInput) },
    { model: 'flow', input: flowInput, answer: detectFlows(flowInput) },
  ] satisfies { model: ModelName; input: unknown; answer: unknown }[];
}

export interface RunnerUnderTest {
  runner: ModelRunner;
  store: ObjectStore;
}

/**
 * What every ModelRunner promises, run against each backend: the answer for
 * `<prefix>/input.json` lands at `<out>/input.json.out` with the same bytes the models in
 * `models/` give, whichever backend ran them.
 */
export function describeModelRunnerContract(
  name: string,
  make: () => Promise<RunnerUnderTest>,
  options: { skip?: boolean } = {},
): void {
  describe.skipIf(options.skip ?? false)(`ModelRunner contract: ${name}`, () => {
    for (const { model, input, answer } of contractCases(tinyAttackCatalog())) {
      it(`answers a ${model} job at <out>/input.json.out`, async () => {
        const { runner, store } = await make();
        const run = `contract-${randomUUID().slice(0, 8)}`;
        const prefix = `scratch/${run}/${model}/batch-00000`;
        const job: ModelJob = {
          model,
          inputKey: modelInputKey(prefix),
          outputPrefix: `${prefix}/out`,
          jobName: `${run}-${model}-0`,
        };
        await putJson(store, job.inputKey, input);
        const outputKey = await runner.run(job);
        expect(outputKey).toBe(modelOutputKey(job.outputPrefix, job.inputKey));
        expect(outputKey).toBe(`${prefix}/out/input.json.out`);
        expect((await store.get(outputKey)).toString('utf8')).toBe(JSON.stringify(answer));
        // A second run of the same step gives the same answer and leaves one object.
        expect(await runner.run(job)).toBe(outputKey);
        expect(await store.list(`${prefix}/out/`)).toEqual([outputKey]);
      });
    }

    it('refuses input that does not match the model contract, naming the input', async () => {
      const { runner, store } = await make();
      const run = `contract-${randomUUID().slice(0, 8)}`;
      const prefix = `scratch/${run}/cluster/batch-00000`;
      await putJson(store, `${prefix}/input.json`, { alerts: 'not a list' });
      const job: ModelJob = {
        model: 'cluster',
        inputKey: `${prefix}/input.json`,
        outputPrefix: `${prefix}/out`,
        jobName: `${run}-cluster-0`,
      };
      await expect(runner.run(job)).rejects.toThrow(/cluster model input .*input\.json/);
      expect(await store.exists(`${prefix}/out/input.json.out`)).toBe(false);
    });
  });
}
