import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Periodic } from './periodic.js';

/** Work that records when each run starts and ends, and how many ran at once. */
function recorder(ms: number) {
  const log: string[] = [];
  let runs = 0;
  let inFlight = 0;
  let mostAtOnce = 0;
  const work = async () => {
    runs += 1;
    const run = runs;
    inFlight += 1;
    mostAtOnce = Math.max(mostAtOnce, inFlight);
    log.push(`start ${run}`);
    await sleep(ms);
    inFlight -= 1;
    log.push(`end ${run}`);
    return run;
  };
  return {
    log,
    work,
    get runs() {
      return runs;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
  };
}

describe('Periodic', () => {
  const loops: Periodic[] = [];
  afterEach(async () => {
    await Promise.all(loops.splice(0).map((loop) => loop.stop()));
  });

  it('runs at start and again an interval after each run ends', async () => {
    const r = recorder(10);
    const loop = new Periodic(r.work, 30, () => undefined);
    loops.push(loop);
    loop.start();
    await sleep(300);
    // Each cycle is 10 ms of work, then 30 ms of waiting: at most 8 runs in 300 ms (fewer on a
    // busy machine), where a timer every 30 ms regardless of the runs would start 10.
    expect(r.runs).toBeGreaterThanOrEqual(2);
    expect(r.runs).toBeLessThanOrEqual(8);
    expect(r.mostAtOnce).toBe(1);
  });

  it('runNow during a run waits for it, then runs again; callers meanwhile share that run', async () => {
    const r = recorder(40);
    const loop = new Periodic(r.work, 60_000, () => undefined);
    loops.push(loop);
    loop.start();
    await sleep(10);
    expect(r.log).toEqual(['start 1']);
    const asked = [loop.runNow(), loop.runNow(), loop.runNow()];
    expect(await Promise.all(asked)).toEqual([2, 2, 2]);
    expect(r.log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(r.mostAtOnce).toBe(1);
    // A call made while run 2 was in progress would have waited for it; now none is, so it
    // runs at once, and the next periodic run is a full interval away.
    expect(await loop.runNow()).toBe(3);
    await sleep(50);
    expect(r.runs).toBe(3);
  });

  it('runNow before the first periodic run replaces it', async () => {
    const r = recorder(5);
    const loop = new Periodic(r.work, 60_000, () => undefined);
    loops.push(loop);
    loop.start(20);
    expect(await loop.runNow()).toBe(1);
    await sleep(40);
    expect(r.runs).toBe(1);
  });

  it('reports a failed run to onError and to the caller that asked for it, and goes on', async () => {
    const errors: string[] = [];
    let calls = 0;
    const loop = new Periodic(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('first run failed');
        return calls;
      },
      60_000,
      (error) => errors.push(error.message),
    );
    loops.push(loop);
    await expect(loop.runNow()).rejects.toThrow('first run failed');
    expect(errors).toEqual(['first run failed']);
    expect(await loop.runNow()).toBe(2);
  });

  it('stop waits for the run in progress and refuses further runs', async () => {
    const r = recorder(30);
    const loop = new Periodic(r.work, 10, () => undefined);
    loop.start();
    await sleep(5);
    await loop.stop();
    expect(r.log).toEqual(['start 1', 'end 1']);
    await expect(loop.runNow()).rejects.toThrow('stopped');
    await sleep(30);
    expect(r.runs).toBe(1);
  });
});
