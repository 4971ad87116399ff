import Link from 'next/link';
import { formatIdentifier } from './identity';

/** "← Mabel Juniper NHS 999 000 2592": back to the patient page from one of its forms. */
export function PatientBackLink(props: {
  href: string;
  patient: {
    givenName: string;
    familyName: string;
    identifierKind: string;
    identifierValue: string;
  };
}) {
  const { patient } = props;
  return (
    <p>
      <Link href={props.href}>
        ← {patient.givenName} {patient.familyName}
      </Link>{' '}
      <span className="muted">
        {formatIdentifier(patient.identifierKind, patient.identifierValue)}
      </span>
    </p>
  );
}
