import { gpLettersOfEpisode } from '@vfx/database/views';
import {
  BONE_THERAPY_DRUGS,
  DRUGS,
  GP_LETTER_SENDING_METHOD_LABELS,
  GP_LETTER_SENDING_METHODS,
  GP_LETTER_TEXT_LIMITS,
  may,
} from '@vfx/domain';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { db } from '@/server/db';
import { episodeView } from '@/server/episode';
import { letterSender } from '@/server/gp-letter';
import { recordPatientView, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { formatDateTime, localDate, localInputValue } from '@/ui/dates';
import { formatIdentifier, patientName } from '@/ui/identity';
import {
  recordGpLetterSentAction,
  saveGpLetterDraftAction,
  signOffGpLetterAction,
  startGpLetterAction,
} from './actions';
import { DraftForm, SentForm, SignOffForm, StartLetterForm } from './forms';
import { GpLetterView, OverdueSummary } from './letter-view';
import './gp-letter.css';

export const metadata = { title: 'Letter to the GP · Fracture liaison' };

const DONE: Record<string, string> = {
  saved: 'The draft is saved.',
  signed: 'The letter is signed off. Its PDF is stored and cannot be changed.',
  sent: 'The sending is recorded.',
  started: 'A new draft letter is started.',
  correction: 'A correction is started: once signed off, it replaces the letter it corrects.',
};

/**
 * The letter to the GP of one episode: the draft as it reads now (the generated sections
 * read-only, the nurse's text in a form), its PDF preview, sign-off, and the signed letters with
 * their PDF and their sendings. Every visit is a read of the patient, audited.
 */
export default async function GpLetterPage({
  params,
  searchParams,
}: {
  params: Promise<{ episodeId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePermission('patient.view');
  const { episodeId } = await params;
  const query = await searchParams;
  const view = await episodeView(episodeId);
  const now = new Date();
  const letters = await gpLettersOfEpisode(db(), episodeId, { now, sender: letterSender() });
  if (!letters) notFound();
  await recordPatientView(user, {
    episodeId,
    patientId: letters.patientId,
    details: { page: 'gp-letter' },
  });
  const zone = await userTimeZone();
  const base = `/episodes/${encodeURIComponent(episodeId)}`;
  const mayDraft = may(user, 'gpLetter.draft');
  const maySign = may(user, 'gpLetter.signOff');
  const maySend = may(user, 'gpLetter.recordSent');
  const { draft, signed } = letters;
  const done = typeof query.done === 'string' ? DONE[query.done] : undefined;
  const latest = signed[0];
  // A draft is edited only while it exists, or before any letter was signed; after sign-off the
  // signed letter is final and a new letter (or a correction) must be started on purpose.
  const editing = draft.id !== undefined || signed.length === 0;
  const drugs = BONE_THERAPY_DRUGS.map((drug) => ({ value: drug, label: DRUGS[drug].label }));
  const today = localDate(now, zone);
  const [year = '', month = '', day = ''] = today.split('-');
  const time = localInputValue(now, zone).slice(11, 16);
  const replaced = draft.replacesId ? signed.find((s) => s.id === draft.replacesId) : undefined;
  const problemWords = (path: string, message: string) =>
    `${path === 'edits.recipient' ? 'The GP practice and address' : path === 'edits.clinicalSummary' ? 'The clinical summary' : 'The recommended bone therapy'} ${message}.`;

  return (
    <div className="gp-letter-page">
      <p>
        <Link href={base} className="nhsuk-back-link__link">
          Back to {patientName(view.patientRow)}
        </Link>
      </p>
      <h1 className="nhsuk-heading-l">Letter to the GP</h1>
      <p className="muted">
        {patientName(view.patientRow)} ·{' '}
        {formatIdentifier(view.patientRow.identifierKind, view.patientRow.identifierValue)}
      </p>
      {done ? (
        <div className="notice" role="status">
          <p className="strong">{done}</p>
        </div>
      ) : null}

      {editing ? (
        <section aria-labelledby="draft-heading">
          <h2 id="draft-heading" className="nhsuk-heading-m">
            {draft.id ? 'Draft letter' : 'New letter (not saved yet)'}
          </h2>
          {replaced ? (
            <p className="notice">
              This is a correction: once signed off it replaces the letter signed on{' '}
              {formatDateTime(replaced.signedAt, zone)}.
            </p>
          ) : null}
          {draft.updatedAt ? (
            <p className="muted">
              Saved by {draft.updatedByName} on {formatDateTime(draft.updatedAt, zone)} (version{' '}
              {draft.version}). The generated sections read the patient’s record as it is now.
            </p>
          ) : (
            <p className="muted">
              The generated sections read the patient’s record as it is now. Save the draft to keep
              your text.
            </p>
          )}
          <div className="gp-letter-layout">
            <GpLetterView letter={draft.letter} />
            <div>
              <OverdueSummary letter={draft.letter} />
              {mayDraft ? (
                <>
                  <h3 className="nhsuk-heading-s">Your text</h3>
                  <DraftForm
                    key={`draft-${draft.version}`}
                    action={saveGpLetterDraftAction.bind(null, {
                      episodeId,
                      version: draft.version,
                    })}
                    initial={{
                      recipient: draft.edits.recipient,
                      recommendedDrug: draft.edits.recommendedDrug ?? '',
                      clinicalSummary: draft.edits.clinicalSummary,
                      additionalComments: draft.edits.additionalComments,
                    }}
                    drugs={drugs}
                    limits={GP_LETTER_TEXT_LIMITS}
                    redFlag={draft.letter.branch === 'red-flag'}
                  />
                </>
              ) : null}
              {draft.id ? (
                <>
                  <h3 className="nhsuk-heading-s">Preview</h3>
                  <p>
                    <a
                      href={`${base}/gp-letter/draft.pdf`}
                      className="nhsuk-link"
                      target="_blank"
                      rel="noopener"
                    >
                      Preview the PDF (draft, opens in a new tab)
                    </a>
                  </p>
                  {maySign ? (
                    <>
                      <h3 className="nhsuk-heading-s">Sign off</h3>
                      <SignOffForm
                        key={`sign-off-${draft.version}`}
                        action={signOffGpLetterAction.bind(null, {
                          episodeId,
                          letterId: draft.id,
                          version: draft.version,
                          episodeVersion: letters.episodeVersion,
                        })}
                        blocked={draft.signOffProblems.map((p) => problemWords(p.path, p.message))}
                      />
                    </>
                  ) : null}
                </>
              ) : (
                <p className="muted">Save the draft to preview it as a PDF and sign it off.</p>
              )}
            </div>
          </div>
        </section>
      ) : mayDraft ? (
        <section aria-labelledby="new-heading">
          <h2 id="new-heading" className="nhsuk-heading-m">
            Write another letter
          </h2>
          <p>
            A signed letter cannot be changed. To put a mistake right, start a correction: a new
            letter that replaces it. To tell the GP something new, write a further letter.
          </p>
          <div className="nhsuk-button-group">
            {latest && !latest.replacedById ? (
              <StartLetterForm
                action={startGpLetterAction.bind(null, { episodeId, replacesId: latest.id })}
                label="Start a correction of the latest letter"
              />
            ) : null}
            <StartLetterForm
              action={startGpLetterAction.bind(null, { episodeId, replacesId: null })}
              label="Write a further letter"
              secondary
            />
          </div>
        </section>
      ) : null}

      <section aria-labelledby="signed-heading">
        <h2 id="signed-heading" className="nhsuk-heading-m">
          Signed letters
        </h2>
        {signed.length === 0 ? <p>No letter has been signed off yet.</p> : null}
        {signed.map((letter) => (
          <div key={letter.id} className="nhsuk-card">
            <div className="nhsuk-card__content">
              <h3 className="nhsuk-card__heading nhsuk-heading-s">
                Signed off by {letter.signedByName} on {formatDateTime(letter.signedAt, zone)}
                {letter.replacedById ? ' (replaced by a correction)' : ''}
              </h3>
              {letter.replacesId ? (
                <p className="muted">This letter corrects and replaces an earlier one.</p>
              ) : null}
              <p>
                <a
                  href={`${base}/gp-letter/${encodeURIComponent(letter.id)}/letter.pdf`}
                  className="nhsuk-link"
                  download
                >
                  Download the signed PDF ({Math.ceil(letter.pdfSize / 1024)} KB)
                </a>
              </p>
              <p className="muted small">SHA-256 {letter.pdfSha256}</p>
              <h4 className="nhsuk-heading-xs">Sent</h4>
              {letter.sendings.length === 0 ? (
                <p>Not recorded as sent yet.</p>
              ) : (
                <ul className="gp-letter-sendings">
                  {letter.sendings.map((s) => (
                    <li key={s.id}>
                      {GP_LETTER_SENDING_METHOD_LABELS[s.method] ?? s.method}
                      {s.detail ? ` (${s.detail})` : ''} on {formatDateTime(s.sentAt, zone)},
                      recorded by {s.recordedByName}
                    </li>
                  ))}
                </ul>
              )}
              {maySend && !letter.replacedById ? (
                <details className="nhsuk-details">
                  <summary className="nhsuk-details__summary">
                    <span className="nhsuk-details__summary-text">Record as sent</span>
                  </summary>
                  <div className="nhsuk-details__text">
                    <SentForm
                      action={recordGpLetterSentAction.bind(null, {
                        episodeId,
                        letterId: letter.id,
                      })}
                      methods={GP_LETTER_SENDING_METHODS.map((m) => ({
                        value: m,
                        label: GP_LETTER_SENDING_METHOD_LABELS[m],
                      }))}
                      today={{ day: String(Number(day)), month: String(Number(month)), year }}
                      time={time}
                      idPrefix={`sent-${letter.id.slice(0, 8)}`}
                    />
                  </div>
                </details>
              ) : null}
            </div>
          </div>
        ))}
      </section>
    </div>
  );
}
