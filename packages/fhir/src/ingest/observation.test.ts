import { describe, expect, it } from 'vitest';
import type { FhirIssue } from '../operation-outcome.js';
import { EXAMPLE_OBSERVATION_SYSTEM, examplePainObservation } from './examples.js';
import { idFromIdentifier } from './ids.js';
import { MAX_OBSERVATION_BYTES, parsePainObservation } from './observation.js';
import { EPISODE_OF_CARE_EXTENSION, PAIN_ASSESSMENT_COMPONENT_SYSTEM } from './systems.js';

// biome-ignore lint/suspicious/noExplicitAny: tests edit the example as plain JSON
type Json = any;
const observation = (options = {}): Json =>
  examplePainObservation({ patientId: 'pat-1', episodeId: 'ep-1', ...options });

function refused(body: unknown, status: number, ifNoneExist?: string): FhirIssue[] {
  const result = parsePainObservation(body, { ifNoneExist });
  if (result.ok) throw new Error('expected a refusal');
  expect(result.status).toBe(status);
  return [...result.issues];
}
const expressions = (issues: FhirIssue[]) => issues.flatMap((issue) => issue.expression ?? []);

describe('parsePainObservation', () => {
  it('reads a pain assessment into the event, its id derived from the identifier', () => {
    const result = parsePainObservation(observation(), {
      ifNoneExist: `identifier=${EXAMPLE_OBSERVATION_SYSTEM}|PS-0001`,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const eventId = idFromIdentifier('Observation', {
      system: EXAMPLE_OBSERVATION_SYSTEM,
      value: 'PS-0001',
    });
    expect(result.value).toMatchObject({
      eventId,
      subject: { kind: 'id', patientId: 'pat-1' },
      episodeId: 'ep-1',
      conditional: true,
    });
    expect(result.value.event).toEqual({
      id: eventId,
      type: 'pain-assessment',
      occurredAt: '2026-11-16T10:00:00Z',
      nrsAtRest: 7,
      nrsOnActivity: 9,
      functionalLimitation: 'severe',
      onAnalgesia: true,
      note: 'Pain worse on standing despite regular paracetamol.',
    });
    expect(result.value.paths.expressionOf('event.nrsOnActivity')).toBe(
      'Observation.component[1].valueInteger',
    );
  });

  it('names the patient by NHS number, and leaves the episode to be found when not named', () => {
    const body = observation({ episodeId: undefined });
    body.subject = {
      identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' },
    };
    const result = parsePainObservation(body, {});
    expect(result.ok && result.value.subject).toEqual({ kind: 'nhs-number', value: '9434765919' });
    expect(result.ok && result.value.episodeId).toBeUndefined();
  });

  it('refuses another resource type', () => {
    expect(expressions(refused({ resourceType: 'Condition' }, 400))).toEqual(['resourceType']);
  });

  it(`refuses more than ${MAX_OBSERVATION_BYTES} bytes`, () => {
    const body = observation();
    body.note = [{ text: 'x'.repeat(MAX_OBSERVATION_BYTES) }];
    expect(refused(body, 413)[0]).toMatchObject({ code: 'too-costly' });
  });

  it('refuses an Observation that is not a pain assessment, or not final', () => {
    const body = observation();
    body.code = { text: 'Body weight' };
    body.status = 'preliminary';
    expect(expressions(refused(body, 400))).toEqual(['Observation.status', 'Observation.code']);
  });

  it('names each missing required component, the identifier and the subject', () => {
    const body = observation();
    body.component = body.component.slice(2);
    delete body.identifier;
    delete body.subject;
    const issues = refused(body, 400);
    expect(expressions(issues)).toEqual([
      'Observation.identifier',
      'Observation.subject',
      'Observation.component',
      'Observation.component',
    ]);
    expect(issues.map((issue) => issue.diagnostics).join('\n')).toMatch(
      /nrs-at-rest[\s\S]*nrs-on-activity/,
    );
  });

  it('refuses an unknown component, a repeated one, a wrong value type and an unknown coded value', () => {
    const body = observation();
    body.component.push({
      code: { coding: [{ system: PAIN_ASSESSMENT_COMPONENT_SYSTEM, code: 'nrs-at-night' }] },
      valueInteger: 3,
    });
    body.component.push(body.component[0]);
    body.component[1].valueInteger = '9';
    body.component[2].valueCodeableConcept = { text: 'awful' };
    expect(expressions(refused(body, 400))).toEqual([
      'Observation.component[1].valueInteger',
      'Observation.component[2].valueCodeableConcept',
      'Observation.component[4].code',
      'Observation.component[5]',
    ]);
  });

  it('refuses an episode reference that is not an EpisodeOfCare, and Observation.encounter', () => {
    const body = observation();
    body.extension = [
      { url: EPISODE_OF_CARE_EXTENSION, valueReference: { reference: 'Encounter/9' } },
    ];
    body.encounter = { reference: 'Encounter/9' };
    expect(expressions(refused(body, 400))).toEqual([
      'Observation.extension[0].valueReference.reference',
      'Observation.encounter',
    ]);
  });

  it('refuses an If-None-Exist that is not the Observation’s identifier', () => {
    const issues = refused(observation(), 400, `identifier=${EXAMPLE_OBSERVATION_SYSTEM}|PS-0002`);
    expect(issues).toEqual([expect.objectContaining({ expression: ['If-None-Exist'] })]);
  });

  it('refuses an effective period (the assessment is an instant)', () => {
    const body = observation();
    delete body.effectiveDateTime;
    body.effectivePeriod = { start: '2026-11-16T10:00:00Z' };
    expect(expressions(refused(body, 400))).toEqual([
      'Observation.effectivePeriod',
      'Observation.effectiveDateTime',
    ]);
  });
});

describe('parsePainObservation: values in words', () => {
  it('reads a coded value written in words, as the read side writes it', () => {
    const body = examplePainObservation({ patientId: 'p1' }) as Json;
    body.component[2].valueCodeableConcept = { text: 'Severe' };
    body.component.push({
      code: { coding: [{ system: PAIN_ASSESSMENT_COMPONENT_SYSTEM, code: 'mobility' }] },
      valueCodeableConcept: { text: 'With help' },
    });
    const result = parsePainObservation(body, {});
    expect(result.ok && result.value.event).toMatchObject({
      functionalLimitation: 'severe',
      mobility: 'with-help',
    });
  });
});
