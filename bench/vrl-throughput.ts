/**
 * VRL throughput on the CPTC 2017 Splunk exports: records per second mapped one chunk per VRL
 * execution against one record per execution, on one core. Prints figures; asserts nothing.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/vrl-throughput.js [chunkSize]
 */
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  builtinPrograms,
  loadVrlPrograms,
  mapRecords,
  programNamed,
  readExportRecords,
  runVrl,
} from '../activities/vrl/index.js';

// Compiled, this file runs from dist/bench; from source, from bench.
const up = existsSync(path.resolve(import.meta.dirname, '../vrl')) ? '..' : '../..';
const repoRoot = path.resolve(import.meta.dirname, up);
const exportsDir = path.resolve(repoRoot, '../shared/data/alerts/labeled/cptc2017/splunk_export');
const chunkSize = Number(process.argv[2] ?? 5000);
const perRecordSample = 1000;

async function loadRecords(): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  for (const file of readdirSync(exportsDir)
    .filter((f) => f.endsWith('.gz'))
    .sort()) {
    const full = path.join(exportsDir, file);
    for await (const item of readExportRecords(createReadStream(full), full)) {
      if ('record' in item) records.push(item.record);
    }
  }
  return records;
}

const rounds = 3;

interface Timing {
  wallMs: number;
  /** CPU time of this thread alone: the per-core figure, whatever else loads the machine. */
  cpuMs: number;
}

function threadCpuMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

/** The best of a few rounds: the first pays for JIT warm-up and the garbage of reading. */
function best(run: () => void): Timing {
  const fastest = { wallMs: Infinity, cpuMs: Infinity };
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    const cpu = threadCpuMs();
    run();
    fastest.cpuMs = Math.min(fastest.cpuMs, threadCpuMs() - cpu);
    fastest.wallMs = Math.min(fastest.wallMs, performance.now() - t);
  }
  return fastest;
}

function perSecond(records: number, ms: number): string {
  return Math.round((records / ms) * 1000).toLocaleString('en-US');
}

/** Wall-clock rate, then the rate per second of this thread's CPU time (they differ under load). */
function rate(records: number, time: Timing): string {
  const wall = perSecond(records, time.wallMs);
  return `${wall} records/s (${perSecond(records, time.cpuMs)} per CPU second)`;
}

async function main(): Promise<void> {
  if (!existsSync(exportsDir)) throw new Error(`CPTC exports not found at ${exportsDir}`);
  const t0 = performance.now();
  const records = await loadRecords();
  const readMs = Math.round(performance.now() - t0);
  console.log(`read ${records.length} records from the CPTC exports in ${readMs} ms`);

  const set = loadVrlPrograms({ dir: path.join(repoRoot, 'vrl') });
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < records.length; i += chunkSize) chunks.push(records.slice(i, i + chunkSize));
  // The program selection picks for these records, and the EVE program that re-parses `_raw`.
  for (const name of [builtinPrograms.splunkSuricata, builtinPrograms.suricata]) {
    const program = programNamed(set, name);
    runVrl(program, chunks[0]?.slice(0, 100) ?? []); // warm the WebAssembly instance
    const stats = { executions: 0 };
    const time = best(() => {
      for (const chunk of chunks) runVrl(program, chunk, { stats });
    });
    const executions = stats.executions / rounds;
    console.log(`${name}, per chunk (${executions} executions): ${rate(records.length, time)}`);
    const sample = records.slice(0, perRecordSample);
    const one = { executions: 0 };
    const t1 = { wall: performance.now(), cpu: threadCpuMs() };
    runVrl(program, sample, { perRecord: true, stats: one });
    const once = { wallMs: performance.now() - t1.wall, cpuMs: threadCpuMs() - t1.cpu };
    console.log(`${name}, per record (${one.executions} executions): ${rate(sample.length, once)}`);
  }

  let alerts = 0;
  const time = best(() => {
    alerts = 0;
    for (const chunk of chunks) {
      alerts += mapRecords(set, chunk, { inputKey: 'bench', inputName: 'bench' }).alerts.length;
    }
  });
  const figure = rate(records.length, time);
  console.log(`mapRecords (selection + VRL + schema validation): ${figure}, ${alerts} alerts`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
