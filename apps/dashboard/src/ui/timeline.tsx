import type { Plan, PlanStep } from '@vfx/domain';
import { calendar } from '@/server/service-calendar';
import { formatCalendarDate, formatDate, localDate } from './dates';
import { statusText } from './status';

const DAY = 86_400_000;

export interface TimelineEvent {
  readonly id: string;
  readonly at: string;
  readonly label: string;
  /** Corrected or withdrawn entries are drawn hollow. */
  readonly standing: boolean;
}

interface Props {
  readonly plan: Plan;
  readonly fractureDate: string;
  readonly admittedAt: string | undefined;
  readonly events: readonly TimelineEvent[];
  readonly now: Date;
  readonly timeZone: string;
  /** Show up to a year and a half after the fracture instead of the first weeks. */
  readonly wide: boolean;
}

const LABEL_WIDTH = 350;
const WIDTH = 1100;
const LANE = 26;
const TOP = 58;

/**
 * The episode on a time axis: fracture, admission, recorded entries, today, and each step's
 * window (opens → due → overdue) with its status written beside it, never by colour alone.
 */
export function Timeline({ plan, fractureDate, admittedAt, events, now, timeZone, wide }: Props) {
  // The fracture date is a day of the service's calendar: the axis starts at its midnight there.
  const fracture = calendar.startOfDay(fractureDate);
  const steps = plan.steps.filter(
    (step): step is PlanStep & { window: NonNullable<PlanStep['window']> } =>
      step.window !== undefined && step.status !== 'not-applicable' && step.status !== 'cancelled',
  );
  const start = fracture - 3 * DAY;
  const end = Math.max(now.getTime() + 28 * DAY, fracture + (wide ? 560 : 126) * DAY);
  const x = (ms: number) =>
    LABEL_WIDTH +
    ((Math.min(Math.max(ms, start), end) - start) / (end - start)) * (WIDTH - LABEL_WIDTH - 20);
  const lanes = [...steps].sort(
    (a, b) => Date.parse(a.window.transitions.open) - Date.parse(b.window.transitions.open),
  );
  const height = TOP + LANE * (lanes.length + 1) + 30;

  // Week ticks from the fracture date: every week early on, every 4 or 8 weeks over longer spans.
  const spanWeeks = (end - fracture) / (7 * DAY);
  const every = spanWeeks > 40 ? 8 : spanWeeks > 20 ? 4 : 2;
  const ticks: number[] = [];
  for (let week = 0; fracture + week * 7 * DAY <= end; week += every) ticks.push(week);

  const today = now.getTime();
  const label = `Timeline from the fracture on ${formatCalendarDate(fractureDate)} to ${formatDate(end, timeZone)}: ${lanes.length} steps, ${events.length} recorded entries.`;
  return (
    <figure className="timeline">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-labelledby="timeline-title"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id="timeline-title">{label}</title>
        {/* Axis: weeks since the fracture. */}
        {ticks.map((week) => {
          const tx = x(fracture + week * 7 * DAY);
          return (
            <g key={week}>
              <line x1={tx} x2={tx} y1={TOP - 18} y2={height - 24} className="tl-grid" />
              <text x={tx} y={height - 8} className="tl-tick" textAnchor="middle">
                {week === 0 ? 'Fracture' : `Wk ${week}`}
              </text>
            </g>
          );
        })}
        {/* Recorded entries on the top lane. */}
        <text x={8} y={TOP - 4} className="tl-lane-label">
          Recorded entries
        </text>
        {events.map((event) => (
          <circle
            key={event.id}
            cx={x(Date.parse(event.at))}
            cy={TOP - 8}
            r={6}
            className={event.standing ? 'tl-event' : 'tl-event tl-event-void'}
          >
            <title>
              {`${formatDate(event.at, timeZone)}: ${event.label}${event.standing ? '' : ' (corrected or withdrawn)'}`}
            </title>
          </circle>
        ))}
        {/* Step windows. */}
        {lanes.map((step, i) => {
          const y = TOP + 12 + i * LANE;
          const t = step.window.transitions;
          const opens = Date.parse(t.open);
          const due = Date.parse(t.due);
          const overdue = Date.parse(t.overdue);
          const done = step.completion ? Date.parse(step.completion.at) : undefined;
          const beyond = opens > end;
          return (
            <g key={step.key} className={`tl-step tl-${step.status}`}>
              {/* One string: React's text separators would break hydration inside <title>. */}
              <title>
                {`${step.title}: ${statusText(step.status)}${step.urgent ? ', urgent' : ''}. Opens ${formatDate(opens, timeZone)}, due ${formatDate(due, timeZone)}, overdue from ${formatDate(overdue, timeZone)}.`}
              </title>
              <text x={8} y={y + 12} className="tl-step-label">
                {step.title.length > 32 ? `${step.title.slice(0, 31)}…` : step.title}
              </text>
              <text x={LABEL_WIDTH - 8} y={y + 12} className="tl-status" textAnchor="end">
                {statusText(step.status)}
              </text>
              {beyond ? (
                <text x={WIDTH - 24} y={y + 12} className="tl-tick" textAnchor="end">
                  {`opens ${localDate(opens, timeZone)} →`}
                </text>
              ) : (
                <>
                  <rect
                    x={x(opens)}
                    y={y + 2}
                    width={Math.max(2, x(due) - x(opens))}
                    height={14}
                    className="tl-window-open"
                  />
                  <rect
                    x={x(due)}
                    y={y + 2}
                    width={Math.max(2, x(overdue) - x(due))}
                    height={14}
                    className="tl-window-due"
                  />
                  {step.status === 'overdue' ? (
                    <rect
                      x={x(overdue)}
                      y={y + 2}
                      width={Math.max(2, x(today) - x(overdue))}
                      height={14}
                      className="tl-window-late"
                    />
                  ) : null}
                  <line x1={x(due)} x2={x(due)} y1={y} y2={y + 18} className="tl-due-mark" />
                  {done !== undefined ? (
                    <path d={`M ${x(done) - 6} ${y + 9} l 4 5 l 8 -10`} className="tl-done" />
                  ) : null}
                </>
              )}
            </g>
          );
        })}
        {/* Fracture, admission and today. */}
        <line
          x1={x(fracture)}
          x2={x(fracture)}
          y1={TOP - 30}
          y2={height - 24}
          className="tl-fracture"
        />
        {admittedAt ? (
          <g>
            <line
              x1={x(Date.parse(admittedAt))}
              x2={x(Date.parse(admittedAt))}
              y1={TOP - 30}
              y2={height - 24}
              className="tl-admitted"
            />
            <text x={x(Date.parse(admittedAt)) + 4} y={TOP - 34} className="tl-tick">
              Admitted
            </text>
          </g>
        ) : null}
        <line x1={x(today)} x2={x(today)} y1={14} y2={height - 24} className="tl-today" />
        <text x={x(today)} y={12} className="tl-today-label" textAnchor="middle">
          Today
        </text>
      </svg>
      <figcaption className="timeline-key">
        <span>
          <span className="key key-open" /> Open (before due)
        </span>
        <span>
          <span className="key key-due" /> Due (until overdue)
        </span>
        <span>
          <span className="key key-late" /> Overdue
        </span>
        <span>
          <span className="key key-event" /> Recorded entry
        </span>
        <span>✓ Completed</span>
      </figcaption>
    </figure>
  );
}
