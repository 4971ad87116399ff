import type { Observation } from '@medplum/fhirtypes';
import { scenario } from '@vfx/domain/testing';
import { describe, expect, it } from 'vitest';
import { parseTaskId, stepKeyHash, taskId } from '../ids.js';
import type { AuditRecord } from '../records.js';
import {
  MRN_SYSTEM,
  NHS_NUMBER_SYSTEM,
  ONSET_ESTIMATED_EXTENSION,
  planDefinitionCanonical,
} from '../systems.js';
import { everyEntryScenario, recordsOf } from '../testing/fixtures.js';
import { auditActionCode, auditEventResource, auditKindOf } from './audit-event.js';
import { ACTIVITY_STATUS_OF_STEP, carePlanResource, taskResources } from './care-plan.js';
import { conditionResource, episodeOfCareResource } from './episode.js';
import { episodeResources, patientResources } from './everything.js';
import { medicationStatementResources, serviceRequestResources } from './medications.js';
import { observationResources } from './observations.js';
import { patientResource } from './patient.js';

const AS_OF = '2025-09-01T12:00:00Z';
const open = recordsOf(everyEntryScenario(), { asOf: AS_OF });
const closed = recordsOf(everyEntryScenario({ closed: true }), { asOf: AS_OF });

describe('Patient', () => {
  it('carries the NHS number under the UK Core system, the official name, sex and birth date', () => {
    expect(patientResource(open.patient)).toEqual({
      resourceType: 'Patient',
      id: 'pat-every',
      meta: { lastUpdated: open.patient.updatedAt },
      identifier: [{ use: 'official', system: NHS_NUMBER_SYSTEM, value: '9434765919' }],
      name: [{ use: 'official', family: 'Lovelace', given: ['Ada'] }],
      gender: 'female',
      birthDate: '1950-05-17',
    });
  });

  it('gives an MRN with its issuer, and maps indeterminate and not-known sex', () => {
    const base = open.patient;
    const withMrn = patientResource({
      ...base,
      patient: {
        ...base.patient,
        sex: 'indeterminate',
        identifier: { kind: 'mrn', value: 'RX1/123', issuer: 'RX1' },
      },
    });
    expect(withMrn.identifier).toEqual([
      {
        use: 'usual',
        type: { text: 'Medical record number' },
        system: MRN_SYSTEM,
        value: 'RX1/123',
        assigner: { identifier: { value: 'RX1' } },
      },
    ]);
    expect(withMrn.gender).toBe('other');
    const unknown = patientResource({ ...base, patient: { ...base.patient, sex: 'not-known' } });
    expect(unknown.gender).toBe('unknown');
  });
});

describe('EpisodeOfCare and Condition', () => {
  it('is active while open, finished once closed, with the nurse as care manager by name', () => {
    const active = episodeOfCareResource(open.episode);
    expect(active).toMatchObject({
      id: 'ep-every',
      status: 'active',
      patient: { reference: 'Patient/pat-every' },
      careManager: { display: 'Asha Khan' },
      period: { start: open.episode.enrolledAt },
      meta: { versionId: String(open.episode.version) },
    });
    expect(active.period?.end).toBeUndefined();
    const finished = episodeOfCareResource(closed.episode);
    expect(finished.status).toBe('finished');
    expect(finished.period?.end).toBe('2025-08-20T10:00:00Z');
    expect(episodeOfCareResource({ ...open.episode, nurse: null }).careManager).toBeUndefined();
  });

  it('gives the fracture its levels, its corrected date estimate and no code it cannot cite', () => {
    const condition = conditionResource(open.episode);
    expect(condition).toMatchObject({
      code: { text: 'Vertebral fragility fracture' },
      bodySite: [{ text: 'T12' }, { text: 'L1' }],
      onsetDateTime: '2025-01-06',
      extension: [{ url: ONSET_ESTIMATED_EXTENSION, valueBoolean: true }],
      clinicalStatus: { coding: [{ code: 'active' }] },
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      subject: { reference: 'Patient/pat-every' },
    });
    expect(condition.code?.coding).toBeUndefined();
    const exact = recordsOf(scenario(), { asOf: '2025-01-07T12:00:00Z' });
    expect(conditionResource(exact.episode).extension).toBeUndefined();
    expect(conditionResource(closed.episode).clinicalStatus).toBeUndefined();
  });
});

describe('CarePlan and Tasks', () => {
  const plan = carePlanResource(open.episode, planDefinitionCanonical);
  const tasks = taskResources(open.episode);

  it('instantiates the PlanDefinition of its pathway version', () => {
    expect(plan.instantiatesCanonical).toEqual([
      `https://fls.example.nhs.uk/fhir/PlanDefinition/${open.episode.pathwayVersion}`,
    ]);
    expect(plan).toMatchObject({
      status: 'active',
      intent: 'plan',
      author: { display: 'Asha Khan' },
    });
    expect(carePlanResource(closed.episode, planDefinitionCanonical).status).toBe('completed');
    const transferred = { ...closed.episode, closureReason: 'transferred' };
    expect(carePlanResource(transferred, planDefinitionCanonical).status).toBe('revoked');
  });

  it('has an activity per step: actionable steps by their Task, the others in detail', () => {
    expect(plan.activity).toHaveLength(open.episode.steps.length);
    open.episode.steps.forEach((step, index) => {
      const activity = plan.activity?.[index];
      if (['open', 'due', 'overdue'].includes(step.status)) {
        expect(activity).toEqual({
          reference: { reference: `Task/${taskId('ep-every', step.key)}`, display: step.title },
        });
      } else {
        expect(activity?.reference).toBeUndefined();
        expect(activity?.detail?.status).toBe(ACTIVITY_STATUS_OF_STEP[step.status]);
        expect(activity?.detail?.statusReason?.text).toBe(step.reason);
        expect(activity?.detail?.description).toBe(step.title);
      }
    });
  });

  it('maps completions with their outcome, windows to the scheduled period', () => {
    const index = open.episode.steps.findIndex((step) => step.key === 'self-management-advice');
    const step = open.episode.steps[index];
    const activity = plan.activity?.[index];
    expect(step?.status).toBe('completed');
    expect(activity?.detail?.status).toBe('completed');
    expect(activity?.outcomeCodeableConcept).toEqual([{ text: 'Done' }]);
    expect(activity?.detail?.scheduledPeriod).toEqual({
      start: step?.window?.transitions.open,
      end: step?.window?.transitions.overdue,
    });
  });

  it('maps every step status to a CarePlan activity status', () => {
    expect(ACTIVITY_STATUS_OF_STEP).toEqual({
      upcoming: 'not-started',
      open: 'scheduled',
      due: 'scheduled',
      overdue: 'scheduled',
      completed: 'completed',
      'not-applicable': 'cancelled',
      cancelled: 'stopped',
    });
  });

  it('makes a ready Task per open, due or overdue step, urgent ones urgent', () => {
    const actionable = open.episode.steps.filter((step) =>
      ['open', 'due', 'overdue'].includes(step.status),
    );
    expect(actionable.length).toBeGreaterThan(0);
    expect(tasks.map((task) => task.id)).toEqual(
      actionable.map((step) => taskId('ep-every', step.key)),
    );
    for (const [index, task] of tasks.entries()) {
      const step = actionable[index];
      if (!step) throw new Error('no step');
      expect(task).toMatchObject({
        status: 'ready',
        intent: 'plan',
        priority: step.urgent ? 'urgent' : 'routine',
        businessStatus: { coding: [{ code: step.status }] },
        description: step.title,
        reasonCode: { text: step.reason },
        for: { reference: 'Patient/pat-every' },
        focus: { reference: 'CarePlan/ep-every' },
        basedOn: [{ reference: 'CarePlan/ep-every' }],
        owner: { display: 'Asha Khan' },
        identifier: [
          { system: 'https://fls.example.nhs.uk/Id/plan-step', value: `ep-every/${step.key}` },
        ],
      });
      expect(parseTaskId(task.id ?? '')?.stepKeyHash).toBe(stepKeyHash(step.key));
      if (step.window) {
        expect(task.restriction?.period).toEqual({
          start: step.window.transitions.open,
          end: step.window.transitions.overdue,
        });
      }
    }
    const urgent = taskResources({
      ...open.episode,
      steps: open.episode.steps.map((step) => ({ ...step, urgent: true })),
    });
    expect(urgent.every((task) => task.priority === 'urgent')).toBe(true);
  });

  it('has no Task once the episode is closed', () => {
    expect(taskResources(closed.episode)).toEqual([]);
    const stopped = carePlanResource(closed.episode, planDefinitionCanonical).activity ?? [];
    expect(stopped.some((activity) => activity.detail?.status === 'stopped')).toBe(true);
  });
});

describe('Observations', () => {
  const observations = observationResources(open.episode);
  const byId = (id: string) => observations.find((observation) => observation.id === id);

  it('gives a corrected pain assessment the first entry id, the corrected scores and status amended', () => {
    const rest = byId('pain-1.rest');
    expect(rest).toMatchObject({
      status: 'amended',
      code: {
        coding: [{ system: 'http://loinc.org', code: '72514-3' }],
        text: 'Pain at rest (0-10 numeric rating scale)',
      },
      valueQuantity: { value: 5 },
      effectiveDateTime: '2025-01-07T10:00:00Z',
      meta: { lastUpdated: '2025-01-07T11:00:00Z' },
    });
    expect(byId('pain-1.activity')?.valueQuantity?.value).toBe(8);
    expect(byId('pain-1-fix.rest')).toBeUndefined();
  });

  it('gives one Observation per DXA measurement, in T-scores', () => {
    const dxa = observations.filter((observation) => observation.id?.startsWith('dxa-1.'));
    expect(dxa.map((observation) => [observation.id, observation.valueQuantity?.value])).toEqual([
      ['dxa-1.lumbar-spine', -2.9],
      ['dxa-1.total-hip', -2.1],
      ['dxa-1.femoral-neck', -2.6],
    ]);
    expect(dxa[0]).toMatchObject({ status: 'final', code: { text: 'DXA lumbar spine T-score' } });
  });

  it('gives fracture risk as percentages with the category in words', () => {
    expect(byId('frax-1.major')).toMatchObject({
      valueQuantity: { value: 24.5, code: '%' },
      interpretation: [{ text: 'Risk category (clinician): high' }],
    });
    expect(byId('frax-1.hip')?.valueQuantity?.value).toBe(8.1);
  });

  it('marks a withdrawn assessment entered-in-error with the reason', () => {
    const withdrawn = observationResources({
      ...open.episode,
      events: [
        ...open.episode.events,
        {
          id: 'withdraw-dxa',
          type: 'retraction',
          supersedes: 'dxa-1',
          note: 'Another patient’s scan',
          occurredAt: '2025-08-30T10:00:00Z',
          recordedAt: '2025-08-30T10:00:00Z',
          recordedBy: 'nurse-1',
        },
      ],
    }).filter((observation: Observation) => observation.id?.startsWith('dxa-1.'));
    expect(withdrawn).toHaveLength(3);
    for (const observation of withdrawn) {
      expect(observation.status).toBe('entered-in-error');
      expect(observation.note).toEqual([
        { text: 'Withdrawn: Another patient’s scan', time: '2025-08-30T10:00:00Z' },
      ]);
    }
  });

  it('covers the screens and findings as coded text', () => {
    const codes = observations.map((observation) => observation.code?.text);
    expect(codes).toEqual(
      expect.arrayContaining([
        'Psychological screen',
        'Falls risk assessment',
        'Laboratory screen for secondary causes of osteoporosis',
        'Clinical findings after enrolment',
      ]),
    );
  });
});

describe('MedicationStatements and ServiceRequests', () => {
  it('gives each therapy course its status and dates, prior therapy as completed', () => {
    const statements = medicationStatementResources(open.episode);
    expect(
      statements.map((statement) => [
        statement.id,
        statement.medicationCodeableConcept?.text,
        statement.status,
        statement.effectivePeriod,
      ]),
    ).toEqual([
      ['ev7', 'Alendronic acid', 'completed', { start: '2019-03-01', end: '2022-03-01' }],
      ['dmab-start', 'Denosumab', 'active', { start: '2025-02-10T10:00:00Z' }],
      [
        'ral-start',
        'Raloxifene',
        'stopped',
        { start: '2025-05-01T10:00:00Z', end: '2025-06-01T10:00:00Z' },
      ],
    ]);
    expect(statements[2]?.statusReason).toEqual([{ text: 'Hot flushes' }]);
    expect(statements[1]?.meta?.lastUpdated).toBe('2025-08-10T10:00:00Z');
    expect(statements[1]?.context).toEqual({ reference: 'EpisodeOfCare/ep-every' });
  });

  it('marks a withdrawn start entered-in-error rather than dropping it', () => {
    const statements = medicationStatementResources({
      ...open.episode,
      events: [
        ...open.episode.events,
        {
          id: 'withdraw-ral',
          type: 'retraction',
          supersedes: 'ral-start',
          note: 'Recorded on the wrong record',
          occurredAt: '2025-08-30T10:00:00Z',
          recordedAt: '2025-08-30T10:00:00Z',
          recordedBy: 'nurse-1',
        },
      ],
    });
    expect(statements.filter((statement) => statement.id === 'ral-start')).toEqual([
      expect.objectContaining({
        status: 'entered-in-error',
        note: [{ text: 'Withdrawn: Recorded on the wrong record', time: '2025-08-30T10:00:00Z' }],
      }),
    ]);
  });

  it('gives referrals in words, a withdrawn one entered-in-error', () => {
    expect(
      serviceRequestResources(open.episode).map((request) => [
        request.id,
        request.status,
        request.code?.text,
      ]),
    ).toEqual([
      ['ev8', 'active', 'Referral to physiotherapy'],
      ['ref-falls', 'entered-in-error', 'Referral to the falls service'],
    ]);
  });
});

describe('AuditEvent', () => {
  const row: AuditRecord = {
    id: '42',
    at: '2025-09-01T10:00:00.000Z',
    actor: 'user-7',
    actorName: 'Asha Khan',
    action: 'patient.viewed',
    entityType: 'patient',
    entityId: 'pat-every',
    patientId: 'pat-every',
  };

  it('names a read of a patient record, who read it and which patient', () => {
    expect(auditEventResource(row)).toMatchObject({
      id: '42',
      type: { code: '110110', display: 'Patient Record' },
      subtype: [{ code: 'patient.viewed' }],
      action: 'R',
      recorded: row.at,
      outcome: '0',
      agent: [{ who: { identifier: { value: 'user-7' }, display: 'Asha Khan' }, requestor: true }],
      entity: [
        { what: { reference: 'Patient/pat-every' } },
        { what: { identifier: { value: 'pat-every' } } },
      ],
    });
  });

  it('tells reads, changes and refusals apart as the audit view does', () => {
    expect(auditKindOf('patient.viewed')).toBe('read');
    expect(auditKindOf('event.recorded')).toBe('change');
    expect(auditKindOf('api-key.refused')).toBe('refusal');
    expect(auditActionCode('event.recorded')).toBe('C');
    expect(auditActionCode('api-key.revoked')).toBe('D');
    expect(auditActionCode('step.rescheduled')).toBe('U');
    expect(auditActionCode('fhir.exported')).toBe('R');
    const refused = auditEventResource({
      ...row,
      action: 'sign-in.refused',
      actor: 'system:worker',
      actorName: undefined,
      patientId: null,
      entityType: 'user',
    });
    expect(refused).toMatchObject({ action: 'E', outcome: '4', type: { code: 'user' } });
    expect(refused.agent?.[0]?.who?.display).toBe('Service component (worker)');
    expect(refused.entity).toHaveLength(1);
  });
});

describe('all of a patient', () => {
  it('lists the patient, then each episode’s resources, references resolving within', () => {
    const resources = patientResources(open.patient, [open.episode], planDefinitionCanonical);
    expect(resources[0]?.resourceType).toBe('Patient');
    expect(resources.slice(1)).toEqual(episodeResources(open.episode, planDefinitionCanonical));
    const ids = new Set(resources.map((resource) => `${resource.resourceType}/${resource.id}`));
    expect(ids.size).toBe(resources.length);
    const references = JSON.stringify(resources).match(/"reference":"[A-Za-z]+\/[^"]+"/g) ?? [];
    for (const reference of references) {
      expect(ids).toContain(reference.slice('"reference":"'.length, -1));
    }
  });

  it('refuses an episode of another patient', () => {
    expect(() =>
      patientResources(
        open.patient,
        [{ ...open.episode, patientId: 'someone-else' }],
        planDefinitionCanonical,
      ),
    ).toThrow(/another patient/);
  });
});
