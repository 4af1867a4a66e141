import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../core/temporal-server.js';

/**
 * Times the main command on one file and samples the memory of the whole product (the CLI with
 * its in-process worker, and the embedded Temporal server it starts), as an operator would see it.
 *
 *   node dist/bench/main-command.js [file] [--repeat N]
 */
const repoRoot = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const repeatAt = args.indexOf('--repeat');
const repeat = repeatAt >= 0 ? Number(args[repeatAt + 1]) : 1;
const file = path.resolve(
  args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--repeat') ??
    path.join(repoRoot, '../shared/data/alerts/internal/cptc2017_team1.json'),
);
if (!existsSync(file)) {
  console.error(`bench: ${file} is missing`);
  process.exit(2);
}

/** Resident memory in bytes of a process and all its descendants, read from /proc. */
function treeRss(rootPid: number): { total: number; byName: Map<string, number> } {
  const children = new Map<number, number[]>();
  const names = new Map<number, string>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      const pid = Number(entry);
      names.set(pid, stat.slice(stat.indexOf('(') + 1, close));
      children.set(Number(fields[1]), [...(children.get(Number(fields[1])) ?? []), pid]);
      rss.set(pid, Number(fields[21]) * 4096);
    } catch {
      // The process ended between listing and reading.
    }
  }
  const byName = new Map<string, number>();
  let total = 0;
  const walk = (pid: number): void => {
    const bytes = rss.get(pid) ?? 0;
    total += bytes;
    const name = names.get(pid) ?? '?';
    byName.set(name, (byName.get(name) ?? 0) + bytes);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(rootPid);
  return { total, byName };
}

async function runOnce(): Promise<{
  seconds: number;
  peak: number;
  peakByName: Map<string, number>;
}> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-bench-'));
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: '',
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'dist/starters/cli.js'), 'run', file],
    {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  let peak = 0;
  const peakByName = new Map<string, number>();
  const sampler = setInterval(() => {
    const { total, byName } = treeRss(child.pid!);
    peak = Math.max(peak, total);
    for (const [name, bytes] of byName)
      peakByName.set(name, Math.max(peakByName.get(name) ?? 0, bytes));
  }, 50);
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(dataDir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`the main command exited with ${code}`);
  return { seconds, peak, peakByName };
}

const alerts = (JSON.parse(readFileSync(file, 'utf8')) as { input?: unknown[] }).input?.length ?? 0;
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
console.log(`main command on ${path.basename(file)} (${alerts} alerts), ${repeat} run(s)`);
for (let i = 1; i <= repeat; i++) {
  const r = await runOnce();
  const parts = [...r.peakByName.entries()]
    .map(([name, bytes]) => `${name} ${mb(bytes)}`)
    .join(', ');
  console.log(
    `run ${i}: wall ${r.seconds.toFixed(1)} s (Temporal server start and shutdown included), ` +
      `${(alerts / r.seconds).toFixed(0)} alerts/s, peak memory ${mb(r.peak)} (${parts})`,
  );
}
