import { CURRENT_PATHWAY_VERSION, nhsNumberProblem } from '@vfx/domain';
import { describe, expect, it } from 'vitest';
import type { FhirIssue } from '../operation-outcome.js';
import { EXAMPLE_ALERT_SYSTEM, exampleEnrolmentBundle } from './examples.js';
import { idFromIdentifier } from './ids.js';
import { ACT_CODE_SYSTEM, CONDITION_EXTENSIONS, USER_SYSTEM } from './systems.js';
import {
  MAX_TRANSACTION_BYTES,
  MAX_TRANSACTION_ENTRIES,
  parseEnrolmentTransaction,
} from './transaction.js';

const now = new Date('2026-11-16T12:00:00Z');
const parse = (body: unknown) => parseEnrolmentTransaction(body, { now });
// biome-ignore lint/suspicious/noExplicitAny: tests edit the example as plain JSON
type Json = any;
const bundle = (options = {}): Json => exampleEnrolmentBundle(options);

function refused(body: unknown, status: number): FhirIssue[] {
  const result = parse(body);
  if (result.ok) throw new Error('expected a refusal');
  expect(result.status).toBe(status);
  return [...result.issues];
}
/** The Condition's extension with this url (the example carries each once). */
const extensionOf = (body: Json, url: string): Json =>
  body.entry[1].resource.extension.find((item: Json) => item.url === url);
const expressions = (issues: FhirIssue[]) => issues.flatMap((issue) => issue.expression ?? []);

describe('parseEnrolmentTransaction: a valid Bundle', () => {
  it('reads the Patient, the Condition and no Encounter into a community enrolment', () => {
    const result = parse(bundle());
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { enrolment, entries, patient } = result.value;
    const patientId = idFromIdentifier('Patient', {
      system: 'https://fhir.nhs.uk/Id/nhs-number',
      value: '9434765919',
    });
    expect(enrolment.patient).toEqual({
      id: patientId,
      identifier: { kind: 'nhs-number', value: '9434765919' },
      dateOfBirth: '1948-03-02',
      sex: 'female',
    });
    expect(patient.identifier).toEqual({ kind: 'nhs-number', value: '9434765919' });
    expect(enrolment.demographics).toEqual({ givenName: 'Margaret Ann', familyName: 'Example' });
    expect(enrolment.episode).toEqual({
      id: idFromIdentifier('Condition', { system: EXAMPLE_ALERT_SYSTEM, value: 'VFA-2026-0412' }),
      pathwayVersion: CURRENT_PATHWAY_VERSION,
      vertebralLevels: ['T12', 'L1'],
      fractureDate: '2026-11-14',
      fractureDateEstimated: false,
      identifiedOn: '2026-11-16',
      identification: 'symptomatic-presentation',
      columnInvolvement: 'anterior-only',
      neurologicalDeficit: false,
      suspectedMalignancy: false,
      mriOedema: 'not-imaged',
      careSetting: { kind: 'community' },
    });
    expect(entries.patient).toMatchObject({ index: 0, conditional: true });
    expect(entries.condition).toMatchObject({ index: 1, conditional: true });
    expect(entries.encounter).toBeUndefined();
    // No EpisodeOfCare: no nurse named, the patient joins nobody's caseload.
    expect(entries.episodeOfCare).toBeUndefined();
    expect(enrolment.nurseId).toBeNull();
  });

  it('derives the same ids from the same identifiers, and other ids from others', () => {
    const a = parse(bundle());
    const b = parse(bundle());
    const c = parse(bundle({ alertNumber: 'VFA-2026-0413' }));
    if (!a.ok || !b.ok || !c.ok) throw new Error('expected valid bundles');
    expect(b.value.enrolment.episode.id).toBe(a.value.enrolment.episode.id);
    expect(c.value.enrolment.episode.id).not.toBe(a.value.enrolment.episode.id);
    expect(a.value.enrolment.episode.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reads an inpatient Encounter as the admission', () => {
    const result = parse(bundle({ admittedAt: '2026-11-14T18:30:00Z' }));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.value.enrolment.episode.careSetting).toEqual({
      kind: 'admitted',
      admittedAt: '2026-11-14T18:30:00Z',
    });
    expect(result.value.entries.encounter).toMatchObject({ index: 2, resourceType: 'Encounter' });
  });

  it('reads an MRN (type MR) with its issuing organisation, and gender other as indeterminate', () => {
    const body = bundle({ conditional: false });
    body.entry[0].resource.identifier = [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
        system: 'https://trust.example.nhs.uk/Id/mrn',
        value: 'RX1-0042',
        assigner: {
          identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RX1' },
        },
      },
    ];
    body.entry[0].resource.gender = 'other';
    const result = parse(body);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.value.enrolment.patient).toMatchObject({
      identifier: { kind: 'mrn', value: 'RX1-0042', issuer: 'RX1' },
      sex: 'indeterminate',
    });
  });

  it('takes the calendar date of an onset or asserted dateTime as the sender wrote it', () => {
    const body = bundle();
    body.entry[1].resource.onsetDateTime = '2026-11-14T23:30:00+00:00';
    extensionOf(body, CONDITION_EXTENSIONS.identifiedOn).valueDateTime =
      '2026-11-15T23:30:00+00:00';
    const result = parse(body);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.value.enrolment.episode.fractureDate).toBe('2026-11-14');
    expect(result.value.enrolment.episode.identifiedOn).toBe('2026-11-15');
  });

  it('enrols with the asserted date as the identified date; recordedDate is not read', () => {
    const body = bundle({ identifiedOn: '2026-11-15' });
    // When the sender made its record: neither the identified date nor checked against it.
    body.entry[1].resource.recordedDate = '2026-11-01T09:00:00Z';
    const result = parse(body);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.value.enrolment.episode.identifiedOn).toBe('2026-11-15');
  });
});

describe('parseEnrolmentTransaction: refusals, each naming its element', () => {
  // Malformed JSON never reaches the parse: the router reads the body (readFhirJson) and refuses it.
  it('a body that is not a JSON object', () => {
    expect(expressions(refused(['Bundle'], 400))).toEqual(['Bundle']);
  });

  it('a resource that is not a Bundle', () => {
    const issues = refused({ resourceType: 'Patient' }, 400);
    expect(issues[0]).toMatchObject({ code: 'invalid', expression: ['resourceType'] });
    expect(issues[0]?.diagnostics).toMatch(/must be "Bundle"/);
  });

  it('a Bundle that is not a transaction', () => {
    const issues = refused({ ...bundle(), type: 'batch' }, 400);
    expect(issues).toEqual([
      expect.objectContaining({ code: 'not-supported', expression: ['Bundle.type'] }),
    ]);
  });

  it(`more than ${MAX_TRANSACTION_ENTRIES} entries`, () => {
    const body = bundle({ admittedAt: '2026-11-14T18:30:00Z', nurseId: 'nurse-1' });
    expect(body.entry).toHaveLength(MAX_TRANSACTION_ENTRIES);
    expect(parse(body).ok).toBe(true);
    body.entry.push(body.entry[0]);
    const issues = refused(body, 413);
    expect(issues[0]).toMatchObject({ code: 'too-costly', expression: ['Bundle.entry'] });
  });

  it(`more than ${MAX_TRANSACTION_BYTES} bytes`, () => {
    const body = bundle();
    body.entry[1].resource.note = [{ text: 'x'.repeat(MAX_TRANSACTION_BYTES) }];
    const issues = refused(body, 413);
    expect(issues[0]).toMatchObject({ code: 'too-costly', expression: ['Bundle'] });
  });

  it('an unsupported resource type in an entry', () => {
    const body = bundle();
    body.entry.push({
      resource: { resourceType: 'MedicationStatement' },
      request: { method: 'POST', url: 'MedicationStatement' },
    });
    const issues = refused(body, 400);
    expect(expressions(issues)).toEqual(['Bundle.entry[2].resource.resourceType']);
  });

  it('an unsupported method (PUT) and a url that is not the resource type', () => {
    const body = bundle();
    body.entry[0].request.method = 'PUT';
    body.entry[1].request.url = 'Condition/123';
    const issues = refused(body, 400);
    expect(expressions(issues)).toEqual([
      'Bundle.entry[0].request.method',
      'Bundle.entry[1].request.url',
    ]);
  });

  it('a Bundle without a Condition', () => {
    const body = bundle();
    body.entry.splice(1, 1);
    const issues = refused(body, 400);
    expect(issues).toEqual([
      expect.objectContaining({ code: 'required', expression: ['Bundle.entry'] }),
    ]);
  });

  it("an NHS number with a bad check digit, with the domain's own message", () => {
    const issues = refused(bundle({ nhsNumber: '9434765918' }), 422);
    const message = nhsNumberProblem('9434765918')?.message as string;
    expect(issues).toEqual([
      {
        code: 'invalid',
        diagnostics: `Bundle.entry[0].resource.identifier[0].value ${message}`,
        expression: ['Bundle.entry[0].resource.identifier[0].value'],
      },
    ]);
  });

  it('missing birthDate, gender, name and identifier', () => {
    const body = bundle({ conditional: false });
    const patient = body.entry[0].resource;
    delete patient.birthDate;
    delete patient.gender;
    delete patient.name;
    delete patient.identifier;
    const issues = refused(body, 400);
    expect(expressions(issues).sort()).toEqual(
      [
        'Bundle.entry[0].resource.birthDate',
        'Bundle.entry[0].resource.gender',
        'Bundle.entry[0].resource.identifier',
        'Bundle.entry[0].resource.name',
      ].sort(),
    );
    expect(issues.every((issue) => issue.code === 'required')).toBe(true);
  });

  it('a gender FHIR does not define', () => {
    const body = bundle();
    body.entry[0].resource.gender = 'F';
    expect(refused(body, 400)).toEqual([
      expect.objectContaining({
        code: 'code-invalid',
        expression: ['Bundle.entry[0].resource.gender'],
      }),
    ]);
  });

  it('a partial birthDate, refused by the domain on birthDate', () => {
    const body = bundle();
    body.entry[0].resource.birthDate = '1948-03';
    const issues = refused(body, 422);
    expect(expressions(issues)).toEqual(['Bundle.entry[0].resource.birthDate']);
    expect(issues[0]?.diagnostics).toMatch(/calendar date/);
  });

  it('missing vertebral levels, onset, asserted date and the clinical extensions', () => {
    const body = bundle();
    const condition = body.entry[1].resource;
    delete condition.bodySite;
    delete condition.onsetDateTime;
    condition.extension = [];
    const c = 'Bundle.entry[1].resource';
    const ext = (url: string) => `${c}.extension('${url}')`;
    expect(expressions(refused(body, 400)).sort()).toEqual(
      [
        `${c}.bodySite`,
        `${c}.onsetDateTime`,
        ext(CONDITION_EXTENSIONS.identifiedOn),
        ext(CONDITION_EXTENSIONS.identification),
        ext(CONDITION_EXTENSIONS.columnInvolvement),
        ext(CONDITION_EXTENSIONS.neurologicalDeficit),
        ext(CONDITION_EXTENSIONS.suspectedMalignancy),
        ext(CONDITION_EXTENSIONS.mriOedema),
      ].sort(),
    );
  });

  it('a vertebral level the domain does not know, on its bodySite', () => {
    const body = bundle();
    body.entry[1].resource.bodySite[1] = { text: 'T13' };
    const issues = refused(body, 422);
    expect(expressions(issues)).toEqual(['Bundle.entry[1].resource.bodySite[1]']);
    expect(issues[0]?.diagnostics).toMatch(/T1 to L5/);
  });

  it('a Condition without the asserted date, even with a recordedDate: refused on the extension', () => {
    const body = bundle();
    const condition = body.entry[1].resource;
    condition.extension = condition.extension.filter(
      (item: Json) => item.url !== CONDITION_EXTENSIONS.identifiedOn,
    );
    condition.recordedDate = '2026-11-16';
    expect(refused(body, 400)).toEqual([
      expect.objectContaining({
        code: 'required',
        expression: [`Bundle.entry[1].resource.extension('${CONDITION_EXTENSIONS.identifiedOn}')`],
      }),
    ]);
  });

  it('a code the domain does not know in an extension, on its value', () => {
    const body = bundle();
    const index = body.entry[1].resource.extension.findIndex(
      (item: Json) => item.url === CONDITION_EXTENSIONS.columnInvolvement,
    );
    body.entry[1].resource.extension[index].valueCode = 'posterior';
    const issues = refused(body, 422);
    expect(expressions(issues)).toEqual([`Bundle.entry[1].resource.extension[${index}].valueCode`]);
    expect(issues[0]?.diagnostics).toMatch(/anterior-only, multiple/);
  });

  it('a fracture dated after today, with the domain’s date check', () => {
    const issues = refused(bundle({ fractureDate: '2026-12-01', identifiedOn: '2026-12-01' }), 422);
    expect(expressions(issues)).toContain('Bundle.entry[1].resource.onsetDateTime');
  });

  it('mixed valid and invalid entries: every problem, on each entry', () => {
    const body = bundle({ nhsNumber: '9434765918', admittedAt: '2026-11-14' });
    delete body.entry[1].resource.onsetDateTime;
    const issues = refused(body, 400);
    expect(expressions(issues).sort()).toEqual(
      [
        'Bundle.entry[0].resource.identifier[0].value',
        'Bundle.entry[1].resource.onsetDateTime',
        'Bundle.entry[2].resource.period.start',
      ].sort(),
    );
  });

  it('a Condition whose subject is not the Patient entry', () => {
    const body = bundle();
    body.entry[1].resource.subject = { reference: 'Patient/somebody-else' };
    expect(expressions(refused(body, 400))).toEqual(['Bundle.entry[1].resource.subject.reference']);
  });

  it('a Patient without a fullUrl that the Condition could refer to', () => {
    const body = bundle();
    delete body.entry[0].fullUrl;
    expect(expressions(refused(body, 400))).toEqual(['Bundle.entry[0].fullUrl']);
  });

  it('a Condition without an identifier (the episode would have no stable identity)', () => {
    const body = bundle({ conditional: false });
    delete body.entry[1].resource.identifier;
    expect(refused(body, 400)).toEqual([
      expect.objectContaining({
        code: 'required',
        expression: ['Bundle.entry[1].resource.identifier'],
      }),
    ]);
  });

  it('an ifNoneExist that searches something other than the identifier', () => {
    const body = bundle();
    body.entry[0].request.ifNoneExist = 'birthdate=1948-03-02';
    body.entry[1].request.ifNoneExist = `identifier=${EXAMPLE_ALERT_SYSTEM}|VFA-0000`;
    const issues = refused(body, 400);
    expect(issues.map((issue) => [issue.code, issue.expression?.[0]])).toEqual([
      ['not-supported', 'Bundle.entry[0].request.ifNoneExist'],
      ['invalid', 'Bundle.entry[1].request.ifNoneExist'],
    ]);
  });

  it('accepts ifNoneExist with the resource type in front ("Patient?identifier=…")', () => {
    const body = bundle();
    body.entry[0].request.ifNoneExist = `Patient?${body.entry[0].request.ifNoneExist}`;
    const result = parse(body);
    expect(result.ok && result.value.entries.patient.conditional).toBe(true);
  });

  it('an Encounter that is not an inpatient admission', () => {
    const body = bundle({ admittedAt: '2026-11-14T18:30:00Z' });
    body.entry[2].resource.class = { system: ACT_CODE_SYSTEM, code: 'EMER' };
    const issues = refused(body, 400);
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'not-supported',
        expression: ['Bundle.entry[2].resource.class'],
      }),
    ]);
  });

  it('a modifier extension the service cannot ignore', () => {
    const body = bundle();
    body.entry[1].resource.modifierExtension = [
      { url: 'https://x.example/negated', valueBoolean: true },
    ];
    expect(expressions(refused(body, 400))).toEqual(['Bundle.entry[1].resource.modifierExtension']);
  });

  it('a refuted Condition', () => {
    const body = bundle();
    body.entry[1].resource.verificationStatus = {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'refuted' },
      ],
    };
    expect(refused(body, 400)).toEqual([
      expect.objectContaining({
        code: 'business-rule',
        expression: ['Bundle.entry[1].resource.verificationStatus'],
      }),
    ]);
  });
});

describe('parseEnrolmentTransaction: the EpisodeOfCare naming the nurse', () => {
  it('accepted: the careManager identifier is the enrolment nurse, mapped back to its element', () => {
    const body = bundle({ admittedAt: '2026-11-14T18:30:00Z', nurseId: 'nurse-1' });
    const result = parse(body);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.value.enrolment.nurseId).toBe('nurse-1');
    expect(result.value.entries.episodeOfCare).toMatchObject({
      index: 3,
      resourceType: 'EpisodeOfCare',
      conditional: false,
    });
    // The write path's refusal at `nurseId` lands on the identifier's value.
    expect(result.value.paths.expressionOf('nurseId')).toBe(
      'Bundle.entry[3].resource.careManager.identifier.value',
    );
    // Status planned is accepted too, and the diagnosis may be left out.
    const planned = bundle({ nurseId: 'nurse-1' });
    planned.entry[2].resource.status = 'planned';
    delete planned.entry[2].resource.diagnosis;
    const read = parse(planned);
    expect(read.ok && read.value.enrolment.nurseId).toBe('nurse-1');
  });

  it('a wrong reference: a patient or a diagnosis that is not the Bundle’s entry', () => {
    const body = bundle({ nurseId: 'nurse-1' });
    body.entry[2].resource.patient = { reference: 'Patient/somebody-else' };
    body.entry[2].resource.diagnosis[0].condition = { reference: 'urn:uuid:another' };
    const issues = refused(body, 400);
    expect(expressions(issues)).toEqual([
      'Bundle.entry[2].resource.patient.reference',
      'Bundle.entry[2].resource.diagnosis[0].condition.reference',
    ]);
    expect(issues[1]?.diagnostics).toContain("must be the Condition's fullUrl");
  });

  it('a wrong system, a reference instead of an identifier, no careManager, a finished status', () => {
    const wrongSystem = bundle({ nurseId: 'nurse-1@fls.test' });
    wrongSystem.entry[2].resource.careManager.identifier.system = 'mailto';
    const issues = refused(wrongSystem, 400);
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'code-invalid',
        expression: ['Bundle.entry[2].resource.careManager.identifier.system'],
      }),
    ]);
    expect(issues[0]?.diagnostics).toContain(USER_SYSTEM);

    const byReference = bundle({ nurseId: 'nurse-1' });
    byReference.entry[2].resource.careManager = { reference: 'Practitioner/nurse-1' };
    expect(expressions(refused(byReference, 400))).toEqual([
      'Bundle.entry[2].resource.careManager.reference',
      'Bundle.entry[2].resource.careManager.identifier',
    ]);

    const noNurse = bundle({ nurseId: 'nurse-1' });
    delete noNurse.entry[2].resource.careManager;
    const missing = refused(noNurse, 400);
    expect(expressions(missing)).toEqual(['Bundle.entry[2].resource.careManager']);
    expect(missing[0]?.diagnostics).toContain(
      "leave the EpisodeOfCare out to enrol onto nobody's caseload",
    );

    const finished = bundle({ nurseId: 'nurse-1' });
    finished.entry[2].resource.status = 'finished';
    expect(refused(finished, 400)).toEqual([
      expect.objectContaining({
        code: 'business-rule',
        expression: ['Bundle.entry[2].resource.status'],
      }),
    ]);
  });

  it('a second EpisodeOfCare', () => {
    const body = bundle({ nurseId: 'nurse-1' });
    body.entry.push(body.entry[2]);
    expect(expressions(refused(body, 400))).toEqual(['Bundle.entry[3].resource']);
  });
});
