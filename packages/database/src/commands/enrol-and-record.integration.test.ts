import { changeDigest, computePlan } from '@vfx/domain';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { RecordError } from '../records/errors.js';
import { loadEpisodeRecord } from '../records/write-path.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { enrolPatient, enrolPatients } from './enrol-patient.js';
import { PreviewOutdatedError, previewEvent, recordEvent } from './record-event.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('write_path'));
  await createUsers(db);
});
afterAll(() => close());

const NOW = new Date('2026-11-17T10:00:00Z');
const actor = { actorId: 'nurse-1', now: NOW };
let n = 0;
let current: ReturnType<typeof testEnrolment>;
let episodeId: string;

beforeEach(() => {
  n += 1;
  current = testEnrolment({ n });
  episodeId = `ep-${n}`;
});

const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

async function counts() {
  const [patients, episodes, events, steps, followUps, outbox, auditLog] = await Promise.all([
    db.patient.count(),
    db.episode.count(),
    db.clinicalEvent.count(),
    db.planStep.count(),
    db.followUp.count(),
    db.outboxMessage.count(),
    // Refusals are audited too (as 'access.refused'), but they change nothing.
    db.auditEntry.count({ where: { action: { not: 'access.refused' } } }),
  ]);
  return { patients, episodes, events, steps, followUps, outbox, auditLog };
}

async function followUpsOf(id: string) {
  return db.followUp.findMany({ where: { episodeId: id }, orderBy: { fireAt: 'asc' } });
}

describe('enrolling a patient', () => {
  it('stores the patient, episode, plan steps, pending follow-ups, outbox commands and audit', async () => {
    const result = await enrolPatient(db, current, actor);
    expect(result.plan.steps.length).toBeGreaterThan(20);

    const steps = await db.planStep.findMany({ where: { episodeId } });
    expect(steps).toHaveLength(result.plan.steps.length);
    expect(steps.every((step) => step.nurseId === 'nurse-1' && step.planVersion === 1)).toBe(true);

    const followUps = await followUpsOf(episodeId);
    const pending = followUps.filter((f) => f.state === 'pending');
    expect(pending.length).toBe(result.scheduled);
    // Every future timer of the plan must fire; nothing already past except the latest due/overdue.
    const future = result.plan.timers.filter((t) => Date.parse(t.fireAt) > NOW.getTime());
    for (const timer of future) expect(pending.map((f) => f.id)).toContain(timer.id);

    const outbox = await db.outboxMessage.findMany({ where: { kind: 'follow-up.enqueue' } });
    const ids = outbox.map((m) => (m.payload as { followUpId: string }).followUpId);
    for (const f of pending) expect(ids).toContain(f.id);
    // Payloads carry ids only.
    for (const m of outbox) expect(Object.keys(m.payload as object)).toEqual(['followUpId']);

    const entries = await db.auditEntry.findMany({ where: { patientId: `pat-${n}` } });
    expect(entries.map((e) => e.action).sort()).toEqual(['episode.enrolled', 'patient.registered']);
  });

  it('a late-identified fracture gets one immediate reminder per overdue step, not one per past transition', async () => {
    const input = testEnrolment({ n, fractureDate: '2026-05-04' });
    const result = await enrolPatient(db, input, actor);
    const followUps = await followUpsOf(episodeId);
    const firingNow = followUps.filter((f) => f.state === 'pending' && f.fireAt <= NOW);
    const stepsWithPast = new Set(firingNow.map((f) => f.stepKey));
    expect(firingNow.length).toBe(stepsWithPast.size);
    expect(firingNow.every((f) => f.transition !== 'open')).toBe(true);
    const overdueSteps = result.plan.steps.filter((s) => s.status === 'overdue').map((s) => s.key);
    expect(overdueSteps.length).toBeGreaterThan(0);
    for (const key of overdueSteps) expect([...stepsWithPast]).toContain(key);
    expect(followUps.some((f) => f.state === 'superseded')).toBe(true);
  });

  it('rejects bad input with every problem named, and stores nothing', async () => {
    const before = await counts();
    const bad = {
      ...current,
      patient: { ...(current.patient as object), dateOfBirth: '2090-01-01' },
      demographics: { givenName: '', familyName: 'X' },
    };
    const error = await enrolPatient(db, bad, actor).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordError);
    expect((error as RecordError).code).toBe('invalid-input');
    expect((error as RecordError).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['patient.dateOfBirth', 'demographics.givenName']),
    );
    const badEpisode = {
      ...current,
      episode: { ...(current.episode as object), fractureDate: 'soon' },
    };
    const episodeError = (await enrolPatient(db, badEpisode, actor).catch((e) => e)) as RecordError;
    expect(episodeError.issues[0]?.path).toBe('episode.fractureDate');
    // A bad patient does not hide the episode's problems: a form shows them all at once.
    const both = {
      ...current,
      patient: { ...(current.patient as object), sex: 'unknown' },
      episode: { ...(current.episode as object), fractureDate: 'soon', vertebralLevels: [] },
    };
    const bothError = (await enrolPatient(db, both, actor).catch((e) => e)) as RecordError;
    expect(bothError.issues.map((i) => i.path).sort()).toEqual([
      'episode.fractureDate',
      'episode.vertebralLevels',
      'patient.sex',
    ]);
    const badNurse = { ...current, nurseId: 'scheduler-1' };
    const nurseError = (await enrolPatient(db, badNurse, actor).catch((e) => e)) as RecordError;
    expect(nurseError.issues).toEqual([
      {
        path: 'nurseId',
        message: 'is not a nurse (scheduler-1 is a scheduler): choose an active nurse',
      },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a second patient with the same MRN, and an unknown user', async () => {
    await enrolPatient(db, current, actor);
    const before = await counts();
    const twin = testEnrolment({ n: n + 1000 });
    const sameMrn = {
      ...twin,
      patient: { ...(twin.patient as object), identifier: { kind: 'mrn', value: `TEST-${n}` } },
    };
    await expect(enrolPatient(db, sameMrn, actor)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/MRN is already registered/),
    });
    await expect(enrolPatient(db, twin, { actorId: 'nobody', now: NOW })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await counts()).toEqual(before);
  });
});

describe('enrolling a batch (an import)', () => {
  const batchOf = (size: number) => {
    const first = n;
    n += size;
    return Array.from({ length: size }, (_, i) => testEnrolment({ n: first + i }));
  };

  it('stores every patient as enrolPatient would, in one transaction', async () => {
    const batch = batchOf(3);
    const before = await counts();
    const results = await enrolPatients(db, batch, actor);
    expect(results.map((r) => r.episode.id)).toEqual(
      batch.map((b) => (b.episode as { id: string }).id),
    );
    const one = testEnrolment({ n: n + 1 });
    n += 1;
    const single = await enrolPatient(db, one, actor);
    const after = await counts();
    // Each row family grew by the same amount per patient as a single enrolment adds.
    const perPatient = {
      patients: 1,
      episodes: 1,
      steps: single.plan.steps.length,
      followUps: (await followUpsOf(single.episode.id)).length,
    };
    expect(after.patients - before.patients).toBe(4 * perPatient.patients);
    expect(after.episodes - before.episodes).toBe(4 * perPatient.episodes);
    expect(after.steps - before.steps).toBe(4 * perPatient.steps);
    expect(after.followUps - before.followUps).toBe(4 * perPatient.followUps);
    expect(after.auditLog - before.auditLog).toBe(8);
    for (const result of results) {
      expect(result.scheduled).toBe(single.scheduled);
      const pending = (await followUpsOf(result.episode.id)).filter((f) => f.state === 'pending');
      expect(pending).toHaveLength(result.scheduled);
    }
    expect(await enrolPatients(db, [], actor)).toEqual([]);
  });

  it('a known patient with a second episode keeps one row and their nurse', async () => {
    const [first] = batchOf(1) as [ReturnType<typeof testEnrolment>];
    const again = {
      ...first,
      episode: { ...(first.episode as object), id: `${(first.episode as { id: string }).id}-b` },
      nurseId: 'nurse-2',
    };
    await enrolPatients(db, [first, again], actor);
    const patientId = (first.patient as { id: string }).id;
    expect(await db.episode.count({ where: { patientId } })).toBe(2);
    const steps = await db.planStep.findMany({
      where: { episode: { patientId } },
      select: { nurseId: true },
    });
    expect(new Set(steps.map((s) => s.nurseId))).toEqual(new Set(['nurse-1']));
  });

  it('names the entry of each problem and stores nothing, for bad input and for conflicts', async () => {
    const batch = batchOf(3);
    const before = await counts();
    const bad = [
      batch[0],
      { ...batch[1], demographics: { givenName: '', familyName: 'X' } },
      { ...batch[2], nurseId: 'scheduler-1' },
    ] as ReturnType<typeof testEnrolment>[];
    const invalid = (await enrolPatients(db, bad, actor).catch((e) => e)) as RecordError;
    expect(invalid.code).toBe('invalid-input');
    expect(invalid.issues.map((i) => i.path)).toEqual(['[1].demographics.givenName']);
    const badNurse = (await enrolPatients(db, [batch[0], bad[2]] as typeof bad, actor).catch(
      (e) => e,
    )) as RecordError;
    expect(badNurse.issues.map((i) => i.path)).toEqual(['[1].nurseId']);

    const twin = {
      ...batch[1],
      patient: { ...(batch[1]?.patient as object), identifier: { kind: 'mrn', value: 'SAME' } },
    } as ReturnType<typeof testEnrolment>;
    const other = {
      ...batch[2],
      patient: { ...(batch[2]?.patient as object), identifier: { kind: 'mrn', value: 'SAME' } },
    } as ReturnType<typeof testEnrolment>;
    await expect(
      enrolPatients(db, [batch[0], twin, other] as typeof bad, actor),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/in the batch have the same MRN/),
    });
    await expect(
      enrolPatients(db, [batch[0], batch[0]] as typeof bad, actor),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/comes twice in the batch/),
    });
    expect(await counts()).toEqual(before);

    // A conflict with what is stored already rolls the whole batch back.
    await enrolPatient(db, batch[2] as ReturnType<typeof testEnrolment>, actor);
    const stored = await counts();
    await expect(enrolPatients(db, batch, actor)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/is already enrolled/),
    });
    expect(await counts()).toEqual(stored);
  });
});

describe('enrolling with earlier history', () => {
  it('stores the history and plans with it; a bad entry is named by its position', async () => {
    const withHistory = {
      ...current,
      history: [
        {
          type: 'pain-assessment',
          nrsAtRest: 2,
          nrsOnActivity: 4,
          functionalLimitation: 'mild',
          occurredAt: '2026-11-16T15:00:00Z',
        },
        {
          type: 'step-completed',
          stepKey: 'self-management-advice',
          outcome: 'done',
          occurredAt: '2026-11-16T15:10:00Z',
        },
      ],
    };
    const result = await enrolPatient(db, withHistory, actor);
    expect(result.plan.steps.find((s) => s.key === 'self-management-advice')?.status).toBe(
      'completed',
    );
    expect(result.plan.steps.find((s) => s.key === 'holistic-assessment')?.status).toBe(
      'completed',
    );
    const events = await db.clinicalEvent.findMany({
      where: { episodeId },
      orderBy: { sequence: 'asc' },
    });
    expect(events.map((e) => [e.type, e.recordedById])).toEqual([
      ['pain-assessment', 'nurse-1'],
      ['step-completed', 'nurse-1'],
    ]);
    // Imported now, so recorded now (an entry cannot be recorded before its episode was enrolled).
    expect(events[0]?.recordedAt.toISOString()).toBe(NOW.toISOString());

    const before = await counts();
    const next = testEnrolment({ n: n + 2000 });
    const bad = {
      ...next,
      history: [
        withHistory.history[0],
        {
          type: 'step-completed',
          stepKey: 'no-such-step',
          outcome: 'done',
          occurredAt: '2026-11-16T15:10:00Z',
        },
      ],
    };
    const error = (await enrolPatient(db, bad, actor).catch((e) => e)) as RecordError;
    expect(error.code).toBe('invalid-input');
    expect(error.issues[0]?.path).toMatch(/^history\[1\]/);
    expect(await counts()).toEqual(before);
  });
});

describe('enrolling with therapy taken before the fracture (hazard 4, issue 12)', () => {
  it('stores prior therapy and plans the next dose, the review and its reminders from the real dates', async () => {
    // Fracture 2026-11-16; denosumab since 2023, last injection 2026-08-20.
    const priorId = `prior-${n}`;
    const result = await enrolPatient(
      db,
      {
        ...current,
        history: [
          {
            id: priorId,
            type: 'prior-bone-therapy',
            drug: 'denosumab',
            startedOn: '2023-05-01',
            takingAtFracture: true,
            lastDoseOn: '2026-08-20',
            adherence: 'as-prescribed',
            occurredAt: '2026-11-17T09:00:00Z',
          },
        ],
      },
      actor,
    );
    const nextDose = result.plan.steps.find((s) => s.key === `denosumab-next-dose~${priorId}~2`);
    expect([nextDose?.status, nextDose?.window?.due]).toEqual(['upcoming', '2027-02-20']);
    expect(result.plan.steps.find((s) => s.stepId === 'fracture-on-treatment-review')?.status).toBe(
      'open',
    );
    expect(result.plan.steps.find((s) => s.stepId === 'bone-therapy-decision')?.status).toBe(
      'open',
    );
    const [stored] = await db.clinicalEvent.findMany({ where: { episodeId } });
    expect([stored?.id, stored?.type]).toEqual([priorId, 'prior-bone-therapy']);
    const steps = await db.planStep.findMany({ where: { episodeId } });
    expect(steps.map((s) => s.key)).toContain(`denosumab-next-dose~${priorId}~2`);
    // The reminders, not the status changes at the start of each day.
    const doseReminders = (await followUpsOf(episodeId)).filter(
      (f) =>
        f.stepKey === `denosumab-next-dose~${priorId}~2` &&
        (f.transition === 'due' || f.transition === 'overdue'),
    );
    expect(doseReminders.map((f) => f.transition)).toEqual(['due', 'overdue']);
    // Due on Saturday 2027-02-20: the reminder goes on the next working day (the window opens
    // that day too); overdue 4 weeks later, from the following working day.
    expect(doseReminders.map((f) => f.fireAt.toISOString())).toEqual([
      '2027-02-22T09:00:00.000Z',
      '2027-03-22T09:00:00.000Z',
    ]);
  });

  it('refuses prior therapy dated after the fracture, naming the entry, and stores nothing', async () => {
    const before = await counts();
    const error = (await enrolPatient(
      db,
      {
        ...current,
        history: [
          {
            type: 'prior-bone-therapy',
            drug: 'alendronic-acid',
            startedOn: '2026-11-17',
            takingAtFracture: true,
            adherence: 'as-prescribed',
            occurredAt: '2026-11-17T09:00:00Z',
          },
        ],
      },
      actor,
    ).catch((e) => e)) as RecordError;
    expect(error.code).toBe('invalid-input');
    expect(error.issues).toEqual([
      {
        path: 'history[0].startedOn',
        message:
          'is after the date of fracture (2026-11-16); therapy started since the fracture is recorded as bone-therapy-started',
      },
    ]);
    expect(await counts()).toEqual(before);
  });
});

describe('recording an event', () => {
  it('a completion cancels the step’s pending follow-ups and tells the queue to remove them', async () => {
    await enrolPatient(db, current, actor);
    const target = (await followUpsOf(episodeId)).find(
      (f) => f.state === 'pending' && f.fireAt > NOW && f.stepKey === 'self-management-advice',
    );
    expect(target).toBeDefined();
    const result = await recordEvent(
      db,
      {
        episodeId,
        event: {
          type: 'step-completed',
          stepKey: 'self-management-advice',
          outcome: 'done',
          occurredAt: later(5).toISOString(),
        },
      },
      { actorId: 'nurse-1', now: later(10) },
    );
    expect(result.plan.steps.find((s) => s.key === 'self-management-advice')?.status).toBe(
      'completed',
    );
    const after = await followUpsOf(episodeId);
    const ofStep = after.filter((f) => f.stepKey === 'self-management-advice');
    expect(ofStep.every((f) => f.state !== 'pending')).toBe(true);
    const removes = await db.outboxMessage.findMany({ where: { kind: 'follow-up.remove' } });
    expect(removes.map((m) => (m.payload as { followUpId: string }).followUpId)).toContain(
      target?.id,
    );
    const step = await db.planStep.findUnique({
      where: { episodeId_key: { episodeId, key: 'self-management-advice' } },
    });
    expect(step).toMatchObject({ status: 'completed', planVersion: 2 });
    expect((await db.episode.findUnique({ where: { id: episodeId } }))?.version).toBe(2);
  });

  it('a corrected start date reschedules the next dose: old follow-ups cancelled, new ones pending', async () => {
    await enrolPatient(db, current, actor);
    const start = { type: 'bone-therapy-started', drug: 'denosumab', id: `dmab-${n}` };
    await recordEvent(
      db,
      { episodeId, event: { ...start, occurredAt: later(1).toISOString() } },
      { actorId: 'nurse-1', now: later(2) },
    );
    const key = `denosumab-next-dose~dmab-${n}~2`;
    const first = (await followUpsOf(episodeId)).filter(
      (f) => f.stepKey === key && f.state === 'pending',
    );
    expect(first.length).toBeGreaterThan(0);
    await recordEvent(
      db,
      {
        episodeId,
        event: {
          type: 'bone-therapy-started',
          drug: 'denosumab',
          id: `dmab-fix-${n}`,
          supersedes: `dmab-${n}`,
          occurredAt: '2026-11-16T12:00:00.000Z',
        },
      },
      { actorId: 'nurse-2', now: later(3) },
    );
    const result = await recordEvent(
      db,
      {
        episodeId,
        event: {
          type: 'pain-assessment',
          nrsAtRest: 2,
          nrsOnActivity: 3,
          functionalLimitation: 'mild',
          occurredAt: later(3).toISOString(),
        },
      },
      { actorId: 'nurse-2', now: later(4) },
    );
    const all = (await followUpsOf(episodeId)).filter((f) => f.stepKey === key);
    const cancelled = first.filter(
      (old) => all.find((f) => f.id === old.id)?.state === 'cancelled',
    );
    expect(cancelled.length, 'the moved reminders are cancelled').toBeGreaterThan(0);
    // What is pending now is exactly what the corrected plan wants to fire.
    const wanted = result.plan.timers.filter((t) => t.stepKey === key).map((t) => t.id);
    expect(
      all
        .filter((f) => f.state === 'pending')
        .map((f) => f.id)
        .sort(),
    ).toEqual(wanted.sort());
    const reschedules = await db.outboxMessage.findMany({ where: { kind: 'follow-up.remove' } });
    const removed = reschedules.map((m) => (m.payload as { followUpId: string }).followUpId);
    for (const old of cancelled) expect(removed).toContain(old.id);
  });

  it('a closure cancels every pending follow-up', async () => {
    await enrolPatient(db, current, actor);
    await recordEvent(
      db,
      {
        episodeId,
        event: { type: 'closure', reason: 'transferred', occurredAt: later(1).toISOString() },
      },
      { actorId: 'nurse-1', now: later(2) },
    );
    const pending = (await followUpsOf(episodeId)).filter((f) => f.state === 'pending');
    expect(pending).toEqual([]);
    const episode = await db.episode.findUnique({ where: { id: episodeId } });
    expect(episode?.closureReason).toBe('transferred');
  });

  it('rejects bad events with a clear error and stores nothing', async () => {
    await enrolPatient(db, current, actor);
    const before = await counts();
    const attempts: [unknown, RegExp][] = [
      [
        {
          type: 'pain-assessment',
          nrsAtRest: 11,
          nrsOnActivity: 3,
          functionalLimitation: 'mild',
          occurredAt: later(1).toISOString(),
        },
        /event.nrsAtRest/,
      ],
      [{ type: 'no-such-thing', occurredAt: later(1).toISOString() }, /must have a type/],
      [
        { type: 'closure', reason: 'discharged', occurredAt: later(60 * 24).toISOString() },
        /event.occurredAt/,
      ],
      [
        {
          type: 'closure',
          reason: 'discharged',
          occurredAt: later(1).toISOString(),
          recordedBy: 'nurse-2',
        },
        /recordedBy is set by the service/,
      ],
      ['not an object', /event/],
    ];
    for (const [event, message] of attempts) {
      const error = await recordEvent(
        db,
        { episodeId, event },
        { actorId: 'nurse-1', now: later(2) },
      ).catch((e) => e);
      expect(error, JSON.stringify(event)).toBeInstanceOf(RecordError);
      expect((error as RecordError).code).toBe('invalid-input');
      expect((error as Error).message).toMatch(message);
    }
    await expect(
      recordEvent(db, { episodeId: 'missing', event: {} }, { actorId: 'nurse-1', now: later(2) }),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(await counts()).toEqual(before);
  });

  it('lets each role record only its own entries, and stores nothing otherwise', async () => {
    await enrolPatient(db, current, actor);
    const before = await counts();
    const pain = {
      type: 'pain-assessment',
      occurredAt: later(10).toISOString(),
      nrsAtRest: 3,
      nrsOnActivity: 5,
      functionalLimitation: 'mild',
    };
    const asScheduler = { actorId: 'scheduler-1', now: later(20) };
    const refused = (await recordEvent(db, { episodeId, event: pain }, asScheduler).catch(
      (e) => e,
    )) as RecordError;
    expect(refused.code).toBe('forbidden');
    expect(refused.message).toBe(
      'Only nurses (and administrators) may record "pain-assessment" entries.',
    );
    const move = {
      type: 'step-rescheduled',
      stepKey: 'fracture-risk-assessment',
      remindOn: '2026-12-01',
      reason: 'Clinic closed',
      occurredAt: later(10).toISOString(),
    };
    const nurseMove = (await recordEvent(
      db,
      { episodeId, event: move },
      { actorId: 'nurse-1', now: later(20) },
    ).catch((e) => e)) as RecordError;
    expect(nurseMove.code).toBe('forbidden');
    expect(nurseMove.message).toMatch(/Only schedulers/);
    const schedulerEnrols = (await enrolPatient(
      db,
      testEnrolment({ n: n + 1000 }),
      asScheduler,
    ).catch((e) => e)) as RecordError;
    expect(schedulerEnrols.code).toBe('forbidden');
    expect(schedulerEnrols.message).toBe(
      'Only nurses and administrators may enrol a patient; you are signed in as a scheduler.',
    );
    expect(await counts()).toEqual(before);
    // Each refusal is audited, with the reason the actor was given.
    const refusals = await db.auditEntry.findMany({
      where: { action: 'access.refused' },
      orderBy: { id: 'desc' },
      take: 3,
    });
    expect(refusals.reverse().map((r) => [r.actor, r.entityId, r.after])).toEqual([
      ['scheduler-1', 'entry.record', { reason: refused.message }],
      ['nurse-1', 'entry.record', { reason: nurseMove.message }],
      ['scheduler-1', 'patient.enrol', { reason: schedulerEnrols.message }],
    ]);
    // An administrator may do either.
    await recordEvent(db, { episodeId, event: pain }, { actorId: 'admin-1', now: later(30) });
  });

  it('refuses the same event id twice', async () => {
    await enrolPatient(db, current, actor);
    const event = {
      id: `dup-${n}`,
      type: 'closure',
      reason: 'died',
      occurredAt: later(1).toISOString(),
    };
    await recordEvent(db, { episodeId, event }, { actorId: 'nurse-1', now: later(2) });
    await expect(
      recordEvent(db, { episodeId, event }, { actorId: 'nurse-1', now: later(3) }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('two nurses recording on one patient at once: both stored, the plan matches both', async () => {
    await enrolPatient(db, current, actor);
    const pain = (i: number, nurse: string) =>
      recordEvent(
        db,
        {
          episodeId,
          event: {
            type: 'pain-assessment',
            nrsAtRest: 3 + i,
            nrsOnActivity: 5 + i,
            functionalLimitation: 'moderate',
            occurredAt: later(i).toISOString(),
          },
        },
        { actorId: nurse, now: later(30) },
      );
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => pain(i, i % 2 ? 'nurse-1' : 'nurse-2')),
    );
    expect(new Set(results.map((r) => r.version))).toEqual(new Set([2, 3, 4, 5, 6, 7]));
    const record = await loadEpisodeRecord(db, episodeId);
    if (!record) throw new Error('the episode is gone');
    expect(record.events).toHaveLength(6);
    // The stored plan is the plan of the whole log.
    const plan = computePlan({
      patient: record.patient,
      episode: record.episode,
      events: record.events,
      asOf: later(30).getTime(),
    });
    const stored = await db.planStep.findMany({ where: { episodeId } });
    for (const step of plan.steps) {
      expect(stored.find((s) => s.key === step.key)?.status, step.key).toBe(step.status);
    }
    const pending = (await followUpsOf(episodeId)).filter(
      (f) => f.state === 'pending' && f.fireAt > later(30),
    );
    const expected = plan.timers.filter((t) => Date.parse(t.fireAt) > later(30).getTime());
    expect(pending.map((f) => f.id).sort()).toEqual(expected.map((t) => t.id).sort());
  });
});

describe('previewing an entry before it is saved', () => {
  const advice = (minutes: number) => ({
    type: 'step-completed',
    stepKey: 'self-management-advice',
    outcome: 'done',
    occurredAt: later(minutes).toISOString(),
  });

  it('stores nothing, and saving with its digest applies exactly what it showed', async () => {
    await enrolPatient(db, current, actor);
    const before = await counts();
    const preview = await previewEvent(
      db,
      { episodeId, event: advice(5), focusStepKey: 'self-management-advice' },
      { actorId: 'nurse-1', now: later(10) },
    );
    expect(await counts()).toEqual(before);
    expect(preview.focus).toMatchObject({ before: 'due', after: 'completed' });
    expect(preview.focus?.sentence).toMatch(
      /^"Exercise and self-management advice" becomes Completed/,
    );

    const saved = await recordEvent(
      db,
      { episodeId, event: advice(5) },
      { actorId: 'nurse-1', now: later(10), expectedChangesDigest: preview.digest },
    );
    expect(changeDigest(saved.changes, saved.event.id)).toBe(preview.digest);
    expect(saved.plan.steps.find((s) => s.key === 'self-management-advice')?.status).toBe(
      'completed',
    );
  });

  // A severe pain score starts a review keyed by the entry's own id, which the preview and the
  // save draw afresh: the save must still match the preview.
  it('saves an entry that starts a step of its own as previewed', async () => {
    await enrolPatient(db, current, actor);
    const severe = {
      type: 'pain-assessment',
      nrsAtRest: 8,
      nrsOnActivity: 9,
      functionalLimitation: 'severe',
      occurredAt: later(5).toISOString(),
    };
    const options = { actorId: 'nurse-1', now: later(10) };
    const preview = await previewEvent(db, { episodeId, event: severe }, options);
    expect(preview.changes.map((c) => `${c.kind} ${c.stepKey.split('~')[0]}`)).toContain(
      'added severe-pain-review',
    );
    const saved = await recordEvent(
      db,
      { episodeId, event: severe },
      { ...options, expectedChangesDigest: preview.digest },
    );
    expect(saved.plan.steps.some((s) => s.key === `severe-pain-review~${saved.event.id}`)).toBe(
      true,
    );
  });

  it('refuses the same checks as the save, with the same problems', async () => {
    await enrolPatient(db, current, actor);
    const referralDone = {
      type: 'step-completed',
      stepKey: 'falls-service-referral',
      outcome: 'done',
    };
    const problem = (work: Promise<unknown>) =>
      work.then(
        () => undefined,
        (error: RecordError) => error.issues,
      );
    const event = { ...referralDone, occurredAt: later(5).toISOString() };
    const options = { actorId: 'nurse-1', now: later(10) };
    const previewed = await problem(previewEvent(db, { episodeId, event }, options));
    expect(previewed).toEqual([
      { path: 'event.outcome', message: expect.stringMatching(/is done by recording a referral/) },
    ]);
    expect(await problem(recordEvent(db, { episodeId, event }, options))).toEqual(previewed);
  });

  // Another nurse saves first: the plan the preview was made on has changed, so the save is
  // refused, nothing is stored, and the error carries the preview of what it would do now.
  it('saves nothing when the plan changed after the preview, and shows the new preview', async () => {
    await enrolPatient(db, current, actor);
    const options = { actorId: 'nurse-1', now: later(10) };
    const preview = await previewEvent(
      db,
      { episodeId, event: advice(5), focusStepKey: 'self-management-advice' },
      options,
    );
    await recordEvent(db, { episodeId, event: advice(6) }, options);
    const before = await counts();
    const refused = await recordEvent(
      db,
      { episodeId, event: advice(5) },
      { ...options, expectedChangesDigest: preview.digest, focusStepKey: 'self-management-advice' },
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PreviewOutdatedError);
    expect((refused as PreviewOutdatedError).preview.focus).toMatchObject({
      before: 'completed',
      after: 'completed',
    });
    expect((refused as PreviewOutdatedError).preview.digest).not.toBe(preview.digest);
    expect(await counts()).toEqual(before);
  });
});
