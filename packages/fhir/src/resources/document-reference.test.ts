import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeFindings, validateR4 } from '../testing/index.js';
import {
  documentReferenceResource,
  GP_LETTER_TYPE_TEXT,
  gpLetterBinary,
  type SignedLetterRecord,
} from './document-reference.js';

const BASE = 'https://fls.example.nhs.uk/fhir/R4';
const pdf = new TextEncoder().encode('%PDF-1.7 a test letter');
const record: SignedLetterRecord = {
  id: '6f1c2f0e-8d0b-4c58-9a4e-2f3b7c1d9e10',
  patientId: 'pat-1',
  episodeId: 'ep-1',
  signedAt: '2026-12-07T10:15:00.000Z',
  signedBy: 'nurse-1',
  signedByName: 'Nina Nurse',
  subject: 'Fracture liaison service: vertebral fragility fracture T12',
  pdf,
  pdfSha1Base64: createHash('sha1').update(pdf).digest('base64'),
  replacesId: null,
  replacedById: null,
};

describe('DocumentReference of a signed letter to the GP', () => {
  it('is current and final, about the patient, with the PDF’s size, SHA-1 (base64) and Binary url; valid R4', () => {
    const resource = documentReferenceResource(record, BASE);
    expect(resource).toMatchObject({
      resourceType: 'DocumentReference',
      id: record.id,
      status: 'current',
      docStatus: 'final',
      type: { text: GP_LETTER_TYPE_TEXT },
      subject: { reference: 'Patient/pat-1' },
      date: record.signedAt,
      author: [{ display: 'Nina Nurse' }],
      context: { related: [{ reference: 'EpisodeOfCare/ep-1' }] },
    });
    expect(resource.content[0]?.attachment).toEqual({
      contentType: 'application/pdf',
      language: 'en-GB',
      url: `${BASE}/Binary/${record.id}`,
      size: pdf.byteLength,
      hash: createHash('sha1').update(pdf).digest('base64'),
      title: record.subject,
      creation: record.signedAt,
    });
    expect(resource.relatesTo).toBeUndefined();
    const validation = validateR4(resource);
    expect(validation.errors, describeFindings(validation.errors)).toEqual([]);
    // The validators do check it: a docStatus outside R4's required value set is an error.
    expect(validateR4({ ...resource, docStatus: 'signed' as 'final' }).errors).not.toEqual([]);
  });

  it('a correction replaces the letter it corrects, which is then superseded; both valid R4', () => {
    const correction = documentReferenceResource(
      { ...record, id: 'letter-2', replacesId: record.id },
      BASE,
    );
    expect(correction.relatesTo).toEqual([
      { code: 'replaces', target: { reference: `DocumentReference/${record.id}` } },
    ]);
    const replaced = documentReferenceResource({ ...record, replacedById: 'letter-2' }, BASE);
    expect(replaced.status).toBe('superseded');
    for (const resource of [correction, replaced]) {
      const validation = validateR4(resource);
      expect(validation.errors, describeFindings(validation.errors)).toEqual([]);
    }
  });

  it('its Binary holds the same bytes, tied to the patient; valid R4', () => {
    const binary = gpLetterBinary(record);
    expect(Buffer.from(binary.data ?? '', 'base64')).toEqual(Buffer.from(pdf));
    expect(binary.securityContext).toEqual({ reference: 'Patient/pat-1' });
    const validation = validateR4(binary);
    expect(validation.errors, describeFindings(validation.errors)).toEqual([]);
  });
});
