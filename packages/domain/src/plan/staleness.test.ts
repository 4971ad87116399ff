import { describe, expect, it } from 'vitest';
import { ROS_2022_V1 } from '../pathway/versions/ros-2022.1.js';
import { ROS_2022_V2 } from '../pathway/versions/ros-2022.2.js';
import { scenario } from '../testing/scenario.js';
import type { Plan } from './types.js';

// Hazard: advice from stale data (issue 12, hazard 3). "Analgesia for moderate pain" was
// recommended from a pain score recorded 219 days earlier, without saying how old it was.

const ids = (plan: Plan) => plan.recommendations.map((r) => r.id);
const rec = (plan: Plan, id: string) => {
  const found = plan.recommendations.find((r) => r.id === id);
  if (!found) throw new Error(`no recommendation ${id} in ${ids(plan).join(', ')}`);
  return found;
};

describe('advice from stale data: pain', () => {
  // Fracture 1 May 2026; moderate pain recorded on day 11 (the acute phase: 7-day limit).
  const incident = (pathwayVersion?: string) =>
    scenario({ fractureDate: '2026-05-01', ...(pathwayVersion ? { pathwayVersion } : {}) }).pain(
      '2026-05-12T10:00:00Z',
      4,
      6,
      'moderate',
      { id: 'pain-may' },
    );

  it('asks for pain to be reassessed instead of repeating analgesia advice from a score 219 days old', () => {
    const plan = incident().plan('2026-12-17T12:00:00Z');
    expect(ids(plan)).not.toContain('analgesia-moderate');
    const reassess = rec(plan, 'reassess-pain-assessment');
    expect(reassess.title).toBe('Reassess pain: the latest pain assessment is 219 days old');
    expect(reassess.text).toContain('12 May 2026');
    const advice = ROS_2022_V2.recommendations.find((r) => r.id === 'analgesia-moderate');
    expect(reassess.text).not.toContain(advice?.text);
    expect(reassess.reason).toContain('the pain assessment of 12 May 2026, 219 days ago');
    expect(reassess.withholds).toEqual([
      { id: 'analgesia-moderate', title: 'Analgesia for moderate pain (NRS 4-6)' },
    ]);
    expect(reassess.basedOn).toEqual([
      expect.objectContaining({
        what: 'pain-assessment',
        eventId: 'pain-may',
        at: '2026-05-12T10:00:00.000Z',
        on: '2026-05-12',
        ageDays: 219,
        stale: true,
        limitDays: 7,
        limitBasis: expect.objectContaining({ kind: 'service-standard' }),
      }),
    ]);
    expect(reassess.priority).toBe('high');
    expect(reassess.category).toBe('acute-care');
  });

  it('states the date of a score still within its limit, with the advice', () => {
    const plan = incident().plan('2026-05-19T18:00:00Z');
    const analgesia = rec(plan, 'analgesia-moderate');
    expect(analgesia.basedOn).toEqual([
      expect.objectContaining({ on: '2026-05-12', ageDays: 7, stale: false, limitDays: 7 }),
    ]);
    expect(analgesia.reason).toContain('Read from the pain assessment of 12 May 2026, 7 days ago.');
    expect(analgesia.withholds).toEqual([]);
    expect(ids(plan)).not.toContain('reassess-pain-assessment');
  });

  it('goes stale the day after the limit, counted in service days (London), whatever the hour', () => {
    // 20 May 2026 00:30 BST is still 19 May in UTC: already day 8 in London.
    expect(ids(incident().plan('2026-05-19T23:30:00Z'))).toContain('reassess-pain-assessment');
    expect(ids(incident().plan('2026-05-19T22:59:00Z'))).toContain('analgesia-moderate');
  });

  it('uses the limit of the phase the score was recorded in', () => {
    // Severe pain on day 100 (chronic: 28 days) gives the persistent-pain advice until day 128.
    const chronic = (asOf: string) =>
      scenario({ fractureDate: '2026-01-01' })
        .pain('2026-04-11T10:00:00Z', 7, 8, 'severe')
        .plan(asOf);
    const fresh = chronic('2026-05-09T12:00:00Z');
    expect(ids(fresh)).toEqual(
      expect.arrayContaining([
        'analgesia-severe',
        'persistent-pain-investigation',
        'centrally-acting-therapies',
      ]),
    );
    expect(rec(fresh, 'centrally-acting-therapies').basedOn[0]).toMatchObject({
      ageDays: 28,
      limitDays: 28,
      stale: false,
    });
    const stale = chronic('2026-05-10T12:00:00Z');
    expect(ids(stale)).not.toContain('analgesia-severe');
    expect(ids(stale)).not.toContain('centrally-acting-therapies');
    const reassess = rec(stale, 'reassess-pain-assessment');
    expect(reassess.withholds.map((w) => w.id)).toEqual([
      'analgesia-severe',
      'persistent-pain-investigation',
      'centrally-acting-therapies',
    ]);
    // One request per stale value, where the first advice it holds back would have stood.
    expect(ids(stale).filter((id) => id === 'reassess-pain-assessment')).toHaveLength(1);
    expect(ids(stale).indexOf('reassess-pain-assessment')).toBe(
      ids(fresh).indexOf('analgesia-severe'),
    );
  });

  it('a new score brings the advice back', () => {
    const plan = incident()
      .pain('2026-12-17T09:00:00Z', 1, 2, 'mild', { id: 'pain-dec' })
      .plan('2026-12-17T12:00:00Z');
    expect(ids(plan)).toContain('analgesia-mild');
    expect(ids(plan)).not.toContain('reassess-pain-assessment');
    expect(rec(plan, 'analgesia-mild').basedOn[0]).toMatchObject({
      eventId: 'pain-dec',
      ageDays: 0,
    });
    expect(rec(plan, 'analgesia-mild').reason).toContain('17 December 2026, today');
  });

  it('version 1 stays as published: same advice, now dated, never flagged', () => {
    const plan = incident(ROS_2022_V1.version).plan('2026-12-17T12:00:00Z');
    const analgesia = rec(plan, 'analgesia-moderate');
    expect(analgesia.basedOn).toEqual([
      expect.objectContaining({ on: '2026-05-12', ageDays: 219, stale: false }),
    ]);
    expect(analgesia.basedOn[0]?.limitDays).toBeUndefined();
    expect(ids(plan).some((id) => id.startsWith('reassess-'))).toBe(false);
  });
});

describe('advice from stale data: screen, follow-up and fracture risk', () => {
  const screened = () =>
    scenario({ fractureDate: '2026-01-05' }).add('2026-01-15T10:00:00Z', {
      type: 'psychological-screen',
      anxietyOrLowMood: true,
      painCatastrophising: false,
      fearOfFalling: true,
    });

  it('a psychological screen gives its support advice for 84 days, then asks for a new screen', () => {
    const fresh = screened().plan('2026-04-09T12:00:00Z'); // 84 days
    expect(ids(fresh)).toEqual(
      expect.arrayContaining(['anxiety-low-mood-support', 'fear-of-falling-support']),
    );
    expect(rec(fresh, 'anxiety-low-mood-support').reason).toContain(
      'Read from the psychological screen of 15 January 2026, 84 days ago.',
    );
    const stale = screened().plan('2026-04-10T12:00:00Z');
    expect(ids(stale)).not.toContain('anxiety-low-mood-support');
    expect(ids(stale)).not.toContain('fear-of-falling-support');
    const reassess = rec(stale, 'reassess-psychological-screen');
    expect(reassess.title).toBe(
      'Screen again for psychological factors: the latest psychological screen is 85 days old',
    );
    expect(reassess.withholds.map((w) => w.id)).toEqual([
      'anxiety-low-mood-support',
      'fear-of-falling-support',
    ]);
  });

  it('a follow-up contact’s findings hold for 84 days, then the patient is contacted again', () => {
    const contacted = scenario({ fractureDate: '2026-01-05' }).add('2026-04-27T10:00:00Z', {
      type: 'follow-up-contact',
      mode: 'telephone',
      treatmentStatus: 'started',
      takingAsPrescribed: false,
      fallsReferralActioned: 'no',
    });
    const fresh = contacted.plan('2026-07-20T12:00:00Z');
    expect(ids(fresh)).toEqual(
      expect.arrayContaining(['not-taking-as-prescribed', 'falls-referral-not-actioned']),
    );
    const stale = contacted.plan('2026-07-21T12:00:00Z');
    expect(rec(stale, 'reassess-follow-up-contact').withholds.map((w) => w.id)).toEqual([
      'not-taking-as-prescribed',
      'falls-referral-not-actioned',
    ]);
  });

  it('a fracture risk assessment is dated but has no limit (a service standard says why)', () => {
    const plan = scenario({ fractureDate: '2026-01-05' })
      .add('2026-01-20T10:00:00Z', {
        type: 'fracture-risk-assessment',
        tool: 'FRAX',
        majorOsteoporoticFractureRisk: 32,
        category: 'very-high',
      })
      .plan('2026-09-01T12:00:00Z');
    const advice = rec(plan, 'do-not-delay-therapy-for-dxa');
    expect(advice.basedOn).toEqual([
      expect.objectContaining({ what: 'fracture-risk-assessment', on: '2026-01-20', stale: false }),
    ]);
    expect(advice.basedOn[0]?.limitDays).toBeUndefined();
    expect(advice.basedOn[0]?.limitBasis?.kind).toBe('service-standard');
    expect(advice.reason).toContain('fracture-risk assessment of 20 January 2026');
  });

  it('advice read from no recorded value carries no dates', () => {
    const plan = scenario().plan('2025-01-08T12:00:00Z');
    expect(rec(plan, 'calcium-vitamin-d').basedOn).toEqual([]);
  });
});

describe('the limits are in the definition with their basis', () => {
  it('every limit of version 2 is a guideline with a source or an explained service standard', () => {
    const limits = Object.entries(ROS_2022_V2.staleness ?? {});
    expect(limits.map(([kind]) => kind).sort()).toEqual([
      'follow-up-contact',
      'fracture-risk-assessment',
      'pain-assessment',
      'psychological-screen',
    ]);
    for (const [, limit] of limits) {
      if (limit.basis.kind === 'service-standard')
        expect(limit.basis.explanation.length).toBeGreaterThan(40);
      else expect(limit.basis.source.quote).toBeTruthy();
    }
    expect(ROS_2022_V1.staleness).toBeUndefined();
  });
});
