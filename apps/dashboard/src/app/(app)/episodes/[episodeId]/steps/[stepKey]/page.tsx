import { isActive } from '@vfx/domain';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EVENT_FORMS } from '@/forms/event-fields';
import { EventForm } from '@/forms/event-form';
import { episodeView } from '@/server/episode';
import { requireUser } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { Citations } from '@/ui/citations';
import { daysFrom, formatDate, localInputValue, overdueBy, relativeDays } from '@/ui/dates';
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
  await requireUser(['nurse']);
  const { episodeId, stepKey } = await params;
  const key = decodeURIComponent(stepKey);
  const view = await episodeView(episodeId);
  const zone = await userTimeZone();
  const step = view.plan.steps.find((s) => s.key === key);
  if (!step) notFound();
  const base = `/episodes/${encodeURIComponent(episodeId)}`;
  const definition = view.definition?.steps.find((s) => s.id === step.stepId);
  const rule = definition?.completedBy[0];
  const type = rule?.event ?? 'step-completed';
  const spec = EVENT_FORMS[type];
  const initial: Record<string, string> = { occurredAt: localInputValue(view.now, zone) };
  if (type === 'step-completed') initial.stepKey = step.key;
  // A rule such as "a referral to the falls service" fills in the referral type.
  const where = rule?.where;
  if (where && 'fact' in where && typeof where.eq === 'string') {
    if (spec.fields.some((f) => f.name === where.fact)) initial[where.fact] = where.eq;
  }
  const t = step.window?.transitions;
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
          {t ? (
            <dl className="facts">
              <div>
                <dt>Opens</dt>
                <dd>{formatDate(t.open, zone)}</dd>
              </div>
              <div>
                <dt>Due</dt>
                <dd>
                  {formatDate(t.due, zone)} ({relativeDays(daysFrom(view.now, t.due, zone))})
                </dd>
              </div>
              <div>
                <dt>Overdue from</dt>
                <dd>
                  {formatDate(t.overdue, zone)}
                  {step.status === 'overdue'
                    ? ` (${overdueBy(-daysFrom(view.now, t.overdue, zone))})`
                    : ''}
                </dd>
              </div>
            </dl>
          ) : null}
          <p>
            <strong>Why:</strong> {step.why}
          </p>
          <p>
            <strong>What to do:</strong> {step.action}
          </p>
          <p className="muted small">{view.words(step.reason)}</p>
          {step.window ? (
            <p className="muted small">Window measured from {step.window.anchor}.</p>
          ) : null}
          {step.notes.map((note) => (
            <p key={note} className="notice small">
              {note}
            </p>
          ))}
          <Citations sources={step.sources} />
        </div>
        <div className="card form-card">
          {open ? (
            <>
              <h2>Record: {spec.title}</h2>
              <EventForm
                spec={spec}
                action={recordEventAction.bind(null, { episodeId, type })}
                initial={initial}
                submitLabel="Save"
                cancelHref={base}
              />
              {type === 'step-completed' ? null : (
                <p className="small">
                  <Link href={`${base}/record/step-completed?step=${encodeURIComponent(step.key)}`}>
                    Record this step as declined or not indicated instead
                  </Link>
                </p>
              )}
            </>
          ) : (
            <p className="muted">This step needs nothing more.</p>
          )}
        </div>
      </div>
    </>
  );
}
