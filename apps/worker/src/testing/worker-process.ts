// The worker as a real process (src/main.ts under tsx), for the tests and benchmarks that kill it,
// take its database away or measure its memory from outside.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { waitFor } from './harness.js';

const workerDir = fileURLToPath(new URL('../..', import.meta.url));

/** A port nothing listens on now (the worker's health endpoints take it next). */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts src/main.ts with `env` on top of this process's environment. Its log (pino writes to
 * stdout) and stderr go to `output` when given; otherwise only stderr is passed on.
 */
export function startWorkerProcess(
  env: Record<string, string>,
  options: { logLevel?: string; output?: (chunk: Buffer) => void } = {},
): ChildProcess {
  const { output } = options;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: workerDir,
    env: { ...process.env, ...env, LOG_LEVEL: options.logLevel ?? 'warn' },
    stdio: ['ignore', output ? 'pipe' : 'ignore', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output?.(chunk));
  child.stderr?.on('data', output ?? ((chunk: Buffer) => process.stderr.write(chunk)));
  return child;
}

/** Resolves with the exit code (null when a signal ended it) once the process has exited. */
export const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

/** The worker's readiness (database and queue both answer): the HTTP status, or 0 for no answer. */
export async function readiness(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
    signal: AbortSignal.timeout(5_000),
  }).catch(() => undefined);
  return response?.status ?? 0;
}

/** Waits until /health/ready answers 200. */
export async function ready(port: number, timeoutMs = 30_000) {
  await waitFor(
    'the worker to answer',
    async () => (await readiness(port)) === 200,
    timeoutMs,
    100,
  );
}

/** Kills the process (SIGKILL) if it still runs, and waits for it to go. */
export async function kill(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await exited(child);
}
