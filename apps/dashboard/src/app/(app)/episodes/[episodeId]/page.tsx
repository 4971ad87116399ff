import { planChangesOfEntry } from '@vfx/database/views';
import {
  type ClinicalEvent,
  changedDetails,
  EPISODE_DETAIL_FIELDS,
  type Episode,
  type EventOf,
  effectiveEpisode,
  isActive,
  may as mayDo,
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

export async function generateMetadata({ params }: { params: Promise<{ episodeId: string }> }) {
  const { episodeId } = await params;
  const view = await episodeView(episodeId);
  return { title: `${view.patientRow.givenName} ${view.patientRow.familyName} · Fracture liaison` };
}

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** What the plan said when the entry was saved. */
const changesOf = (eventId: string) => planChangesOfEntry(db(), eventId);

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

  const groups: { id: string; title: string; steps: PlanStep[] }[] = [
    {
      id: 'needs-action',
      title: 'Needs action',
      steps: plan.steps.filter((s) => ['overdue', 'due', 'open'].includes(s.status)),
    },
    {
      id: 'coming-up',
      title: 'Coming up',
      steps: plan.steps.filter((s) => s.status === 'upcoming'),
    },
    { id: 'done', title: 'Done', steps: plan.steps.filter((s) => s.status === 'completed') },
  ];
  const notApplicable = plan.steps.filter(
    (s) => s.status === 'not-applicable' || s.status === 'cancelled',
  );
  const statusOrder = ['overdue', 'due', 'open', 'upcoming', 'completed'];
  for (const group of groups) {
    group.steps.sort(
      (a, b) =>
        Number(b.urgent) - Number(a.urgent) ||
        statusOrder.indexOf(a.status) - statusOrder.indexOf(b.status) ||
        Date.parse(a.window?.transitions.due ?? '9999') -
          Date.parse(b.window?.transitions.due ?? '9999'),
    );
  }
  const today = formatCalendarDate(localDate(now, zone));

  return (
    <>
      <StatusesAsOf
        since={view.statusesAsOf < now ? new Date(view.statusesAsOf.getTime() + 1) : undefined}
        now={now}
        zone={zone}
      />
      <header className="patient-header card">
        <div>
          <h1>{patientName(patientRow)}</h1>
          <p className="muted">
            {formatIdentifier(patientRow.identifierKind, patientRow.identifierValue)} · born{' '}
            {formatCalendarDate(record.patient.dateOfBirth)} (
            {ageOn(record.patient.dateOfBirth, localDate(now, zone))} years) · {record.patient.sex}{' '}
            · nurse {view.nurseName ?? 'unassigned'}
          </p>
          {mayDo({ id: user.id, role: user.role, kind: 'person' }, 'audit.view') ? (
            <p className="small">
              <Link href={`/admin/audit?patient=${encodeURIComponent(patientRow.id)}&kind=read`}>
                Who has looked at this record
              </Link>
            </p>
          ) : null}
        </div>
        <dl className="facts">
          <div>
            <dt>Fracture</dt>
            <dd>
              {episode.vertebralLevels.join(', ')} on {formatCalendarDate(episode.fractureDate)}
              {episode.fractureDateEstimated ? ' (estimated)' : ''} · day {plan.daysSinceFracture}
            </dd>
          </div>
          <div>
            <dt>Phase</dt>
            <dd>{definition ? phaseLabel(definition.phases, plan.phase) : plan.phase}</dd>
          </div>
          <div>
            <dt>Setting</dt>
            <dd>
              {episode.careSetting.kind === 'admitted'
                ? `Admitted ${formatDateTime(episode.careSetting.admittedAt, zone)}`
                : 'Community'}
            </dd>
          </div>
          <div>
            <dt>Pathway</dt>
            <dd>
              {plan.branch === 'red-flag' ? (
                <Tag tone="warn">Red flag: {plan.redFlags.join('; ')}</Tag>
              ) : (
                'Conservative care'
              )}{' '}
              <span className="muted small">({plan.pathwayVersion})</span>
            </dd>
          </div>
          <div>
            <dt>Identified</dt>
            <dd>
              {formatCalendarDate(episode.identifiedOn)} · {valueLabel(episode.identification)}
            </dd>
          </div>
          {plan.closure ? (
            <div>
              <dt>Closed</dt>
              <dd>
                <Tag>
                  {plan.closure.reason} on {formatDate(plan.closure.at, zone)}
                </Tag>
              </dd>
            </div>
          ) : null}
        </dl>
        <p className="small">
          {corrected ? (
            <span className="muted">Details corrected since enrolment (see the history). </span>
          ) : null}
          {plan.closure || !may('episode-details-corrected') ? null : (
            <Link href={`${base}/record/episode-details-corrected`}>Correct enrolment details</Link>
          )}
        </p>
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

      {plan.closure || !may('pain-assessment') ? null : (
        <nav className="record-menu" aria-label="Record an entry">
          <span className="strong">Record:</span>
          {RECORDABLE.map((type) => (
            <Link key={type} className="button small" href={`${base}/record/${type}`}>
              {EVENT_FORMS[type].title}
            </Link>
          ))}
        </nav>
      )}

      <section aria-labelledby="timeline-heading">
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
        <section aria-labelledby="steps-heading">
          <h2 id="steps-heading">Plan steps</h2>
          <p className="muted small">
            As of {today}. Windows are the guidance's own, moved onto working days.
          </p>
          {groups.map((group) =>
            group.steps.length === 0 ? null : (
              <section key={group.id} aria-labelledby={group.id}>
                <h3 id={group.id}>
                  {group.title} <span className="count">{group.steps.length}</span>
                </h3>
                <ul className="steps">
                  {group.steps.map((step) => (
                    <StepItem
                      key={step.key}
                      step={step}
                      base={base}
                      now={now}
                      zone={zone}
                      closed={!!plan.closure || !may('step-completed')}
                      reason={view.reasonOf}
                    />
                  ))}
                </ul>
              </section>
            ),
          )}
          {notApplicable.length > 0 ? (
            <details>
              <summary>Not applicable to this episode ({notApplicable.length})</summary>
              <ul className="plain">
                {notApplicable.map((step) => (
                  <li key={step.key}>
                    {step.title}: <span className="muted">{step.reason}</span>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </section>

        <section aria-labelledby="recommendations-heading">
          <h2 id="recommendations-heading">Current recommendations</h2>
          {plan.recommendations.length === 0 ? (
            <p className="muted">No recommendation applies now.</p>
          ) : (
            <ul className="recommendations">
              {plan.recommendations.map((rec) => (
                <li key={rec.id} className={`card rec-${rec.priority}`}>
                  <p className="rec-title">
                    <strong>{rec.title}</strong>{' '}
                    {rec.priority === 'routine' ? null : (
                      <Tag tone={rec.priority === 'urgent' ? 'warn' : 'info'}>{rec.priority}</Tag>
                    )}{' '}
                    {rec.contested ? <Tag tone="warn">Sources disagree</Tag> : null}
                  </p>
                  <p>{rec.text}</p>
                  <RecordedBases bases={rec.basedOn} withholds={rec.withholds} />
                  <p className="muted small">Why now: {rec.reason}</p>
                  {rec.cautions.map((caution) => (
                    <p key={caution.text} className="small">
                      Caution: {caution.text}{' '}
                      <span className="muted">
                        ({caution.source.title}, {caution.source.section})
                      </span>
                    </p>
                  ))}
                  {rec.conflicts.length > 0 ? (
                    <div className="conflicts">
                      <p className="strong small">Where sources disagree:</p>
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
                  ) : null}
                  <Citations sources={rec.sources} />
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        {history.length === 0 ? (
          <p className="muted">Nothing has been recorded for this episode yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
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
                {history.map((event) => {
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
                              : describeEvent(
                                  spec,
                                  event as unknown as Record<string, unknown>,
                                  (iso) => formatDateTime(iso, zone),
                                )}
                        {event.note ? <div className="muted small">Note: {event.note}</div> : null}
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
        )}
      </section>
    </>
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

function StepItem(props: {
  step: PlanStep;
  base: string;
  now: Date;
  zone: string;
  closed: boolean;
  reason: (step: PlanStep) => string;
}) {
  const { step, now, zone } = props;
  // The date language (src/ui/dates.ts): labelled guideline dates, relative days beside them.
  const when =
    step.status === 'completed' && step.completion
      ? `Done ${formatDate(step.completion.at, zone)}`
      : stepWhenText(step.status, step.window, now, zone) || undefined;
  return (
    <li className={`step card step-${step.status}`} id={`step-${step.key}`}>
      <div className="step-head">
        <strong>{step.title}</strong> <StatusBadge status={step.status} urgent={step.urgent} />
      </div>
      {when ? <p className="small">{when}</p> : null}
      <p className="muted small">{props.reason(step)}</p>
      {isActive(step.status) && !props.closed ? (
        <p>
          <Link
            className="button small"
            href={`${props.base}/steps/${encodeURIComponent(step.key)}`}
          >
            Open step
          </Link>
        </p>
      ) : null}
      {step.window?.adjustments.length ? (
        <p className="muted small">{step.window.adjustments.join('; ')}</p>
      ) : null}
      <Citations sources={step.sources} />
    </li>
  );
}
