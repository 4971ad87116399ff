import type { PlanDefinition, PlanDefinitionAction, RelatedArtifact } from '@medplum/fhirtypes';
import {
  CURRENT_PATHWAY_VERSION,
  createPathwayRegistry,
  findPathway,
  type PathwayDefinition,
  pathwayVersions,
  SOURCE_DOCUMENTS,
  type SourceRef,
} from '@vfx/domain';
import { describe, expect, it } from 'vitest';
import { FhirError } from '../operation-outcome.js';
import {
  pathwayExtensionUrls,
  planDefinition,
  planDefinitionUrl,
  publishedPlanDefinitions,
  seedDocumentPath,
} from './index.js';

const BASE = 'https://fls.example.nhs.uk/fhir/R4';
const URLS = pathwayExtensionUrls(BASE);

function definitionOf(version: string): PathwayDefinition {
  const definition = findPathway(version);
  if (!definition) throw new Error(`no ${version}`);
  return definition;
}

function allActions(resource: PlanDefinition): PlanDefinitionAction[] {
  const out: PlanDefinitionAction[] = [];
  const visit = (list: readonly PlanDefinitionAction[] | undefined) => {
    for (const action of list ?? []) {
      out.push(action);
      visit(action.action);
    }
  };
  visit(resource.action);
  return out;
}

function group(resource: PlanDefinition, id: string): PlanDefinitionAction[] {
  const found = resource.action?.find((action) => action.id === id);
  if (!found) throw new Error(`no group ${id}`);
  return found.action ?? [];
}

function actionOf(resource: PlanDefinition, id: string): PlanDefinitionAction {
  const found = allActions(resource).find((action) => action.id === id);
  if (!found) throw new Error(`no action ${id}`);
  return found;
}

function windowPart(action: PlanDefinitionAction, part: string) {
  const window = action.extension?.find((e) => e.url === URLS.window);
  return window?.extension?.find((e) => e.url === part);
}

/** The action's documentation quotes this passage of this document. */
function quotes(documentation: readonly RelatedArtifact[] | undefined, ref: SourceRef): boolean {
  return (documentation ?? []).some(
    (artifact) =>
      artifact.citation?.includes(`${ref.section}: "${ref.quote}"`) &&
      artifact.document?.url === seedDocumentPath(SOURCE_DOCUMENTS[ref.document].file),
  );
}

const current = planDefinition(CURRENT_PATHWAY_VERSION, { canonicalBase: BASE });

describe('the 48-hour pain review after admission', () => {
  const action = actionOf(current, 'pain-review-48h');
  const step = definitionOf(CURRENT_PATHWAY_VERSION).steps.find((s) => s.id === 'pain-review-48h');

  it('is measured from admission: opens 48 hours after it, overdue 72 hours after it', () => {
    expect(action.relatedAction).toEqual([
      {
        actionId: 'anchor-admission',
        relationship: 'after-start',
        offsetRange: {
          low: { value: 48, unit: 'hours', system: 'http://unitsofmeasure.org', code: 'h' },
          high: { value: 72, unit: 'hours', system: 'http://unitsofmeasure.org', code: 'h' },
        },
      },
    ]);
    expect(windowPart(action, 'granularity')?.valueCode).toBe('exact');
    expect(windowPart(action, 'due')?.valueDuration).toMatchObject({ value: 48, code: 'h' });
    const anchor = actionOf(current, 'anchor-admission');
    expect(anchor.trigger).toEqual([{ type: 'named-event', name: 'admission' }]);
  });

  it('cites its source with the section and the quote', () => {
    expect(step?.sources.length).toBeGreaterThan(0);
    for (const ref of step?.sources ?? []) expect(quotes(action.documentation, ref)).toBe(true);
    expect(action.documentation?.[0]?.citation).toContain('unremitting after 48 hours');
  });

  it('says its 72-hour limit is a service standard, quoting the guidance for the 48 hours', () => {
    expect(windowPart(action, 'basis')?.valueCode).toBe('service-standard');
    const justification = action.documentation?.find((d) => d.type === 'justification');
    expect(justification?.display).toMatch(/^Window: service standard\. /);
    expect(justification?.display).toContain('allows until 72 hours');
    expect(justification?.citation).toContain('after 48 hours');
  });

  it('applies only to admitted patients on the conservative branch', () => {
    expect(
      action.condition?.map((c) => [c.kind, c.expression?.language, c.expression?.expression]),
    ).toEqual([
      ['applicability', 'text/plain', expect.stringContaining('routine conservative pathway')],
      ['applicability', 'text/plain', 'Applies only when the patient was admitted to hospital.'],
    ]);
    expect(action.condition?.[1]?.expression?.description).toBe('Rule: care setting is admitted');
  });
});

describe('windows and their basis', () => {
  it('a service-standard number says so (falls risk assessment: FLS audit 90 days)', () => {
    const action = actionOf(current, 'falls-risk-assessment');
    expect(windowPart(action, 'basis')?.valueCode).toBe('service-standard');
    expect(windowPart(action, 'explanation')?.valueString).toContain('FLS audit standard');
    expect(action.relatedAction?.[0]).toMatchObject({
      actionId: 'anchor-fracture-date',
      offsetRange: { low: { value: 0, code: 'd' }, high: { value: 90, code: 'd' } },
    });
    const justification = action.documentation?.find((d) => d.type === 'justification');
    expect(justification?.display).toMatch(/^Window: service standard\. FLS audit standard/);
  });

  it('a number from the guidance says so (exercise programme 4 to 12 weeks)', () => {
    const action = actionOf(current, 'exercise-programme-referral');
    expect(windowPart(action, 'basis')?.valueCode).toBe('guideline');
    expect(windowPart(action, 'explanation')).toBeUndefined();
    expect(action.relatedAction?.[0]?.offsetRange).toMatchObject({
      low: { value: 4, code: 'wk' },
      high: { value: 12, code: 'wk' },
    });
    const justification = action.documentation?.find((d) => d.type === 'justification');
    expect(justification?.display).toMatch(/^Window: from the guidance/);
    expect(justification?.citation).toContain('4-12 weeks after vertebral fracture');
  });

  it('an offset in two units is given in words, not as a single quantity (denosumab)', () => {
    const action = actionOf(current, 'denosumab-next-dose');
    expect(windowPart(action, 'overdueAfter')).toEqual({
      url: 'overdueAfter',
      valueString: '6 months 4 weeks',
    });
    expect(action.relatedAction?.[0]).toEqual({
      actionId: 'anchor-last-dose-denosumab',
      relationship: 'after-start',
      offsetRange: {
        low: { value: 6, unit: 'months', system: 'http://unitsofmeasure.org', code: 'mo' },
      },
    });
    expect(action.description).toContain('overdue from the day after 6 months 4 weeks after it');
    expect(action.extension?.find((e) => e.url === URLS.urgency)?.valueCode).toBe(
      'urgent-when-overdue',
    );
    expect(action.description).toContain('**Urgent once overdue.**');
  });

  it('red-flag steps are urgent', () => {
    const action = actionOf(current, 'red-flag-neurological-deficit');
    expect(action.priority).toBe('urgent');
    expect(action.relatedAction?.[0]?.actionId).toBe('anchor-finding-neurologicalDeficit');
  });
});

describe.each(pathwayVersions())('every step and recommendation of %s', (version) => {
  const resource = planDefinition(version, { canonicalBase: BASE });
  const definition = definitionOf(version);
  const ids = new Set(allActions(resource).map((action) => action.id));

  it('has one action per step, with the step id, title, what to do and every source quoted', () => {
    const steps = group(resource, 'steps');
    expect(steps.map((a) => a.id)).toEqual(definition.steps.map((s) => s.id));
    for (const step of definition.steps) {
      const action = steps.find((a) => a.id === step.id) as PlanDefinitionAction;
      expect(action.title).toBe(step.title);
      expect(action.description?.startsWith(step.why)).toBe(true);
      expect(action.textEquivalent).toBe(step.action);
      for (const ref of step.sources) expect(quotes(action.documentation, ref)).toBe(true);
      expect(windowPart(action, 'basis')?.valueCode).toBe(step.window.timing.kind);
      if (step.window.timing.kind === 'service-standard')
        expect(windowPart(action, 'explanation')?.valueString).toBe(step.window.timing.explanation);
      if (step.appliesOnlyWhen)
        expect(action.condition?.map((c) => c.expression?.expression)).toContain(
          `Applies only when ${step.appliesOnlyWhen}.`,
        );
    }
  });

  it('measures every window from an action that exists', () => {
    for (const action of allActions(resource))
      for (const related of action.relatedAction ?? []) expect(ids).toContain(related.actionId);
  });

  it('has one action per recommendation, its reason as the condition, disagreements visible', () => {
    const recs = group(resource, 'recommendations');
    expect(recs.map((a) => a.id)).toEqual(definition.recommendations.map((r) => r.id));
    for (const rec of definition.recommendations) {
      const action = recs.find((a) => a.id === rec.id) as PlanDefinitionAction;
      expect(action.description).toBe(rec.text);
      expect(action.condition?.[0]?.expression?.expression).toBe(`${rec.because}.`);
      for (const ref of rec.sources) expect(quotes(action.documentation, ref)).toBe(true);
      for (const conflict of rec.conflicts ?? []) {
        const shown = action.documentation?.find((d) =>
          d.display?.endsWith(`: ${conflict.position}`),
        );
        expect(shown?.display).toMatch(/^Sources disagree\./);
        expect(quotes(shown ? [shown] : [], conflict.source)).toBe(true);
      }
      expect(action.priority).toBe(
        { urgent: 'urgent', routine: 'routine', high: undefined }[rec.priority],
      );
    }
  });

  it('lists every cited source document once, with its seed file', () => {
    const citations = (resource.relatedArtifact ?? []).filter((a) => a.type === 'citation');
    const files = citations.map((a) => a.document?.url);
    expect(new Set(files).size).toBe(files.length);
    for (const step of definition.steps)
      for (const ref of step.sources)
        expect(files).toContain(seedDocumentPath(SOURCE_DOCUMENTS[ref.document].file));
  });
});

describe('the calcitonin disagreement', () => {
  it('shows every position with its own source, not only the primary one', () => {
    const action = actionOf(current, 'calcitonin-acute-phase');
    const positions = action.documentation?.filter((d) =>
      d.display?.startsWith('Sources disagree.'),
    );
    expect(positions?.map((d) => d.label)).toEqual([
      'ROS 2022',
      'Clinical Q&A (AAOS)',
      'BMJ Best Practice',
    ]);
    expect(action.documentation?.map((d) => d.display)).toContain(
      'Contested: the evidence or the sources are divided.',
    );
  });
});

describe('the resource', () => {
  it('names the version, its canonical url and the publication date from the definition', () => {
    const definition = definitionOf(CURRENT_PATHWAY_VERSION);
    expect(current).toMatchObject({
      resourceType: 'PlanDefinition',
      id: CURRENT_PATHWAY_VERSION,
      url: `${BASE}/PlanDefinition/${CURRENT_PATHWAY_VERSION}`,
      version: CURRENT_PATHWAY_VERSION,
      title: definition.title,
      status: 'active',
      experimental: false,
      date: definition.publishedOn,
      type: { coding: [{ code: 'clinical-protocol' }] },
    });
    expect(current.name).toMatch(/^[A-Z][A-Za-z0-9_]*$/);
  });

  it('retires superseded versions and links each version to the next and the previous', () => {
    const older = pathwayVersions().filter((v) => v !== CURRENT_PATHWAY_VERSION);
    expect(older.length).toBeGreaterThan(0);
    for (const version of older) {
      const resource = planDefinition(version, { canonicalBase: BASE });
      expect(resource.status).toBe('retired');
      expect(resource.description).toContain(
        `superseded: new episodes use ${CURRENT_PATHWAY_VERSION}`,
      );
    }
    const first = planDefinition('ros-2022.1', { canonicalBase: BASE });
    expect(first.relatedArtifact?.filter((a) => a.type === 'successor')).toEqual([
      expect.objectContaining({ resource: `${BASE}/PlanDefinition/ros-2022.2` }),
    ]);
    expect(current.relatedArtifact?.filter((a) => a.type === 'predecessor')).toEqual([
      expect.objectContaining({ resource: `${BASE}/PlanDefinition/ros-2022.2` }),
    ]);
  });

  it('has the url CarePlan.instantiatesCanonical points at, and one resource per version', () => {
    expect(planDefinitionUrl(BASE, CURRENT_PATHWAY_VERSION)).toBe(current.url);
    expect(publishedPlanDefinitions({ canonicalBase: BASE }).map((r) => r.url)).toEqual(
      pathwayVersions().map((version) => `${BASE}/PlanDefinition/${version}`),
    );
  });

  it('is the same every time: no clock', () => {
    expect(planDefinition(CURRENT_PATHWAY_VERSION, { canonicalBase: BASE })).toEqual(current);
  });

  it('gives the age limits of version 2 as actions, and the entry with no limit as documentation', () => {
    const stale = group(current, 'stale-entries');
    expect(stale.map((a) => a.id)).toEqual([
      'stale-pain-assessment',
      'stale-psychological-screen',
      'stale-follow-up-contact',
    ]);
    expect(stale[0]?.condition?.[0]?.expression?.expression).toBe(
      'The latest pain assessment is older than 7 days if recorded in the acute phase, 14 days in the subacute phase, 28 days in the chronic phase.',
    );
    const groupAction = current.action?.find((a) => a.id === 'stale-entries');
    expect(groupAction?.documentation?.[0]?.display).toMatch(
      /^No age limit for a fracture-risk assessment: service standard/,
    );
    const first = planDefinition('ros-2022.1', { canonicalBase: BASE });
    expect(first.action?.map((a) => a.id)).toEqual(['anchors', 'steps', 'recommendations']);
  });
});

describe('refusals', () => {
  it('an unknown version is a FHIR not-found naming the published versions', () => {
    try {
      planDefinition('ros-1999.1', { canonicalBase: BASE });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FhirError);
      expect((error as FhirError).status).toBe(404);
      expect((error as FhirError).issues[0]?.code).toBe('not-found');
      expect((error as FhirError).message).toContain(pathwayVersions().join(', '));
    }
  });

  it.each([
    ['fls.example.nhs.uk/fhir/R4', /not an absolute URL/],
    ['ftp://fls.example.nhs.uk/fhir', /http or https/],
    ['https://fls.example.nhs.uk/fhir/R4/', /must not end with a slash/],
    ['https://fls.example.nhs.uk/fhir/R4?x=1', /no query or fragment/],
  ])('a canonical base of %s is refused', (canonicalBase, message) => {
    expect(() => planDefinition(CURRENT_PATHWAY_VERSION, { canonicalBase })).toThrow(message);
  });

  it('a version that is not a valid FHIR id is refused', () => {
    const definition = { ...definitionOf(CURRENT_PATHWAY_VERSION), version: 'ros 2022/3' };
    const registry = createPathwayRegistry([definition], definition.version);
    expect(() => planDefinition('ros 2022/3', { canonicalBase: BASE, registry })).toThrow(
      /not a valid FHIR id/,
    );
  });
});
