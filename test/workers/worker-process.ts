import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../e2e/cli.js';

export interface WorkerProcess {
  pid: number;
  /** Everything the process wrote so far (structured logs on stdout, errors on stderr). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(name: NodeJS.Signals): void;
}

/** `node dist/workers/main.js` with the given settings, as an operator would start it. */
export function startWorkerProcess(
  env: Record<string, string>,
  args: string[] = [],
): WorkerProcess {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/workers/main.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    pid: child.pid!,
    output: () => text,
    exited,
    signal: (name) => child.kill(name),
  };
}

/** Waits until `check` returns a value, polling every `everyMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
