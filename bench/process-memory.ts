import { readdirSync, readFileSync } from 'node:fs';

/** Resident memory in bytes of a process and all its descendants, read from /proc. */
export function treeRss(rootPid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const parent = Number(fields[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
      rss.set(Number(entry), Number(fields[21]) * 4096);
    } catch {
      // The process ended between listing and reading.
    }
  }
  let total = 0;
  const walk = (pid: number): void => {
    total += rss.get(pid) ?? 0;
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(rootPid);
  return total;
}

/** Samples the peak memory of several process trees until stopped. */
export function samplePeaks(pids: Record<string, () => number | undefined>, everyMs = 50) {
  const peaks: Record<string, number> = {};
  let together = 0;
  const timer = setInterval(() => {
    let sum = 0;
    for (const [name, pid] of Object.entries(pids)) {
      const id = pid();
      const bytes = id ? treeRss(id) : 0;
      peaks[name] = Math.max(peaks[name] ?? 0, bytes);
      sum += bytes;
    }
    together = Math.max(together, sum);
  }, everyMs);
  return {
    stop(): { peaks: Record<string, number>; together: number } {
      clearInterval(timer);
      return { peaks, together };
    },
  };
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
