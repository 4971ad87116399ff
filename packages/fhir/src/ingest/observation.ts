// An Observation carrying a pain assessment, read into the write path's event input
// (recordEvent's `event`, type "pain-assessment"). The form is checked here; the values are the
// domain's to check (parseEvent needs the episode, so recordEvent does it), and its issue paths
// ("event.nrsAtRest") map back to the Observation's elements. Pure: no I/O.
import { FUNCTIONAL_LIMITATION, MOBILITY } from '@vfx/domain';
import { checkIfNoneExist } from './conditional.js';
import { type BusinessIdentifier, idFromIdentifier } from './ids.js';
import {
  bool,
  child,
  codeIn,
  extension,
  IssueList,
  isObject,
  items,
  jsonBytes,
  type Node,
  refuseModifierExtensions,
  text,
} from './json.js';
import { type ParseResult, PathMap } from './outcome.js';
import {
  CLINICAL_ENTRY_SYSTEM,
  EPISODE_OF_CARE_EXTENSION,
  NHS_NUMBER_SYSTEM,
  PAIN_ASSESSMENT_COMPONENT_SYSTEM,
  PAIN_ASSESSMENT_VALUE_SYSTEM,
} from './systems.js';

/** An Observation's size as compact JSON (UTF-8): a pain assessment is under 2 KB. */
export const MAX_OBSERVATION_BYTES = 16 * 1024;

export const PAIN_ASSESSMENT_CODE = 'pain-assessment';
const ACCEPTED_STATUSES = ['final', 'amended', 'corrected'];

/** The components of a pain assessment: code → the domain field and the value element. */
export const PAIN_ASSESSMENT_COMPONENTS = {
  'nrs-at-rest': { field: 'nrsAtRest', value: 'valueInteger', required: true },
  'nrs-on-activity': { field: 'nrsOnActivity', value: 'valueInteger', required: true },
  'functional-limitation': {
    field: 'functionalLimitation',
    value: 'valueCodeableConcept',
    required: true,
  },
  mobility: { field: 'mobility', value: 'valueCodeableConcept', required: false },
  'on-analgesia': { field: 'onAnalgesia', value: 'valueBoolean', required: false },
  'self-care-difficulty': { field: 'selfCareDifficulty', value: 'valueBoolean', required: false },
} as const;
type ComponentCode = keyof typeof PAIN_ASSESSMENT_COMPONENTS;
const CODED_VALUES: Readonly<Record<string, readonly string[]>> = {
  functionalLimitation: FUNCTIONAL_LIMITATION,
  mobility: MOBILITY,
};

/** Who the Observation is about: our patient id, or their NHS number. */
export type ObservationSubject =
  | { readonly kind: 'id'; readonly patientId: string }
  | { readonly kind: 'nhs-number'; readonly value: string };

export interface PainObservation {
  /** The event for recordEvent: id derived from Observation.identifier (ids.ts). */
  readonly event: Readonly<Record<string, unknown>>;
  readonly eventId: string;
  readonly identifier: BusinessIdentifier;
  readonly subject: ObservationSubject;
  /** The EpisodeOfCare named by the workflow-episodeOfCare extension, if any. */
  readonly episodeId: string | undefined;
  /** If-None-Exist was given (and checked). */
  readonly conditional: boolean;
  readonly paths: PathMap;
}

export function parsePainObservation(
  body: unknown,
  options: { readonly ifNoneExist?: string | null },
): ParseResult<PainObservation> {
  const issues = new IssueList();
  const fail = (status: 400 | 413) => ({ ok: false as const, status, issues: issues.issues });
  if (!isObject(body)) {
    issues.invalid('Observation', 'a FHIR resource: a JSON object');
    return fail(400);
  }
  if (body.resourceType !== 'Observation') {
    issues.add(
      'invalid',
      'resourceType',
      `resourceType must be "Observation", not ${JSON.stringify(body.resourceType)}`,
    );
    return fail(400);
  }
  const bytes = jsonBytes(body);
  if (bytes > MAX_OBSERVATION_BYTES) {
    issues.add(
      'too-costly',
      'Observation',
      `The Observation is ${bytes} bytes; at most ${MAX_OBSERVATION_BYTES} bytes are accepted`,
    );
    return fail(413);
  }
  const resource: Node = { value: body, path: 'Observation' };
  refuseModifierExtensions(resource, issues);
  const paths = new PathMap('Observation');
  const event: Record<string, unknown> = { type: PAIN_ASSESSMENT_CODE };

  let identifier: BusinessIdentifier | undefined;
  for (const node of items(child(resource, 'identifier'), issues)) {
    const system = text(child(node, 'system'), issues);
    const value = text(child(node, 'value'), issues);
    if (system && value) {
      identifier = { system, value };
      break;
    }
  }
  paths.set('event.id', 'Observation.identifier');
  if (!identifier) {
    issues.required(
      'Observation.identifier',
      'an identifier with a system and a value: the entry is keyed on it, so a repeated message finds it',
    );
  }

  const status = text(child(resource, 'status'), issues);
  if (status === undefined) issues.required('Observation.status', 'final, amended or corrected');
  else if (!ACCEPTED_STATUSES.includes(status)) {
    issues.add(
      'not-supported',
      'Observation.status',
      `Observation.status must be final, amended or corrected (got ${JSON.stringify(status)}): only a completed assessment is recorded`,
    );
  }

  const code = child(resource, 'code');
  const entryType = codeIn(code, CLINICAL_ENTRY_SYSTEM, issues);
  if (code.value === undefined) {
    issues.required('Observation.code', `${CLINICAL_ENTRY_SYSTEM}|${PAIN_ASSESSMENT_CODE}`);
  } else if (entryType !== undefined && entryType !== PAIN_ASSESSMENT_CODE) {
    issues.add(
      'not-supported',
      'Observation.code',
      `Observation.code must be ${CLINICAL_ENTRY_SYSTEM}|${PAIN_ASSESSMENT_CODE} (got "${entryType}"): pain assessments are the Observations recorded here`,
    );
  }

  for (const other of ['effectivePeriod', 'effectiveTiming', 'effectiveInstant']) {
    if (child(resource, other).value !== undefined) {
      issues.add(
        'not-supported',
        `Observation.${other}`,
        `Observation.${other} is not accepted: give effectiveDateTime`,
      );
    }
  }
  const effective = text(child(resource, 'effectiveDateTime'), issues);
  paths.set('event.occurredAt', 'Observation.effectiveDateTime');
  if (effective === undefined) {
    issues.required(
      'Observation.effectiveDateTime',
      'when the assessment was made (with a time zone)',
    );
  } else event.occurredAt = effective;

  const subject = readSubject(child(resource, 'subject'), issues);

  // The episode: the R4 core extension workflow-episodeOfCare, a reference to EpisodeOfCare/<id>.
  let episodeId: string | undefined;
  const episodeExtension = extension(resource, EPISODE_OF_CARE_EXTENSION, issues);
  if (episodeExtension) {
    const reference = child(child(episodeExtension, 'valueReference'), 'reference');
    const value = text(reference, issues);
    const match = value?.match(/^EpisodeOfCare\/([A-Za-z0-9\-.]{1,64})$/);
    if (!match) {
      issues.add(
        'invalid',
        reference.path,
        `${reference.path} must be "EpisodeOfCare/<id>" (got ${JSON.stringify(value)})`,
      );
    } else episodeId = match[1];
  }
  if (child(resource, 'encounter').value !== undefined) {
    issues.add(
      'not-supported',
      'Observation.encounter',
      `Observation.encounter is not read: name the episode with the extension ${EPISODE_OF_CARE_EXTENSION} (EpisodeOfCare/<id>)`,
    );
  }

  const notes = items(child(resource, 'note'), issues)
    .map((node) => text(child(node, 'text'), issues))
    .filter((note): note is string => note !== undefined);
  paths.set('event.note', 'Observation.note');
  if (notes.length > 0) event.note = notes.join('\n\n');

  const seen = new Set<string>();
  for (const component of items(child(resource, 'component'), issues)) {
    const given = codeIn(child(component, 'code'), PAIN_ASSESSMENT_COMPONENT_SYSTEM, issues);
    if (given === undefined) {
      if (child(component, 'code').value === undefined)
        issues.required(`${component.path}.code`, 'what the component is');
      continue;
    }
    const known = PAIN_ASSESSMENT_COMPONENTS[given as ComponentCode];
    if (!known) {
      issues.add(
        'not-supported',
        `${component.path}.code`,
        `${component.path}.code "${given}" is not a pain assessment component (known: ${Object.keys(PAIN_ASSESSMENT_COMPONENTS).join(', ')})`,
      );
      continue;
    }
    if (seen.has(given)) {
      issues.add('invalid', component.path, `${component.path} repeats the component "${given}"`);
      continue;
    }
    seen.add(given);
    const value = child(component, known.value);
    paths.set(`event.${known.field}`, value.path);
    if (value.value === undefined) {
      issues.required(value.path, `the ${given} value (${known.value})`);
      continue;
    }
    if (known.value === 'valueInteger') {
      if (typeof value.value !== 'number') issues.invalid(value.path, 'an integer');
      else event[known.field] = value.value;
    } else if (known.value === 'valueBoolean') {
      const flag = bool(value, issues);
      if (flag !== undefined) event[known.field] = flag;
    } else {
      // A value in words, as the read side writes it ("With help"), is the code it names.
      const coded = codeIn(value, PAIN_ASSESSMENT_VALUE_SYSTEM, issues)
        ?.toLowerCase()
        .replace(/\s+/g, '-');
      const allowed = CODED_VALUES[known.field] ?? [];
      if (coded !== undefined && !allowed.includes(coded)) {
        issues.add(
          'code-invalid',
          value.path,
          `${value.path} must be one of ${allowed.join(', ')} (got "${coded}")`,
        );
      } else if (coded !== undefined) event[known.field] = coded;
    }
  }
  for (const [code, { required, field }] of Object.entries(PAIN_ASSESSMENT_COMPONENTS)) {
    if (required && !seen.has(code)) {
      paths.set(`event.${field}`, 'Observation.component');
      issues.required(
        'Observation.component',
        `a component with code ${PAIN_ASSESSMENT_COMPONENT_SYSTEM}|${code}`,
      );
    }
  }

  let conditional = false;
  if (options.ifNoneExist != null) {
    conditional = checkIfNoneExist(
      options.ifNoneExist,
      'Observation',
      identifier,
      'If-None-Exist',
      issues,
    );
  }

  if (issues.issues.length > 0 || !identifier || !subject) return fail(400);
  const eventId = idFromIdentifier('Observation', identifier);
  return {
    ok: true,
    value: {
      event: { id: eventId, ...event },
      eventId,
      identifier,
      subject,
      episodeId,
      conditional,
      paths,
    },
  };
}

function readSubject(subject: Node, issues: IssueList): ObservationSubject | undefined {
  if (!isObject(subject.value)) {
    issues.required(
      'Observation.subject',
      'the patient: "Patient/<id>" or their NHS number as subject.identifier',
    );
    return undefined;
  }
  const reference = text(child(subject, 'reference'), issues);
  if (reference !== undefined) {
    const match = reference.match(/^Patient\/([A-Za-z0-9\-.]{1,64})$/);
    if (match) return { kind: 'id', patientId: match[1] as string };
    issues.add(
      'invalid',
      'Observation.subject.reference',
      `Observation.subject.reference must be "Patient/<id>" (got ${JSON.stringify(reference)})`,
    );
    return undefined;
  }
  const identifier = child(subject, 'identifier');
  const system = text(child(identifier, 'system'), issues);
  const value = text(child(identifier, 'value'), issues);
  if (system === NHS_NUMBER_SYSTEM && value !== undefined) return { kind: 'nhs-number', value };
  issues.add(
    'invalid',
    'Observation.subject',
    `Observation.subject must be a reference "Patient/<id>" or an identifier with system "${NHS_NUMBER_SYSTEM}"`,
  );
  return undefined;
}
