import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { RecordError } from '../records/errors.js';
import { enrolPatients, recordEvent } from '../records/write-path.js';
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
const summary = (report: KpiReport, id: string) =>
  report.summaries.find((s) => s.definition.id === id);

describe('KPI report over a period of fracture dates', () => {
  it('counts the episodes with a fracture date in the period, both ends included', async () => {
    const report = await kpiReport(db, PERIOD, { asOf: NOW });
    expect(report.episodes).toBe(3);
    expect(report.summaries.map((s) => s.definition.id)).toEqual([
      'fracture-risk-assessment',
      'dxa',
      'falls-assessment',
      'bone-therapy-recommended',
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

  it('gives the same figures whatever the batch size', async () => {
    const whole = await kpiReport(db, { from: '2020-01-01', to: '2026-12-31' }, { asOf: NOW });
    const small = await kpiReport(
      db,
      { from: '2020-01-01', to: '2026-12-31' },
      { asOf: NOW, batchSize: 1 },
    );
    expect(small).toEqual(whole);
    expect(whole.episodes).toBe(4);
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
