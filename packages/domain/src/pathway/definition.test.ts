import { describe, expect, it } from 'vitest';
import {
  quotesNotInTheirSources,
  SEED_DOCUMENTS_PRESENT,
} from '../testing/seed-documents.test-support.js';
import { serviceCalendar } from '../time/settings.js';
import type { Condition, PathwayDefinition, SourcePosition, StepDefinition } from './definition.js';
import { FACTS } from './facts.js';
import { CURRENT_PATHWAY_VERSION, findPathway, pathwayVersions } from './registry.js';
import type { SourceRef } from './sources.js';

function definitions(): PathwayDefinition[] {
  return pathwayVersions().map((version) => findPathway(version) as PathwayDefinition);
}

function conditionsOf(step: StepDefinition): Condition[] {
  const list: Condition[] = [];
  if (step.appliesWhen) list.push(step.appliesWhen);
  if ('where' in step.trigger && step.trigger.where) list.push(step.trigger.where);
  for (const rule of step.completedBy) if (rule.where) list.push(rule.where);
  if (step.earlyCompletion) list.push(step.earlyCompletion.acceptedWhen);
  for (const note of step.notes ?? []) list.push(note.when);
  return list;
}

function leaves(condition: Condition): Extract<Condition, { fact: unknown }>[] {
  if ('all' in condition) return condition.all.flatMap(leaves);
  if ('any' in condition) return condition.any.flatMap(leaves);
  if ('not' in condition) return leaves(condition.not);
  return [condition];
}

function allCitations(definition: PathwayDefinition): SourceRef[] {
  const refs: SourceRef[] = [];
  const positions = (list: readonly SourcePosition[] | undefined) =>
    (list ?? []).map((p) => p.source);
  for (const step of definition.steps) {
    refs.push(...step.sources);
    const { timing } = step.window;
    if (timing.kind === 'guideline') refs.push(timing.source);
    else if (timing.source) refs.push(timing.source);
  }
  for (const rec of definition.recommendations) {
    refs.push(
      ...rec.sources,
      ...positions(rec.conflicts),
      ...(rec.cautions ?? []).map((c) => c.source),
    );
  }
  return refs;
}

describe('pathway definitions', () => {
  it('register the current version', () => {
    expect(findPathway(CURRENT_PATHWAY_VERSION)?.version).toBe(CURRENT_PATHWAY_VERSION);
    expect(findPathway('no-such-version')).toBeUndefined();
  });

  for (const definition of definitions()) {
    describe(definition.version, () => {
      it('has unique step and recommendation ids that are safe inside job ids', () => {
        const ids = definition.steps.map((s) => s.id);
        expect(new Set(ids).size).toBe(ids.length);
        const recIds = definition.recommendations.map((r) => r.id);
        expect(new Set(recIds).size).toBe(recIds.length);
        for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+$/);
      });

      it('orders every window: opens <= due <= overdue after', () => {
        const calendar = serviceCalendar();
        for (const step of definition.steps) {
          const { window } = step;
          if (window.granularity === 'exact') {
            expect(window.opens.hours, step.id).toBeLessThanOrEqual(window.due.hours);
            expect(window.due.hours, step.id).toBeLessThan(window.overdueAfter.hours);
          } else {
            // Check against every day of a leap year, so month arithmetic cannot reorder them.
            for (let day = 0; day < 366; day += 7) {
              const anchor = calendar.addToDate('2024-01-01', { days: day });
              const opens = calendar.addToDate(anchor, window.opens);
              const due = calendar.addToDate(anchor, window.due);
              const overdue = calendar.addToDate(anchor, window.overdueAfter);
              expect(opens <= due && due <= overdue, `${step.id} from ${anchor}`).toBe(true);
            }
          }
        }
      });

      it('uses exact (hour) windows only with anchors that are instants', () => {
        for (const step of definition.steps) {
          if (step.window.granularity !== 'exact') continue;
          const { trigger } = step;
          const dateAnchored =
            trigger.kind === 'episode' &&
            (trigger.anchor === 'fracture-date' || trigger.anchor === 'identified-date');
          expect(dateAnchored, step.id).toBe(false);
        }
      });

      it('cites at least one source for every step and recommendation', () => {
        for (const step of definition.steps)
          expect(step.sources.length, step.id).toBeGreaterThan(0);
        for (const rec of definition.recommendations)
          expect(rec.sources.length, rec.id).toBeGreaterThan(0);
      });

      it('uses facts in the scope where they have values', () => {
        for (const step of definition.steps) {
          const triggerWhere = 'where' in step.trigger ? step.trigger.where : undefined;
          const episodeLevel = [step.appliesWhen, ...(step.notes ?? []).map((n) => n.when)];
          for (const leaf of episodeLevel.flatMap((c) => (c ? leaves(c) : []))) {
            expect(FACTS[leaf.fact].scope, `${step.id} appliesWhen ${leaf.fact}`).toBe('episode');
          }
          for (const leaf of triggerWhere ? leaves(triggerWhere) : []) {
            expect(FACTS[leaf.fact].scope, `${step.id} trigger ${leaf.fact}`).not.toBe('current');
          }
        }
        for (const condition of definition.steps.flatMap(conditionsOf)) {
          for (const leaf of leaves(condition)) expect(FACTS[leaf.fact], leaf.fact).toBeDefined();
        }
      });

      it('refers only to steps that exist', () => {
        const ids = new Set(definition.steps.map((s) => s.id));
        for (const rec of definition.recommendations) {
          for (const leaf of leaves(rec.when)) {
            if (leaf.fact === 'stepStatus')
              expect(ids.has(leaf.step ?? ''), `${rec.id} -> ${leaf.step}`).toBe(true);
          }
        }
      });

      it('shows the disagreement wherever a recommendation is marked contested', () => {
        for (const rec of definition.recommendations) {
          if (rec.contested) expect((rec.conflicts ?? []).length, rec.id).toBeGreaterThanOrEqual(2);
          for (const conflict of rec.conflicts ?? [])
            expect(conflict.position.length).toBeGreaterThan(10);
        }
      });

      it.skipIf(!SEED_DOCUMENTS_PRESENT)('quotes every cited source word for word', () => {
        expect(quotesNotInTheirSources(allCitations(definition))).toEqual([]);
      });
    });
  }
});
