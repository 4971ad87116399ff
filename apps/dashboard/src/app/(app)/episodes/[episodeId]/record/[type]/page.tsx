import {
  EVENT_TYPES,
  type EventType,
  IDENTIFICATION_ROUTES,
  stepEntries,
  VERTEBRAL_LEVELS,
} from '@vfx/domain';
import { notFound } from 'next/navigation';
import { detailsFormValues } from '@/forms/details-correction';
import {
  EVENT_FORMS,
  formFromEvent,
  genericCompletionSpec,
  valueLabel,
} from '@/forms/event-fields';
import { EventForm } from '@/forms/event-form';
import { episodeView } from '@/server/episode';
import { ensurePermitted, recordPatientView, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { formatDateTime, localInputValue } from '@/ui/dates';
import { PatientBackLink } from '@/ui/patient-back-link';
import { correctEpisodeDetailsAction, recordEventAction } from '../actions';
import { DetailsForm } from '../details-form';

export const metadata = { title: 'Record · Fracture liaison' };

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function RecordPage({
  params,
  searchParams,
}: {
  params: Promise<{ episodeId: string; type: string }>;
  searchParams: Promise<Search>;
}) {
  const { episodeId, type } = await params;
  if (!EVENT_TYPES.includes(type as EventType)) notFound();
  const eventType = type as EventType;
  const withdrawing = eventType === 'retraction';
  // A withdrawal is judged by what it withdraws, once that is loaded (below).
  const user = await requirePermission('entry.record', withdrawing ? {} : { entryType: eventType });
  const query = await searchParams;
  const view = await episodeView(episodeId);
  const zone = await userTimeZone();
  const spec = EVENT_FORMS[eventType];
  const back = `/episodes/${encodeURIComponent(episodeId)}`;

  // Correcting or withdrawing an entry names it; a correction starts from its values.
  const correctsId = one(query.corrects);
  const corrected = correctsId ? view.record.events.find((e) => e.id === correctsId) : undefined;
  if (correctsId && !corrected) notFound();
  let initial: Record<string, string> = { occurredAt: localInputValue(view.now, zone) };
  if (corrected && !withdrawing) {
    if (corrected.type !== eventType) notFound();
    initial = {
      ...formFromEvent(spec, corrected as unknown as Record<string, unknown>),
      occurredAt: localInputValue(corrected.occurredAt, zone),
    };
  }
  if (withdrawing && corrected) initial.supersedes = corrected.id;
  // Who may record it is the write path's rule (a withdrawal is judged by what it withdraws).
  if (withdrawing && corrected) {
    await ensurePermitted(user, 'entry.record', { entryType: corrected.type });
  }
  await recordPatientView(user, {
    episodeId,
    patientId: view.patientRow.id,
    details: { page: 'record', entry: eventType },
  });
  const stepKey = one(query.step);
  const step = stepKey ? view.plan.steps.find((s) => s.key === stepKey) : undefined;
  const stepTitle = step?.title;
  if (eventType === 'step-completed' && !step) notFound();
  if (step) initial.stepKey = step.key;
  // Reached from a step page, the entry that step needs arrives filled in (the dose's drug,
  // the referral's type), and the generic outcome offers only what the step allows.
  const stepDefinition = view.definition?.steps.find((s) => s.id === step?.stepId);
  const entries = stepDefinition ? stepEntries(stepDefinition, step?.drug) : undefined;
  const formSpec =
    eventType === 'step-completed' && entries ? genericCompletionSpec(entries) : spec;
  if (eventType === 'step-completed' && entries && !entries.generic) {
    return (
      <>
        <PatientBackLink href={back} patient={view.patientRow} />
        <h1>{stepTitle}</h1>
        <p className="notice">{entries.genericLimit}</p>
        <p>
          <a href={`${back}/steps/${encodeURIComponent(step?.key ?? '')}`}>Back to the step</a>
        </p>
      </>
    );
  }
  if (!corrected) {
    for (const field of spec.fields) {
      const given = one(query[field.name]);
      if (given && field.kind !== 'hidden') initial[field.name] = given;
    }
  }

  if (eventType === 'episode-details-corrected') {
    if (corrected && corrected.type !== eventType) notFound();
    return (
      <>
        <PatientBackLink href={back} patient={view.patientRow} />
        <h1>Correct enrolment details</h1>
        <p className="lead">{spec.purpose}</p>
        <p className="notice">
          {corrected
            ? `Corrects the correction of ${formatDateTime(corrected.occurredAt, zone)} recorded by ${view.nameOf(corrected.recordedBy)}; it stays in the history, marked as corrected. `
            : ''}
          The details below are as they stand now. Change what was wrong; only what you change is
          recorded, and the enrolment stays in the history as first given.
        </p>
        <div className="card form-card">
          <DetailsForm
            action={correctEpisodeDetailsAction.bind(null, {
              episodeId,
              ...(corrected ? { supersedes: corrected.id } : {}),
            })}
            initial={detailsFormValues(view.episode, zone)}
            levels={VERTEBRAL_LEVELS}
            identification={IDENTIFICATION_ROUTES.map((value) => ({
              value,
              label: valueLabel(value),
            }))}
            submitLabel="Save the correction"
            cancelHref={back}
          />
        </div>
      </>
    );
  }

  const title = withdrawing
    ? `Withdraw: ${corrected ? EVENT_FORMS[corrected.type].title : 'entry'}`
    : corrected
      ? `Correct: ${spec.title}`
      : spec.title;
  const action = recordEventAction.bind(null, {
    episodeId,
    type: eventType,
    ...(corrected ? { supersedes: corrected.id } : {}),
    ...(step ? { focusStepKey: step.key } : {}),
  });
  return (
    <>
      <PatientBackLink href={back} patient={view.patientRow} />
      <h1>{title}</h1>
      <p className="lead">
        {stepTitle ? `${stepTitle}. ` : ''}
        {formSpec.purpose}
      </p>
      {corrected ? (
        <p className="notice">
          {withdrawing ? 'Withdraws' : 'Corrects'} the entry of{' '}
          {formatDateTime(corrected.occurredAt, zone)} recorded by{' '}
          {view.nameOf(corrected.recordedBy)}. The original stays in the history, marked as{' '}
          {withdrawing ? 'withdrawn' : 'corrected'}.
        </p>
      ) : null}
      <div className="card form-card">
        <EventForm
          spec={formSpec}
          action={action}
          initial={initial}
          submitLabel={
            withdrawing ? 'Withdraw the entry' : corrected ? 'Save the correction' : 'Save'
          }
          cancelHref={back}
        />
      </div>
    </>
  );
}
