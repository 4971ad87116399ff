import { LATE_AFTER_MS } from '@vfx/database/views';
import { formatDateTime } from './dates';
import { formatDuration } from './durations';

/**
 * Every page reads the statuses the worker has applied (see README, "How the engine works").
 * When it is behind by more than a minute, the page says what the statuses are as of, so a
 * nurse does not take "due" for the whole truth while an overdue change waits to be applied.
 */
export function StatusesAsOf({
  since,
  now,
  zone,
}: {
  /** The earliest timed change due by now and not yet applied, if any. */
  readonly since: Date | undefined;
  readonly now: Date;
  readonly zone: string;
}) {
  if (!since || now.getTime() - since.getTime() < LATE_AFTER_MS) return null;
  return (
    <div className="notice statuses-behind" role="status">
      <p className="strong">
        Statuses are {formatDuration(now.getTime() - since.getTime())} behind
      </p>
      <p>
        Statuses shown are as of {formatDateTime(since, zone)}. Timed changes since then (a step
        becoming due or overdue, and its reminder) have not been applied yet. Check Admin › Queues,
        or ask an administrator to check the worker.
      </p>
    </div>
  );
}
