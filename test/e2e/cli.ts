import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../core/temporal-server.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const cliPath = path.join(repoRoot, 'dist/starters/cli.js');

const builtFiles = ['dist/starters/cli.js', 'dist/workers/main.js', 'dist/workflow-bundle.js'];
const sourceDirs = [
  'core',
  'activities',
  'models',
  'workflows',
  'workers',
  'starters',
  'ui',
  'bench',
];

function newestSource(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The end-to-end, process and fault tests run the built command line and worker, as users do:
 * build dist/ unless it is newer than every source file. scripts/test.sh builds once before the
 * tests, so test files never rebuild it under each other's feet.
 */
export function ensureBuilt(): void {
  const built = builtFiles.map((f) => path.join(repoRoot, f));
  const oldest = Math.min(...built.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  const newest = Math.max(...sourceDirs.map((d) => newestSource(path.join(repoRoot, d))));
  if (oldest < newest) {
    execFileSync('npm', ['run', 'build'], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cliEnv(dataDir: string): Promise<Record<string, string>> {
  return {
    DATA_DIR: dataDir,
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: repoRoot, env: { ...process.env, TEMPORAL_ADDRESS: '', ...env }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
