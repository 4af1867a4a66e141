import type { InputAlert } from '../../core/formats.js';
import { SeededRandom } from './random.js';
import { noiseNames, stages, users } from './scenarios.js';

export interface GeneratorOptions {
  seed: number;
  alerts: number;
  /** Attack campaigns mixed in; the rest of the alerts are background noise. */
  campaigns: number;
  /** Share of alerts that belong to a campaign (0..1). */
  attackShare: number;
  startTime: number;
  /** The time span the noise covers, in seconds. */
  spanSeconds: number;
}

export const defaultGeneratorOptions: GeneratorOptions = {
  seed: 1,
  alerts: 10_000,
  campaigns: 8,
  attackShare: 0.4,
  startTime: 1_700_000_000,
  spanSeconds: 7 * 24 * 3600,
};

export interface LabelledAlert {
  alert: InputAlert;
  /** `campaign-<n>` or `noise`: the ground truth the clustering is scored against. */
  label: string;
  /** The ATT&CK tactic short name of the campaign stage, or '' for noise. */
  stage: string;
}

/**
 * Realistic alert files at any size, seeded and deterministic: multi-stage attacks (stages in
 * tactic order, across several hosts and users, hours apart) mixed with background noise on the
 * same networks. Yields alerts in time order without holding more than one campaign in memory.
 */
export function* generateAlerts(partial: Partial<GeneratorOptions> = {}): Generator<LabelledAlert> {
  const o = { ...defaultGeneratorOptions, ...partial };
  const random = new SeededRandom(o.seed);
  const perCampaign = o.campaigns > 0 ? Math.floor((o.alerts * o.attackShare) / o.campaigns) : 0;
  // Campaign alerts (a share of the file) are planned up front; noise streams between them.
  const attacks = planCampaigns(random, o).flatMap((c) => campaignAlerts(random, c, perCampaign));
  attacks.sort((a, b) => a.alert.time - b.alert.time);
  const noiseCount = o.alerts - attacks.length;
  const noiseStep = o.spanSeconds / Math.max(1, noiseCount);
  let sequence = 0;
  let next = 0;
  for (let n = 0; n < noiseCount || next < attacks.length;) {
    const noiseTime = o.startTime + n * noiseStep;
    const item =
      next < attacks.length && (n >= noiseCount || attacks[next]!.alert.time <= noiseTime)
        ? attacks[next++]!
        : (n++, noise(random, noiseTime));
    item.alert.id = `gen${o.seed}-${sequence++}`;
    yield item;
  }
}

interface PlannedCampaign {
  index: number;
  start: number;
  attacker: string;
  targets: string[];
  user: string;
  stages: typeof stages;
}

function planCampaigns(random: SeededRandom, o: GeneratorOptions): PlannedCampaign[] {
  const planned: PlannedCampaign[] = [];
  for (let index = 0; index < o.campaigns; index++) {
    const chosen = stages.filter((_, i) => i === 0 || random.next() < 0.7);
    planned.push({
      index,
      start: o.startTime + ((index + 0.5) / o.campaigns) * o.spanSeconds * 0.9,
      attacker: random.ip(`203.0.${random.int(1, 250)}`),
      targets: Array.from({ length: random.int(2, 5) }, () => internalIp(random)),
      user: random.pick(users),
      stages: chosen,
    });
  }
  return planned.sort((a, b) => a.start - b.start);
}

function campaignAlerts(random: SeededRandom, c: PlannedCampaign, count: number): LabelledAlert[] {
  const out: LabelledAlert[] = [];
  const perStage = Math.max(1, Math.floor(count / c.stages.length));
  let time = c.start;
  for (let n = 0; n < count; n++) {
    const stage = c.stages[Math.min(c.stages.length - 1, Math.floor(n / perStage))]!;
    time += random.int(1, 40) / 4;
    const target = c.targets[n % c.targets.length]!;
    const src = stage.fromAttacker ? c.attacker : target;
    const inward = stage.tactic === 'exfiltration' ? c.attacker : random.pick(c.targets);
    const dst = stage.fromAttacker ? target : inward;
    out.push({
      label: `campaign-${c.index}`,
      stage: stage.tactic,
      alert: {
        id: '',
        time: Math.round(time * 1000) / 1000,
        src,
        dst,
        name: random.pick(stage.names),
        tech: [],
        other_attributes_dict: {
          priority: random.int(1, 3),
          ...(stage.port > 0 ? { port: stage.port } : {}),
          user: c.user,
        },
      },
    });
  }
  return out;
}

function internalIp(random: SeededRandom): string {
  return random.ip(`10.${random.int(1, 20)}.${random.int(0, 9)}`);
}

function noise(random: SeededRandom, time: number): LabelledAlert {
  return {
    label: 'noise',
    stage: '',
    alert: {
      id: '',
      time: Math.round(time * 1000) / 1000,
      src: internalIp(random),
      dst: random.ip(`${random.int(11, 199)}.${random.int(0, 255)}.${random.int(0, 255)}`),
      name: random.pick(noiseNames),
      tech: [],
      other_attributes_dict: { priority: 3, port: random.pick([80, 443, 53, 123]) },
    },
  };
}
