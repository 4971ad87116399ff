import { computePlan, episodeKpiRecord, KPI_LOGIC_VERSION } from '@vfx/domain';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import {
  enrolPatient,
  enrolPatients,
  recordEvent,
  setEstimatedYearlyCaseload,
} from '../commands.js';
import { fireFollowUps } from '../follow-ups/fire.js';
import { RecordError } from '../records/errors.js';
import { readEpisodeKpis, rebuildEpisodeKpis } from '../records/kpi-store.js';
import { loadEpisodeRecord } from '../records/write-path.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { type KpiReport, kpiReport } from './kpis.js';

let db: Database;
let close: () => Promise<void>;
const NOW = new Date('2026-11-17T10:00:00Z');

const frax = (occurredAt: string) => ({
  type: 'fracture-risk-assessment',
  tool: 'FRAX',
  majorOsteoporoticFractureRisk: 21,
  category: 'high',
  occurredAt,
});
const contact = (occurredAt: string, extra: Record<string, unknown> = {}) => ({
  type: 'follow-up-contact',
  mode: 'telephone',
  occurredAt,
  ...extra,
});

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('kpis'));
  await createUsers(db);
  await enrolPatients(
    db,
    [
      // Fracture 2 March 2026: FRAX on day 20, therapy started, follow-up in week 14 (met).
      {
        ...testEnrolment({ n: 1, fractureDate: '2026-03-02' }),
        history: [
          frax('2026-03-22T10:00:00Z'),
          {
            type: 'bone-therapy-started',
            drug: 'alendronic-acid',
            occurredAt: '2026-04-01T10:00:00Z',
          },
          contact('2026-06-08T10:00:00Z', { treatmentStatus: 'started' }),
        ],
      },
      // Fracture 1 April 2026: FRAX late (day 100), DXA not indicated, no follow-up contact.
      {
        ...testEnrolment({ n: 2, fractureDate: '2026-04-01' }),
        history: [
          frax('2026-07-10T10:00:00Z'),
          {
            type: 'step-completed',
            stepKey: 'dxa-scan',
            outcome: 'not-indicated',
            occurredAt: '2026-04-10T10:00:00Z',
          },
        ],
      },
      // Fracture 31 October 2026: everything still pending.
      testEnrolment({ n: 3, fractureDate: '2026-10-31' }),
      // Outside the period (fracture 28 February 2026).
      {
        ...testEnrolment({ n: 4, fractureDate: '2026-02-28' }),
        history: [frax('2026-03-01T10:00:00Z')],
      },
    ],
    { actorId: 'nurse-1', now: NOW },
  );
});
afterAll(() => close());

const PERIOD = { from: '2026-03-02', to: '2026-10-31' };
const summary = (report: KpiReport, id: string) => report.summaries.find((s) => s.id === id);

describe('KPI report over a period of fracture dates', () => {
  it('counts the episodes with a fracture date in the period, both ends included', async () => {
    const report = await kpiReport(db, PERIOD, { asOf: NOW });
    expect(report.episodes).toBe(3);
    expect(report.notMeasured).toBe(0);
    expect(report.pathwayVersions).toEqual(['ros-2022.3']);
    expect(report.summaries.map((s) => s.id)).toEqual([
      'fracture-risk-assessment',
      'dxa',
      'falls-assessment',
      'bone-therapy-recommended',
      'strength-balance-16-weeks',
      'follow-up-16-weeks',
      'treatment-started-by-follow-up',
      'adherence-52-weeks',
    ]);
    expect(summary(report, 'fracture-risk-assessment')).toMatchObject({
      met: 1,
      notMet: 1,
      pending: 1,
      excluded: 0,
      eligible: 2,
      percentMet: 50,
    });
    expect(summary(report, 'dxa')).toMatchObject({ met: 0, notMet: 1, pending: 1, excluded: 1 });
    expect(summary(report, 'bone-therapy-recommended')).toMatchObject({ met: 1, notMet: 1 });
    expect(summary(report, 'follow-up-16-weeks')).toMatchObject({ met: 1, notMet: 1, pending: 1 });
    expect(summary(report, 'treatment-started-by-follow-up')).toMatchObject({
      met: 1,
      eligible: 1,
      percentMet: 100,
    });
    expect(summary(report, 'adherence-52-weeks')).toMatchObject({
      eligible: 0,
      pending: 1,
      excluded: 2,
      percentMet: undefined,
    });
    const earlier = await kpiReport(db, { from: '2026-02-28', to: '2026-02-28' }, { asOf: NOW });
    expect(earlier.episodes).toBe(1);
    expect(summary(earlier, 'fracture-risk-assessment')).toMatchObject({ met: 1, eligible: 1 });
  });

  it('reads a stored pending result as not met once its last day has passed, with no write', async () => {
    // Episode 3 (fracture 31 October 2026): FRAX due by 29 January 2027.
    const on = (iso: string) =>
      kpiReport(db, { from: '2026-10-31', to: '2026-10-31' }, { asOf: new Date(iso) });
    expect(summary(await on('2027-01-29T12:00:00Z'), 'fracture-risk-assessment')).toMatchObject({
      pending: 1,
      notMet: 0,
    });
    expect(summary(await on('2027-01-30T12:00:00Z'), 'fracture-risk-assessment')).toMatchObject({
      pending: 0,
      notMet: 1,
    });
  });

  it('data completeness and identification (FLS-DB KPIs 1 and 2)', async () => {
    const report = await kpiReport(db, PERIOD, { asOf: NOW });
    const field = (id: string) => report.completeness.fields.find((f) => f.definition.id === id);
    // Test patients are registered by MRN: the NHS number is missing for all three.
    expect(field('nhs-number')).toMatchObject({ recorded: 0, missing: 3, percentMissing: 100 });
    expect(field('dxa')).toMatchObject({ recorded: 1, missing: 1, notYetDue: 1 });
    expect(report.completeness.fieldsOverLimit).toBeGreaterThan(0);
    expect(report.completeness.good).toBe(report.completeness.fieldsOverLimit < 5);
    expect(report.identification).toMatchObject({ estimatedYearlyCaseload: undefined, days: 244 });
    await setEstimatedYearlyCaseload(db, 365, { actorId: 'admin-1', now: NOW });
    const withEstimate = await kpiReport(db, PERIOD, { asOf: NOW });
    expect(withEstimate.identification.expected).toBeCloseTo(244, 5);
    expect(withEstimate.identification.percent).toBeCloseTo((100 * 3) / 244, 5);
    await expect(
      setEstimatedYearlyCaseload(db, 0, { actorId: 'admin-1', now: NOW }),
    ).rejects.toThrow(RecordError);
    await expect(
      setEstimatedYearlyCaseload(db, 400, { actorId: 'nurse-1', now: NOW }),
    ).rejects.toThrow(/administrator/);
    await setEstimatedYearlyCaseload(db, undefined, { actorId: 'admin-1', now: NOW });
  });

  it('leaves out, and counts, episodes whose stored results are missing until the rebuild writes them', async () => {
    await db.$executeRaw`DELETE FROM episode_kpis WHERE episode_id = 'ep-2'`;
    await db.$executeRaw`UPDATE episode_kpis SET logic_version = 0 WHERE episode_id = 'ep-3'`;
    const gap = await kpiReport(db, PERIOD, { asOf: NOW });
    expect(gap).toMatchObject({ episodes: 3, notMeasured: 2 });
    expect(await rebuildEpisodeKpis(db)).toBe(2);
    expect(await rebuildEpisodeKpis(db)).toBe(0);
    expect(await kpiReport(db, PERIOD, { asOf: NOW })).toMatchObject({ notMeasured: 0 });
  });

  it('follows corrections: a retracted assessment no longer counts', async () => {
    const before = summary(await kpiReport(db, PERIOD, { asOf: NOW }), 'fracture-risk-assessment');
    const event = await db.clinicalEvent.findFirstOrThrow({
      where: { episodeId: 'ep-1', type: 'fracture-risk-assessment' },
    });
    await recordEvent(
      db,
      {
        episodeId: 'ep-1',
        event: {
          type: 'retraction',
          supersedes: event.id,
          note: 'Entered on the wrong patient',
          occurredAt: NOW.toISOString(),
        },
      },
      { actorId: 'nurse-1', now: NOW },
    );
    const after = summary(await kpiReport(db, PERIOD, { asOf: NOW }), 'fracture-risk-assessment');
    expect(before).toMatchObject({ met: 1, notMet: 1 });
    expect(after).toMatchObject({ met: 0, notMet: 2, percentMet: 0 });
  });

  it('refuses a period it cannot read, saying what is wrong', async () => {
    const problem = (from: string, to: string) =>
      kpiReport(db, { from, to }, { asOf: NOW }).catch((error: unknown) => error as RecordError);
    const reversed = await problem('2026-05-01', '2026-04-30');
    expect(reversed).toBeInstanceOf(RecordError);
    expect((reversed as RecordError).issues).toEqual([
      { path: 'to', message: 'must not be before the start date' },
    ]);
    expect(((await problem('2026-02-30', '2026-03-01')) as RecordError).issues[0]?.path).toBe(
      'from',
    );
    expect(((await problem('2000-01-01', '2026-03-01')) as RecordError).issues[0]?.message).toBe(
      'must be within ten years of the start date',
    );
  });
});

describe('stored KPI results equal a recomputation', () => {
  /** The episode's results computed afresh from its whole record, as the domain plans it now. */
  async function recomputed(episodeId: string, now: Date) {
    const record = await loadEpisodeRecord(db, episodeId);
    if (!record) throw new Error(`no episode ${episodeId}`);
    const plan = computePlan({
      patient: record.patient,
      episode: record.episode,
      events: record.events,
      asOf: now.getTime(),
    });
    const fresh = episodeKpiRecord({
      pathwayVersion: record.episode.pathwayVersion,
      steps: plan.steps,
      events: record.events,
      closure: plan.closure,
      identifierKind: record.patient.identifier.kind,
    });
    return {
      pathwayVersion: fresh.pathwayVersion,
      fractureDate: record.row.fractureDate.toISOString().slice(0, 10),
      logicVersion: KPI_LOGIC_VERSION,
      outcomes: fresh.outcomes.map((o) => ({ kpi: o.kpi, result: o.result, until: o.until })),
      fields: fresh.fields.map((f) => ({ field: f.field, result: f.result, until: f.until })),
    };
  }

  const DAY = 86_400_000;
  const START = Date.parse('2026-01-05T10:00:00Z');
  const ENTRIES = [
    {
      type: 'fracture-risk-assessment',
      tool: 'FRAX',
      majorOsteoporoticFractureRisk: 21,
      category: 'high',
    },
    { type: 'dxa-result', lumbarSpineTScore: -2.8 },
    {
      type: 'falls-risk-assessment',
      fallsInLastYear: 1,
      presentedWithFall: true,
      gaitOrBalanceDifficulty: false,
      result: 'at-risk',
    },
    { type: 'referral', referralType: 'individualised-exercise-programme' },
    { type: 'bone-therapy-started', drug: 'alendronic-acid' },
    {
      type: 'follow-up-contact',
      mode: 'telephone',
      treatmentStatus: 'started',
      takingAsPrescribed: true,
    },
    { type: 'step-completed', stepKey: 'dxa-scan', outcome: 'not-indicated' },
    {
      type: 'episode-details-corrected',
      fractureDate: '2025-12-20',
      note: 'Date from the X-ray report',
    },
    { type: 'closure', reason: 'transferred' },
  ] as const;
  type Action =
    | { kind: 'record'; episode: number; entry: number }
    | { kind: 'retract'; episode: number; pick: number }
    | { kind: 'wait'; days: number }
    | { kind: 'fire' };
  const action: fc.Arbitrary<Action> = fc.oneof(
    fc.record({
      kind: fc.constant('record' as const),
      episode: fc.nat(1),
      entry: fc.nat(ENTRIES.length - 1),
    }),
    fc.record({ kind: fc.constant('retract' as const), episode: fc.nat(1), pick: fc.nat(20) }),
    fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 60 }) }),
    fc.constant({ kind: 'fire' as const }),
  );

  it('after enrolment, recorded entries, retractions and follow-ups firing, under ros-2022.1 and ros-2022.2', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 8 }), async (actions) => {
        run += 1;
        let now = START;
        const ids = [`prop-${run}-a`, `prop-${run}-b`];
        for (const [i, episodeId] of ids.entries()) {
          const base = testEnrolment({ n: 1000 + run * 2 + i, fractureDate: '2026-01-02' });
          await enrolPatient(
            db,
            {
              ...base,
              episode: {
                ...(base.episode as object),
                id: episodeId,
                pathwayVersion: i === 0 ? 'ros-2022.1' : 'ros-2022.2',
              },
            },
            { actorId: 'nurse-1', now: new Date(now) },
          );
        }
        for (const step of actions) {
          const at = new Date(now);
          if (step.kind === 'wait') now += step.days * DAY;
          else if (step.kind === 'fire') {
            const due = await db.followUp.findMany({
              where: { episodeId: { in: ids }, state: 'pending', fireAt: { lte: at } },
              select: { id: true },
            });
            await fireFollowUps(
              db,
              due.map((f) => f.id),
              { now: at },
            );
          } else {
            const episodeId = ids[step.episode] as string;
            const record = await loadEpisodeRecord(db, episodeId);
            if (record?.row.closedAt) continue;
            const event =
              step.kind === 'record'
                ? { ...ENTRIES[step.entry], occurredAt: at.toISOString() }
                : (() => {
                    const retractable = (record?.events ?? []).filter(
                      (e) => e.type !== 'retraction' && e.type !== 'closure',
                    );
                    const target = retractable[step.pick % Math.max(1, retractable.length)];
                    return target
                      ? {
                          type: 'retraction',
                          supersedes: target.id,
                          note: 'Entered in error',
                          occurredAt: at.toISOString(),
                        }
                      : undefined;
                  })();
            if (!event) continue;
            // An entry the domain refuses (e.g. a second closure) changes nothing: skip it.
            await recordEvent(db, { episodeId, event }, { actorId: 'nurse-1', now: at }).catch(
              (error: unknown) => {
                if (!(error instanceof RecordError) || error.code !== 'invalid-input') throw error;
              },
            );
          }
          for (const episodeId of ids) {
            expect(await readEpisodeKpis(db, episodeId)).toEqual(
              await recomputed(episodeId, new Date(now)),
            );
          }
        }
      }),
      { numRuns: 12, seed: 612 },
    );
  }, 120_000);
});
