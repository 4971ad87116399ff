import { describe, expect, it } from 'vitest';
import { CURRENT_PATHWAY_VERSION } from '../pathway/registry.js';
import { ServiceSettingsSchema } from '../time/settings.js';
import { type InputIssue, PathwayInputError } from './errors.js';
import { type ClinicalEvent, ClinicalEventSchema } from './schemas.js';
import { parseEpisode, parseEpisodeRecord, parseEvent, parsePatient } from './validate.js';

// A community patient with a T12 fracture on Monday 6 January 2025, enrolled that afternoon, and
// validated on 1 March 2025 (winter: London local time is UTC).
const NOW = '2025-03-01T12:00:00Z';
const context = { now: NOW };

type Raw = Record<string, unknown>;

function patientInput(overrides: Raw = {}): Raw {
  return {
    id: 'pat1',
    identifier: { kind: 'nhs-number', value: '943 476 5919' },
    dateOfBirth: '1950-05-17',
    sex: 'female',
    ...overrides,
  };
}

function episodeInput(overrides: Raw = {}): Raw {
  return {
    id: 'ep1',
    patientId: 'pat1',
    pathwayVersion: CURRENT_PATHWAY_VERSION,
    vertebralLevels: ['T12'],
    fractureDate: '2025-01-06',
    identifiedOn: '2025-01-06',
    identification: 'symptomatic-presentation',
    careSetting: { kind: 'community' },
    columnInvolvement: 'anterior-only',
    neurologicalDeficit: false,
    suspectedMalignancy: false,
    mriOedema: 'not-imaged',
    enrolledAt: '2025-01-06T14:00:00Z',
    ...overrides,
  };
}

const patient = parsePatient(patientInput(), context);
const episode = parseEpisode(episodeInput(), { ...context, patient });

/** A raw event: recorded when it occurred, by nurse-1, unless the body says otherwise. */
function ev(id: string, occurredAt: string, body: Raw): Raw {
  return { id, occurredAt, recordedAt: occurredAt, recordedBy: 'nurse-1', ...body };
}
const pain = (overrides: Raw = {}): Raw => ({
  type: 'pain-assessment',
  nrsAtRest: 5,
  nrsOnActivity: 7,
  functionalLimitation: 'moderate',
  ...overrides,
});
const started = (drug = 'denosumab'): Raw => ({ type: 'bone-therapy-started', drug });
const dose = (drug = 'denosumab'): Raw => ({ type: 'bone-therapy-dose', drug });
const stopped = (drug = 'denosumab'): Raw => ({
  type: 'bone-therapy-stopped',
  drug,
  reason: 'Patient chose to stop',
});
const retraction = (supersedes: string, note = 'entered on the wrong patient'): Raw => ({
  type: 'retraction',
  supersedes,
  note,
});

function history(...raw: Raw[]): ClinicalEvent[] {
  return raw.map((event) => ClinicalEventSchema.parse(event));
}

function eventContext(...raw: Raw[]) {
  return { ...context, episode, history: history(...raw) };
}

/** Runs `attempt`, which must throw a PathwayInputError, and returns it. */
function rejection(attempt: () => unknown): PathwayInputError {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(PathwayInputError);
    return error as PathwayInputError;
  }
  throw new Error('expected a PathwayInputError, but the input was accepted');
}

function issuesOf(attempt: () => unknown): readonly InputIssue[] {
  return rejection(attempt).issues;
}

describe('the validation context', () => {
  it('rejects a "now" that is not a date-time', () => {
    expect(issuesOf(() => parsePatient(patientInput(), { now: 'today' }))).toEqual([
      {
        path: 'now',
        message:
          'must be epoch milliseconds or a date and time with a time zone, e.g. 2025-03-14T09:30:00Z',
      },
    ]);
  });

  it('accepts "now" as epoch milliseconds', () => {
    expect(parsePatient(patientInput(), { now: Date.parse(NOW) }).id).toBe('pat1');
  });

  it('refuses a "now" without a time zone, which would be read in the server\'s own zone', () => {
    expect(issuesOf(() => parsePatient(patientInput(), { now: '2025-03-01T12:00:00' }))).toEqual([
      {
        path: 'now',
        message:
          'must be epoch milliseconds or a date and time with a time zone, e.g. 2025-03-14T09:30:00Z',
      },
    ]);
  });

  it('carries a machine-readable code and a name on the error', () => {
    const error = rejection(() => parsePatient(patientInput(), { now: 'today' }));
    expect(error.code).toBe('INVALID_PATHWAY_INPUT');
    expect(error.name).toBe('PathwayInputError');
    expect(error.message).toBe(
      'Invalid input: now must be epoch milliseconds or a date and time with a time zone, e.g. 2025-03-14T09:30:00Z',
    );
  });
});

describe('parsePatient', () => {
  it('normalises an NHS number typed with spaces to its 10 digits', () => {
    expect(parsePatient(patientInput(), context).identifier).toEqual({
      kind: 'nhs-number',
      value: '9434765919',
    });
  });

  it('rejects an NHS number with a wrong check digit, naming the right one', () => {
    const identifier = { kind: 'nhs-number', value: '943 476 5918' };
    expect(issuesOf(() => parsePatient(patientInput({ identifier }), context))).toEqual([
      {
        path: 'patient.identifier.value',
        message:
          'fails the Modulus 11 check (check digit should be 9, not 8); check for a typing error',
      },
    ]);
  });

  it('rejects an NHS number that is not 10 digits', () => {
    const identifier = { kind: 'nhs-number', value: '943476591' };
    expect(issuesOf(() => parsePatient(patientInput({ identifier }), context))).toEqual([
      { path: 'patient.identifier.value', message: 'an NHS number has exactly 10 digits' },
    ]);
  });

  it('accepts a medical record number with an issuer, trimming spaces', () => {
    const identifier = { kind: 'mrn', value: ' RX1/0042-A ', issuer: 'RX1' };
    expect(parsePatient(patientInput({ identifier }), context).identifier).toEqual({
      kind: 'mrn',
      value: 'RX1/0042-A',
      issuer: 'RX1',
    });
  });

  it.each([
    ['starting with "/"', '/0042'],
    ['longer than 20 characters', 'A'.repeat(21)],
    ['with a space inside', 'AB 123'],
    ['empty', ''],
  ])('rejects a medical record number %s', (_label, value) => {
    const identifier = { kind: 'mrn', value };
    expect(issuesOf(() => parsePatient(patientInput({ identifier }), context))).toEqual([
      {
        path: 'patient.identifier.value',
        message: 'must be 1 to 20 letters, digits, "-" or "/", starting with a letter or digit',
      },
    ]);
  });

  it('rejects an identifier of an unknown kind, saying which kinds exist', () => {
    const identifier = { kind: 'chi', value: '0101501234' };
    expect(issuesOf(() => parsePatient(patientInput({ identifier }), context))).toEqual([
      {
        path: 'patient.identifier.kind',
        message: 'must be { kind: "nhs-number", value } or { kind: "mrn", value }',
      },
    ]);
  });

  it('names an unknown field, so a typo is visible, and reports the field it replaced', () => {
    const input = patientInput({ dateOfBrith: '1950-05-17' });
    delete input.dateOfBirth;
    const issues = issuesOf(() => parsePatient(input, context));
    expect(issues).toHaveLength(2);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'patient', message: 'has unknown field "dateOfBrith"' },
        { path: 'patient.dateOfBirth', message: 'is required' },
      ]),
    );
  });

  it('names every unknown field of an object in one issue', () => {
    const issues = issuesOf(() => parsePatient(patientInput({ nhs: 1, gender: 'f' }), context));
    expect(issues).toEqual([{ path: 'patient', message: 'has unknown fields "nhs", "gender"' }]);
  });

  it('says a missing field is required', () => {
    const input = patientInput();
    delete input.dateOfBirth;
    expect(issuesOf(() => parsePatient(input, context))).toEqual([
      { path: 'patient.dateOfBirth', message: 'is required' },
    ]);
  });

  it('says a missing choice field is required, rather than listing the choices', () => {
    const { sex: _omitted, ...withoutSex } = patientInput();
    expect(issuesOf(() => parsePatient(withoutSex, context))).toEqual([
      { path: 'patient.sex', message: 'is required' },
    ]);
  });

  it('says a missing patient is required', () => {
    expect(issuesOf(() => parsePatient(undefined, context))).toEqual([
      { path: 'patient', message: 'is required' },
    ]);
  });

  it('lists the allowed values for sex', () => {
    expect(issuesOf(() => parsePatient(patientInput({ sex: 'F' }), context))).toEqual([
      { path: 'patient.sex', message: 'must be one of: female, male, indeterminate, not-known' },
    ]);
  });

  it('rejects a date of birth that is not a real calendar date', () => {
    expect(
      issuesOf(() => parsePatient(patientInput({ dateOfBirth: '1950-02-30' }), context)),
    ).toEqual([
      {
        path: 'patient.dateOfBirth',
        message: 'must be a calendar date written YYYY-MM-DD, e.g. 2025-03-14',
      },
    ]);
  });

  it('reports a future date of birth together with the other fields’ problems', () => {
    expect(
      issuesOf(() =>
        parsePatient(patientInput({ dateOfBirth: '2025-03-02', sex: undefined }), context),
      ),
    ).toEqual([
      { path: 'patient.sex', message: 'is required' },
      { path: 'patient.dateOfBirth', message: 'is in the future (2025-03-02)' },
    ]);
  });

  it('rejects a date of birth after today, but accepts one born today', () => {
    expect(
      issuesOf(() => parsePatient(patientInput({ dateOfBirth: '2025-03-02' }), context)),
    ).toEqual([{ path: 'patient.dateOfBirth', message: 'is in the future (2025-03-02)' }]);
    expect(parsePatient(patientInput({ dateOfBirth: '2025-03-01' }), context).dateOfBirth).toBe(
      '2025-03-01',
    );
  });
});

describe('parseEpisode', () => {
  const episodeIssues = (overrides: Raw, ctx: { now: string | number } = context) =>
    issuesOf(() => parseEpisode(episodeInput(overrides), { ...ctx, patient }));

  it('accepts a valid episode and fills the defaults', () => {
    const parsed = parseEpisode(episodeInput(), { ...context, patient });
    expect(parsed.fractureDateEstimated).toBe(false);
    expect(parsed.vertebralLevels).toEqual(['T12']);
  });

  describe('vertebral levels', () => {
    it('rejects a cervical level, quoting it', () => {
      expect(episodeIssues({ vertebralLevels: ['C7'] })).toEqual([
        {
          path: 'episode.vertebralLevels[0]',
          message: 'must be a vertebral level from T1 to L5 (got "C7")',
        },
      ]);
    });

    it('points at the bad entry in a longer list', () => {
      expect(episodeIssues({ vertebralLevels: ['T12', 'L6'] })).toEqual([
        {
          path: 'episode.vertebralLevels[1]',
          message: 'must be a vertebral level from T1 to L5 (got "L6")',
        },
      ]);
    });

    it('rejects an empty list', () => {
      expect(episodeIssues({ vertebralLevels: [] })).toEqual([
        {
          path: 'episode.vertebralLevels',
          message: 'must name at least one fractured vertebral level (T1 to L5)',
        },
      ]);
    });

    it('rejects a level listed twice', () => {
      expect(episodeIssues({ vertebralLevels: ['T12', 'L1', 'T12'] })).toEqual([
        {
          path: 'episode.vertebralLevels',
          message: 'lists the same vertebral level more than once',
        },
      ]);
    });

    it('accepts several different levels', () => {
      const parsed = parseEpisode(episodeInput({ vertebralLevels: ['T11', 'T12', 'L1'] }), {
        ...context,
        patient,
      });
      expect(parsed.vertebralLevels).toEqual(['T11', 'T12', 'L1']);
    });
  });

  describe('fields', () => {
    it('names an unknown field (a typo) and reports the required field it replaced', () => {
      const input = episodeInput({ fractureDte: '2025-01-06' });
      delete input.fractureDate;
      const issues = issuesOf(() => parseEpisode(input, { ...context, patient }));
      expect(issues).toHaveLength(2);
      expect(issues).toEqual(
        expect.arrayContaining([
          { path: 'episode', message: 'has unknown field "fractureDte"' },
          { path: 'episode.fractureDate', message: 'is required' },
        ]),
      );
    });

    it('names an unknown field inside the care setting', () => {
      const careSetting = { kind: 'community', admittedAt: '2025-01-06T10:00:00Z' };
      expect(episodeIssues({ careSetting })).toEqual([
        { path: 'episode.careSetting', message: 'has unknown field "admittedAt"' },
      ]);
    });

    it('says a missing field is required', () => {
      const input = episodeInput();
      delete input.identifiedOn;
      expect(issuesOf(() => parseEpisode(input, { ...context, patient }))).toEqual([
        { path: 'episode.identifiedOn', message: 'is required' },
      ]);
    });

    it('requires the admission time of an admitted patient', () => {
      expect(episodeIssues({ careSetting: { kind: 'admitted' } })).toEqual([
        { path: 'episode.careSetting.admittedAt', message: 'is required' },
      ]);
    });
  });

  describe('dates against today', () => {
    it('reports a future fracture date together with the other fields’ problems', () => {
      expect(
        episodeIssues({
          fractureDate: '2025-03-02',
          identifiedOn: '2025-03-02',
          mriOedema: undefined,
        }).map((issue) => issue.path),
      ).toEqual([
        'episode.mriOedema',
        'episode.fractureDate',
        'episode.identifiedOn',
        'episode.enrolledAt',
      ]);
    });

    it('rejects a fracture date after today', () => {
      expect(episodeIssues({ fractureDate: '2025-03-02', identifiedOn: '2025-03-02' })).toEqual(
        expect.arrayContaining([
          {
            path: 'episode.fractureDate',
            message: 'is in the future (2025-03-02; today is 2025-03-01)',
          },
          {
            path: 'episode.identifiedOn',
            message: 'is in the future (2025-03-02; today is 2025-03-01)',
          },
        ]),
      );
    });

    it('takes "today" in the service time zone: 23:30 UTC on 30 June is 1 July in London', () => {
      const input = episodeInput({
        fractureDate: '2025-07-01',
        identifiedOn: '2025-07-01',
        enrolledAt: '2025-06-30T23:15:00Z',
      });
      const parsed = parseEpisode(input, { now: '2025-06-30T23:30:00Z', patient });
      expect(parsed.fractureDate).toBe('2025-07-01');
    });

    it('takes "today" from the settings passed in', () => {
      // 12:00 UTC on 1 March is 01:00 on 2 March in Auckland (NZDT, UTC+13).
      const input = episodeInput({
        fractureDate: '2025-03-02',
        identifiedOn: '2025-03-02',
        enrolledAt: '2025-03-01T11:30:00Z',
      });
      const auckland = ServiceSettingsSchema.parse({ timeZone: 'Pacific/Auckland' });
      expect(parseEpisode(input, { ...context, settings: auckland, patient }).fractureDate).toBe(
        '2025-03-02',
      );
      expect(
        issuesOf(() => parseEpisode(input, { ...context, patient })).map((i) => i.path),
      ).toContain('episode.fractureDate');
    });

    it('rejects an enrolment time after now', () => {
      expect(episodeIssues({ enrolledAt: '2025-03-01T12:00:01Z' })).toEqual([
        { path: 'episode.enrolledAt', message: 'is in the future' },
      ]);
    });

    it('rejects an admission time after now', () => {
      const careSetting = { kind: 'admitted', admittedAt: '2025-03-01T12:00:01Z' };
      expect(episodeIssues({ careSetting })).toEqual([
        { path: 'episode.careSetting.admittedAt', message: 'is in the future' },
      ]);
    });
  });

  describe('dates against each other', () => {
    it('rejects identification before the fracture', () => {
      expect(episodeIssues({ identifiedOn: '2025-01-05' })).toEqual([
        {
          path: 'episode.identifiedOn',
          message:
            'is before the date of fracture or symptom onset (2025-01-06); the fracture cannot be identified before it happened',
        },
      ]);
    });

    it('rejects a fracture before the patient was born', () => {
      expect(episodeIssues({ fractureDate: '1950-05-16', identifiedOn: '1950-05-16' })).toEqual([
        {
          path: 'episode.fractureDate',
          message: "is before the patient's date of birth (1950-05-17)",
        },
      ]);
    });

    it('rejects an admission on a local date before the fracture', () => {
      const careSetting = { kind: 'admitted', admittedAt: '2025-01-05T23:59:59Z' };
      expect(episodeIssues({ careSetting })).toEqual([
        {
          path: 'episode.careSetting.admittedAt',
          message:
            'is before the date of fracture or symptom onset (2025-01-06); for a fracture that happened in hospital, give the time it was diagnosed',
        },
      ]);
    });

    it('accepts an admission on the fracture date, judged by the local date (BST)', () => {
      // 23:30 UTC on 30 June is 00:30 BST on 1 July, the fracture date.
      const input = episodeInput({
        fractureDate: '2025-07-01',
        identifiedOn: '2025-07-01',
        careSetting: { kind: 'admitted', admittedAt: '2025-06-30T23:30:00Z' },
        enrolledAt: '2025-07-01T10:00:00Z',
      });
      const parsed = parseEpisode(input, { now: '2025-07-02T12:00:00Z', patient });
      expect(parsed.careSetting).toEqual({ kind: 'admitted', admittedAt: '2025-06-30T23:30:00Z' });
    });

    it('rejects enrolment before the fracture was identified', () => {
      expect(
        episodeIssues({ identifiedOn: '2025-01-07', enrolledAt: '2025-01-06T23:59:59Z' }),
      ).toEqual([
        {
          path: 'episode.enrolledAt',
          message: 'is before the date the fracture was identified (2025-01-07)',
        },
      ]);
    });
  });

  describe('references', () => {
    it('rejects an unknown pathway version, listing the known ones', () => {
      expect(episodeIssues({ pathwayVersion: 'ros-2099.1' })).toEqual([
        {
          path: 'episode.pathwayVersion',
          message:
            'names an unknown pathway version "ros-2099.1" (known: ros-2022.1, ros-2022.2, ros-2022.3)',
        },
      ]);
    });

    it('rejects an episode for another patient', () => {
      expect(episodeIssues({ patientId: 'pat2' })).toEqual([
        { path: 'episode.patientId', message: 'is "pat2" but the patient is "pat1"' },
      ]);
    });
  });

  it('reports every problem at once, and lists them all in the message', () => {
    const error = rejection(() =>
      parseEpisode(
        episodeInput({
          pathwayVersion: 'ros-2099.1',
          patientId: 'pat2',
          enrolledAt: '2025-03-02T09:00:00Z',
        }),
        { ...context, patient },
      ),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      'episode.pathwayVersion',
      'episode.patientId',
      'episode.enrolledAt',
    ]);
    expect(error.message).toBe(
      'Invalid input (3 problems): ' +
        'episode.pathwayVersion names an unknown pathway version "ros-2099.1" (known: ros-2022.1, ros-2022.2, ros-2022.3); ' +
        'episode.patientId is "pat2" but the patient is "pat1"; ' +
        'episode.enrolledAt is in the future',
    );
  });
});

describe('parseEvent', () => {
  const ev1 = ev('ev1', '2025-01-10T10:00:00Z', pain());

  it('accepts a valid event and returns it parsed', () => {
    const parsed = parseEvent(ev1, eventContext());
    expect(parsed).toMatchObject({ id: 'ev1', type: 'pain-assessment', nrsAtRest: 5 });
  });

  describe('fields', () => {
    it.each([11, 3.5, -1])('rejects a pain score of %s out of 10', (nrsAtRest) => {
      const event = ev('ev1', '2025-01-10T10:00:00Z', pain({ nrsAtRest }));
      expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
        { path: 'event.nrsAtRest', message: 'must be a whole number from 0 to 10' },
      ]);
    });

    it('says a missing field is required', () => {
      const event = ev('ev1', '2025-01-10T10:00:00Z', pain());
      delete event.nrsOnActivity;
      delete event.recordedBy;
      expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
        { path: 'event.recordedBy', message: 'is required' },
        { path: 'event.nrsOnActivity', message: 'is required' },
      ]);
    });

    it('names an unknown field', () => {
      const event = ev('ev1', '2025-01-10T10:00:00Z', pain({ nrsAtRst: 4 }));
      expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
        { path: 'event', message: 'has unknown field "nrsAtRst"' },
      ]);
    });

    it('rejects an unknown type, listing the known types', () => {
      const event = ev('ev1', '2025-01-10T10:00:00Z', { type: 'pain' });
      const [issue, ...rest] = issuesOf(() => parseEvent(event, eventContext()));
      expect(rest).toEqual([]);
      expect(issue?.path).toBe('event.type');
      expect(issue?.message).toMatch(/^must have a type, one of: pain-assessment, .*retraction$/);
    });

    it('rejects a time with no time zone', () => {
      const event = ev('ev1', '2025-01-10T10:00:00', pain());
      expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
        {
          path: 'event.occurredAt',
          message:
            'must be a date and time with a time zone, e.g. 2025-03-14T09:30:00Z or 2025-03-14T09:30:00+01:00',
        },
        {
          path: 'event.recordedAt',
          message:
            'must be a date and time with a time zone, e.g. 2025-03-14T09:30:00Z or 2025-03-14T09:30:00+01:00',
        },
      ]);
    });

    it('accepts a time with a numeric offset', () => {
      const event = ev('ev1', '2025-01-10T10:00:00+01:00', pain());
      expect(parseEvent(event, eventContext()).occurredAt).toBe('2025-01-10T10:00:00+01:00');
    });

    it('requires at least one T-score in a DXA result', () => {
      const event = ev('dxa1', '2025-02-01T10:00:00Z', {
        type: 'dxa-result',
        vertebralFractureAssessment: true,
      });
      expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
        {
          path: 'event.lumbarSpineTScore',
          message:
            'must give at least one T-score (lumbarSpineTScore, totalHipTScore or femoralNeckTScore)',
        },
      ]);
    });

    it('accepts a DXA result with only a femoral neck T-score', () => {
      const event = ev('dxa1', '2025-02-01T10:00:00Z', {
        type: 'dxa-result',
        femoralNeckTScore: -2.7,
      });
      expect(parseEvent(event, eventContext())).toMatchObject({ femoralNeckTScore: -2.7 });
    });

    it('rejects a T-score outside -10 to 5', () => {
      const event = ev('dxa1', '2025-02-01T10:00:00Z', { type: 'dxa-result', totalHipTScore: -11 });
      expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
        { path: 'event.totalHipTScore', message: 'must be a number from -10 to 5 (T-score)' },
      ]);
    });

    it('requires at least one finding in clinical findings', () => {
      const event = ev('cf1', '2025-02-01T10:00:00Z', { type: 'clinical-findings' });
      expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
        {
          path: 'event.type',
          message:
            'must record at least one finding: neurologicalDeficit, suspectedMalignancy, columnInvolvement or mriOedema',
        },
      ]);
    });

    it('accepts clinical findings with a single finding, even a negative one', () => {
      const event = ev('cf1', '2025-02-01T10:00:00Z', {
        type: 'clinical-findings',
        neurologicalDeficit: false,
      });
      expect(parseEvent(event, eventContext())).toMatchObject({ neurologicalDeficit: false });
    });

    it('reports several field problems at once', () => {
      const event = ev('ev1', '2025-01-10T10:00:00Z', pain({ nrsAtRest: 11, nrsOnActivity: 3.5 }));
      const error = rejection(() => parseEvent(event, eventContext()));
      expect(error.issues).toHaveLength(2);
      expect(error.message).toBe(
        'Invalid input (2 problems): event.nrsAtRest must be a whole number from 0 to 10; ' +
          'event.nrsOnActivity must be a whole number from 0 to 10',
      );
    });
  });

  describe('times', () => {
    it('rejects an event that occurred after it was recorded', () => {
      const event = ev('ev1', '2025-01-10T10:00:00Z', pain({ recordedAt: '2025-01-10T09:59:59Z' }));
      expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
        {
          path: 'event.occurredAt',
          message:
            'must not be after the time it is recorded (2025-01-10T09:59:59.000Z): an event cannot be recorded before it happens',
        },
      ]);
    });

    it('reports a time after the recording together with problems in the other fields', () => {
      const event = ev(
        'ev1',
        '2025-01-10T10:00:00Z',
        pain({ nrsAtRest: 11, recordedAt: '2025-01-10T09:00:00Z' }),
      );
      expect(issuesOf(() => parseEvent(event, eventContext())).map((i) => i.path)).toEqual([
        'event.nrsAtRest',
        'event.occurredAt',
      ]);
    });

    it('rejects an event recorded after now', () => {
      const event = ev('ev1', '2025-03-01T11:00:00Z', pain({ recordedAt: '2025-03-01T12:00:01Z' }));
      expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
        { path: 'event.recordedAt', message: 'is in the future' },
      ]);
    });

    it('accepts an event recorded exactly now', () => {
      const event = ev('ev1', NOW, pain());
      expect(parseEvent(event, eventContext()).recordedAt).toBe(NOW);
    });

    it('rejects an event that occurred before the local fracture date', () => {
      const event = ev('ev1', '2025-01-05T23:59:59Z', pain({ recordedAt: '2025-01-07T09:00:00Z' }));
      expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
        {
          path: 'event.occurredAt',
          message: 'is before the date of fracture or symptom onset (2025-01-06)',
        },
      ]);
    });

    it('accepts an event early on the fracture date, before enrolment, recorded after enrolment', () => {
      const event = ev('ev1', '2025-01-06T00:00:00Z', pain({ recordedAt: '2025-01-06T15:00:00Z' }));
      expect(parseEvent(event, eventContext()).id).toBe('ev1');
    });

    it('rejects an event recorded before the episode was enrolled', () => {
      const event = ev('ev1', '2025-01-06T10:00:00Z', pain({ recordedAt: '2025-01-06T13:59:59Z' }));
      expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
        { path: 'event.recordedAt', message: 'is before the episode was enrolled' },
      ]);
    });

    it('reports every problem with the times at once', () => {
      const event = ev('ev1', '2025-01-05T10:00:00Z', pain({ recordedAt: '2025-01-05T09:00:00Z' }));
      expect(issuesOf(() => parseEvent(event, eventContext(ev1))).map((i) => i.path)).toEqual([
        'event.id',
        'event.occurredAt',
        'event.occurredAt',
        'event.recordedAt',
      ]);
    });
  });

  describe('identity and corrections', () => {
    it('rejects an id already used in the episode', () => {
      const event = ev('ev1', '2025-01-11T10:00:00Z', pain());
      expect(issuesOf(() => parseEvent(event, eventContext(ev1)))).toEqual([
        { path: 'event.id', message: '"ev1" is already used by another entry in this episode' },
      ]);
    });

    it('accepts a correction of the same type', () => {
      const correction = ev(
        'ev2',
        '2025-01-10T10:00:00Z',
        pain({
          nrsAtRest: 6,
          supersedes: 'ev1',
          recordedAt: '2025-01-10T11:00:00Z',
        }),
      );
      expect(parseEvent(correction, eventContext(ev1)).supersedes).toBe('ev1');
    });

    it('rejects a correction of an entry that does not exist', () => {
      const correction = ev('ev2', '2025-01-10T10:00:00Z', pain({ supersedes: 'ev9' }));
      expect(issuesOf(() => parseEvent(correction, eventContext(ev1)))).toEqual([
        { path: 'event.supersedes', message: 'names "ev9", which is not an entry of this episode' },
      ]);
    });

    it('rejects a second correction of an entry that has already been corrected', () => {
      const ev2 = ev(
        'ev2',
        '2025-01-10T10:00:00Z',
        pain({ supersedes: 'ev1', recordedAt: '2025-01-11T09:00:00Z' }),
      );
      const ev3 = ev(
        'ev3',
        '2025-01-10T10:00:00Z',
        pain({ supersedes: 'ev1', recordedAt: '2025-01-12T09:00:00Z' }),
      );
      expect(issuesOf(() => parseEvent(ev3, eventContext(ev1, ev2)))).toEqual([
        {
          path: 'event.supersedes',
          message:
            'names "ev1", which has already been corrected or withdrawn; correct the latest version instead',
        },
      ]);
    });

    it('accepts a correction or a withdrawal of the latest correction (a correction chain)', () => {
      const ev2 = ev(
        'ev2',
        '2025-01-10T10:00:00Z',
        pain({ supersedes: 'ev1', recordedAt: '2025-01-11T09:00:00Z' }),
      );
      const ev3 = ev(
        'ev3',
        '2025-01-10T10:00:00Z',
        pain({ nrsAtRest: 2, supersedes: 'ev2', recordedAt: '2025-01-12T09:00:00Z' }),
      );
      expect(parseEvent(ev3, eventContext(ev1, ev2)).supersedes).toBe('ev2');
      const withdrawal = ev('r2', '2025-01-12T09:00:00Z', retraction('ev2'));
      expect(parseEvent(withdrawal, eventContext(ev1, ev2)).type).toBe('retraction');
    });

    it('refuses to undo a withdrawal, saying to record the entry again', () => {
      const r1 = ev('r1', '2025-01-11T09:00:00Z', retraction('ev1'));
      const undo = ev('r2', '2025-01-11T10:00:00Z', retraction('r1', 'withdrawn by mistake'));
      expect(issuesOf(() => parseEvent(undo, eventContext(ev1, r1)))).toEqual([
        {
          path: 'event.supersedes',
          message:
            'names "r1", a withdrawal; a withdrawal cannot be undone, so record the entry again instead',
        },
      ]);
    });

    it('rejects a correction of an entry that has been withdrawn', () => {
      const r1 = ev('r1', '2025-01-11T09:00:00Z', retraction('ev1'));
      const ev3 = ev(
        'ev3',
        '2025-01-10T10:00:00Z',
        pain({ supersedes: 'ev1', recordedAt: '2025-01-12T09:00:00Z' }),
      );
      expect(issuesOf(() => parseEvent(ev3, eventContext(ev1, r1))).map((i) => i.path)).toEqual([
        'event.supersedes',
      ]);
    });

    it('rejects a correction of a different type, pointing to retraction', () => {
      const correction = ev('ev2', '2025-01-10T10:00:00Z', {
        type: 'referral',
        referralType: 'physiotherapy',
        supersedes: 'ev1',
      });
      expect(issuesOf(() => parseEvent(correction, eventContext(ev1)))).toEqual([
        {
          path: 'event.type',
          message:
            'must match the entry it corrects ("pain-assessment"); to withdraw an entry use a retraction',
        },
      ]);
    });

    it('accepts a retraction with a note', () => {
      const r1 = ev('r1', '2025-01-11T09:00:00Z', retraction('ev1'));
      expect(parseEvent(r1, eventContext(ev1))).toMatchObject({
        type: 'retraction',
        supersedes: 'ev1',
      });
    });

    it('rejects a retraction without a note', () => {
      const r1 = ev('r1', '2025-01-11T09:00:00Z', { type: 'retraction', supersedes: 'ev1' });
      expect(issuesOf(() => parseEvent(r1, eventContext(ev1)))).toEqual([
        { path: 'event.note', message: 'is required' },
      ]);
    });

    it('rejects a retraction whose note is only spaces', () => {
      const r1 = ev('r1', '2025-01-11T09:00:00Z', retraction('ev1', '   '));
      expect(issuesOf(() => parseEvent(r1, eventContext(ev1)))).toEqual([
        { path: 'event.note', message: 'must say why the entry is withdrawn' },
      ]);
    });

    it('rejects a retraction that does not say what it withdraws', () => {
      const r1 = ev('r1', '2025-01-11T09:00:00Z', { type: 'retraction', note: 'wrong patient' });
      expect(issuesOf(() => parseEvent(r1, eventContext(ev1)))).toEqual([
        { path: 'event.supersedes', message: 'is required' },
      ]);
    });
  });

  describe('closure', () => {
    const c1 = ev('c1', '2025-02-01T10:00:00Z', { type: 'closure', reason: 'discharged' });
    const closedMessage =
      'cannot be recorded: the episode was closed on 2025-02-01; withdraw or correct the closure first';

    it('rejects a new event after the episode is closed', () => {
      const later = ev('ev2', '2025-02-10T10:00:00Z', pain());
      expect(issuesOf(() => parseEvent(later, eventContext(ev1, c1)))).toEqual([
        { path: 'event.type', message: closedMessage },
      ]);
    });

    it('rejects even a late entry for a time before the closure', () => {
      const late = ev('ev2', '2025-01-20T10:00:00Z', pain({ recordedAt: '2025-02-10T10:00:00Z' }));
      expect(issuesOf(() => parseEvent(late, eventContext(ev1, c1)))).toEqual([
        { path: 'event.type', message: closedMessage },
      ]);
    });

    it('rejects a retraction of another entry after closure', () => {
      const r1 = ev('r1', '2025-02-10T10:00:00Z', retraction('ev1'));
      expect(issuesOf(() => parseEvent(r1, eventContext(ev1, c1)))).toEqual([
        { path: 'event.type', message: closedMessage },
      ]);
    });

    it('accepts a retraction of the closure, after which events are accepted again', () => {
      const r1 = ev('r1', '2025-02-10T10:00:00Z', retraction('c1', 'closed in error'));
      expect(parseEvent(r1, eventContext(ev1, c1)).supersedes).toBe('c1');

      const later = ev('ev2', '2025-02-11T10:00:00Z', pain());
      expect(parseEvent(later, eventContext(ev1, c1, r1)).id).toBe('ev2');
    });

    it('accepts a correction of the closure', () => {
      const c2 = ev('c2', '2025-02-01T10:00:00Z', {
        type: 'closure',
        reason: 'transferred',
        supersedes: 'c1',
        recordedAt: '2025-02-02T09:00:00Z',
      });
      expect(parseEvent(c2, eventContext(ev1, c1))).toMatchObject({ reason: 'transferred' });
    });
  });

  describe('bone therapy courses', () => {
    const s1 = ev('s1', '2025-02-01T10:00:00Z', started());

    it('accepts a start, then a dose of the running course', () => {
      expect(parseEvent(s1, eventContext()).id).toBe('s1');
      const d1 = ev('d1', '2025-02-20T10:00:00Z', dose());
      expect(parseEvent(d1, eventContext(s1)).id).toBe('d1');
    });

    it('rejects a dose with no course started', () => {
      const d1 = ev('d1', '2025-02-20T10:00:00Z', dose());
      expect(issuesOf(() => parseEvent(d1, eventContext()))).toEqual([
        {
          path: 'event.drug',
          message:
            'no course of denosumab is running at that time; record bone-therapy-started first',
        },
      ]);
    });

    it('rejects a dose of a different drug from the one running', () => {
      const d1 = ev('d1', '2025-02-20T10:00:00Z', dose('zoledronic-acid'));
      expect(issuesOf(() => parseEvent(d1, eventContext(s1))).map((i) => i.path)).toEqual([
        'event.drug',
      ]);
    });

    it('rejects a dose given before the course started, even if recorded after', () => {
      const d1 = ev('d1', '2025-01-20T10:00:00Z', dose());
      const late = { ...d1, recordedAt: '2025-02-20T10:00:00Z' };
      expect(issuesOf(() => parseEvent(late, eventContext(s1))).map((i) => i.path)).toEqual([
        'event.drug',
      ]);
    });

    it('rejects a second start of the same drug while a course runs', () => {
      const s2 = ev('s2', '2025-02-20T10:00:00Z', started());
      expect(issuesOf(() => parseEvent(s2, eventContext(s1)))).toEqual([
        {
          path: 'event.drug',
          message:
            'a course of denosumab is already running; record bone-therapy-stopped before starting another',
        },
      ]);
    });

    it('points at occurredAt when a backdated stop would strand a later dose', () => {
      const d1 = ev('d1', '2025-02-20T10:00:00Z', dose());
      const x0 = {
        ...ev('x0', '2025-02-10T10:00:00Z', stopped()),
        recordedAt: '2025-02-25T10:00:00Z',
      };
      expect(issuesOf(() => parseEvent(x0, eventContext(s1, d1)))).toEqual([
        {
          path: 'event.occurredAt',
          message:
            'would leave entry d1 inconsistent: no course of denosumab is running at that time; record bone-therapy-started first',
        },
      ]);
    });

    it('accepts a new course once the previous one is stopped', () => {
      const x1 = ev('x1', '2025-02-10T10:00:00Z', stopped());
      const s2 = ev('s2', '2025-02-20T10:00:00Z', started());
      expect(parseEvent(s2, eventContext(s1, x1)).id).toBe('s2');
    });

    it('refuses a stop with no reason: stopping bone therapy ends its doses and reviews', () => {
      const x1 = ev('x1', '2025-02-10T10:00:00Z', {
        type: 'bone-therapy-stopped',
        drug: 'denosumab',
      });
      expect(issuesOf(() => parseEvent(x1, eventContext()))).toContainEqual({
        path: 'event.reason',
        message:
          'must say why the therapy was stopped: stopping bone therapy ends its doses and reviews',
      });
    });

    it('rejects a stop with no course running', () => {
      const x1 = ev('x1', '2025-02-10T10:00:00Z', stopped());
      expect(issuesOf(() => parseEvent(x1, eventContext()))).toEqual([
        {
          path: 'event.drug',
          message: 'no course of denosumab is running at that time, so it cannot be stopped',
        },
      ]);
    });

    it('rejects a retraction of a start that would leave its doses with no course', () => {
      const d1 = ev('d1', '2025-02-20T10:00:00Z', dose());
      const r1 = ev('r1', '2025-02-21T10:00:00Z', retraction('s1'));
      expect(issuesOf(() => parseEvent(r1, eventContext(s1, d1)))).toEqual([
        {
          path: 'event.supersedes',
          message:
            'would leave entry d1 inconsistent: no course of denosumab is running at that time; record bone-therapy-started first',
        },
      ]);
    });

    it('accepts a retraction of a start with no doses', () => {
      const r1 = ev('r1', '2025-02-21T10:00:00Z', retraction('s1'));
      expect(parseEvent(r1, eventContext(s1)).id).toBe('r1');
    });

    it('rejects a correction of a start to another drug that would orphan its doses', () => {
      const d1 = ev('d1', '2025-02-20T10:00:00Z', dose());
      const s1b = ev('s1b', '2025-02-01T10:00:00Z', {
        ...started('zoledronic-acid'),
        supersedes: 's1',
        recordedAt: '2025-02-21T10:00:00Z',
      });
      expect(issuesOf(() => parseEvent(s1b, eventContext(s1, d1)))).toEqual([
        {
          path: 'event.supersedes',
          message:
            'would leave entry d1 inconsistent: no course of denosumab is running at that time; record bone-therapy-started first',
        },
      ]);
    });

    it('rejects a retraction of a stop that would leave a later start overlapping', () => {
      const x1 = ev('x1', '2025-02-10T10:00:00Z', stopped());
      const s2 = ev('s2', '2025-02-20T10:00:00Z', started());
      const r1 = ev('r1', '2025-02-21T10:00:00Z', retraction('x1'));
      expect(issuesOf(() => parseEvent(r1, eventContext(s1, x1, s2)))).toEqual([
        {
          path: 'event.supersedes',
          message:
            'would leave entry s2 inconsistent: a course of denosumab is already running; record bone-therapy-stopped before starting another',
        },
      ]);
    });
  });

  describe('step completion', () => {
    it('accepts a step of the episode pathway', () => {
      const event = ev('st1', '2025-01-07T10:00:00Z', {
        type: 'step-completed',
        stepKey: 'self-management-advice',
        outcome: 'done',
      });
      expect(parseEvent(event, eventContext()).id).toBe('st1');
    });

    it('accepts the key of a repeated step (step id, "~", occurrence)', () => {
      const event = ev('st1', '2025-01-07T10:00:00Z', {
        type: 'step-completed',
        stepKey: 'severe-pain-review~2',
        outcome: 'declined',
      });
      expect(parseEvent(event, eventContext()).id).toBe('st1');
    });

    // Hazard HAZ-003: "Done" on a dose step's generic form ended the 6-monthly schedule.
    it('refuses a generic completion of a dose step, naming the dose entry and the stop entry', () => {
      for (const outcome of ['done', 'declined', 'not-indicated'] as const) {
        const event = ev('st1', '2025-01-07T10:00:00Z', {
          type: 'step-completed',
          stepKey: 'denosumab-next-dose~2',
          outcome,
        });
        expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
          {
            path: 'event.outcome',
            message:
              'A dose step is completed only by the dose given, which plans the next dose; to end the schedule, record that the therapy was stopped, with the reason.',
          },
        ]);
      }
    });

    it('accepts a generic "done" only for a step with no entry of its own', () => {
      const generic = (stepKey: string, outcome: string) =>
        ev('st1', '2025-01-07T10:00:00Z', { type: 'step-completed', stepKey, outcome });
      expect(parseEvent(generic('self-management-advice', 'done'), eventContext()).id).toBe('st1');
      expect(parseEvent(generic('falls-service-referral', 'declined'), eventContext()).id).toBe(
        'st1',
      );
      expect(
        issuesOf(() => parseEvent(generic('falls-service-referral', 'done'), eventContext())),
      ).toEqual([
        {
          path: 'event.outcome',
          message:
            '"Falls prevention service referral" is done by recording a referral (falls-service), so what was found reaches the rest of the plan; the generic entry may only record it as declined or not indicated.',
        },
      ]);
    });

    it('rejects an unknown step key, naming the pathway', () => {
      const event = ev('st1', '2025-01-07T10:00:00Z', {
        type: 'step-completed',
        stepKey: 'self-management-advise',
        outcome: 'done',
      });
      expect(issuesOf(() => parseEvent(event, eventContext()))).toEqual([
        {
          path: 'event.stepKey',
          message: 'names "self-management-advise", which is not a step of pathway ros-2022.3',
        },
      ]);
    });
  });
});

describe('parseEpisodeRecord', () => {
  const record = (events: Raw[], overrides: { patient?: Raw; episode?: Raw } = {}) => ({
    patient: overrides.patient ?? patientInput(),
    episode: overrides.episode ?? episodeInput(),
    events,
  });

  it('round-trips a valid record, normalising the NHS number', () => {
    const events = [
      ev('ev1', '2025-01-07T10:00:00Z', pain()),
      ev('s1', '2025-02-01T10:00:00Z', started()),
      ev('d1', '2025-02-20T10:00:00Z', dose()),
    ];
    const parsed = parseEpisodeRecord(record(events), context);
    expect(parsed.patient.identifier.value).toBe('9434765919');
    expect(parsed.episode).toEqual({ ...episodeInput(), fractureDateEstimated: false });
    expect(parsed.events).toEqual(events);

    // What was accepted is accepted again unchanged.
    expect(parseEpisodeRecord(parsed, context)).toEqual(parsed);
  });

  it('replays events in the order they were recorded, not the order listed', () => {
    // The dose is listed first but was recorded after the start.
    const d1 = ev('d1', '2025-02-20T10:00:00Z', dose());
    const s1 = ev('s1', '2025-02-01T10:00:00Z', started());
    const parsed = parseEpisodeRecord(record([d1, s1]), context);
    expect(parsed.events.map((e) => e.id)).toEqual(['s1', 'd1']);
  });

  it('judges each event against what had been recorded before it', () => {
    // The start occurred first but was recorded after the dose: when the dose was entered, no
    // course had been recorded. The issue names the dose's position in the list given.
    const s1 = ev('s1', '2025-02-01T10:00:00Z', started());
    const d1 = ev('d1', '2025-02-20T10:00:00Z', dose());
    const lateStart = { ...s1, recordedAt: '2025-02-21T10:00:00Z' };
    expect(issuesOf(() => parseEpisodeRecord(record([lateStart, d1]), context))).toEqual([
      {
        path: 'events[1].drug',
        message:
          'no course of denosumab is running at that time; record bone-therapy-started first',
      },
    ]);
  });

  it('reports field problems in several events at once, each at its index', () => {
    const events = [
      ev('ev1', '2025-01-07T10:00:00Z', pain({ nrsAtRest: 11 })),
      ev('ev2', '2025-01-08T10:00:00Z', pain()),
      ev('ev3', '2025-01-09T10:00:00Z', pain({ nrsOnActivty: 3 })),
    ];
    const error = rejection(() => parseEpisodeRecord(record(events), context));
    expect(error.issues).toEqual([
      { path: 'events[0].nrsAtRest', message: 'must be a whole number from 0 to 10' },
      { path: 'events[2]', message: 'has unknown field "nrsOnActivty"' },
    ]);
    expect(error.message).toBe(
      'Invalid input (2 problems): events[0].nrsAtRest must be a whole number from 0 to 10; ' +
        'events[2] has unknown field "nrsOnActivty"',
    );
  });

  it('reports problems against the history in several events at once', () => {
    const events = [
      ev('ev1', '2025-01-07T10:00:00Z', pain()),
      ev('ev1', '2025-01-08T10:00:00Z', pain()),
      ev('ev3', '2025-01-09T10:00:00Z', pain({ supersedes: 'ev9' })),
    ];
    expect(issuesOf(() => parseEpisodeRecord(record(events), context))).toEqual([
      { path: 'events[1].id', message: '"ev1" is already used by another entry in this episode' },
      {
        path: 'events[2].supersedes',
        message: 'names "ev9", which is not an entry of this episode',
      },
    ]);
  });

  it('rejects events after a closure until the closure is withdrawn', () => {
    const ev1 = ev('ev1', '2025-01-07T10:00:00Z', pain());
    const c1 = ev('c1', '2025-02-01T10:00:00Z', { type: 'closure', reason: 'discharged' });
    const ev2 = ev('ev2', '2025-02-10T10:00:00Z', pain());
    expect(issuesOf(() => parseEpisodeRecord(record([ev1, c1, ev2]), context))).toEqual([
      {
        path: 'events[2].type',
        message:
          'cannot be recorded: the episode was closed on 2025-02-01; withdraw or correct the closure first',
      },
    ]);

    const r1 = ev('r1', '2025-02-05T10:00:00Z', retraction('c1', 'closed in error'));
    const parsed = parseEpisodeRecord(record([ev1, c1, r1, ev2]), context);
    expect(parsed.events.map((e) => e.id)).toEqual(['ev1', 'c1', 'r1', 'ev2']);
  });

  it('rejects events that are not a list', () => {
    const input = {
      patient: patientInput(),
      episode: episodeInput(),
      events: 'none' as unknown as [],
    };
    expect(issuesOf(() => parseEpisodeRecord(input, context))).toEqual([
      { path: 'events', message: 'must be a list of events' },
    ]);
  });

  it('reports patient and episode problems under their own paths', () => {
    const badPatient = patientInput({ identifier: { kind: 'nhs-number', value: '9434765918' } });
    expect(
      issuesOf(() => parseEpisodeRecord(record([], { patient: badPatient }), context)),
    ).toEqual([
      {
        path: 'patient.identifier.value',
        message:
          'fails the Modulus 11 check (check digit should be 9, not 8); check for a typing error',
      },
    ]);
    const badEpisode = episodeInput({ vertebralLevels: ['C7'] });
    expect(
      issuesOf(() => parseEpisodeRecord(record([], { episode: badEpisode }), context)).map(
        (i) => i.path,
      ),
    ).toEqual(['episode.vertebralLevels[0]']);
  });
});
