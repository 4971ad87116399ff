import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../inputs/schemas.js';
import { ROS_2022_V1 } from '../pathway/versions/ros-2022.1.js';
import { ROS_2022_V2 } from '../pathway/versions/ros-2022.2.js';
import { DEFAULT_SERVICE_SETTINGS, serviceCalendar } from '../time/settings.js';
import { painSummary, phaseLabel, phaseOf } from './summary.js';

const phases = { acuteUntilDay: 42, subacuteUntilDay: 84 };
const bands = ROS_2022_V2;
const calendar = serviceCalendar(DEFAULT_SERVICE_SETTINGS);
const at = (instant: string, fractureDate = '2025-12-20') => ({
  asOf: Date.parse(instant),
  fractureDate,
  calendar,
});
const now = at('2026-01-10T12:00:00Z');

function pain(id: string, day: number, rest: number, activity: number, extra = {}): ClinicalEvent {
  const at = `2026-01-${String(day).padStart(2, '0')}T10:00:00.000Z`;
  return {
    id,
    type: 'pain-assessment',
    occurredAt: at,
    recordedAt: at,
    recordedBy: 'nurse-1',
    nrsAtRest: rest,
    nrsOnActivity: activity,
    functionalLimitation: 'moderate',
    ...extra,
  } as ClinicalEvent;
}

describe('phase of recovery', () => {
  it('follows the pathway version day limits', () => {
    expect([0, 41, 42, 83, 84, 400].map((d) => phaseOf(phases, d))).toEqual([
      'acute',
      'acute',
      'subacute',
      'subacute',
      'chronic',
      'chronic',
    ]);
    expect(phaseLabel(phases, 'acute')).toBe('Acute (weeks 0-6)');
    expect(phaseLabel(phases, 'subacute')).toBe('Subacute (weeks 6-12)');
    expect(phaseLabel(phases, 'chronic')).toBe('Chronic (after week 12)');
  });
});

describe('pain summary', () => {
  it('is undefined without a pain assessment', () => {
    expect(painSummary([], bands, now)).toBeUndefined();
  });

  it('takes the worse score and compares it with the assessment before', () => {
    const summary = painSummary([pain('a', 1, 5, 8), pain('b', 3, 3, 6)], bands, now);
    expect(summary?.latest).toMatchObject({ eventId: 'b', worst: 6, band: 'moderate' });
    expect(summary?.trend).toBe('better');
    expect(summary?.previousWorst).toBe(8);
    expect(painSummary([pain('a', 1, 2, 2)], bands, now)?.trend).toBe('first');
    expect(painSummary([pain('a', 1, 2, 4), pain('b', 2, 7, 3)], bands, now)?.trend).toBe('worse');
  });

  it('applies corrections and withdrawals, and orders by when it happened', () => {
    const events: ClinicalEvent[] = [
      pain('a', 1, 5, 9),
      pain('b', 5, 2, 3),
      // Entered later, but happened between a and b.
      pain('c', 3, 4, 4),
      // b was entered wrongly: corrected to 7.
      pain('b2', 5, 2, 7, { supersedes: 'b' }),
    ];
    const summary = painSummary(events, bands, now);
    expect(summary?.latest).toMatchObject({ eventId: 'b2', worst: 7, band: 'severe' });
    expect(summary).toMatchObject({ trend: 'worse', previousWorst: 4 });

    const withdrawn: ClinicalEvent = {
      id: 'r',
      type: 'retraction',
      occurredAt: '2026-01-06T10:00:00.000Z',
      recordedAt: '2026-01-06T10:00:00.000Z',
      recordedBy: 'nurse-1',
      supersedes: 'b2',
      note: 'Wrong patient',
    } as ClinicalEvent;
    expect(painSummary([...events, withdrawn], bands, now)?.latest.eventId).toBe('c');
  });
});

describe('pain summary: the date and staleness of the latest score (hazard: advice from stale data)', () => {
  // Fracture 2025-12-20; a score on 2026-01-03 is day 14, in the acute phase: 7-day limit.
  const events = [pain('a', 3, 4, 5)];

  it('states the date and age of the latest score', () => {
    const summary = painSummary(events, bands, at('2026-01-10T12:00:00Z'));
    expect(summary?.latest.age).toMatchObject({
      what: 'pain-assessment',
      eventId: 'a',
      on: '2026-01-03',
      ageDays: 7,
      limitDays: 7,
      stale: false,
    });
    expect(summary?.latest.age.limitBasis?.kind).toBe('service-standard');
  });

  it('flags a score older than the limit for the phase it was recorded in', () => {
    expect(painSummary(events, bands, at('2026-01-11T00:30:00Z'))?.latest.age).toMatchObject({
      ageDays: 8,
      stale: true,
    });
    // Recorded in the chronic phase (fracture long before): 28 days.
    const chronic = at('2026-01-31T12:00:00Z', '2025-06-01');
    expect(painSummary(events, bands, chronic)?.latest.age).toMatchObject({
      ageDays: 28,
      limitDays: 28,
      stale: false,
    });
  });

  it('never flags under version 1, which sets no limit, but still dates the score', () => {
    const old = painSummary(events, ROS_2022_V1, at('2026-08-20T12:00:00Z'))?.latest.age;
    expect(old).toMatchObject({ on: '2026-01-03', ageDays: 229, stale: false });
    expect(old?.limitDays).toBeUndefined();
  });

  it('ignores what was recorded after the instant', () => {
    expect(painSummary(events, bands, at('2026-01-02T12:00:00Z'))).toBeUndefined();
  });
});

describe('fracture dates in a phase', () => {
  it('agrees with phaseOf for every day around the limits', async () => {
    const { fractureDatesInPhase } = await import('./summary.js');
    const today = '2026-11-21';
    for (let days = 0; days < 120; days++) {
      const fracture = new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000)
        .toISOString()
        .slice(0, 10);
      for (const phase of ['acute', 'subacute', 'chronic'] as const) {
        const { after, onOrBefore } = fractureDatesInPhase(phases, phase, today);
        const inRange = (!after || fracture > after) && (!onOrBefore || fracture <= onOrBefore);
        expect(inRange, `${days} days, ${phase}`).toBe(phaseOf(phases, days) === phase);
      }
    }
  });
});
