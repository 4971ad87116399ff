// Keeps the worker and the dashboard running under `npm start`: one that dies is restarted after
// a pause that grows while it keeps dying, and the launcher gives up (stopping everything) only
// when restarts stop helping. The policy is a pure function of the restart history and `now`.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Child, describeExit, killLeftovers, stopChild, tail, waitForHttp } from './child.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** The first restart's pause: long enough not to spin on a crash, short for a one-off death. */
export const FIRST_BACKOFF_MS = 1 * SECOND;
/**
 * The pause doubles with each restart in a row, up to this: a child that keeps failing on
 * something outside it (a full disk, say) is retried every half minute, not hammered.
 */
export const MAX_BACKOFF_MS = 30 * SECOND;
/**
 * More restarts than this within RESTART_WINDOW_MS, and restarting is not helping: a child that
 * dies at start-up (bad settings, a broken build) reaches it within about two minutes, so the
 * user sees the cause instead of a launcher that looks alive while the product is down.
 */
export const MAX_RESTARTS_IN_WINDOW = 5;
export const RESTART_WINDOW_MS = 5 * MINUTE;
/**
 * A child that answered healthy for this long before dying was working: its next restart starts
 * again from the first pause (a rare crash a day is not a crash loop). It still counts towards
 * the window.
 */
export const STABLE_RUN_MS = 1 * MINUTE;

export interface RestartHistory {
  /** When this child died and was restarted, oldest first (older than the window dropped). */
  readonly restarts: readonly number[];
  /** Restarts in a row without a stable run in between; sets the pause. */
  readonly inARow: number;
}

export const NO_RESTARTS: RestartHistory = { restarts: [], inARow: 0 };

export type RestartDecision =
  | {
      readonly kind: 'restart';
      readonly afterMs: number;
      /** How many times it has been restarted within the window, this one included. */
      readonly restart: number;
      readonly history: RestartHistory;
    }
  | { readonly kind: 'give-up'; readonly why: string };

/**
 * What to do about a child that died at `now`, having answered healthy since `healthySince`
 * (undefined: it never did after its latest start).
 */
export function restartPolicy(
  history: RestartHistory,
  healthySince: number | undefined,
  now: number,
): RestartDecision {
  const recent = history.restarts.filter((at) => now - at < RESTART_WINDOW_MS);
  if (recent.length >= MAX_RESTARTS_IN_WINDOW) {
    return {
      kind: 'give-up',
      why: `it was already restarted ${recent.length} times in the last ${RESTART_WINDOW_MS / MINUTE} minutes`,
    };
  }
  const stable = healthySince !== undefined && now - healthySince >= STABLE_RUN_MS;
  const inARow = stable ? 0 : history.inARow;
  return {
    kind: 'restart',
    afterMs: Math.min(FIRST_BACKOFF_MS * 2 ** inARow, MAX_BACKOFF_MS),
    restart: recent.length + 1,
    history: { restarts: [...recent, now], inARow: inARow + 1 },
  };
}

export interface SupervisedChild {
  /** As the console names it: "worker", "dashboard". */
  readonly name: string;
  /** Starts it; must spawn before returning (see startChild). */
  readonly start: () => Child;
  /** Answers 200 when it is working. */
  readonly healthUrl: string;
  /** How long it may take to answer after a start. */
  readonly startSeconds: number;
  /** How long it may take to stop on SIGTERM before it is killed. */
  readonly graceSeconds: number;
  /**
   * Whether what it needs is still there (PostgreSQL). When not, it is not restarted: the
   * launcher is about to stop everything and says why.
   */
  readonly prerequisite: () => boolean;
  readonly say: (line: string) => void;
}

const inSeconds = (ms: number) => `${ms / SECOND} s`;

export class Supervisor {
  private child: Child;
  private readonly stopping = new AbortController();
  private readonly stopped: Promise<void>;
  /** Each child is asked to stop once: a second SIGTERM makes the worker drop its running jobs. */
  private readonly stops = new WeakMap<Child, Promise<void>>();

  /** Starts the child; `firstStart` then waits for it to answer. */
  constructor(private readonly spec: SupervisedChild) {
    this.stopped = new Promise((resolve) =>
      this.stopping.signal.addEventListener('abort', () => resolve()),
    );
    this.child = spec.start();
  }

  get name(): string {
    return this.spec.name;
  }

  /** The first start must succeed: a child that cannot start once is not restarted. */
  firstStart(): Promise<void> {
    return waitForHttp(this.child, this.spec.healthUrl, this.spec.startSeconds);
  }

  /**
   * Keeps the child running until `stop()` (then resolves with undefined) or until restarting
   * stops helping (then resolves with the message saying so; the caller stops everything).
   */
  async keepRunning(): Promise<string | undefined> {
    const { name, say } = this.spec;
    let history = NO_RESTARTS;
    let healthySince: number | undefined = Date.now();
    for (;;) {
      const failure = await this.failure(healthySince !== undefined);
      if (this.stopping.signal.aborted) return undefined;
      if (!this.spec.prerequisite()) {
        await this.stopped;
        return undefined;
      }
      const decision = restartPolicy(history, healthySince, Date.now());
      const { logFile } = this.child;
      const lastLines = await tail(logFile, 10);
      if (decision.kind === 'give-up') {
        return `The ${name} ${failure}, and ${decision.why}: restarting does not help. Its log is ${logFile}; its last lines:\n${lastLines}`;
      }
      history = decision.history;
      say(
        `The ${name} ${failure}; restarting it in ${inSeconds(decision.afterMs)} (restart ${decision.restart}). Its last lines (${logFile}):\n${lastLines}`,
      );
      await sleep(decision.afterMs, undefined, { signal: this.stopping.signal }).catch(() => {});
      // Checked with nothing awaited before the spawn, so stop() never misses a child.
      if (this.stopping.signal.aborted) return undefined;
      this.child = this.spec.start();
      healthySince = undefined;
      try {
        await waitForHttp(this.child, this.spec.healthUrl, this.spec.startSeconds);
        healthySince = Date.now();
      } catch {
        // It died while starting, or never answered: the next failure() says which.
      }
      if (this.stopping.signal.aborted) return undefined;
      if (healthySince !== undefined) say(`The ${name} is running again.`);
    }
  }

  /** Waits for the running child to fail, and says how, in words that follow "The worker". */
  private async failure(wasHealthy: boolean): Promise<string> {
    const running = this.child.process.exitCode === null && this.child.process.signalCode === null;
    if (!wasHealthy && running) {
      // Restarted but never answered: stop it (counted as a failure) rather than wait forever.
      await this.stopChild();
      killLeftovers(this.child);
      return `did not answer at ${this.spec.healthUrl} within ${this.spec.startSeconds} s of its restart`;
    }
    const exit = await this.child.exited;
    // Not while stop() lets the group finish its jobs (npx, the leader, exits first).
    if (!this.stopping.signal.aborted) killLeftovers(this.child);
    return `${wasHealthy ? 'stopped unexpectedly' : 'stopped while starting again'} (${describeExit(exit)})`;
  }

  private stopChild(): Promise<void> {
    const child = this.child;
    let stopping = this.stops.get(child);
    if (!stopping) {
      stopping = stopChild(child, this.spec.graceSeconds);
      this.stops.set(child, stopping);
    }
    return stopping;
  }

  /** Stops the child, or the restart under way: no new child starts after this is called. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.stopChild();
  }
}
