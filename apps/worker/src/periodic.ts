/**
 * Runs `work` now and then again `intervalMs` after each run ends (never two at once). `runNow`
 * asks for a run out of turn, still never alongside another. `stop` cancels the next run and waits
 * for the current one, so shutdown never cuts a run in half.
 */
export class Periodic<T = unknown> {
  private timer: NodeJS.Timeout | undefined;
  /** The run in progress, settled only once its end is handled (errors reported, next run set). */
  private running: Promise<void> | undefined;
  private requested: Promise<T> | undefined;
  private stopped = false;

  constructor(
    private readonly work: () => Promise<T>,
    private readonly intervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  start(firstDelayMs = 0): void {
    this.schedule(firstDelayMs);
  }

  /**
   * Runs `work` at once, or as soon as the run in progress ends: that run may have looked at the
   * world before whatever made the caller ask, so it does not count. Calls made while a run waits
   * share it. The next periodic run comes a full interval after this one. Resolves with the run's
   * result; rejects with its error (which `onError` has also seen).
   */
  runNow(): Promise<T> {
    if (this.stopped) return Promise.reject(new Error('stopped: no further runs'));
    if (!this.requested) {
      const requested: Promise<T> = this.idle().then(() => {
        // From here a new call waits for this run instead of joining it.
        if (this.requested === requested) this.requested = undefined;
        if (this.stopped) throw new Error('stopped: no further runs');
        return this.run();
      });
      this.requested = requested;
    }
    return this.requested;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.requested?.catch(() => undefined);
    await this.running;
  }

  private async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private run(): Promise<T> {
    clearTimeout(this.timer);
    const result = this.work();
    this.running = result
      .then(
        () => undefined,
        (error: Error) => this.onError(error),
      )
      .finally(() => {
        this.running = undefined;
        this.schedule(this.intervalMs);
      });
    return result;
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // A run asked for out of turn is in progress; it schedules the next one when it ends.
      // Its result and error are handled in run(); nobody else waits for this one.
      if (!this.running) void this.run();
    }, delay);
  }
}
