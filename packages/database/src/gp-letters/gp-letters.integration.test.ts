// The letter to the GP against the real PostgreSQL: drafts saved with an optimistic version, a
// sign-off that stores the PDF unchanged (the trigger refuses any later change), sendings recorded
// more than once, corrections as new letters, each command audited, and clear errors.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { enrolPatient } from '../commands/enrol-patient.js';
import { recordEvent } from '../commands/record-event.js';
import type { RecordError } from '../records/errors.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import {
  fhirSignedGpLetters,
  gpLettersOfEpisode,
  recordGpLetterSent,
  saveGpLetterDraft,
  signedGpLetterPdf,
  signOffGpLetter,
} from './gp-letters.js';

const NOW = new Date('2026-11-20T10:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const SENDER = {
  serviceName: 'Test Fracture Liaison Service',
  addressLines: ['Test Hospital', 'TE1 1ST'],
};
const opts = (actorId: string, now = NOW) => ({ actorId, now, sender: SENDER });
const EDITS = {
  recipient: 'The Surgery\n1 High Street\nTE2 2ST',
  clinicalSummary: 'Seen in clinic; pain improving.',
  additionalComments: '',
  recommendedDrug: 'denosumab',
};

let db: Database;
let close: () => Promise<void>;

async function rejection(promise: Promise<unknown>): Promise<RecordError> {
  try {
    await promise;
  } catch (error) {
    return error as RecordError;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('gp-letters'));
  await createUsers(db, [
    { id: 'nurse-1', role: 'nurse', name: 'Nina Nurse' },
    { id: 'nurse-2', role: 'nurse', name: 'Nora Nurse' },
    { id: 'scheduler-1', role: 'scheduler' },
    { id: 'admin-1', role: 'admin' },
  ]);
  for (const n of [1, 2, 3]) {
    await enrolPatient(db, testEnrolment({ n, nurseId: 'nurse-1' }), {
      actorId: 'nurse-1',
      now: NOW,
    });
  }
});

afterAll(async () => {
  await close?.();
});

describe('saveGpLetterDraft', () => {
  it('creates the draft, then saves over it only from the version it was opened at', async () => {
    const first = await saveGpLetterDraft(
      db,
      { episodeId: 'ep-1', version: 0, edits: EDITS },
      opts('nurse-1'),
    );
    expect(first.version).toBe(1);
    expect(first.letter.edits.recommendedDrug).toBe('denosumab');
    const second = await saveGpLetterDraft(
      db,
      { episodeId: 'ep-1', version: 1, edits: { ...EDITS, additionalComments: 'Thank you.' } },
      opts('nurse-2', later(1)),
    );
    expect(second).toMatchObject({ id: first.id, version: 2 });
    const stale = await rejection(
      saveGpLetterDraft(
        db,
        { episodeId: 'ep-1', version: 1, edits: EDITS },
        opts('nurse-1', later(2)),
      ),
    );
    expect(stale.code).toBe('conflict');
    expect(stale.message).toContain('saved by someone else since you opened it');
    const twoDrafts = await rejection(
      saveGpLetterDraft(
        db,
        { episodeId: 'ep-1', version: 0, edits: EDITS },
        opts('nurse-1', later(2)),
      ),
    );
    expect(twoDrafts.code).toBe('conflict');
    const audit = await db.auditEntry.findMany({
      where: { entityId: first.id },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['gpLetter.draft-saved', 'nurse-1'],
      ['gpLetter.draft-saved', 'nurse-2'],
    ]);
  });

  it('refuses too-long text and unknown drugs with an issue per field, and stores nothing', async () => {
    const error = await rejection(
      saveGpLetterDraft(
        db,
        {
          episodeId: 'ep-2',
          version: 0,
          edits: { clinicalSummary: 'x'.repeat(2001), recommendedDrug: 'aspirin' },
        },
        opts('nurse-1'),
      ),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      'edits.clinicalSummary',
      'edits.recommendedDrug',
    ]);
    expect(error.issues.find((i) => i.path === 'edits.clinicalSummary')?.message).toContain(
      'at most 2000 characters',
    );
    expect(await db.gpLetter.count({ where: { episodeId: 'ep-2' } })).toBe(0);
  });

  it('is refused to a scheduler, with the permission table’s reason', async () => {
    const error = await rejection(
      saveGpLetterDraft(db, { episodeId: 'ep-2', version: 0, edits: EDITS }, opts('scheduler-1')),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain('write a draft letter to the GP');
  });
});

describe('signOffGpLetter', () => {
  it('stores the letter and its PDF unchanged, with the SHA-256 of the bytes; it cannot be signed again', async () => {
    const view = await gpLettersOfEpisode(db, 'ep-1', { now: later(5), sender: SENDER });
    if (!view?.draft.id) throw new Error('no draft');
    const signed = await signOffGpLetter(
      db,
      { letterId: view.draft.id, version: view.draft.version, episodeVersion: view.episodeVersion },
      opts('nurse-1', later(5)),
    );
    expect(signed.letter.signature).toMatchObject({
      name: 'Nina Nurse',
      signedAt: later(5).toISOString(),
    });
    const pdf = await signedGpLetterPdf(db, signed.id, { actorId: 'nurse-2', now: later(6) });
    expect(pdf?.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(
      createHash('sha256')
        .update(pdf?.pdf ?? Buffer.alloc(0))
        .digest('hex'),
    ).toBe(signed.pdfSha256);
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf?.pdf }).toString();
    expect(text).toContain('Nina Nurse');
    expect(text).toContain('Denosumab 60 mg subcutaneously every 6 months');
    expect(text).not.toContain('DRAFT');
    const again = await rejection(
      signOffGpLetter(
        db,
        { letterId: signed.id, version: view.draft.version, episodeVersion: view.episodeVersion },
        opts('nurse-1', later(7)),
      ),
    );
    expect(again.code).toBe('conflict');
    expect(again.message).toContain('already signed off');
    expect(
      await db.auditEntry.count({
        where: {
          entityId: signed.id,
          action: { in: ['gpLetter.signed-off', 'gpLetter.downloaded'] },
        },
      }),
    ).toBe(2);
  });

  it('refuses any change to a signed letter in the database itself', async () => {
    const signed = await db.gpLetter.findFirstOrThrow({
      where: { episodeId: 'ep-1', status: 'signed' },
    });
    await expect(
      db.$executeRaw`UPDATE gp_letters SET content = '{}'::jsonb WHERE id = ${signed.id}`,
    ).rejects.toThrow(/is signed and cannot be changed/);
    await expect(
      db.$executeRaw`UPDATE gp_letters SET pdf = '\\x00'::bytea WHERE id = ${signed.id}`,
    ).rejects.toThrow(/is signed and cannot be changed/);
    await expect(db.$executeRaw`DELETE FROM gp_letters WHERE id = ${signed.id}`).rejects.toThrow(
      /is signed and cannot be changed/,
    );
    // A signature needs a PDF whose SHA-256 matches.
    const draft = await saveGpLetterDraft(
      db,
      { episodeId: 'ep-3', version: 0, edits: EDITS },
      opts('nurse-1'),
    );
    await expect(
      db.$executeRaw`UPDATE gp_letters SET status = 'signed', pdf = '\\x01'::bytea, pdf_sha256 = 'abc', signed_by = 'nurse-1', signed_at = now() WHERE id = ${draft.id}`,
    ).rejects.toThrow(/needs its PDF, the PDF's SHA-256/);
  });

  it('refuses a stale preview: the draft saved since, or the record changed since', async () => {
    const before = await gpLettersOfEpisode(db, 'ep-3', { now: later(10), sender: SENDER });
    if (!before?.draft.id) throw new Error('no draft');
    await saveGpLetterDraft(
      db,
      {
        episodeId: 'ep-3',
        version: before.draft.version,
        edits: { ...EDITS, additionalComments: 'x' },
      },
      opts('nurse-2', later(11)),
    );
    const draftStale = await rejection(
      signOffGpLetter(
        db,
        {
          letterId: before.draft.id,
          version: before.draft.version,
          episodeVersion: before.episodeVersion,
        },
        opts('nurse-1', later(12)),
      ),
    );
    expect(draftStale.code).toBe('conflict');
    expect(draftStale.message).toContain('changed since you previewed it');
    const fresh = await gpLettersOfEpisode(db, 'ep-3', { now: later(13), sender: SENDER });
    if (!fresh?.draft.id) throw new Error('no draft');
    await recordEvent(
      db,
      {
        episodeId: 'ep-3',
        event: {
          type: 'laboratory-screen',
          secondaryCauseFound: false,
          occurredAt: later(13).toISOString(),
        },
      },
      { actorId: 'nurse-1', now: later(13) },
    );
    const recordStale = await rejection(
      signOffGpLetter(
        db,
        {
          letterId: fresh.draft.id,
          version: fresh.draft.version,
          episodeVersion: fresh.episodeVersion,
        },
        opts('nurse-1', later(14)),
      ),
    );
    expect(recordStale.code).toBe('conflict');
    expect(recordStale.message).toContain("patient's record changed since you previewed");
    expect((await db.gpLetter.findUniqueOrThrow({ where: { id: fresh.draft.id } })).status).toBe(
      'draft',
    );
  });

  it('refuses a letter with no GP practice named, saying which field to fill in', async () => {
    await saveGpLetterDraft(
      db,
      { episodeId: 'ep-2', version: 0, edits: { ...EDITS, recipient: '' } },
      opts('nurse-1'),
    );
    const view = await gpLettersOfEpisode(db, 'ep-2', { now: later(1), sender: SENDER });
    if (!view?.draft.id) throw new Error('no draft');
    const error = await rejection(
      signOffGpLetter(
        db,
        {
          letterId: view.draft.id,
          version: view.draft.version,
          episodeVersion: view.episodeVersion,
        },
        opts('nurse-1', later(1)),
      ),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.issues).toEqual([
      {
        path: 'edits.recipient',
        message: 'must name the GP practice and its address before the letter is signed off',
      },
    ]);
  });
});

describe('a red-flag patient’s letter', () => {
  it('says they left the routine pathway for specialist care, recommends no drug, and is refused with one', async () => {
    await recordEvent(
      db,
      {
        episodeId: 'ep-2',
        event: {
          type: 'clinical-findings',
          neurologicalDeficit: true,
          occurredAt: later(60).toISOString(),
        },
      },
      { actorId: 'nurse-1', now: later(60) },
    );
    const view = await gpLettersOfEpisode(db, 'ep-2', { now: later(61), sender: SENDER });
    if (!view?.draft.id) throw new Error('no draft');
    expect(view.draft.letter.branch).toBe('red-flag');
    await saveGpLetterDraft(
      db,
      { episodeId: 'ep-2', version: view.draft.version, edits: EDITS },
      opts('nurse-1', later(61)),
    );
    const withDrug = await gpLettersOfEpisode(db, 'ep-2', { now: later(62), sender: SENDER });
    const refusedDrug = await rejection(
      signOffGpLetter(
        db,
        {
          letterId: view.draft.id,
          version: withDrug?.draft.version ?? 0,
          episodeVersion: withDrug?.episodeVersion ?? 0,
        },
        opts('nurse-1', later(62)),
      ),
    );
    expect(refusedDrug.issues.map((i) => i.path)).toEqual(['edits.recommendedDrug']);
    const saved = await saveGpLetterDraft(
      db,
      {
        episodeId: 'ep-2',
        version: withDrug?.draft.version ?? 0,
        edits: { ...EDITS, recommendedDrug: '' },
      },
      opts('nurse-1', later(63)),
    );
    const signed = await signOffGpLetter(
      db,
      { letterId: saved.id, version: saved.version, episodeVersion: withDrug?.episodeVersion ?? 0 },
      opts('nurse-1', later(63)),
    );
    const pdf = await signedGpLetterPdf(db, signed.id, { actorId: 'nurse-1', now: later(64) });
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf?.pdf })
      .toString()
      .replace(/\s+/g, ' ');
    expect(text).toContain('left the routine conservative pathway for specialist care');
    expect(text).toContain('No bone therapy is recommended');
    expect(text).not.toMatch(/60 mg subcutaneously|The FLS recommends|Calcium and vitamin D:/);
  });
});

describe('a letter written when a denosumab dose is late and other steps are overdue', () => {
  it('gives the dose one action, overdue since its due date and asking for it as soon as possible, and no past by-date, in the signed PDF', async () => {
    // Fracture 2 March 2026; denosumab started 10 March, so the next dose was due Thursday
    // 10 September 2026, more than 4 weeks before the letter (20 November 2026).
    const enrolment = testEnrolment({ n: 4, fractureDate: '2026-03-02', nurseId: 'nurse-1' });
    await enrolPatient(
      db,
      {
        ...enrolment,
        history: [
          { type: 'bone-therapy-started', drug: 'denosumab', occurredAt: '2026-03-10T10:00:00Z' },
          {
            type: 'laboratory-screen',
            secondaryCauseFound: false,
            occurredAt: '2026-03-11T10:00:00Z',
          },
        ],
      },
      { actorId: 'nurse-1', now: NOW },
    );
    const saved = await saveGpLetterDraft(
      db,
      { episodeId: 'ep-4', version: 0, edits: { ...EDITS, recommendedDrug: '' } },
      opts('nurse-1', later(1)),
    );
    const view = await gpLettersOfEpisode(db, 'ep-4', { now: later(2), sender: SENDER });
    const signed = await signOffGpLetter(
      db,
      { letterId: saved.id, version: saved.version, episodeVersion: view?.episodeVersion ?? -1 },
      opts('nurse-1', later(2)),
    );
    const actions = signed.letter.sections.find((x) => x.id === 'gp-actions')?.items ?? [];
    const doses = actions.filter((i) => /denosumab dose/i.test(i.text));
    expect(doses).toHaveLength(1);
    expect(doses[0]).toMatchObject({ date: '2026-09-10', dateLabel: 'Overdue since' });
    const pdf = await signedGpLetterPdf(db, signed.id, { actorId: 'nurse-1', now: later(3) });
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf?.pdf })
      .toString()
      .replace(/\s+/g, ' ');
    expect(text.match(/Denosumab dose due \(every 6 months\)/g)).toHaveLength(1);
    expect(text).toContain(
      'Denosumab dose due (every 6 months). Overdue: please arrange it as soon as possible. Denosumab dose more than 4 weeks late: Give the overdue denosumab dose as soon as possible.',
    );
    expect(text).toContain('Overdue since: Thu 10 Sep 2026');
    // Several steps are overdue (the assessments, the 16-week follow-up): each says so.
    expect(text.match(/Overdue since: /g)?.length).toBeGreaterThanOrEqual(4);
    // No deadline the letter gives is before the letter's date.
    const deadlines = [...text.matchAll(/(?:By|Planned by|Due): \w{3} (\d{1,2} \w{3} \d{4})/g)].map(
      (m) => Date.parse(`${m[1]} UTC`),
    );
    expect(deadlines.length).toBeGreaterThan(0);
    for (const day of deadlines) expect(day).toBeGreaterThanOrEqual(Date.parse('2026-11-20'));
    expect(text).not.toContain('Was due by');
  });
});

describe('recordGpLetterSent and corrections', () => {
  it('records each sending with how, by whom and when, and refuses bad ones clearly', async () => {
    const signed = await db.gpLetter.findFirstOrThrow({
      where: { episodeId: 'ep-1', status: 'signed' },
    });
    await recordGpLetterSent(
      db,
      {
        letterId: signed.id,
        method: 'nhsmail',
        detail: 'surgery.test@nhs.net',
        sentAt: later(20).toISOString(),
      },
      { actorId: 'nurse-2', now: later(21) },
    );
    await recordGpLetterSent(
      db,
      { letterId: signed.id, method: 'post', sentAt: later(30).toISOString() },
      { actorId: 'nurse-1', now: later(31) },
    );
    const other = await rejection(
      recordGpLetterSent(
        db,
        { letterId: signed.id, method: 'other', sentAt: later(30).toISOString() },
        { actorId: 'nurse-1', now: later(31) },
      ),
    );
    expect(other.issues).toEqual([
      {
        path: 'sending.detail',
        message: 'must say how the letter was sent when the method is "other"',
      },
    ]);
    const future = await rejection(
      recordGpLetterSent(
        db,
        { letterId: signed.id, method: 'post', sentAt: later(90).toISOString() },
        { actorId: 'nurse-1', now: later(31) },
      ),
    );
    expect(future.issues).toEqual([{ path: 'sending.sentAt', message: 'is in the future' }]);
    const draft = await db.gpLetter.findFirstOrThrow({
      where: { episodeId: 'ep-3', status: 'draft' },
    });
    const unsigned = await rejection(
      recordGpLetterSent(
        db,
        { letterId: draft.id, method: 'post', sentAt: later(30).toISOString() },
        { actorId: 'nurse-1', now: later(31) },
      ),
    );
    expect(unsigned.code).toBe('conflict');
    const view = await gpLettersOfEpisode(db, 'ep-1', { now: later(40), sender: SENDER });
    expect(view?.signed[0]?.sendings.map((s) => [s.method, s.recordedByName])).toEqual([
      ['nhsmail', 'Nora Nurse'],
      ['post', 'Nina Nurse'],
    ]);
    await expect(db.$executeRaw`DELETE FROM gp_letter_sendings`).rejects.toThrow(/append-only/);
  });

  it('a correction is a new letter that replaces the signed one, which stays as it was', async () => {
    const old = await db.gpLetter.findFirstOrThrow({
      where: { episodeId: 'ep-1', status: 'signed' },
    });
    const view = await gpLettersOfEpisode(db, 'ep-1', { now: later(50), sender: SENDER });
    expect(view?.draft).toMatchObject({ id: undefined, version: 0 });
    // The new draft is addressed as the last signed letter was.
    expect(view?.draft.edits.recipient).toBe(EDITS.recipient);
    const correction = await saveGpLetterDraft(
      db,
      {
        episodeId: 'ep-1',
        version: 0,
        replacesId: old.id,
        edits: { ...EDITS, recommendedDrug: 'zoledronic-acid' },
      },
      opts('nurse-1', later(50)),
    );
    const fresh = await gpLettersOfEpisode(db, 'ep-1', { now: later(51), sender: SENDER });
    await signOffGpLetter(
      db,
      { letterId: correction.id, version: 1, episodeVersion: fresh?.episodeVersion ?? -1 },
      opts('nurse-1', later(51)),
    );
    const after = await gpLettersOfEpisode(db, 'ep-1', { now: later(52), sender: SENDER });
    expect(after?.signed.map((s) => [s.id, s.replacesId, s.replacedById])).toEqual([
      [correction.id, old.id, null],
      [old.id, null, correction.id],
    ]);
    const unchanged = await db.gpLetter.findUniqueOrThrow({ where: { id: old.id } });
    expect(unchanged.pdfSha256).toBe(old.pdfSha256);
    const forFhir = await fhirSignedGpLetters(db, { patientIds: ['pat-1'] });
    expect(forFhir.map((r) => [r.id, r.replacesId, r.replacedById])).toEqual([
      [old.id, null, correction.id],
      [correction.id, old.id, null],
    ]);
    expect(forFhir[0]?.pdfSha1Base64).toBe(
      createHash('sha1')
        .update(forFhir[0]?.pdf ?? new Uint8Array())
        .digest('base64'),
    );
    const twice = await rejection(
      saveGpLetterDraft(
        db,
        { episodeId: 'ep-1', version: 0, replacesId: old.id, edits: EDITS },
        opts('nurse-1', later(53)),
      ),
    );
    expect(twice.code).toBe('conflict');
  });
});
