import { planChangesOfEntry } from '@vfx/database/views';
import {
  byRecommendationPriority,
  type ClinicalEvent,
  changedDetails,
  compareOverdueRisk,
  describeAppointment,
  EPISODE_DETAIL_FIELDS,
  type Episode,
  type EventOf,
  effectiveEpisode,
  isActive,
  may as mayDo,
  type PlanRecommendation,
  type PlanStep,
  may as permits,
  phaseLabel,
} from '@vfx/domain';
import Link from 'next/link';
import {
  describeEvent,
  EVENT_FORMS,
  RECORDABLE,
  valueLabel,
  valueWords,
} from '@/forms/event-fields';
import { db } from '@/server/db';
import { episodeView } from '@/server/episode';
import { recordPatientView, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { Citations } from '@/ui/citations';
import {
  formatCalendarDate,
  formatDate,
  formatDateTime,
  localDate,
  stepWhenText,
} from '@/ui/dates';
import { ageOn, formatIdentifier, patientName } from '@/ui/identity';
import { RecordedBases } from '@/ui/recorded-basis';
import { StatusBadge, statusText, Tag } from '@/ui/status';
import { StatusesAsOf } from '@/ui/statuses-as-of';
import { Timeline } from '@/ui/timeline';
import { ContactSection } from './contact/contact-section';
import './patient.css';

export async function generateMetadata({ params }: { params: Promise<{ episodeId: string }> }) {
  const { episodeId } = await params;
  const view = await episodeView(episodeId);
  return { title: `${view.patientRow.givenName} ${view.patientRow.familyName} · Fracture liaison` };
}

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** What the plan said when the entry was saved. */
const changesOf = (eventId: string) => planChangesOfEntry(db(), eventId);

/** A note longer than this is shown by its first words, the rest on request. */
const NOTE_SHOWN = 120;
/** The history shows its latest entries; the earlier ones open on request. */
const HISTORY_SHOWN = 6;
/** Completed steps shown before "Done earlier": the latest, which is what a nurse checks. */
const DONE_SHOWN = 5;

/**
 * The patient page, action first: what needs doing now (overdue and due steps, urgent advice),
 * then the timeline, then the rest of the advice and the plan, the details and the history.
 * Printed, it is a one- or two-page summary for the notes (patient.css).
 */
export default async function EpisodePage({
  params,
  searchParams,
}: {
  params: Promise<{ episodeId: string }>;
  searchParams: Promise<Search>;
}) {
  // Schedulers read the patient page (their reminders link here); what each role may record on
  // it is the permission table's answer for each kind of entry.
  const user = await requirePermission('patient.view');
  const may = (type: string) => permits(user, 'entry.record', { entryType: type });
  const { episodeId } = await params;
  const query = await searchParams;
  const view = await episodeView(episodeId);
  await recordPatientView(user, { episodeId, patientId: view.patientRow.id });
  const zone = await userTimeZone();
  const { plan, record, patientRow, now, definition } = view;
  // The details as corrected since enrolment (record.episode is the enrolment as first given).
  const { episode } = view;
  const corrected = changedDetails(record.episode, episode).length > 0;
  const base = `/episodes/${encodeURIComponent(episodeId)}`;
  const wide = one(query.span) === 'long';

  const recordedId = one(query.recorded);
  const recorded = recordedId ? record.events.find((e) => e.id === recordedId) : undefined;
  const changes = recorded ? await changesOf(recorded.id) : undefined;

  // Which entries a later one corrected or withdrew.
  const replacedBy = new Map<string, ClinicalEvent>();
  for (const event of record.events) if (event.supersedes) replacedBy.set(event.supersedes, event);
  const history = [...record.events].sort(
    (a, b) =>
      Date.parse(b.occurredAt) - Date.parse(a.occurredAt) ||
      Date.parse(b.recordedAt) - Date.parse(a.recordedAt),
  );

  // What needs doing now: overdue steps in the domain's risk order (a late denosumab dose, then
  // the red flags, then the longest overdue), then the steps due, soonest overdue first.
  const overdue = plan.steps
    .filter((s) => s.status === 'overdue')
    .sort((a, b) =>
      compareOverdueRisk(
        { stepId: a.stepId, key: a.key, episodeId, overdueAt: a.window?.transitions.overdue ?? 0 },
        { stepId: b.stepId, key: b.key, episodeId, overdueAt: b.window?.transitions.overdue ?? 0 },
      ),
    );
  const byDate = (pick: (s: PlanStep) => string | undefined) => (a: PlanStep, b: PlanStep) =>
    Date.parse(pick(a) ?? '9999') - Date.parse(pick(b) ?? '9999');
  const due = plan.steps
    .filter((s) => s.status === 'due')
    .sort(byDate((s) => s.window?.transitions.overdue));
  const actNow = [...overdue, ...due];
  // The advice in the domain's priority order; the urgent advice is part of what to do now.
  const recommendations = byRecommendationPriority(plan.recommendations);
  const urgent = recommendations.filter((rec) => rec.priority === 'urgent');
  const otherAdvice = recommendations.filter((rec) => rec.priority !== 'urgent');

  const groups: { id: string; title: string; steps: PlanStep[] }[] = [
    {
      id: 'open-now',
      title: 'Open now',
      steps: plan.steps
        .filter((s) => s.status === 'open')
        .sort(byDate((s) => s.window?.transitions.due)),
    },
    {
      id: 'coming-up',
      title: 'Coming up',
      steps: plan.steps
        .filter((s) => s.status === 'upcoming')
        .sort(byDate((s) => s.window?.transitions.open)),
    },
    {
      id: 'done',
      title: 'Done',
      steps: plan.steps
        .filter((s) => s.status === 'completed')
        .sort(byDate((s) => s.completion?.at))
        .reverse(),
    },
  ];
  const notApplicable = plan.steps.filter(
    (s) => s.status === 'not-applicable' || s.status === 'cancelled',
  );
  const today = formatCalendarDate(localDate(now, zone));
  const closed = !!plan.closure || !may('step-completed');
  const phase = definition ? phaseLabel(definition.phases, plan.phase) : plan.phase;
  const fracture = `${episode.vertebralLevels.join(', ')} on ${formatCalendarDate(episode.fractureDate)}${episode.fractureDateEstimated ? ' (estimated)' : ''}`;

  const stepList = (steps: readonly PlanStep[], compact: boolean, className = 'steps') => (
    <ul className={className}>
      {steps.map((step) => (
        <StepItem
          key={step.key}
          step={step}
          base={base}
          now={now}
          zone={zone}
          closed={closed}
          reason={view.reasonOf}
          compact={compact}
        />
      ))}
    </ul>
  );
  const historyTable = (rows: readonly ClinicalEvent[], caption: string) => (
    <div className="table-wrap">
      <table className="data">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Entry</th>
            <th scope="col">Details</th>
            <th scope="col">Recorded by</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((event) => {
            const replaced = replacedBy.get(event.id);
            const spec = EVENT_FORMS[event.type];
            const target = event.supersedes
              ? record.events.find((e) => e.id === event.supersedes)
              : undefined;
            return (
              <tr key={event.id} className={replaced ? 'replaced' : undefined}>
                <td>{formatDateTime(event.occurredAt, zone)}</td>
                <td>
                  {spec?.title ?? event.type}
                  {replaced ? (
                    <div>
                      <Tag>{replaced.type === 'retraction' ? 'Withdrawn' : 'Corrected'}</Tag>
                    </div>
                  ) : null}
                  {event.supersedes && event.type !== 'retraction' ? (
                    <div className="muted small">
                      Correction of the entry of{' '}
                      {target ? formatDateTime(target.occurredAt, zone) : 'an earlier date'}
                    </div>
                  ) : null}
                </td>
                <td>
                  {event.type === 'step-completed'
                    ? `${plan.steps.find((s) => s.key === event.stepKey)?.title ?? event.stepKey}: ${event.outcome}`
                    : event.type === 'retraction'
                      ? `Withdrew the ${target ? (EVENT_FORMS[target.type]?.title ?? target.type).toLowerCase() : 'entry'} of ${target ? formatDateTime(target.occurredAt, zone) : '?'}`
                      : event.type === 'episode-details-corrected'
                        ? describeDetailsCorrection(
                            event,
                            detailsBefore(record.episode, record.events, event),
                            (iso) => formatDateTime(iso, zone),
                          )
                        : describeEvent(spec, event as unknown as Record<string, unknown>, (iso) =>
                            formatDateTime(iso, zone),
                          )}
                  {event.note ? <Note text={event.note} /> : null}
                </td>
                <td>
                  {view.nameOf(event.recordedBy)}
                  <div className="muted small">{formatDateTime(event.recordedAt, zone)}</div>
                </td>
                <td className="actions-cell">
                  {replaced ||
                  event.type === 'retraction' ||
                  plan.closure ||
                  !may(event.type) ? null : (
                    <>
                      {event.type === 'step-completed' || event.type === 'closure' ? null : (
                        <Link
                          href={`${base}/record/${event.type}?corrects=${encodeURIComponent(event.id)}`}
                          aria-label={`Correct the ${spec?.title ?? event.type} of ${formatDateTime(event.occurredAt, zone)}`}
                        >
                          Correct
                        </Link>
                      )}{' '}
                      <Link
                        href={`${base}/record/retraction?corrects=${encodeURIComponent(event.id)}`}
                        aria-label={`Withdraw the ${spec?.title ?? event.type} of ${formatDateTime(event.occurredAt, zone)}`}
                      >
                        Withdraw
                      </Link>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );

  return (
    <div className="patient-page">
      <StatusesAsOf
        since={view.statusesAsOf < now ? new Date(view.statusesAsOf.getTime() + 1) : undefined}
        now={now}
        zone={zone}
      />
      <header className="patient-header">
        <h1 className="nhsuk-heading-l">{patientName(patientRow)}</h1>
        <p className="patient-identity">
          <span>{formatIdentifier(patientRow.identifierKind, patientRow.identifierValue)}</span>
          <span>
            Born {formatCalendarDate(record.patient.dateOfBirth)} (
            {ageOn(record.patient.dateOfBirth, localDate(now, zone))} years)
          </span>
          <span>{record.patient.sex}</span>
          <span>Nurse: {view.nurseName ?? 'unassigned'}</span>
        </p>
        <p className="patient-situation">
          <span>
            Fracture {fracture}, day {plan.daysSinceFracture}
          </span>
          <span>{phase}</span>
          {plan.branch === 'red-flag' ? (
            <Tag tone="warn">Red flag: {plan.redFlags.join('; ')}</Tag>
          ) : null}
          {plan.closure ? (
            <Tag>
              Closed: {plan.closure.reason} on {formatDate(plan.closure.at, zone)}
            </Tag>
          ) : null}
        </p>
        <p className="print-only">Printed {formatDateTime(now, zone)}.</p>
      </header>

      {recorded ? (
        <section id="changes" className="notice" aria-live="polite">
          <p className="strong">
            Saved: {EVENT_FORMS[recorded.type]?.title ?? recorded.type} of{' '}
            {formatDateTime(recorded.occurredAt, zone)}.
          </p>
          {changes && changes.length > 0 ? (
            <>
              <p>What changed in the plan:</p>
              <ul className="changes">
                {changes.map((change) => (
                  <li key={`${change.stepKey}/${change.kind}`}>
                    <strong>{change.title}</strong>
                    {change.kind === 'status'
                      ? `: ${statusText(change.before ?? '')} → ${statusText(change.after ?? '')}`
                      : change.kind === 'added'
                        ? ': added to the plan'
                        : change.kind === 'removed'
                          ? ': no longer in the plan'
                          : ': its dates moved'}
                    <span className="muted"> ({view.words(change.reason)})</span>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>The plan did not change.</p>
          )}
        </section>
      ) : null}

      <section aria-labelledby="needs-action" className="action-section">
        <h2 id="needs-action">
          Needs action now <span className="count">{actNow.length + urgent.length}</span>
        </h2>
        {actNow.length === 0 && urgent.length === 0 ? (
          <p className="nhsuk-inset-text">
            Nothing is due or overdue, and no advice is urgent, as of {today}.
          </p>
        ) : null}
        {urgent.length > 0 ? (
          <ul className="recommendations">
            {urgent.map((rec) => (
              <RecommendationItem key={rec.id} rec={rec} />
            ))}
          </ul>
        ) : null}
        {actNow.length > 0 ? stepList(actNow, false, 'steps action-steps') : null}
      </section>

      {plan.closure || !may('pain-assessment') ? null : (
        <nav className="record-menu" aria-label="Record an entry">
          <h2 className="nhsuk-heading-xs">Record an entry</h2>
          <ul>
            {RECORDABLE.map((type) => (
              <li key={type}>
                <Link href={`${base}/record/${type}`}>{EVENT_FORMS[type].title}</Link>
              </li>
            ))}
          </ul>
        </nav>
      )}

      <nav className="record-menu patient-documents no-print" aria-label="Documents">
        <h2 className="nhsuk-heading-xs">Documents</h2>
        <ul>
          <li>
            <Link href={`${base}/written-plan`}>Written plan for the patient</Link>
            <span className="muted"> · preview, print, PDF and the plans given</span>
          </li>
          <li>
            <Link href={`${base}/gp-letter`}>
              {mayDo(user, 'gpLetter.draft')
                ? 'Write, preview and sign off the letter to the GP'
                : 'Letters to the GP'}
            </Link>
          </li>
        </ul>
      </nav>

      <section aria-labelledby="timeline-heading" className="timeline-section">
        <div className="section-heading">
          <h2 id="timeline-heading">Timeline</h2>
          <Link href={wide ? base : `${base}?span=long`}>
            {wide ? 'Show the first weeks' : 'Show the whole pathway'}
          </Link>
        </div>
        <Timeline
          plan={plan}
          fractureDate={episode.fractureDate}
          admittedAt={
            episode.careSetting.kind === 'admitted' ? episode.careSetting.admittedAt : undefined
          }
          events={record.events
            .filter((e) => e.type !== 'retraction')
            .map((e) => ({
              id: e.id,
              at: e.occurredAt,
              label: EVENT_FORMS[e.type]?.title ?? e.type,
              standing: !replacedBy.has(e.id),
            }))}
          now={now}
          timeZone={zone}
          wide={wide}
        />
      </section>

      <div className="two-columns">
        <section aria-labelledby="recommendations-heading">
          <h2 id="recommendations-heading">Current recommendations</h2>
          {urgent.length > 0 ? (
            <p className="muted small">
              {urgent.length === 1
                ? 'The urgent recommendation is under Needs action now, above.'
                : `The ${urgent.length} urgent recommendations are under Needs action now, above.`}
            </p>
          ) : null}
          {otherAdvice.length === 0 ? (
            <p className="muted">
              {urgent.length === 0 ? 'No recommendation applies now.' : 'No other recommendation.'}
            </p>
          ) : (
            <ul className="recommendations">
              {otherAdvice.map((rec) => (
                <RecommendationItem key={rec.id} rec={rec} />
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="steps-heading" className="plan-steps">
          <h2 id="steps-heading">The rest of the plan</h2>
          <p className="muted small plan-steps-note">
            As of {today}. Windows are the guidance's own, moved onto working days.
          </p>
          {groups.map((group) =>
            group.steps.length === 0 ? null : (
              <section key={group.id} aria-labelledby={group.id} className={`group-${group.id}`}>
                <h3 id={group.id}>
                  {group.title} <span className="count">{group.steps.length}</span>
                </h3>
                {stepList(
                  group.id === 'done' ? group.steps.slice(0, DONE_SHOWN) : group.steps,
                  group.id === 'done',
                )}
                {group.id === 'done' && group.steps.length > DONE_SHOWN ? (
                  <details className="nhsuk-details earlier-done">
                    <summary className="nhsuk-details__summary">
                      <span className="nhsuk-details__summary-text">
                        Done earlier ({group.steps.length - DONE_SHOWN})
                      </span>
                    </summary>
                    <div className="nhsuk-details__text">
                      {stepList(group.steps.slice(DONE_SHOWN), true)}
                    </div>
                  </details>
                ) : null}
              </section>
            ),
          )}
          {notApplicable.length > 0 ? (
            <details className="nhsuk-details not-applicable">
              <summary className="nhsuk-details__summary">
                <span className="nhsuk-details__summary-text">
                  Not applicable to this episode ({notApplicable.length})
                </span>
              </summary>
              <div className="nhsuk-details__text">
                <ul className="plain">
                  {notApplicable.map((step) => (
                    <li key={step.key}>
                      {step.title}: <span className="muted">{view.words(step.reason)}</span>
                    </li>
                  ))}
                </ul>
              </div>
            </details>
          ) : null}
        </section>
      </div>

      <section aria-labelledby="details-heading" className="details-section">
        <h2 id="details-heading">Episode details</h2>
        <dl className="nhsuk-summary-list">
          <SummaryRow term="Fracture">
            {fracture} (day {plan.daysSinceFracture})
          </SummaryRow>
          <SummaryRow term="Phase">{phase}</SummaryRow>
          <SummaryRow term="Setting">
            {episode.careSetting.kind === 'admitted'
              ? `Admitted ${formatDateTime(episode.careSetting.admittedAt, zone)}`
              : 'Community'}
          </SummaryRow>
          <SummaryRow term="Pathway">
            {plan.branch === 'red-flag' ? (
              <Tag tone="warn">Red flag: {plan.redFlags.join('; ')}</Tag>
            ) : (
              'Conservative care'
            )}{' '}
            <span className="muted small">({plan.pathwayVersion})</span>
          </SummaryRow>
          <SummaryRow term="Identified">
            {formatCalendarDate(episode.identifiedOn)} · {valueLabel(episode.identification)}
          </SummaryRow>
          <SummaryRow term="Nurse">{view.nurseName ?? 'unassigned'}</SummaryRow>
          {plan.closure ? (
            <SummaryRow term="Closed">
              {plan.closure.reason} on {formatDate(plan.closure.at, zone)}
            </SummaryRow>
          ) : null}
        </dl>
        <p className="small no-print">
          {corrected ? (
            <span className="muted">Details corrected since enrolment (see the history). </span>
          ) : null}
          {plan.closure || !may('episode-details-corrected') ? null : (
            <Link href={`${base}/record/episode-details-corrected`}>Correct enrolment details</Link>
          )}
          {mayDo({ id: user.id, role: user.role, kind: 'person' }, 'audit.view') ? (
            <>
              {' '}
              <Link href={`/admin/audit?patient=${encodeURIComponent(patientRow.id)}&kind=read`}>
                Who has looked at this record
              </Link>
            </>
          ) : null}
        </p>
      </section>

      <ContactSection
        patientId={patientRow.id}
        episodeId={episodeId}
        user={user}
        zone={zone}
        notice={one(query.contact)}
      />

      <section aria-labelledby="history-heading" className="history-section">
        <h2 id="history-heading">History</h2>
        {history.length === 0 ? (
          <p className="muted">Nothing has been recorded for this episode yet.</p>
        ) : (
          <>
            {historyTable(history.slice(0, HISTORY_SHOWN), 'The latest entries')}
            {history.length > HISTORY_SHOWN ? (
              <details className="nhsuk-details earlier-history">
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">
                    Earlier entries ({history.length - HISTORY_SHOWN})
                  </span>
                </summary>
                <div className="nhsuk-details__text">
                  {historyTable(history.slice(HISTORY_SHOWN), 'Earlier entries')}
                </div>
              </details>
            ) : null}
          </>
        )}
      </section>
    </div>
  );
}

/** The details as they stood when a correction was entered (every entry recorded before it). */
function detailsBefore(
  enrolled: Episode,
  events: readonly ClinicalEvent[],
  correction: ClinicalEvent,
): Episode {
  return effectiveEpisode(enrolled, events, Date.parse(correction.recordedAt) - 1);
}

/** "Date of fracture: Mon 16 Nov 2026 → Mon 2 Nov 2026; ..." for the details it carries. */
function describeDetailsCorrection(
  event: EventOf<'episode-details-corrected'>,
  before: Episode,
  formatInstant: (iso: string) => string,
): string {
  const spec = EVENT_FORMS['episode-details-corrected'];
  return EPISODE_DETAIL_FIELDS.filter((name) => event[name] !== undefined)
    .map((name) => {
      const field = spec.fields.find((f) => f.name === name);
      if (!field) return '';
      const was = valueWords(field, before[name], formatInstant);
      const now = valueWords(field, event[name], formatInstant);
      return was === now ? `${field.label}: ${now}` : `${field.label}: ${was} → ${now}`;
    })
    .join('; ');
}

function SummaryRow({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{term}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

/** A note: short ones in full, long ones (a moved reminder's reason, say) by their first words. */
function Note({ text }: { text: string }) {
  if (text.length <= NOTE_SHOWN) return <div className="muted small">Note: {text}</div>;
  const cut = text.lastIndexOf(' ', NOTE_SHOWN - 20);
  return (
    <details className="nhsuk-details note small">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">
          Note: {text.slice(0, cut > 40 ? cut : NOTE_SHOWN - 20)}…
        </span>
      </summary>
      <div className="nhsuk-details__text">{text}</div>
    </details>
  );
}

/** One recommendation as a card: the advice first, its basis and sources folded beneath. */
function RecommendationItem({ rec }: { rec: PlanRecommendation }) {
  return (
    <li className={`card rec rec-${rec.priority}`} data-priority={rec.priority}>
      <p className="rec-title">
        <strong>{rec.title}</strong>{' '}
        {rec.priority === 'routine' ? null : (
          <Tag tone={rec.priority === 'urgent' ? 'warn' : 'info'}>{rec.priority}</Tag>
        )}{' '}
        {rec.contested ? <Tag tone="warn">Sources disagree</Tag> : null}
      </p>
      <p>{rec.text}</p>
      <RecordedBases bases={rec.basedOn} withholds={rec.withholds} />
      {rec.cautions.map((caution) => (
        <p key={caution.text} className="small">
          <strong>Caution:</strong> {caution.text}{' '}
          <span className="muted">
            ({caution.source.title}, {caution.source.section})
          </span>
        </p>
      ))}
      <p className="muted small rec-why">Why now: {rec.reason}</p>
      {rec.conflicts.length > 0 ? (
        <details className="nhsuk-details conflicts">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">
              Where sources disagree ({rec.conflicts.length})
            </span>
          </summary>
          <div className="nhsuk-details__text">
            <ul>
              {rec.conflicts.map((conflict) => (
                <li key={conflict.position} className="small">
                  {conflict.position}{' '}
                  <span className="muted">
                    ({conflict.source.title}, {conflict.source.section})
                  </span>
                </li>
              ))}
            </ul>
          </div>
        </details>
      ) : null}
      <Citations sources={rec.sources} />
    </li>
  );
}

function StepItem(props: {
  step: PlanStep;
  base: string;
  now: Date;
  zone: string;
  closed: boolean;
  /** The step's reason in words, with who recorded its completion by name. */
  reason: (step: PlanStep) => string;
  /** A completed step: its title, status and day on one line (the history says how). */
  compact?: boolean;
}) {
  const { step, now, zone } = props;
  // The date language (src/ui/dates.ts): labelled guideline dates, relative days beside them.
  const when =
    step.status === 'completed' && step.completion
      ? `Done ${formatDate(step.completion.at, zone)}`
      : stepWhenText(step.status, step.window, now, zone) || undefined;
  const adjustments = step.window?.adjustments ?? [];
  const reason = props.reason(step);
  return (
    <li
      className={`step step-${step.status} ${props.compact ? 'step-compact' : 'card'}`}
      id={`step-${step.key}`}
    >
      <div className="step-head">
        <strong>{step.title}</strong> <StatusBadge status={step.status} urgent={step.urgent} />
        {props.compact && when ? <span className="small">{when}</span> : null}
      </div>
      {when && !props.compact ? <p className="small step-when">{when}</p> : null}
      {props.compact ? null : <p className="muted small step-reason">{reason}</p>}
      {step.appointment && !props.compact ? (
        <p className="small step-appointment" data-testid="step-appointment">
          {describeAppointment(step.appointment)}
        </p>
      ) : null}
      {isActive(step.status) && !props.closed ? (
        <p className="no-print">
          <Link
            className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
            href={`${props.base}/steps/${encodeURIComponent(step.key)}`}
          >
            Open step
          </Link>
        </p>
      ) : null}
      {adjustments.length > 0 && !props.compact ? (
        <details className="nhsuk-details step-more">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">Reminder dates moved</span>
          </summary>
          <div className="nhsuk-details__text">
            <p>{adjustments.join('; ')}.</p>
          </div>
        </details>
      ) : null}
      {props.compact ? null : <Citations sources={step.sources} />}
    </li>
  );
}
