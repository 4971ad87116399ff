import { listWrittenPlans } from '@vfx/database/views';
import {
  buildWrittenPlan,
  may,
  type WrittenPlan,
  type WrittenPlanNurseWarning,
  writtenPlanNurseWarnings,
} from '@vfx/domain';
import Link from 'next/link';
import { db } from '@/server/db';
import { episodeView } from '@/server/episode';
import { recordPatientView, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { writtenPlanContact } from '@/server/written-plan/contact';
import { WRITTEN_PLAN_TITLE } from '@/server/written-plan/pdf-layout';
import { formatDateTime } from '@/ui/dates';
import { patientName } from '@/ui/identity';
import { PatientBackLink } from '@/ui/patient-back-link';
import { PrintButton, ProduceForm } from './produce-form';
import './written-plan.css';

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export async function generateMetadata({ params }: { params: Promise<{ episodeId: string }> }) {
  const { episodeId } = await params;
  const view = await episodeView(episodeId);
  return { title: `Written plan: ${patientName(view.patientRow)} · Fracture liaison` };
}

/**
 * The patient's written plan: a printable preview (print CSS leaves only the plan), a large-print
 * option, "Produce and download PDF" (stored as given), and the plans given to this patient.
 * Every word of the plan is the pathway version's patient wording, every date the plan's.
 */
export default async function WrittenPlanPage({
  params,
  searchParams,
}: {
  params: Promise<{ episodeId: string }>;
  searchParams: Promise<Search>;
}) {
  const user = await requirePermission('patient.view');
  const { episodeId } = await params;
  const largePrint = one((await searchParams).print) === 'large';
  const view = await episodeView(episodeId);
  await recordPatientView(user, {
    episodeId,
    patientId: view.patientRow.id,
    details: { page: 'written-plan' },
  });
  const zone = await userTimeZone();
  const base = `/episodes/${encodeURIComponent(episodeId)}`;
  const built = view.definition
    ? buildWrittenPlan({
        plan: view.plan,
        definition: view.definition,
        patientName: patientName(view.patientRow),
        now: view.now.toISOString(),
        contact: writtenPlanContact(),
      })
    : undefined;
  const given = await listWrittenPlans(db(), episodeId);
  const mayProduce = may(user, 'writtenPlan.produce');
  // What the nurse must know before producing it (a stale or missing pain score): the domain's.
  const warnings = built?.ok ? writtenPlanNurseWarnings(built.plan) : [];
  const mayRecordPain = may(user, 'entry.record', { entryType: 'pain-assessment' });

  return (
    <div className="written-plan-page">
      <div className="no-print">
        <PatientBackLink href={base} patient={view.patientRow} />
        <h1 className="nhsuk-heading-l">Written plan</h1>
        <p>
          What {patientName(view.patientRow)} takes home: the plan in plain words, with their own
          dates. Preview it here, print it, or produce the PDF, which is kept as it was given.
        </p>
      </div>

      {!built?.ok ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">No written plan for this episode</h2>
          <p>
            {built && !built.ok
              ? built.message
              : `The episode's pathway version ${view.plan.pathwayVersion} is not published.`}
          </p>
        </div>
      ) : (
        <>
          {warnings.map((warning) => (
            <NurseWarning
              key={warning.kind}
              warning={warning}
              recordHref={mayRecordPain ? `${base}/record/pain-assessment` : undefined}
            />
          ))}
          <div className="written-plan-controls no-print">
            <p>
              {largePrint ? (
                <>
                  Large print (16 point and larger).{' '}
                  <Link href={`${base}/written-plan`}>Show standard print</Link>
                </>
              ) : (
                <>
                  Standard print.{' '}
                  <Link href={`${base}/written-plan?print=large`}>Show large print</Link>
                </>
              )}
            </p>
            <div className="written-plan-buttons">
              <PrintButton />
              {mayProduce ? <ProduceForm episodeId={episodeId} largePrint={largePrint} /> : null}
            </div>
          </div>
          <Preview plan={built.plan} largePrint={largePrint} />
        </>
      )}

      <section className="no-print written-plans-given" aria-labelledby="given">
        <h2 id="given" className="nhsuk-heading-m">
          Plans given to this patient
        </h2>
        {given.length === 0 ? (
          <p>No written plan has been produced for this patient yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="nhsuk-table">
              <caption className="visually-hidden">Written plans produced, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Produced</th>
                  <th scope="col">By</th>
                  <th scope="col">Pathway version</th>
                  <th scope="col">Print</th>
                  <th scope="col">PDF</th>
                </tr>
              </thead>
              <tbody>
                {given.map((plan) => (
                  <tr key={plan.id}>
                    <td>{formatDateTime(plan.producedAt, zone)}</td>
                    <td>{plan.producedBy.name ?? 'a colleague'}</td>
                    <td>{plan.pathwayVersion}</td>
                    <td>{plan.largePrint ? 'Large print' : 'Standard'}</td>
                    <td>
                      <a
                        href={`${base}/written-plan/${encodeURIComponent(plan.id)}/pdf`}
                        aria-label={`Download the written plan produced ${formatDateTime(plan.producedAt, zone)}`}
                      >
                        Download ({Math.ceil(plan.bytes / 1024)} KB)
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** A warning to the nurse before producing the plan, with a link to put it right. */
function NurseWarning({
  warning,
  recordHref,
}: {
  warning: WrittenPlanNurseWarning;
  recordHref: string | undefined;
}) {
  return (
    <div className="nhsuk-warning-callout no-print" data-warning={warning.kind}>
      <h2 className="nhsuk-warning-callout__label">
        <span className="nhsuk-u-visually-hidden">Important: </span>
        {warning.title}
      </h2>
      <p>{warning.text}</p>
      {recordHref ? (
        <p>
          <Link href={recordHref}>Record a pain score</Link>
        </p>
      ) : (
        <p>Ask a nurse to record a pain score.</p>
      )}
    </div>
  );
}

/** The plan as the patient reads it; printed, it is all that is left on the page. */
function Preview({ plan, largePrint }: { plan: WrittenPlan; largePrint: boolean }) {
  return (
    <article
      className={`written-plan${largePrint ? ' written-plan--large' : ''}`}
      aria-label="Written plan preview"
    >
      <h2 className="written-plan__title">{WRITTEN_PLAN_TITLE}</h2>
      <p className="written-plan__lead">For {plan.patientName}</p>
      <p className="written-plan__lead">
        Made on {plan.producedOn.words}. Your break was on {plan.fractureDate.words}.
      </p>
      {plan.sections.map((section) => {
        const body = section.items.map((item) => (
          <div key={`${item.title ?? ''}${item.text}`} className="written-plan__item">
            {item.title ? <h4 className="written-plan__item-title">{item.title}</h4> : null}
            <p>{item.text}</p>
          </div>
        ));
        return (
          <section
            key={section.id}
            className={`written-plan__section written-plan__section--${section.id}`}
          >
            <h3 className="written-plan__heading">{section.heading}</h3>
            {section.id === 'get-help' ? <div className="written-plan__urgent">{body}</div> : body}
          </section>
        );
      })}
      <p className="written-plan__footer">
        Pathway version {plan.pathwayVersion}. Made on {plan.producedOn.words}.
      </p>
    </article>
  );
}
