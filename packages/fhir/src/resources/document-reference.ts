// A signed letter to the GP as a DocumentReference, and its PDF as a Binary. The letter is stored
// unchanged when it is signed off (packages/database gp_letters), so the resource never changes
// either, except its status: 'current' until a correction replaces it, then 'superseded', and the
// correction's relatesTo says which letter it replaces (code 'replaces').
//
// type and category are text only: no code is cited for them here (a deployment that adopts a
// national document type code can add it as a coding). Attachment.hash is the SHA-1 of the PDF in
// base64, as FHIR R4 defines Attachment.hash; url names the Binary holding the same bytes.
import type { Binary, DocumentReference } from '@medplum/fhirtypes';
import { fhirId } from '../ids.js';
import { SERVICE_BASE, USER_SYSTEM } from '../systems.js';
import { episodeOfCareReference, patientReference } from './common.js';

/** Identifier system of the service's letters (DocumentReference.masterIdentifier). */
export const GP_LETTER_SYSTEM = `${SERVICE_BASE}/Id/gp-letter`;
export const GP_LETTER_TYPE_TEXT = 'Letter to the GP from the fracture liaison service';
export const GP_LETTER_CATEGORY_TEXT = 'Clinical correspondence';

/** A signed letter as packages/database reads it for FHIR (plain values). */
export interface SignedLetterRecord {
  readonly id: string;
  readonly patientId: string;
  readonly episodeId: string;
  /** ISO instant of the sign-off. */
  readonly signedAt: string;
  readonly signedBy: string;
  readonly signedByName: string;
  readonly subject: string;
  readonly pdf: Uint8Array;
  /** SHA-1 of the PDF, base64 (FHIR R4 Attachment.hash). */
  readonly pdfSha1Base64: string;
  readonly replacesId: string | null;
  /** Set once a correction that replaces this letter has been signed. */
  readonly replacedById: string | null;
}

/** The Binary holding a letter's PDF: same id as its DocumentReference. */
export function gpLetterBinary(record: SignedLetterRecord): Binary {
  return {
    resourceType: 'Binary',
    id: fhirId(record.id),
    meta: { lastUpdated: record.signedAt },
    contentType: 'application/pdf',
    securityContext: patientReference(record.patientId),
    data: Buffer.from(record.pdf).toString('base64'),
  };
}

/** `base` is the FHIR base the client used (Attachment.url is then absolute). */
export function documentReferenceResource(
  record: SignedLetterRecord,
  base: string,
): DocumentReference {
  const signer = {
    identifier: { system: USER_SYSTEM, value: record.signedBy },
    display: record.signedByName,
  };
  return {
    resourceType: 'DocumentReference',
    id: fhirId(record.id),
    meta: { lastUpdated: record.signedAt },
    masterIdentifier: { system: GP_LETTER_SYSTEM, value: record.id },
    status: record.replacedById ? 'superseded' : 'current',
    docStatus: 'final',
    type: { text: GP_LETTER_TYPE_TEXT },
    category: [{ text: GP_LETTER_CATEGORY_TEXT }],
    subject: patientReference(record.patientId),
    date: record.signedAt,
    author: [signer],
    authenticator: signer,
    description: record.subject,
    ...(record.replacesId
      ? {
          relatesTo: [
            {
              code: 'replaces',
              target: { reference: `DocumentReference/${fhirId(record.replacesId)}` },
            },
          ],
        }
      : {}),
    content: [
      {
        attachment: {
          contentType: 'application/pdf',
          language: 'en-GB',
          url: `${base}/Binary/${fhirId(record.id)}`,
          size: record.pdf.byteLength,
          hash: record.pdfSha1Base64,
          title: record.subject,
          creation: record.signedAt,
        },
      },
    ],
    context: { related: [episodeOfCareReference(record.episodeId)] },
  };
}
