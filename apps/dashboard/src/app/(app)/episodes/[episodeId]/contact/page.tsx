import { patientContactDetails } from '@vfx/database/views';
import { db } from '@/server/db';
import { episodeView } from '@/server/episode';
import { recordPatientView, requirePermission } from '@/server/session';
import { PatientBackLink } from '@/ui/patient-back-link';
import { ContactForm, OptOutForm } from './contact-form';
import { valuesOf } from './form-input';

export const metadata = { title: 'How the patient hears from us · Fracture liaison' };

/**
 * The patient's contact preferences: the channel, its detail and consent, and the opt-out.
 * Nurses and administrators ('contactPreferences.set').
 */
export default async function ContactPage({ params }: { params: Promise<{ episodeId: string }> }) {
  const user = await requirePermission('contactPreferences.set');
  const { episodeId } = await params;
  const view = await episodeView(episodeId);
  await recordPatientView(user, {
    episodeId,
    patientId: view.patientRow.id,
    details: { page: 'contact-preferences' },
  });
  const details = await patientContactDetails(db(), view.patientRow.id);
  const stored = details?.preferences ?? null;
  const base = `/episodes/${encodeURIComponent(episodeId)}`;
  return (
    <>
      <PatientBackLink href={`${base}#contact`} patient={view.patientRow} />
      <div className="page-heading">
        <h1>How the patient hears from us</h1>
        <p className="muted">
          Reminders go only with the patient&apos;s consent, between 09:00 and 19:00, through GOV.UK
          Notify. Changing the channel or opting out takes effect at once: messages already
          scheduled follow the new choice or are cancelled.
        </p>
      </div>
      <div className="two-columns">
        <div className="card">
          <ContactForm episodeId={episodeId} initial={valuesOf(stored)} />
        </div>
        <div className="card" id="opt-out">
          <h2 className="nhsuk-heading-s">Opt out of reminders</h2>
          {stored?.optedOutAt ? (
            <p>
              The patient is opted out. To send reminders again, record their consent in the form.
            </p>
          ) : (
            <OptOutForm episodeId={episodeId} />
          )}
        </div>
      </div>
    </>
  );
}
