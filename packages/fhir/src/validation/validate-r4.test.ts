import { EVENT_TYPES } from '@vfx/domain';
import { scenario } from '@vfx/domain/testing';
import { describe, expect, it } from 'vitest';
import { auditEventResource } from '../resources/audit-event.js';
import { patientResources } from '../resources/everything.js';
import { planDefinitionCanonical } from '../systems.js';
import { everyEntryScenario, recordsOf } from '../testing/fixtures.js';
import { describeFindings, type R4Finding, validateR4 } from './validate-r4.js';

const AS_OF = '2025-09-01T12:00:00Z';

/** Warnings by what they say, without the element index, so the list stays short. */
function summarise(warnings: readonly R4Finding[]): string[] {
  return [
    ...new Set(
      warnings.map(
        (warning) =>
          `${warning.validator}: ${warning.location.replace(/\[\d+\]/g, '[n]')}: ${warning.message.replace(/Code "[^"]*"/, 'Code "…"')}`,
      ),
    ),
  ].sort();
}

describe('validateR4', () => {
  it('reports the errors of a resource that is not valid R4, from both validators', () => {
    const { errors } = validateR4({
      resourceType: 'Patient',
      id: 'not_a_fhir_id',
      gender: 'neither' as never,
      birthDate: '17/05/1950',
    });
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors.map((error) => error.validator))).toEqual(
      new Set(['medplum', 'fhir', 'id']),
    );
    expect(describeFindings(errors)).toMatch(/gender/);
    expect(describeFindings(errors)).toMatch(/id: Patient.id: "not_a_fhir_id" is not a FHIR id/);
  });

  it('checks the invariants (medplum): a CarePlan activity with both a reference and a detail', () => {
    const { errors } = validateR4({
      resourceType: 'CarePlan',
      status: 'active',
      intent: 'plan',
      subject: { reference: 'Patient/a' },
      activity: [{ reference: { reference: 'Task/x' }, detail: { status: 'scheduled' } }],
    });
    expect(describeFindings(errors)).toMatch(/cpl-3/);
  });
});

describe('every resource built from a record holding every kind of entry', () => {
  const records = [false, true].map((closed) =>
    recordsOf(everyEntryScenario({ closed }), { asOf: AS_OF }),
  );

  it('holds every kind of entry the service records', () => {
    const types = new Set(
      records.flatMap(({ episode }) => episode.events.map((event) => event.type)),
    );
    expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('is valid R4 to both validators; the warnings are listed', () => {
    const resources = [
      ...records.flatMap(({ patient, episode }) =>
        patientResources(patient, [episode], planDefinitionCanonical),
      ),
      // A plan at enrolment: upcoming steps, nothing recorded.
      ...(() => {
        const fresh = recordsOf(scenario({ patientId: 'pat-new', episodeId: 'ep-new' }), {
          asOf: '2025-01-06T15:00:00Z',
          nurse: null,
        });
        return patientResources(fresh.patient, [fresh.episode], planDefinitionCanonical);
      })(),
      auditEventResource({
        id: '1',
        at: AS_OF,
        actor: 'nurse-1',
        actorName: 'Asha Khan',
        action: 'patient.viewed',
        entityType: 'patient',
        entityId: 'pat-every',
        patientId: 'pat-every',
      }),
      auditEventResource({
        id: '2',
        at: AS_OF,
        actor: 'system:worker',
        actorName: undefined,
        action: 'sign-in.refused',
        entityType: 'user',
        entityId: 'someone',
        patientId: null,
      }),
    ];
    expect(new Set(resources.map((resource) => resource.resourceType))).toEqual(
      new Set([
        'Patient',
        'Condition',
        'EpisodeOfCare',
        'CarePlan',
        'Task',
        'Observation',
        'MedicationStatement',
        'ServiceRequest',
        'AuditEvent',
      ]),
    );
    const errors: string[] = [];
    const warnings: R4Finding[] = [];
    for (const resource of resources) {
      const result = validateR4(resource);
      if (result.errors.length > 0) {
        errors.push(`${resource.resourceType}/${resource.id}:\n${describeFindings(result.errors)}`);
      }
      warnings.push(...result.warnings);
    }
    expect(errors).toEqual([]);
    // Printed for docs/interop/resources.md: what the validators warn about, once each.
    console.info(
      `${resources.length} resources valid; warnings:\n${summarise(warnings).join('\n')}`,
    );
  });
});
