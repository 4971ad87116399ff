// "How the patient hears from us" on the patient page: the channel, consent, details and any
// opt-out as stored, and whether reminders can reach the patient (the domain's answer), with the
// links to change them. Drawn by the patient page; reads one row by primary key.
import { patientContactDetails } from '@vfx/database/views';
import { type Actor, describeChannel, may, patientReachability } from '@vfx/domain';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { db } from '@/server/db';
import { formatDate, formatDateTime } from '@/ui/dates';
import { Tag } from '@/ui/status';
import { nationalMobile } from './form-input';

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{term}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

const NOTICES: Record<string, string> = {
  saved: 'Contact preferences saved.',
  'opted-out': 'The patient is opted out of reminders; messages already scheduled are cancelled.',
};

export async function ContactSection(props: {
  patientId: string;
  episodeId: string;
  user: Actor;
  zone: string;
  /** ?contact= after a save or an opt-out. */
  notice?: string | undefined;
}) {
  const details = await patientContactDetails(db(), props.patientId);
  const prefs = details?.preferences ?? null;
  const reach = patientReachability(prefs);
  const change = may(props.user, 'contactPreferences.set');
  const base = `/episodes/${encodeURIComponent(props.episodeId)}/contact`;
  const notice = props.notice ? NOTICES[props.notice] : undefined;
  return (
    <section id="contact" aria-labelledby="contact-heading" className="details-section">
      <h2 id="contact-heading">How the patient hears from us</h2>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <dl className="nhsuk-summary-list">
        <Row term="Reminders">
          {reach.reachable ? (
            <Tag tone="info">Sent by {describeChannel(reach.channel)}</Tag>
          ) : (
            <>
              <Tag tone="warn">Not sent</Tag> {reach.why}
            </>
          )}
        </Row>
        <Row term="Channel">{prefs ? describeChannel(prefs.channel) : 'Not recorded'}</Row>
        <Row term="Consent">
          {prefs?.consentAt
            ? `Given ${formatDate(prefs.consentAt, props.zone)}, recorded by ${details?.consentBy?.name ?? 'a colleague'}`
            : 'Not recorded'}
        </Row>
        {prefs?.mobile ? <Row term="Mobile">{nationalMobile(prefs.mobile)}</Row> : null}
        {prefs?.email ? <Row term="E-mail">{prefs.email}</Row> : null}
        {prefs?.address ? (
          <Row term="Address">
            {[...prefs.address.lines, prefs.address.postcode].map((line, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: an address's lines are its order.
              <div key={index}>{line}</div>
            ))}
          </Row>
        ) : null}
        <Row term="Opted out">
          {prefs?.optedOutAt
            ? `Yes, ${formatDateTime(prefs.optedOutAt, props.zone)} by ${details?.optedOutBy?.name ?? 'a colleague'}: ${details?.optOutReason ?? 'no reason given'}`
            : 'No'}
        </Row>
      </dl>
      {change ? (
        <p className="small no-print">
          <Link href={base}>Change how the patient hears from us</Link>
          {prefs?.optedOutAt ? null : (
            <>
              {' · '}
              <Link href={`${base}#opt-out`}>Opt out of reminders</Link>
            </>
          )}
        </p>
      ) : null}
    </section>
  );
}
