// A pathway version as a FHIR R4 PlanDefinition, in the style of the HL7 Clinical Practice
// Guidelines implementation guide (CPG-on-FHIR, http://hl7.org/fhir/uv/cpg/): a shareable
// clinical-protocol whose actions are the version's steps and recommendations, each with its
// conditions in the domain's own words, its window as offsets from what it is measured from, and
// its sources quoted. Everything here is read from the pathway definition in @vfx/domain; nothing
// about a step is written twice. See docs/interop/plan-definition.md.
import type {
  Expression,
  Extension,
  PlanDefinition,
  PlanDefinitionAction,
  PlanDefinitionActionCondition,
  PlanDefinitionActionRelatedAction,
  RelatedArtifact,
} from '@medplum/fhirtypes';
import {
  DRUGS,
  describeCondition,
  describeLimitDays,
  FACTS,
  type PathwayDefinition,
  type PathwayRegistry,
  PUBLISHED_PATHWAYS,
  RECORDED_VALUE_NAMES,
  type RecommendationDefinition,
  type RecordedValueKind,
  SOURCE_DOCUMENTS,
  type SourceRef,
  type StalenessLimit,
  type StepCategory,
  type StepDefinition,
  type StepTrigger,
  stepEntries,
  type TimingBasis,
  type WindowDefinition,
} from '@vfx/domain';
import { FhirError } from '../operation-outcome.js';
import { offsetDuration, offsetWords } from './duration.js';

export interface PlanDefinitionOptions {
  /**
   * The FHIR base the definitions are published under, without a trailing slash
   * ("https://fls.example.nhs.uk/fhir/R4"). The PlanDefinition's url is
   * `${canonicalBase}/PlanDefinition/${version}`, the value CarePlan.instantiatesCanonical
   * points at; the service's own extensions are named under `${canonicalBase}/StructureDefinition/`.
   */
  readonly canonicalBase: string;
  /** Who publishes the pathway (shareable PlanDefinitions must name one). */
  readonly publisher?: string;
  /** The published versions; the service's registry unless a test passes its own. */
  readonly registry?: PathwayRegistry;
}

export const DEFAULT_PUBLISHER = 'Fracture liaison service (vertebral fragility fracture pathway)';

/** CPG-on-FHIR extensions (http://hl7.org/fhir/uv/cpg/), declared by its shareable profiles. */
export const CPG = {
  shareablePlanDefinition:
    'http://hl7.org/fhir/uv/cpg/StructureDefinition/cpg-shareableplandefinition',
  knowledgeCapability: 'http://hl7.org/fhir/uv/cpg/StructureDefinition/cpg-knowledgeCapability',
  knowledgeRepresentationLevel:
    'http://hl7.org/fhir/uv/cpg/StructureDefinition/cpg-knowledgeRepresentationLevel',
} as const;

/** The base FHIR R4 profile the resource conforms to (url, version, name, publisher...). */
export const SHAREABLE_PLAN_DEFINITION =
  'http://hl7.org/fhir/StructureDefinition/shareableplandefinition';

/** The service's own extensions, named under the canonical base. */
export function pathwayExtensionUrls(canonicalBase: string) {
  return {
    /** A step's window: granularity, opens, due, overdue after, and the timing basis. */
    window: `${canonicalBase}/StructureDefinition/pathway-step-window`,
    /** The domain's urgency or priority word, where FHIR's request priority has no equivalent. */
    urgency: `${canonicalBase}/StructureDefinition/pathway-urgency`,
  } as const;
}

/** FHIR ids (http://hl7.org/fhir/R4/datatypes.html#id). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

const PLAN_DEFINITION_TYPE = 'http://terminology.hl7.org/CodeSystem/plan-definition-type';

/** Step and recommendation categories in words (the domain names them in code only). */
const CATEGORY_WORDS: Readonly<Record<StepCategory, string>> = {
  'red-flag': 'Red flag',
  'acute-care': 'Acute care',
  rehabilitation: 'Rehabilitation',
  'holistic-assessment': 'Holistic assessment',
  'secondary-prevention': 'Secondary fracture prevention',
  'bone-therapy': 'Bone therapy',
};

/**
 * The canonical url of a version's PlanDefinition: what CarePlan.instantiatesCanonical holds for
 * an episode planned under that version. The version is part of the path, as each version is its
 * own resource; `PlanDefinition.version` repeats it.
 */
export function planDefinitionUrl(canonicalBase: string, version: string): string {
  return `${checkedBase(canonicalBase)}/PlanDefinition/${version}`;
}

/** Every published version's PlanDefinition, in the registry's order (for a search of all). */
export function publishedPlanDefinitions(options: PlanDefinitionOptions): PlanDefinition[] {
  const registry = options.registry ?? PUBLISHED_PATHWAYS;
  return registry.versions().map((version) => planDefinition(version, options));
}

/**
 * The PlanDefinition of one published pathway version. Pure: the same version and options give
 * the same resource; its only date is the version's own publication date.
 */
export function planDefinition(version: string, options: PlanDefinitionOptions): PlanDefinition {
  const registry = options.registry ?? PUBLISHED_PATHWAYS;
  const base = checkedBase(options.canonicalBase);
  const definition = registry.find(version);
  if (!definition) {
    throw new FhirError(404, [
      {
        code: 'not-found',
        diagnostics: `No pathway version "${version}"; the published versions are ${registry.versions().join(', ')}`,
      },
    ]);
  }
  if (!FHIR_ID.test(version)) {
    throw new Error(
      `Pathway version "${version}" is not a valid FHIR id ([A-Za-z0-9-.], 1-64 characters)`,
    );
  }
  const context: Context = { base, definition, urls: pathwayExtensionUrls(base) };
  const anchors = anchorsOf(definition);
  const actions: PlanDefinitionAction[] = [
    {
      id: 'anchors',
      title: 'What the step windows are measured from',
      description:
        'The events each step window is measured from. They are not tasks: each step below names one of them in `relatedAction`, with its window as the offset from it.',
      action: [...anchors.values()].map((anchor) => anchor.action),
    },
    {
      id: 'steps',
      title: 'Pathway steps',
      description:
        'The steps of the pathway, each with when it applies, its window and what completes it. Steps with a window measured in hours are exact times; the others are calendar days in the service time zone.',
      action: definition.steps.map((step) => stepAction(step, anchors, context)),
    },
    {
      id: 'recommendations',
      title: 'Recommendations',
      description:
        'Advice shown while its condition holds. Where the sources disagree, every position is listed with its source.',
      action: definition.recommendations.map((rec) => recommendationAction(rec)),
    },
    ...stalenessGroup(definition),
  ];
  checkUniqueActionIds(actions, version);

  return {
    resourceType: 'PlanDefinition',
    id: version,
    meta: { profile: [SHAREABLE_PLAN_DEFINITION, CPG.shareablePlanDefinition] },
    text: { status: 'generated', div: narrative(definition, registry) },
    extension: [
      { url: CPG.knowledgeCapability, valueCode: 'shareable' },
      // Organised text with structured timing: conditions are the domain's words, not CQL.
      { url: CPG.knowledgeRepresentationLevel, valueCode: 'semi-structured' },
    ],
    url: planDefinitionUrl(base, version),
    version,
    name: computableName(version),
    title: definition.title,
    type: {
      coding: [
        { system: PLAN_DEFINITION_TYPE, code: 'clinical-protocol', display: 'Clinical Protocol' },
      ],
    },
    status: registry.current === version ? 'active' : 'retired',
    experimental: false,
    date: definition.publishedOn,
    publisher: options.publisher ?? DEFAULT_PUBLISHER,
    description: description(definition, registry),
    relatedArtifact: [
      ...versionArtifacts(definition, registry, base),
      ...sourceArtifacts(definition),
    ],
    action: actions,
  };
}

interface Context {
  readonly base: string;
  readonly definition: PathwayDefinition;
  readonly urls: ReturnType<typeof pathwayExtensionUrls>;
}

function checkedBase(base: string): string {
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new Error(`canonicalBase "${base}" is not an absolute URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new Error(`canonicalBase "${base}" must be an http or https URL`);
  if (base.endsWith('/')) throw new Error(`canonicalBase "${base}" must not end with a slash`);
  if (parsed.search || parsed.hash)
    throw new Error(`canonicalBase "${base}" must have no query or fragment`);
  return base;
}

/** "ros-2022.2" → "VfxPathway_ros_2022_2": a computable name (starts with a capital, no dots). */
function computableName(version: string): string {
  return `VfxPathway_${version.replace(/[^A-Za-z0-9]/g, '_')}`;
}

// --- Versions ----------------------------------------------------------------------------------

/** The versions in order of publication (registry order breaks a tie). */
function versionsInOrder(registry: PathwayRegistry): PathwayDefinition[] {
  return registry
    .versions()
    .map((v) => registry.find(v))
    .filter((d): d is PathwayDefinition => d !== undefined)
    .map((d, index) => ({ d, index }))
    .sort((a, b) => a.d.publishedOn.localeCompare(b.d.publishedOn) || a.index - b.index)
    .map(({ d }) => d);
}

function versionArtifacts(
  definition: PathwayDefinition,
  registry: PathwayRegistry,
  base: string,
): RelatedArtifact[] {
  const ordered = versionsInOrder(registry);
  const at = ordered.findIndex((d) => d.version === definition.version);
  const artifacts: RelatedArtifact[] = [];
  const before = ordered[at - 1];
  const after = ordered[at + 1];
  if (before)
    artifacts.push({
      type: 'predecessor',
      display: `${before.title} (${before.version})`,
      resource: planDefinitionUrl(base, before.version),
    });
  if (after)
    artifacts.push({
      type: 'successor',
      display: `${after.title} (${after.version})`,
      resource: planDefinitionUrl(base, after.version),
    });
  return artifacts;
}

// --- Sources -----------------------------------------------------------------------------------

/** Where a seed document lives: the clinical sources shared with the project (shared/seeds). */
export function seedDocumentPath(file: string): string {
  return `shared/seeds/${file}`;
}

/** Every source the version cites anywhere, in the order of the sources registry. */
function citedDocuments(definition: PathwayDefinition): Set<string> {
  const refs: SourceRef[] = [];
  const basis = (timing: TimingBasis | undefined) => {
    if (timing?.kind === 'guideline') refs.push(timing.source);
    else if (timing?.source) refs.push(timing.source);
  };
  for (const step of definition.steps) {
    refs.push(...step.sources);
    basis(step.window.timing);
    for (const rule of step.completedBy) if (rule.early?.source) refs.push(rule.early.source);
  }
  for (const rec of definition.recommendations) {
    refs.push(...rec.sources);
    for (const caution of rec.cautions ?? []) refs.push(caution.source);
    for (const conflict of rec.conflicts ?? []) refs.push(conflict.source);
  }
  basis(definition.priorTherapy?.basis);
  for (const limit of Object.values(definition.staleness ?? {})) basis(limit?.basis);
  return new Set(refs.map((ref) => ref.document));
}

function sourceArtifacts(definition: PathwayDefinition): RelatedArtifact[] {
  const cited = citedDocuments(definition);
  return Object.entries(SOURCE_DOCUMENTS)
    .filter(([id]) => cited.has(id))
    .map(([, doc]) => ({
      type: 'citation',
      label: doc.short,
      display: doc.title,
      citation: `${doc.title}. Source file ${doc.file} (${doc.weight} source of this pathway).`,
      document: { contentType: 'text/plain', url: seedDocumentPath(doc.file), title: doc.title },
    }));
}

/** One quoted passage of a source, as an action's documentation. */
function citation(ref: SourceRef, display?: string): RelatedArtifact {
  const doc = SOURCE_DOCUMENTS[ref.document];
  return {
    type: 'citation',
    label: doc.short,
    display: display ?? `${doc.short}, ${ref.section}`,
    citation: `${doc.title}, ${ref.section}: "${ref.quote}"`,
    document: { contentType: 'text/plain', url: seedDocumentPath(doc.file), title: doc.title },
  };
}

/** Where a window (or a limit) comes from: the guidance, or a service standard, said as such. */
function timingJustification(timing: TimingBasis, what: string): RelatedArtifact {
  if (timing.kind === 'guideline') {
    return {
      ...citation(timing.source, `${what}: from the guidance (${timing.source.section})`),
      type: 'justification',
    };
  }
  const display = `${what}: service standard. ${timing.explanation}`;
  if (!timing.source) return { type: 'justification', display };
  return { ...citation(timing.source, display), type: 'justification' };
}

// --- Anchors -----------------------------------------------------------------------------------

/** What a step's window is measured from, and the action that stands for it. */
interface AnchorSpec {
  /** The anchor action's id, which the steps' relatedAction names. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** How a step's window description names it: "measured from admission to hospital". */
  readonly words: string;
  /** The trigger's named event. */
  readonly event: string;
}

interface Anchor {
  readonly id: string;
  readonly words: string;
  readonly action: PlanDefinitionAction;
}

const EPISODE_ANCHORS = {
  'fracture-date': [
    'Date of fracture',
    'The fracture date recorded at enrolment, or as corrected since.',
  ],
  'identified-date': [
    'Date the fracture was identified',
    'The identification date recorded at enrolment, or as corrected since.',
  ],
  enrolment: ['Enrolment on the pathway', 'The moment the episode was enrolled.'],
  admission: [
    'Admission to hospital',
    'The admission time recorded for an admitted patient, or as corrected since.',
  ],
} as const;

/** The id of the anchor action a step's window is measured from. */
function anchorIdOf(trigger: StepTrigger): string {
  switch (trigger.kind) {
    case 'episode':
      return `anchor-${trigger.anchor}`;
    case 'finding':
      return `anchor-finding-${trigger.finding}`;
    case 'first-event':
    case 'each-event':
      return `anchor-event-${trigger.event}`;
    case 'therapy-course':
      return `anchor-course-start-${trigger.drugs.join('-')}`;
    case 'next-dose':
      return `anchor-last-dose-${trigger.drugs.join('-')}`;
  }
}

/**
 * `priorTherapy`: whether the version records bone therapy taken before the fracture, whose
 * courses are then followed from their real start and last reported dose.
 */
function anchorOf(trigger: StepTrigger, priorTherapy: boolean): AnchorSpec {
  switch (trigger.kind) {
    case 'episode': {
      const [title, description] = EPISODE_ANCHORS[trigger.anchor];
      return {
        id: anchorIdOf(trigger),
        title,
        description,
        words: title.toLowerCase(),
        event: trigger.anchor,
      };
    }
    case 'finding':
      return {
        id: anchorIdOf(trigger),
        title: `When the red flag was first recorded (${FACTS[trigger.finding].label})`,
        description: 'The moment the red-flag finding was first recorded, at enrolment or later.',
        words: `when the red flag (${FACTS[trigger.finding].label}) was first recorded`,
        event: `finding:${trigger.finding}`,
      };
    case 'first-event':
    case 'each-event':
      return {
        id: anchorIdOf(trigger),
        title: `A ${trigger.event} entry is recorded`,
        description: `The time of a recorded ${trigger.event} entry; each step measured from it says which entries start it.`,
        words: `the ${trigger.event} entry that starts it`,
        event: trigger.event,
      };
    case 'therapy-course': {
      const drugs = trigger.drugs.map((d) => DRUGS[d].label).join(' or ');
      return {
        id: anchorIdOf(trigger),
        title: `Start of a course of ${drugs}`,
        description: `The start date of each course of ${drugs}${priorTherapy ? ' (for a course still taken at the fracture, its real start before the fracture)' : ''}.`,
        words: `the start of the course of ${drugs}`,
        event: `course-start:${trigger.drugs.join(',')}`,
      };
    }
    case 'next-dose': {
      const drugs = trigger.drugs.map((d) => DRUGS[d].label).join(' or ');
      return {
        id: anchorIdOf(trigger),
        title: `Last dose of ${drugs} given`,
        description: `The date of the last dose given of each course of ${drugs}${priorTherapy ? ' (for a course still taken at the fracture, its last reported dose)' : ''}; each dose given plans the next.`,
        words: `the last dose of ${drugs} given`,
        event: `dose:${trigger.drugs.join(',')}`,
      };
    }
  }
}

function anchorsOf(definition: PathwayDefinition): Map<string, Anchor> {
  const anchors = new Map<string, Anchor>();
  for (const step of definition.steps) {
    const anchor = anchorOf(step.trigger, definition.priorTherapy !== undefined);
    if (anchors.has(anchor.id)) continue;
    if (!FHIR_ID.test(anchor.id))
      throw new Error(`Step ${step.id}: anchor id "${anchor.id}" is not a valid FHIR id`);
    anchors.set(anchor.id, {
      id: anchor.id,
      words: anchor.words,
      action: {
        id: anchor.id,
        title: anchor.title,
        description: anchor.description,
        trigger: [{ type: 'named-event', name: anchor.event }],
      },
    });
  }
  return anchors;
}

// --- Steps -------------------------------------------------------------------------------------

function stepAction(
  step: StepDefinition,
  anchors: ReadonlyMap<string, Anchor>,
  context: Context,
): PlanDefinitionAction {
  const anchor = anchors.get(anchorIdOf(step.trigger)) as Anchor;
  const entries = stepEntries(step);
  const priority = step.urgency === 'urgent' ? 'urgent' : 'routine';
  return {
    id: step.id,
    extension: [urgencyExtension(step.urgency, context), windowExtension(step.window, context)],
    title: step.title,
    description: [
      step.why,
      `**Window**: ${windowWords(step.window, anchor.words)}${dueWhenStopped(step.trigger)}`,
      `**Completed by**: ${[
        ...entries.offers.map((offer) => offer.says),
        ...(entries.generic ? [entries.generic.says] : []),
      ].join(' ')}`,
      ...(step.urgency === 'urgent-when-overdue' ? ['**Urgent once overdue.**'] : []),
    ].join('\n\n'),
    textEquivalent: step.action,
    priority,
    code: [{ text: CATEGORY_WORDS[step.category] }],
    documentation: stepDocumentation(step, entries.early),
    condition: stepConditions(step),
    relatedAction: [windowOffset(step.window, anchor.id)],
  };
}

function windowWords(window: WindowDefinition, anchorWords: string): string {
  const overdue =
    window.granularity === 'exact'
      ? `overdue from exactly ${offsetWords(window.overdueAfter)} after it`
      : `overdue from the day after ${offsetWords(window.overdueAfter)} after it`;
  return `measured from ${anchorWords}: opens ${after(window.opens)}, due ${after(window.due)}, ${overdue}.`;
}

function after(offset: WindowDefinition['opens']): string {
  const words = offsetWords(offset);
  return words === 'at once' ? 'at once' : `${words} after it`;
}

function dueWhenStopped(trigger: StepTrigger): string {
  return trigger.kind === 'therapy-course' && trigger.onStop === 'due-when-stopped'
    ? ' If the course is stopped early, the step falls due on the day it stopped.'
    : '';
}

/** The window as FHIR reads it: from the anchor, between the opening and the overdue limit. */
function windowOffset(
  window: WindowDefinition,
  anchorId: string,
): PlanDefinitionActionRelatedAction {
  const low = offsetDuration(window.opens);
  const high = offsetDuration(window.overdueAfter);
  return {
    actionId: anchorId,
    relationship: 'after-start',
    offsetRange: { ...(low ? { low } : {}), ...(high ? { high } : {}) },
  };
}

function windowExtension(window: WindowDefinition, context: Context): Extension {
  const edge = (url: string, offset: WindowDefinition['opens']): Extension => {
    const duration = offsetDuration(offset);
    return duration ? { url, valueDuration: duration } : { url, valueString: offsetWords(offset) };
  };
  return {
    url: context.urls.window,
    extension: [
      { url: 'granularity', valueCode: window.granularity },
      edge('opens', window.opens),
      edge('due', window.due),
      edge('overdueAfter', window.overdueAfter),
      { url: 'basis', valueCode: window.timing.kind },
      ...(window.timing.kind === 'service-standard'
        ? [{ url: 'explanation', valueString: window.timing.explanation }]
        : []),
    ],
  };
}

function urgencyExtension(value: string, context: Context): Extension {
  return { url: context.urls.urgency, valueCode: value };
}

function stepConditions(step: StepDefinition): PlanDefinitionActionCondition[] {
  const conditions: PlanDefinitionActionCondition[] = [];
  if (step.branch === 'conservative') {
    conditions.push(
      textCondition(
        'applicability',
        'No red flag is recorded: the step belongs to the routine conservative pathway, which a patient with a red flag leaves for specialist care.',
        'Rule: branch is conservative',
      ),
    );
  }
  if (step.appliesWhen) {
    conditions.push(
      textCondition(
        'applicability',
        `Applies only when ${step.appliesOnlyWhen ?? describeCondition(step.appliesWhen)}.`,
        `Rule: ${describeCondition(step.appliesWhen)}`,
      ),
    );
  }
  const trigger = step.trigger;
  switch (trigger.kind) {
    case 'first-event':
    case 'each-event': {
      const which = trigger.kind === 'each-event' ? 'each' : 'the first';
      const rule = `${which} ${trigger.event}${trigger.where ? ` with ${describeCondition(trigger.where)}` : ''}`;
      const words = step.waitingFor ? `Starts with ${step.waitingFor}` : `Starts with ${rule}`;
      conditions.push(
        textCondition(
          'start',
          `${words}${trigger.kind === 'each-event' ? ' (one instance for each such entry)' : ''}.`,
          `Rule: ${rule}`,
        ),
      );
      break;
    }
    case 'finding':
      conditions.push(
        textCondition(
          'start',
          `Starts when the red flag is recorded: ${FACTS[trigger.finding].label}.`,
          `Rule: finding ${trigger.finding}`,
        ),
      );
      break;
    case 'therapy-course':
    case 'next-dose': {
      const drugs = trigger.drugs.map((d) => DRUGS[d].label).join(' or ');
      conditions.push(
        textCondition(
          'start',
          trigger.kind === 'next-dose'
            ? `Starts with each dose of ${drugs} given (one instance for each course).`
            : `Starts when a course of ${drugs} is started (one instance for each course).`,
          `Rule: ${trigger.kind} of ${trigger.drugs.join(', ')}`,
        ),
      );
      if (trigger.kind === 'therapy-course' && trigger.onStop === 'cancel')
        conditions.push(
          textCondition(
            'stop',
            'The course is stopped: the step is cancelled.',
            'Rule: course stopped',
          ),
        );
      break;
    }
    case 'episode':
      break;
  }
  return conditions;
}

/**
 * Conditions are the domain's words, not an executable language. FHIR R4 binds
 * Expression.language extensibly (http://hl7.org/fhir/R4/valueset-expression-language.html), so
 * another MIME type may be used; medplum's types list only the three codes of the value set.
 */
const TEXT_PLAIN = 'text/plain' as unknown as NonNullable<Expression['language']>;

function textCondition(
  kind: PlanDefinitionActionCondition['kind'],
  expression: string,
  rule: string,
): PlanDefinitionActionCondition {
  return { kind, expression: { description: rule, language: TEXT_PLAIN, expression } };
}

function stepDocumentation(
  step: StepDefinition,
  early: ReturnType<typeof stepEntries>['early'],
): RelatedArtifact[] {
  const documentation: RelatedArtifact[] = step.sources.map((ref) => citation(ref));
  documentation.push(timingJustification(step.window.timing, 'Window'));
  if (early) {
    const display = `Early entries: ${early.says}`;
    documentation.push(
      early.source
        ? { ...citation(early.source, display), type: 'documentation' }
        : { type: 'documentation', display },
    );
  }
  if (step.earlyCompletion) {
    documentation.push(
      {
        type: 'documentation',
        display: `Early completion accepted when ${describeCondition(step.earlyCompletion.acceptedWhen)}: ${step.earlyCompletion.accepted}`,
      },
      {
        type: 'documentation',
        display: `Otherwise questioned: ${step.earlyCompletion.questioned}`,
      },
    );
  }
  for (const note of step.notes ?? [])
    documentation.push({
      type: 'documentation',
      display: `When ${describeCondition(note.when)}: ${note.text}`,
    });
  if (step.kpi)
    documentation.push({ type: 'documentation', display: `FLS audit measure: ${step.kpi}` });
  return documentation;
}

// --- Recommendations ---------------------------------------------------------------------------

function recommendationAction(rec: RecommendationDefinition): PlanDefinitionAction {
  const documentation: RelatedArtifact[] = rec.sources.map((ref) => citation(ref));
  for (const caution of rec.cautions ?? [])
    documentation.push({
      ...citation(caution.source, `Caution: ${caution.text}`),
      type: 'documentation',
    });
  if (rec.contested)
    documentation.push({
      type: 'documentation',
      display: 'Contested: the evidence or the sources are divided.',
    });
  const conflicts = rec.conflicts ?? [];
  for (const conflict of conflicts)
    documentation.push(
      citation(
        conflict.source,
        `Sources disagree. ${SOURCE_DOCUMENTS[conflict.source.document].short}: ${conflict.position}`,
      ),
    );
  return {
    id: rec.id,
    title: rec.title,
    description: rec.text,
    // FHIR's request priority has no "high" below "urgent": only the words that match exactly.
    ...(rec.priority === 'high' ? {} : { priority: rec.priority }),
    code: [{ text: CATEGORY_WORDS[rec.category] }],
    documentation,
    condition: [
      textCondition('applicability', `${rec.because}.`, `Rule: ${describeCondition(rec.when)}`),
    ],
  };
}

// --- Stale entries -----------------------------------------------------------------------------

/** The version's limits on the age of recorded values, as advice to assess again. */
function stalenessGroup(definition: PathwayDefinition): PlanDefinitionAction[] {
  const limits = Object.entries(definition.staleness ?? {}) as [
    RecordedValueKind,
    StalenessLimit,
  ][];
  if (limits.length === 0) return [];
  const unlimited = limits.filter(([, limit]) => limit.days === null);
  return [
    {
      id: 'stale-entries',
      title: 'Entries too old to act on',
      description:
        'Advice read from a recorded entry states its date; an entry older than its limit (in days on the service calendar from the day it was recorded) gives a request to assess again instead of its advice.',
      documentation: unlimited.map(([kind, limit]) =>
        timingJustification(limit.basis, `No age limit for a ${RECORDED_VALUE_NAMES[kind]}`),
      ),
      action: limits
        .filter(([, limit]) => limit.days !== null)
        .map(([kind, limit]) => {
          const name = RECORDED_VALUE_NAMES[kind];
          const limitText = describeLimitDays(limit);
          return {
            id: `stale-${kind}`,
            title: limit.reassess,
            description: limit.action,
            code: [{ text: `Stale ${name}` }],
            documentation: [timingJustification(limit.basis, `Age limit of a ${name}`)],
            condition: [
              textCondition(
                'applicability',
                `The latest ${name} is ${limitText}.`,
                `Rule: ${name} ${limitText}`,
              ),
            ],
          };
        }),
    },
  ];
}

// --- Checks and words --------------------------------------------------------------------------

function checkUniqueActionIds(actions: readonly PlanDefinitionAction[], version: string): void {
  const seen = new Set<string>();
  const visit = (list: readonly PlanDefinitionAction[]) => {
    for (const action of list) {
      if (action.id && seen.has(action.id))
        throw new Error(`Pathway ${version}: two actions have the id "${action.id}"`);
      if (action.id) seen.add(action.id);
      visit(action.action ?? []);
    }
  };
  visit(actions);
}

function description(definition: PathwayDefinition, registry: PathwayRegistry): string {
  const { mildMax, moderateMax } = definition.painBands;
  const { acuteUntilDay, subacuteUntilDay } = definition.phases;
  const lines = [
    `${definition.title}. Pathway version \`${definition.version}\`, published ${definition.publishedOn}${registry.current === definition.version ? ' (the current version)' : ` (superseded: new episodes use ${registry.current})`}. An episode keeps the version it was enrolled under.`,
    '',
    `Sources: ${sourcesInWords(definition)}. Every step and recommendation quotes its sources; a window whose number is not written in the guidance is marked as a service standard, with the reason, and where the sources disagree every position is shown.`,
    '',
    `Pain bands (worse of rest and activity): mild NRS 0-${mildMax}, moderate ${mildMax + 1}-${moderateMax}, severe ${moderateMax + 1}-10. Phases: acute until day ${acuteUntilDay} after the fracture, subacute until day ${subacuteUntilDay}, chronic after.`,
  ];
  const prior = definition.priorTherapy;
  lines.push(
    '',
    prior
      ? `Therapy before the fracture: a fracture counts as a fracture on treatment after ${offsetWords(prior.minimumOnTreatment)} on the drug by the date of fracture. ${prior.basis.kind === 'guideline' ? `From the guidance (${prior.basis.source.section}).` : `Service standard: ${prior.basis.explanation}`}`
      : 'Therapy before the fracture: not recorded in this version.',
  );
  return lines.join('\n');
}

/** "ROS 2022 (primary); BMJ Best Practice, ... (secondary)", from the sources the version cites. */
function sourcesInWords(definition: PathwayDefinition): string {
  const cited = citedDocuments(definition);
  const docs = Object.entries(SOURCE_DOCUMENTS).filter(([id]) => cited.has(id));
  return (['primary', 'secondary'] as const)
    .map((weight) => {
      const names = docs.filter(([, doc]) => doc.weight === weight).map(([, doc]) => doc.short);
      return names.length > 0 ? `${names.join(', ')} (${weight})` : '';
    })
    .filter(Boolean)
    .join('; ');
}

function narrative(definition: PathwayDefinition, registry: PathwayRegistry): string {
  const status = registry.current === definition.version ? 'active' : 'retired';
  const items = definition.steps
    .map((step) => `<li>${escapeXml(step.title)} (<code>${escapeXml(step.id)}</code>)</li>`)
    .join('');
  return `<div xmlns="http://www.w3.org/1999/xhtml"><p><b>${escapeXml(definition.title)}</b></p><p>Version ${escapeXml(definition.version)}, published ${escapeXml(definition.publishedOn)}, ${status}. ${definition.steps.length} steps and ${definition.recommendations.length} recommendations.</p><ul>${items}</ul></div>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
