// Noticing that the embedded PostgreSQL died. It is not the launcher's child (pg_ctl starts it in
// a session of its own, so a Ctrl-C does not reach it before the worker has finished), so no exit
// event comes: its postmaster.pid names the server process, which is looked at directly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Whether the server of this data folder runs. A process that has died but is not yet reaped
 * counts as dead: init reaps orphans only after a delay on some machines (seconds on these), and
 * until then kill(pid, 0), and with it `pg_ctl status`, still finds it.
 */
export function postmasterAlive(dataDir: string): boolean {
  let pid: number;
  try {
    // The file's first line is the postmaster's process id; the server removes it on a clean stop.
    pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    // The state follows the command name, which is in parentheses and may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * Polls until the server of `dataDir` is found dead (true), or until `signal` aborts (false).
 */
export async function postgresDied(
  dataDir: string,
  everyMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  while (postmasterAlive(dataDir)) {
    try {
      await sleep(everyMs, undefined, { signal });
    } catch {
      return false;
    }
  }
  return true;
}
