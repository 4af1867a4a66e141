import { readdirSync, readFileSync } from 'node:fs';

/** Linux's clock ticks per second for the CPU times in /proc/<pid>/stat. */
const ticksPerSecond = 100;

export interface TreeUsage {
  /** Resident memory in bytes. */
  rss: number;
  /** CPU time (user + system) used so far, in seconds: unlike wall time, barely moved by load. */
  cpuSeconds: number;
}

/** Resident memory and CPU time of a process and all its descendants, read from /proc. */
export function treeUsage(rootPid: number): TreeUsage {
  const children = new Map<number, number[]>();
  const own = new Map<number, TreeUsage>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const parent = Number(fields[1]);
      const list = children.get(parent);
      if (list) list.push(Number(entry));
      else children.set(parent, [Number(entry)]);
      own.set(Number(entry), {
        rss: Number(fields[21]) * 4096,
        cpuSeconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond,
      });
    } catch {
      // The process ended between listing and reading.
    }
  }
  const total: TreeUsage = { rss: 0, cpuSeconds: 0 };
  const walk = (pid: number): void => {
    total.rss += own.get(pid)?.rss ?? 0;
    total.cpuSeconds += own.get(pid)?.cpuSeconds ?? 0;
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(rootPid);
  return total;
}

/**
 * Samples the peak memory of several process trees until stopped, and the CPU time each had used
 * at the last sample (a process's CPU time can no longer be read once it has exited).
 */
export function samplePeaks(pids: Record<string, () => number | undefined>, everyMs = 50) {
  const peaks: Record<string, number> = {};
  const cpuSeconds: Record<string, number> = {};
  const timeline: MemorySample[] = [];
  let together = 0;
  const timer = setInterval(() => {
    let sum = 0;
    for (const [name, pid] of Object.entries(pids)) {
      const id = pid();
      const usage = id ? treeUsage(id) : { rss: 0, cpuSeconds: 0 };
      peaks[name] = Math.max(peaks[name] ?? 0, usage.rss);
      cpuSeconds[name] = Math.max(cpuSeconds[name] ?? 0, usage.cpuSeconds);
      sum += usage.rss;
    }
    timeline.push({ at: Date.now(), together: sum });
    together = Math.max(together, sum);
  }, everyMs);
  return {
    stop(): {
      peaks: Record<string, number>;
      together: number;
      cpuSeconds: Record<string, number>;
      timeline: MemorySample[];
    } {
      clearInterval(timer);
      return { peaks, together, cpuSeconds, timeline };
    },
  };
}

/** One sample: when (epoch milliseconds) and the resident memory of all the trees together. */
export interface MemorySample {
  at: number;
  together: number;
}

/**
 * The highest memory of the trees together sampled inside any of the intervals (epoch ms); an
 * interval shorter than the sampling period gets the first sample after it starts.
 */
export function peakWithin(timeline: MemorySample[], intervals: [number, number][]): number {
  let peak = 0;
  for (const [from, to] of intervals) {
    const first = timeline.findIndex((sample) => sample.at >= from);
    if (first < 0) continue;
    peak = Math.max(peak, timeline[first]!.together);
    for (let n = first + 1; n < timeline.length && timeline[n]!.at <= to; n++)
      peak = Math.max(peak, timeline[n]!.together);
  }
  return peak;
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
