import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresDied, postmasterAlive } from './postgres-watch.js';

// A postmaster.pid as PostgreSQL writes it: the server's process id first, then its data folder,
// start time, port and more.
const pidFile = (dir: string, pid: number) =>
  writeFileSync(path.join(dir, 'postmaster.pid'), `${pid}\n${dir}\n1763283600\n54329\n\n`);

describe('noticing that the embedded PostgreSQL died', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fls-watch-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds a running server alive', () => {
    pidFile(dir, process.pid);
    expect(postmasterAlive(dir)).toBe(true);
  });

  it('finds none when the pid file is missing (a clean stop removes it) or names no process', async () => {
    expect(postmasterAlive(dir)).toBe(false);
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.once('exit', resolve));
    pidFile(dir, child.pid as number);
    expect(postmasterAlive(dir)).toBe(false);
  });

  it.runIf(process.platform === 'linux')(
    'finds a killed server dead before it is reaped (kill(pid, 0) still finds a zombie)',
    async () => {
      // The shell starts a background sleep, prints its pid and becomes a sleep itself, which
      // never reaps: the background one, once killed, stays a zombie.
      const parent = spawn('sh', ['-c', 'sleep 30 & echo $!; exec sleep 30']);
      children.push(parent);
      const pid = Number(
        await new Promise<string>((resolve) => parent.stdout.once('data', (d) => resolve(`${d}`))),
      );
      pidFile(dir, pid);
      expect(postmasterAlive(dir)).toBe(true);
      process.kill(pid, 'SIGKILL');
      await sleep(200);
      expect(() => process.kill(pid, 0)).not.toThrow();
      expect(postmasterAlive(dir)).toBe(false);
    },
  );

  it('polls until the server dies, or until the watching stops', async () => {
    const server = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    children.push(server);
    pidFile(dir, server.pid as number);
    const watching = new AbortController();
    let died: boolean | undefined;
    void postgresDied(dir, 50, watching.signal).then((value) => {
      died = value;
    });
    await sleep(300);
    expect(died).toBeUndefined();
    unlinkSync(path.join(dir, 'postmaster.pid'));
    await sleep(300);
    expect(died).toBe(true);

    pidFile(dir, server.pid as number);
    const stopped = postgresDied(dir, 50, watching.signal);
    watching.abort();
    expect(await stopped).toBe(false);
  });
});
