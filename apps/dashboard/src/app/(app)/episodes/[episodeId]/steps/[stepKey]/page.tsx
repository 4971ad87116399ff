import {
  cite,
  describeAppointment,
  describeEntry,
  type EventType,
  isActive,
  stepEntries,
} from '@vfx/domain';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EVENT_FORMS, genericCompletionSpec } from '@/forms/event-fields';
import { EventForm } from '@/forms/event-form';
import { episodeView } from '@/server/episode';
import { recordPatientView, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { Citations } from '@/ui/citations';
import {
  formatDateTime,
  guidelineDate,
  guidelinePhrase,
  localInputValue,
  reminderPhrase,
} from '@/ui/dates';
import { PatientBackLink } from '@/ui/patient-back-link';
import { StatusBadge } from '@/ui/status';
import { recordEventAction } from '../../record/actions';

export const metadata = { title: 'Step · Fracture liaison' };

/**
 * One step of the plan with the form for the entry that completes it, so a worklist item is one
 * click from being recorded. Which entry completes a step is the pathway definition's rule.
 */
export default async function StepPage({
  params,
}: {
  params: Promise<{ episodeId: string; stepKey: string }>;
}) {
  // The step page is where its entry is recorded: a clinical entry, so the nurse's page.
  const user = await requirePermission('entry.record');
  const { episodeId, stepKey } = await params;
  const key = decodeURIComponent(stepKey);
  const view = await episodeView(episodeId);
  await recordPatientView(user, {
    episodeId,
    patientId: view.patientRow.id,
    details: { page: 'step', step: key },
  });
  const zone = await userTimeZone();
  const step = view.plan.steps.find((s) => s.key === key);
  if (!step) notFound();
  const base = `/episodes/${encodeURIComponent(episodeId)}`;
  const definition = view.definition?.steps.find((s) => s.id === step.stepId);
  if (!definition) notFound();
  // What the step accepts is the domain's rule: the form offers the entry that satisfies it
  // (for a dose, the dose given, which plans the next), never a generic "done" that would end it.
  const entries = stepEntries(definition, step.drug);
  const [primary, ...others] = entries.offers.filter(
    (offer) => offer.effect !== 'stops-therapy' && offer.effect !== 'records-appointment',
  );
  // An appointment (the DXA step) is recorded on its own form: it completes nothing.
  const appointmentOffer = entries.offers.find((offer) => offer.effect === 'records-appointment');
  const stops = entries.offers.filter((offer) => offer.effect === 'stops-therapy');
  const type = primary?.event ?? 'step-completed';
  const spec =
    type === 'step-completed' ? genericCompletionSpec(entries) : EVENT_FORMS[type as EventType];
  const initial: Record<string, string> = {
    occurredAt: localInputValue(view.now, zone),
    ...(primary?.fill ?? {}),
  };
  if (type === 'step-completed') initial.stepKey = step.key;
  const recordLink = (event: string, fill: Readonly<Record<string, string>> = {}) =>
    `${base}/record/${event}?${new URLSearchParams({ step: step.key, ...fill })}`;
  const early = entries.early;
  const notYetOpen = step.status === 'upcoming' && early?.counts === 'from-window-opening';
  const w = step.window;
  const open = isActive(step.status) && !view.plan.closure;
  return (
    <>
      <PatientBackLink href={base} patient={view.patientRow} />
      <div className="page-heading">
        <h1>{step.title}</h1>
        <StatusBadge status={step.status} urgent={step.urgent} />
      </div>
      <div className="two-columns">
        <div className="card">
          {w ? (
            <dl className="nhsuk-summary-list">
              {/* The date language (src/ui/dates.ts): guideline dates, then the reminders. */}
              {(['opens', 'due', 'overdue'] as const).map((edge) => {
                const phrase = guidelinePhrase(w, edge, view.now, zone, {
                  relative: edge !== 'opens' || step.status === 'upcoming',
                });
                return (
                  <div key={edge} className="nhsuk-summary-list__row">
                    <dt className="nhsuk-summary-list__key">{phrase.label}</dt>
                    <dd className="nhsuk-summary-list__value">
                      <time dateTime={phrase.dateTime}>{phrase.text}</time>
                      {phrase.relative ? ` (${phrase.relative})` : ''}
                    </dd>
                  </div>
                );
              })}
              {w.granularity === 'day' && w.reminders
                ? (
                    [
                      ['due', w.reminders.due],
                      ['overdue', w.reminders.overdue],
                    ] as const
                  ).map(([kind, at]) =>
                    at && w.granularity === 'day' ? (
                      <div key={kind} className="nhsuk-summary-list__row">
                        <dt className="nhsuk-summary-list__key">
                          {reminderPhrase(kind, at, zone).label}
                        </dt>
                        <dd className="nhsuk-summary-list__value">
                          <time dateTime={at}>{formatDateTime(at, zone)}</time>
                        </dd>
                      </div>
                    ) : null,
                  )
                : null}
            </dl>
          ) : null}
          {step.appointment ? (
            <div className="nhsuk-inset-text" data-testid="step-appointment">
              <p>{describeAppointment(step.appointment)}</p>
            </div>
          ) : null}
          <p>
            <strong>Why:</strong> {step.why}
          </p>
          <p>
            <strong>What to do:</strong> {step.action}
          </p>
          <p className="muted small">{view.reasonOf(step)}</p>
          {step.window ? (
            <p className="muted small">Window measured from {step.window.anchor}.</p>
          ) : null}
          {step.notes.map((note) => (
            <div key={note} className="nhsuk-inset-text">
              <p>{note}</p>
            </div>
          ))}
          <Citations sources={step.sources} />
        </div>
        <div className="card form-card">
          {open ? (
            <>
              {notYetOpen && w ? (
                <div className="notice" role="note">
                  <p className="strong">
                    An entry made now does not complete this step. It counts from{' '}
                    {guidelineDate(w, 'opens', zone)}.
                  </p>
                  <p className="small">{early?.says}</p>
                  {early?.source ? <Citations sources={[cite(early.source)]} /> : null}
                </div>
              ) : null}
              <h2>Record: {primary ? describeEntry(primary.event, primary.fill) : spec.title}</h2>
              <p className="small">{primary ? primary.says : entries.generic?.says}</p>
              <EventForm
                spec={spec}
                action={recordEventAction.bind(null, { episodeId, type, focusStepKey: step.key })}
                initial={initial}
                submitLabel="Save"
                cancelHref={base}
              />
              {early && !notYetOpen ? <p className="muted small">{early.says}</p> : null}
              <ul className="small stack-tight">
                {others.map((offer) => (
                  <li key={`${offer.event}${JSON.stringify(offer.fill)}`}>
                    <Link href={recordLink(offer.event, offer.fill)}>
                      Record {describeEntry(offer.event, offer.fill)} instead
                    </Link>
                  </li>
                ))}
                {stops.map((offer) => (
                  <li key={`stop-${offer.fill.drug}`}>
                    <Link href={recordLink(offer.event, offer.fill)}>
                      The therapy was stopped ({offer.fill.drug})
                    </Link>{' '}
                    <span className="muted">{offer.says}</span>
                  </li>
                ))}
                {primary && entries.generic ? (
                  <li>
                    <Link href={recordLink('step-completed')}>
                      Record this step as declined or not indicated instead
                    </Link>
                  </li>
                ) : null}
              </ul>
              {entries.genericLimit ? <p className="muted small">{entries.genericLimit}</p> : null}
              {appointmentOffer ? (
                <>
                  <h3>Appointment</h3>
                  <ul className="small stack-tight">
                    <li>
                      <Link href={recordLink(appointmentOffer.event, { action: 'booked' })}>
                        {step.appointment?.state === 'booked'
                          ? 'Record a new DXA appointment (moves it)'
                          : 'Record a DXA appointment'}
                      </Link>
                    </li>
                    {step.appointment?.state === 'booked' ? (
                      <li>
                        <Link href={recordLink(appointmentOffer.event, { action: 'cancelled' })}>
                          Record that the DXA appointment was cancelled
                        </Link>
                      </li>
                    ) : null}
                  </ul>
                  <p className="muted small">{appointmentOffer.says}</p>
                </>
              ) : null}
            </>
          ) : (
            <p className="muted">This step needs nothing more.</p>
          )}
        </div>
      </div>
    </>
  );
}
