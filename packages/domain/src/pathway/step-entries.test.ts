import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PathwayInputError } from '../inputs/errors.js';
import type { ClinicalEventInput, EventType } from '../inputs/schemas.js';
import { parseEpisodeRecord, parseEvent } from '../inputs/validate.js';
import { computePlan, isActive } from '../plan/compute-plan.js';
import { previewEntry } from '../plan/preview.js';
import type { Plan, PlanStep } from '../plan/types.js';
import { recordWithAsOfArb } from '../testing/arbitraries.js';
import { scenario } from '../testing/scenario.js';
import { findPathway, PUBLISHED_PATHWAYS } from './registry.js';
import { type EntryOffer, stepEntries } from './step-entries.js';

/** A routine finding for each kind of entry a step may ask for, filled in as its offer says. */
const ROUTINE: Partial<Record<EventType, Record<string, unknown>>> = {
  'pain-assessment': { nrsAtRest: 2, nrsOnActivity: 3, functionalLimitation: 'mild' },
  'psychological-screen': {
    anxietyOrLowMood: false,
    painCatastrophising: false,
    fearOfFalling: false,
  },
  'falls-risk-assessment': {
    fallsInLastYear: 0,
    presentedWithFall: false,
    gaitOrBalanceDifficulty: false,
    result: 'not-at-risk',
  },
  'fracture-risk-assessment': { tool: 'FRAX', majorOsteoporoticFractureRisk: 20, category: 'high' },
  'dxa-result': { lumbarSpineTScore: -2.7 },
  'laboratory-screen': { secondaryCauseFound: false },
  'follow-up-contact': { mode: 'telephone' },
  'bone-therapy-started': { drug: 'alendronic-acid' },
  'bone-therapy-stopped': { reason: 'Stopped by the GP' },
  'treatment-review': {
    drug: 'alendronic-acid',
    takingAsPrescribed: true,
    takenCorrectly: true,
    outcome: 'continue',
  },
};

function entryFor(offer: EntryOffer, at: string, id: string): ClinicalEventInput {
  // An appointment a fortnight after the day it is booked (the day as UTC reads it: a day either
  // way still passes the checks, which allow up to a year ahead).
  const appointment =
    offer.event === 'dxa-appointment'
      ? {
          action: 'booked',
          appointmentOn: new Date(Date.parse(at) + 14 * 86_400_000).toISOString().slice(0, 10),
        }
      : {};
  return {
    id,
    type: offer.event,
    ...ROUTINE[offer.event],
    ...appointment,
    ...offer.fill,
    occurredAt: at,
    recordedAt: at,
    recordedBy: 'nurse-1',
  } as ClinicalEventInput;
}

/** The state each kind of entry promises to leave its step in, made when the step stands so. */
function promisedStatus(offer: EntryOffer | 'generic', step: PlanStep, early: string | undefined) {
  if (offer === 'generic') return ['completed'];
  if (offer.effect === 'stops-therapy') return ['cancelled', 'due', 'overdue'];
  // An appointment completes nothing: the step stays as it was.
  if (offer.effect === 'records-appointment') return [step.status];
  if (step.status === 'upcoming' && early === 'from-window-opening') return ['upcoming'];
  return ['completed'];
}

describe('what satisfies each step', () => {
  // Hazards HAZ-003 and HAZ-004: every entry a step page offers is accepted, and leaves the step
  // in the state its preview promised, which is the state the saved record replays to.
  it('each entry a step page offers does what its preview promised, and what the record replays to', () => {
    fc.assert(
      fc.property(recordWithAsOfArb(), ({ record, asOf }) => {
        const parsed = parseEpisodeRecord(record, { now: asOf });
        const before = computePlan({ ...parsed, asOf });
        const definition = findPathway(before.pathwayVersion);
        if (!definition) throw new Error('unknown version');
        for (const step of before.steps.filter((s) => isActive(s.status))) {
          const stepDefinition = definition.steps.find((d) => d.id === step.stepId);
          if (!stepDefinition) throw new Error(`no definition for ${step.stepId}`);
          const entries = stepEntries(stepDefinition, step.drug);
          const tries: (EntryOffer | 'generic')[] = [
            ...entries.offers.filter((o) => !o.condition),
            ...(entries.generic ? ['generic' as const] : []),
          ];
          for (const offer of tries) {
            const entry =
              offer === 'generic'
                ? ({
                    id: 'offered',
                    type: 'step-completed',
                    stepKey: step.key,
                    outcome: entries.generic?.outcomes[0],
                    occurredAt: asOf,
                    recordedAt: asOf,
                    recordedBy: 'nurse-1',
                  } as ClinicalEventInput)
                : entryFor(offer, asOf, 'offered');
            let event: ReturnType<typeof parseEvent>;
            try {
              event = parseEvent(entry, { now: asOf, ...parsed, history: parsed.events });
            } catch (error) {
              // A drug the routine entry names may not suit this record (a second course of a
              // drug already running, a review of a drug not taken): refused for its own reason.
              if (
                error instanceof PathwayInputError &&
                error.issues.every((issue) => issue.path === 'event.drug')
              ) {
                continue;
              }
              throw error;
            }
            const after = computePlan({ ...parsed, events: [...parsed.events, event], asOf });
            const preview = previewEntry(before, after, step.key, event.id);
            expect(preview.focus?.after).toBeDefined();
            const replayed = parseEpisodeRecord(
              { ...record, events: [...record.events, entry] },
              { now: asOf },
            );
            const saved: Plan = computePlan({ ...replayed, asOf });
            const savedStep = saved.steps.find((s) => s.key === step.key);
            expect(savedStep?.status).toBe(preview.focus?.after);
            expect(
              promisedStatus(offer, step, entries.early?.counts),
              `${step.key} at ${asOf}: ${preview.focus?.sentence}`,
            ).toContain(preview.focus?.after);
            if (offer !== 'generic' && offer.effect === 'completes-and-plans-next') {
              const next = saved.steps.filter(
                (s) => s.stepId === step.stepId && s.status === 'upcoming',
              );
              expect(next.length).toBeGreaterThan(0);
            }
          }
        }
      }),
      { numRuns: 120 },
    );
  }, 120_000);

  it('offers a dose step only the dose given and the therapy stopped, never a generic completion', () => {
    for (const definition of PUBLISHED_PATHWAYS.versions().map((v) => findPathway(v))) {
      for (const step of definition?.steps ?? []) {
        if (step.trigger.kind !== 'next-dose') continue;
        const entries = stepEntries(step);
        expect(entries.generic).toBeUndefined();
        expect(entries.offers.map((o) => `${o.event} ${o.effect}`)).toEqual(
          step.trigger.drugs.flatMap(() => [
            'bone-therapy-dose completes-and-plans-next',
            'bone-therapy-stopped stops-therapy',
          ]),
        );
        expect(entries.offers.find((o) => o.effect === 'stops-therapy')?.confirm).toMatch(
          /no further dose is planned/,
        );
      }
    }
  });

  // Hazard 1 of issue 12, end to end in the engine: a dose given from the overdue denosumab step
  // plans the next one six months later.
  it('a denosumab dose given from its overdue step completes it and plans the next dose', () => {
    const base = scenario()
      .add('2025-01-20T10:00:00Z', { type: 'bone-therapy-started', drug: 'denosumab' })
      .add('2025-01-20T10:05:00Z', { type: 'bone-therapy-dose', drug: 'denosumab' });
    const asOf = '2025-09-01T10:00:00Z';
    const before = base.plan(asOf);
    const overdue = before.steps.find(
      (s) => s.stepId === 'denosumab-next-dose' && isActive(s.status),
    );
    expect(overdue?.status).toBe('overdue');
    const definition = findPathway(before.pathwayVersion)?.steps.find(
      (s) => s.id === 'denosumab-next-dose',
    );
    const [dose] = stepEntries(definition as never).offers;
    expect(dose).toMatchObject({ event: 'bone-therapy-dose', fill: { drug: 'denosumab' } });
    const after = base.add(asOf, { type: 'bone-therapy-dose', drug: 'denosumab' }).plan(asOf);
    const preview = previewEntry(before, after, overdue?.key, 'dose');
    expect(preview.focus?.sentence).toMatch(
      /^"Denosumab dose due \(every 6 months\)" becomes Completed/,
    );
    const next = after.steps.filter(
      (s) => s.stepId === 'denosumab-next-dose' && s.status === 'upcoming',
    );
    expect(next.map((s) => s.window?.due)).toEqual(['2026-03-01']);
    expect(preview.changes.map((c) => `${c.kind} ${c.stepKey}`)).toContain(`added ${next[0]?.key}`);
  });

  // Hazard 2 of issue 12: the 48-hour review's page, while the review is upcoming, says that an
  // assessment now does not count, and why, with the source; the preview says it stays upcoming.
  it('says a pain assessment before 48 hours does not complete the 48-hour review, and why', () => {
    const admitted = scenario({ admittedAt: '2025-01-06T14:00:00Z' });
    const asOf = '2025-01-07T10:00:00Z';
    const before = admitted.plan(asOf);
    const review = before.steps.find((s) => s.stepId === 'pain-review-48h');
    expect(review?.status).toBe('upcoming');
    const definition = findPathway(before.pathwayVersion)?.steps.find(
      (s) => s.id === 'pain-review-48h',
    );
    const { early } = stepEntries(definition as never);
    expect(early?.counts).toBe('from-window-opening');
    expect(early?.says).toMatch(/unremitting after 48 hours/);
    expect(early?.source?.quote).toMatch(/unremitting after 48 hours/);
    const after = admitted.pain(asOf, 5, 7, 'moderate').plan(asOf);
    const preview = previewEntry(before, after, review?.key, 'early-pain');
    expect(preview.focus?.sentence).toMatch(
      /^"48-hour pain review \(admitted patients\)" stays Upcoming: /,
    );
  });
});
