import { renderPdf } from '@vfx/documents';
import type { WrittenPlan } from '@vfx/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { RecordError } from '../records/errors.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { listWrittenPlans, readWrittenPlan } from '../views/written-plans.js';
import { enrolPatient } from './enrol-patient.js';
import { produceWrittenPlan, sha256Hex, type WrittenPlanRenderer } from './written-plan.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('written_plan'));
  await createUsers(db, [
    { id: 'nurse-1', role: 'nurse' },
    { id: 'scheduler-1', role: 'scheduler' },
    { id: 'admin-1', role: 'admin' },
  ]);
});
afterAll(() => close());

// Fracture on Monday 16 November 2026, enrolled the next day; the plan produced on 20 November.
const ENROLLED = new Date('2026-11-17T10:00:00Z');
const NOW = new Date('2026-11-20T11:00:00Z');

/** A real PDF of the plan's text (the dashboard has the patient-facing layout). */
const render: WrittenPlanRenderer = (plan: WrittenPlan, { largePrint }) =>
  renderPdf({
    defaultStyle: { fontSize: largePrint ? 16 : 11 },
    content: plan.sections.flatMap((s) => [
      { text: s.heading, bold: true },
      ...s.items.map((i) => i.text),
    ]),
  });

const CONTACT = { name: 'Northtown Fracture Liaison Service', telephone: '0161 496 0000' };

let n = 0;
async function enrol(pathwayVersion?: string) {
  n += 1;
  const input = testEnrolment({
    n,
    fractureDate: '2026-11-16',
    firstContactAt: '2026-11-17T10:00:00Z',
  });
  await enrolPatient(
    db,
    pathwayVersion
      ? { ...input, episode: { ...(input.episode as object), pathwayVersion } }
      : input,
    { actorId: 'admin-1', now: ENROLLED },
  );
  return { episodeId: `ep-${n}`, patientId: `pat-${n}` };
}

const refusal = (work: Promise<unknown>) =>
  work.then(() => undefined).catch((e) => e as RecordError);

describe('produceWrittenPlan', () => {
  it('stores the plan a nurse produces, with its version, author, time, content and PDF, audited in the same transaction', async () => {
    const { episodeId, patientId } = await enrol();
    const produced = await produceWrittenPlan(
      db,
      { episodeId, largePrint: true, render, contact: CONTACT },
      { actorId: 'nurse-1', now: NOW },
    );
    expect(produced).toMatchObject({
      episodeId,
      patientId,
      pathwayVersion: 'ros-2022.3',
      producedBy: 'nurse-1',
      producedAt: NOW,
      largePrint: true,
    });
    expect(Buffer.from(produced.pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(produced.sha256).toBe(sha256Hex(produced.pdf));
    expect(produced.content.patientName).toBe(`Test Patient ${n}`);
    expect(produced.content.restrictionEnds.iso).toBe('2027-02-08'); // 12 weeks after the fracture
    expect(produced.content.contact).toEqual(CONTACT);

    const stored = await readWrittenPlan(db, produced.id, episodeId);
    expect(stored?.pdf.length).toBe(produced.pdf.length);
    expect(Buffer.from(stored?.pdf ?? []).equals(Buffer.from(produced.pdf))).toBe(true);
    expect(stored?.content).toEqual(produced.content);
    expect(stored?.sha256).toBe(sha256Hex(stored?.pdf ?? new Uint8Array()));
    expect(stored?.producedBy.name).toBeTruthy();

    const audit = await db.auditEntry.findMany({
      where: { entityType: 'written-plan', entityId: produced.id },
    });
    expect(audit).toEqual([
      expect.objectContaining({
        actor: 'nurse-1',
        action: 'writtenPlan.produced',
        patientId,
        after: expect.objectContaining({ pathwayVersion: 'ros-2022.3', sha256: produced.sha256 }),
      }),
    ]);
  });

  it('lists an episode’s plans newest first, without their bytes, and reads each back only under its episode', async () => {
    const { episodeId } = await enrol();
    const first = await produceWrittenPlan(
      db,
      { episodeId, largePrint: false, render, contact: CONTACT },
      { actorId: 'nurse-1', now: NOW },
    );
    const second = await produceWrittenPlan(
      db,
      { episodeId, largePrint: true, render, contact: CONTACT },
      { actorId: 'admin-1', now: new Date(NOW.getTime() + 60_000) },
    );
    const list = await listWrittenPlans(db, episodeId);
    expect(list.map((p) => [p.id, p.largePrint, p.producedBy.id])).toEqual([
      [second.id, true, 'admin-1'],
      [first.id, false, 'nurse-1'],
    ]);
    expect(list[1]?.bytes).toBe(first.pdf.length);
    expect(list[1]).not.toHaveProperty('pdf');
    expect(await readWrittenPlan(db, first.id, 'ep-other')).toBeUndefined();
    expect(await readWrittenPlan(db, 'no-such-plan')).toBeUndefined();
  });

  it('refuses a scheduler, and audits the refusal; nothing is stored', async () => {
    const { episodeId } = await enrol();
    const error = await refusal(
      produceWrittenPlan(
        db,
        { episodeId, largePrint: false, render, contact: CONTACT },
        { actorId: 'scheduler-1', now: NOW },
      ),
    );
    expect(error).toBeInstanceOf(RecordError);
    expect(error?.code).toBe('forbidden');
    expect(await listWrittenPlans(db, episodeId)).toEqual([]);
    expect(
      await db.auditEntry.count({ where: { actor: 'scheduler-1', action: 'access.refused' } }),
    ).toBeGreaterThan(0);
  });

  it('refuses an episode under version 2 with the domain’s message; nothing is stored', async () => {
    const { episodeId } = await enrol('ros-2022.2');
    const error = await refusal(
      produceWrittenPlan(
        db,
        { episodeId, largePrint: false, render, contact: CONTACT },
        { actorId: 'nurse-1', now: NOW },
      ),
    );
    expect(error?.code).toBe('conflict');
    expect(error?.message).toContain('pathway ros-2022.2, which has no patient wording');
    expect(await listWrittenPlans(db, episodeId)).toEqual([]);
  });

  it('refuses an unknown episode, and stores nothing when the PDF cannot be made', async () => {
    expect(
      (
        await refusal(
          produceWrittenPlan(
            db,
            { episodeId: 'ep-none', largePrint: false, render, contact: CONTACT },
            { actorId: 'nurse-1', now: NOW },
          ),
        )
      )?.code,
    ).toBe('not-found');
    const { episodeId } = await enrol();
    const failing: WrittenPlanRenderer = () => Promise.reject(new Error('renderer failed'));
    await expect(
      produceWrittenPlan(
        db,
        { episodeId, largePrint: false, render: failing, contact: CONTACT },
        { actorId: 'nurse-1', now: NOW },
      ),
    ).rejects.toThrow('renderer failed');
    expect(await listWrittenPlans(db, episodeId)).toEqual([]);
    expect(
      await db.auditEntry.count({
        where: { action: 'writtenPlan.produced', patientId: `pat-${n}` },
      }),
    ).toBe(0);
  });
});
