import { EVENT_TYPES, type EventType } from '@vfx/domain';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EVENT_FORMS, formFromEvent } from '@/forms/event-fields';
import { EventForm } from '@/forms/event-form';
import { episodeView } from '@/server/episode';
import { requireUser } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { formatDateTime, localInputValue } from '@/ui/dates';
import { formatIdentifier } from '@/ui/identity';
import { recordEventAction } from '../actions';

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
  await requireUser(['nurse']);
  const { episodeId, type } = await params;
  const query = await searchParams;
  if (!EVENT_TYPES.includes(type as EventType)) notFound();
  const eventType = type as EventType;
  const view = await episodeView(episodeId);
  const zone = await userTimeZone();
  const spec = EVENT_FORMS[eventType];
  const back = `/episodes/${encodeURIComponent(episodeId)}`;

  // Correcting or withdrawing an entry names it; a correction starts from its values.
  const correctsId = one(query.corrects);
  const corrected = correctsId ? view.record.events.find((e) => e.id === correctsId) : undefined;
  if (correctsId && !corrected) notFound();
  const withdrawing = eventType === 'retraction';
  let initial: Record<string, string> = { occurredAt: localInputValue(view.now, zone) };
  if (corrected && !withdrawing) {
    if (corrected.type !== eventType) notFound();
    initial = {
      ...formFromEvent(spec, corrected as unknown as Record<string, unknown>),
      occurredAt: localInputValue(corrected.occurredAt, zone),
    };
  }
  if (withdrawing && corrected) initial.supersedes = corrected.id;
  const stepKey = one(query.step);
  if (stepKey) initial.stepKey = stepKey;
  const stepTitle = stepKey ? view.plan.steps.find((s) => s.key === stepKey)?.title : undefined;
  if (eventType === 'step-completed' && !stepTitle) notFound();

  const title = withdrawing
    ? `Withdraw: ${corrected ? EVENT_FORMS[corrected.type].title : 'entry'}`
    : corrected
      ? `Correct: ${spec.title}`
      : spec.title;
  const action = recordEventAction.bind(null, {
    episodeId,
    type: eventType,
    ...(corrected ? { supersedes: corrected.id } : {}),
  });
  return (
    <>
      <p>
        <Link href={back}>
          ← {view.patientRow.givenName} {view.patientRow.familyName}
        </Link>{' '}
        <span className="muted">
          {formatIdentifier(view.patientRow.identifierKind, view.patientRow.identifierValue)}
        </span>
      </p>
      <h1>{title}</h1>
      <p className="lead">
        {stepTitle ? `${stepTitle}. ` : ''}
        {spec.purpose}
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
          spec={spec}
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
