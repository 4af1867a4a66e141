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

/** The best of a few rounds: the first pays for JIT warm-up and the garbage of reading. */
function best(run: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - t);
  }
  return fastest;
}

function rate(records: number, ms: number): string {
  return `${Math.round((records / ms) * 1000).toLocaleString('en-US')} records/s`;
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
    const ms = best(() => {
      for (const chunk of chunks) runVrl(program, chunk, { stats });
    });
    const executions = stats.executions / rounds;
    console.log(`${name}, per chunk (${executions} executions): ${rate(records.length, ms)}`);
    const sample = records.slice(0, perRecordSample);
    const one = { executions: 0 };
    const t1 = performance.now();
    runVrl(program, sample, { perRecord: true, stats: one });
    const ms1 = performance.now() - t1;
    console.log(`${name}, per record (${one.executions} executions): ${rate(sample.length, ms1)}`);
  }

  let alerts = 0;
  const ms = best(() => {
    alerts = 0;
    for (const chunk of chunks) {
      alerts += mapRecords(set, chunk, { inputKey: 'bench', inputName: 'bench' }).alerts.length;
    }
  });
  const figure = rate(records.length, ms);
  console.log(`mapRecords (selection + VRL + schema validation): ${figure}, ${alerts} alerts`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
