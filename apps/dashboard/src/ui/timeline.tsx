import type { Plan, PlanStep } from '@vfx/domain';
import type { CSSProperties } from 'react';
import { calendar } from '@/server/service-calendar';
import {
  formatCalendarDate,
  formatDate,
  guidelineDate,
  guidelinePhrase,
  phraseText,
} from './dates';
import { statusText } from './status';
import './timeline.css';

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

/** A position on the track, as a CSS length (the track's width is 100%). */
const at = (fraction: number): CSSProperties => ({ left: `${(fraction * 100).toFixed(3)}%` });
const span = (from: number, to: number): CSSProperties => ({
  left: `${(from * 100).toFixed(3)}%`,
  width: `max(2px, ${((to - from) * 100).toFixed(3)}%)`,
});

/**
 * The episode on a time axis: fracture, admission, recorded entries, today, and each step's
 * window (opens → due → overdue) with its status written beside it, never by colour alone.
 *
 * Drawn in HTML, not a scaled SVG, so its text keeps its size at every width (a drawing scaled
 * to a tablet's width shrank it to about 8 px), each lane's full name wraps instead of being cut,
 * and every lane is a list item that says its dates in words for a screen reader.
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
  const x = (ms: number) => (Math.min(Math.max(ms, start), end) - start) / (end - start);
  const lanes = [...steps].sort(
    (a, b) => Date.parse(a.window.transitions.open) - Date.parse(b.window.transitions.open),
  );

  // Week ticks from the fracture date: every 2 weeks early on, every 4 or 8 over longer spans.
  const spanWeeks = (end - fracture) / (7 * DAY);
  const every = spanWeeks > 40 ? 8 : spanWeeks > 20 ? 4 : 2;
  const ticks: number[] = [];
  for (let week = 0; fracture + week * 7 * DAY <= end; week += every) ticks.push(week);

  const today = now.getTime();
  const admitted = admittedAt ? Date.parse(admittedAt) : undefined;
  const anyDone = lanes.some((step) => step.completion);
  const anyLate = lanes.some((step) => step.status === 'overdue');
  const anyVoid = events.some((event) => !event.standing);
  const label = `Timeline from the fracture on ${formatCalendarDate(fractureDate)} to ${formatDate(end, timeZone)}: ${lanes.length} steps, ${events.length} recorded entries.`;
  return (
    <figure className="timeline" aria-labelledby="timeline-summary">
      <p id="timeline-summary" className="nhsuk-u-visually-hidden">
        {label}
      </p>
      <div className="tl">
        <div className="tl-row tl-marks" aria-hidden="true">
          <div className="tl-label" />
          <div className="tl-track">
            {admitted !== undefined ? (
              <span className="tl-mark-label tl-mark-admitted" style={at(x(admitted))}>
                Admitted
              </span>
            ) : null}
            <span
              className={`tl-mark-label tl-mark-today${x(today) > 0.9 ? ' tl-mark-end' : ''}`}
              style={at(x(today))}
            >
              Today
            </span>
          </div>
        </div>
        <ol className="tl-lanes">
          <li className="tl-row tl-entries">
            <div className="tl-label">
              <span className="tl-title">Recorded entries</span>{' '}
              <span className="tl-status">{events.length}</span>
            </div>
            <div className="tl-track">
              {events.map((event) => (
                <span
                  key={event.id}
                  className={event.standing ? 'tl-event' : 'tl-event tl-event-void'}
                  style={at(x(Date.parse(event.at)))}
                  title={`${formatDate(event.at, timeZone)}: ${event.label}${event.standing ? '' : ' (corrected or withdrawn)'}`}
                />
              ))}
            </div>
          </li>
          {lanes.map((step) => {
            const t = step.window.transitions;
            const opens = Date.parse(t.open);
            const due = Date.parse(t.due);
            const overdue = Date.parse(t.overdue);
            const done = step.completion ? Date.parse(step.completion.at) : undefined;
            // The date language (src/ui/dates.ts): the guideline dates, each labelled.
            const dates = (['opens', 'due', 'overdue'] as const)
              .map((edge) =>
                phraseText(guidelinePhrase(step.window, edge, now, timeZone, { relative: false })),
              )
              .join('; ');
            const words = `${dates}${done !== undefined ? `; done ${formatDate(done, timeZone)}` : ''}.`;
            return (
              <li
                key={step.key}
                className={`tl-row tl-step tl-${step.status}`}
                title={`${step.title}: ${statusText(step.status)}${step.urgent ? ', urgent' : ''}. ${words}`}
              >
                <div className="tl-label">
                  <span className="tl-title">{step.title}</span>{' '}
                  <span className="tl-status">
                    {statusText(step.status)}
                    {step.urgent ? ', urgent' : ''}
                  </span>
                </div>
                <div className="tl-track">
                  <span className="nhsuk-u-visually-hidden">{words}</span>
                  {opens > end ? (
                    <span className="tl-beyond" aria-hidden="true">
                      opens {guidelineDate(step.window, 'opens', timeZone)} →
                    </span>
                  ) : (
                    <>
                      <span className="tl-bar tl-window-open" style={span(x(opens), x(due))} />
                      <span className="tl-bar tl-window-due" style={span(x(due), x(overdue))} />
                      {step.status === 'overdue' ? (
                        <span
                          className="tl-bar tl-window-late"
                          style={span(x(overdue), x(today))}
                        />
                      ) : null}
                      <span className="tl-due-mark" style={at(x(due))} />
                      {done !== undefined ? (
                        <span className="tl-done" style={at(x(done))} aria-hidden="true">
                          ✓
                        </span>
                      ) : null}
                    </>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
        <div className="tl-row tl-axis" aria-hidden="true">
          <div className="tl-label">Weeks since the fracture</div>
          <div className="tl-track">
            {ticks.map((week) => (
              <span key={week} className="tl-tick" style={at(x(fracture + week * 7 * DAY))}>
                {`Wk ${week}`}
              </span>
            ))}
          </div>
        </div>
        {/* Lines across every lane: the weeks, the fracture, the admission and today. */}
        <div className="tl-lines" aria-hidden="true">
          {ticks.map((week) =>
            week === 0 ? null : (
              <span key={week} className="tl-grid" style={at(x(fracture + week * 7 * DAY))} />
            ),
          )}
          <span className="tl-line tl-fracture" style={at(x(fracture))} />
          {admitted !== undefined ? (
            <span className="tl-line tl-admitted" style={at(x(admitted))} />
          ) : null}
          <span className="tl-line tl-today" style={at(x(today))} />
        </div>
      </div>
      <figcaption className="timeline-key">
        <h3 className="nhsuk-u-visually-hidden">Key</h3>
        <ul>
          <li>
            <span className="key-swatch">
              <span className="tl-bar tl-window-open" />
            </span>
            Window open, before the due date
          </li>
          <li>
            <span className="key-swatch">
              <span className="tl-bar tl-window-due" />
            </span>
            Due, until it becomes overdue
          </li>
          {anyLate ? (
            <li>
              <span className="key-swatch">
                <span className="tl-bar tl-window-late" />
              </span>
              Overdue, up to today
            </li>
          ) : null}
          {anyDone ? (
            <li>
              <span className="key-swatch tl-completed">
                <span className="tl-bar tl-window-open" />
              </span>
              Window of a completed step
            </li>
          ) : null}
          <li>
            <span className="key-swatch">
              <span className="tl-due-mark" />
            </span>
            Tick: the due date
          </li>
          {anyDone ? (
            <li>
              <span className="key-swatch">
                <span className="tl-done">✓</span>
              </span>
              Completed on this day
            </li>
          ) : null}
          <li>
            <span className="key-swatch">
              <span className="tl-event" />
            </span>
            Filled dot: a recorded entry
          </li>
          {anyVoid ? (
            <li>
              <span className="key-swatch">
                <span className="tl-event tl-event-void" />
              </span>
              Hollow dot: an entry later corrected or withdrawn
            </li>
          ) : null}
          <li>
            <span className="key-swatch">
              <span className="tl-line tl-fracture" />
            </span>
            Solid line: the fracture
          </li>
          {admitted !== undefined ? (
            <li>
              <span className="key-swatch">
                <span className="tl-line tl-admitted" />
              </span>
              Dotted line: admission
            </li>
          ) : null}
          <li>
            <span className="key-swatch">
              <span className="tl-line tl-today" />
            </span>
            Dashed line: today
          </li>
          <li>
            <span className="key-swatch">
              <span className="tl-grid" />
            </span>
            Faint lines: weeks since the fracture (Wk 0 is the fracture)
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
