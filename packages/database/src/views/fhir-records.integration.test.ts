import {
  auditEventResource,
  type EpisodeRecord,
  patientResources,
  planDefinitionCanonical,
} from '@vfx/fhir';
import { describeFindings, validateR4 } from '@vfx/fhir/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../client.js';
import { enrolPatient, recordEvent } from '../commands.js';
import { seedDemo } from '../seed/demo.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { fhirAuditRecords, fhirEpisodeRecords, fhirPatientRecords } from './fhir-records.js';

let db: Database;
let close: () => Promise<void>;
const NOW = new Date('2026-11-17T10:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

/** The same client, counting the statements it sends (raw ones included). */
function counting(database: Database): { db: Queryable; count: () => number } {
  let statements = 0;
  const counted = database.$extends({
    query: {
      async $allOperations({ args, query }) {
        statements += 1;
        return query(args);
      },
    },
  });
  return { db: counted as unknown as Queryable, count: () => statements };
}

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('fhir_records'));
  await createUsers(db, [
    { id: 'nurse-1', role: 'nurse', name: 'Asha Khan' },
    { id: 'nurse-2', role: 'nurse', name: 'Ben Ellis' },
  ]);
  for (const n of [1, 2, 3]) {
    await enrolPatient(db, testEnrolment({ n, nurseId: n === 3 ? null : 'nurse-1' }), {
      actorId: 'nurse-1',
      now: NOW,
    });
  }
  const pain = {
    type: 'pain-assessment',
    nrsAtRest: 6,
    nrsOnActivity: 8,
    functionalLimitation: 'moderate',
  };
  await recordEvent(
    db,
    { episodeId: 'ep-1', event: { ...pain, id: 'pain-1', occurredAt: later(1).toISOString() } },
    { actorId: 'nurse-2', now: later(2) },
  );
  await recordEvent(
    db,
    {
      episodeId: 'ep-1',
      event: {
        type: 'episode-details-corrected',
        id: 'fix-1',
        fractureDate: '2026-11-14',
        fractureDateEstimated: true,
        note: 'The patient remembered the fall was on the Saturday',
        occurredAt: later(3).toISOString(),
      },
    },
    { actorId: 'nurse-1', now: later(3) },
  );
});
afterAll(() => close());

describe('FHIR patient records', () => {
  it('reads the patients asked for, in the order asked, with their nurse', async () => {
    const records = await fhirPatientRecords(db, ['pat-3', 'missing', 'pat-1']);
    expect(records.map((record) => record.patient.id)).toEqual(['pat-3', 'pat-1']);
    expect(records[1]).toMatchObject({
      patient: { id: 'pat-1', identifier: { kind: 'mrn', value: 'TEST-1' } },
      givenName: 'Test',
      familyName: 'Patient 1',
      nurse: { id: 'nurse-1', name: 'Asha Khan' },
    });
    expect(records[0]?.nurse).toBeNull();
    expect(Date.parse(records[1]?.updatedAt ?? '')).not.toBeNaN();
    expect(await fhirPatientRecords(db, [])).toEqual([]);
  });

  it('costs one statement whatever the number of ids', async () => {
    const one = counting(db);
    await fhirPatientRecords(one.db, ['pat-1']);
    const three = counting(db);
    await fhirPatientRecords(three.db, ['pat-1', 'pat-2', 'pat-3']);
    expect(one.count()).toBe(1);
    expect(three.count()).toBe(one.count());
  });
});

describe('FHIR episode records', () => {
  it("reads an episode with every entry in recorded order, its steps and the patient's nurse", async () => {
    const [record] = await fhirEpisodeRecords(db, { episodeIds: ['ep-1'] });
    expect(record).toMatchObject({
      id: 'ep-1',
      patientId: 'pat-1',
      closedAt: null,
      nurse: { id: 'nurse-1', name: 'Asha Khan' },
    });
    expect(record?.events.map((event) => event.id)).toEqual(['pain-1', 'fix-1']);
    // The episode as corrected, not as enrolled.
    expect(record?.episode).toMatchObject({
      fractureDate: '2026-11-14',
      fractureDateEstimated: true,
    });
    expect(record?.version).toBeGreaterThan(1);
    expect(record?.steps.length).toBeGreaterThan(0);
    const withWindow = record?.steps.find((step) => step.window);
    expect(withWindow?.window?.transitions.overdue).toMatch(/^\d{4}-\d\d-\d\dT/);
    for (const step of record?.steps ?? []) {
      expect(step.window === undefined || typeof step.window === 'object').toBe(true);
      expect(step.completion === undefined || typeof step.completion === 'object').toBe(true);
    }
  });

  it("reads patients' episodes in the order of the patients asked for", async () => {
    const records = await fhirEpisodeRecords(db, { patientIds: ['pat-2', 'pat-1'] });
    expect(records.map((record) => record.id)).toEqual(['ep-2', 'ep-1']);
    expect(await fhirEpisodeRecords(db, { patientIds: ['pat-2'], episodeIds: ['ep-1'] })).toEqual(
      [],
    );
    expect(await fhirEpisodeRecords(db, { patientIds: [] })).toEqual([]);
  });

  it('refuses a call that names neither patients nor episodes', async () => {
    await expect(fhirEpisodeRecords(db, {})).rejects.toThrow(/patientIds or episodeIds/);
  });

  it('costs the same number of statements for one episode as for three', async () => {
    const one = counting(db);
    await fhirEpisodeRecords(one.db, { patientIds: ['pat-1'] });
    const three = counting(db);
    await fhirEpisodeRecords(three.db, { patientIds: ['pat-1', 'pat-2', 'pat-3'] });
    expect(three.count()).toBe(one.count());
    expect(one.count()).toBeLessThanOrEqual(4);
  });
});

describe('FHIR audit records', () => {
  it('pages through the audit log in id order with the actors named', async () => {
    const first = await fhirAuditRecords(db, { limit: 2 });
    expect(first).toHaveLength(2);
    const rest = await fhirAuditRecords(db, { after: first[1]?.id, limit: 1000 });
    const all = [...first, ...rest];
    const ids = all.map((record) => BigInt(record.id));
    expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const recorded = all.find((record) => record.entityId === 'pain-1');
    expect(recorded).toMatchObject({
      actor: 'nurse-2',
      actorName: 'Ben Ellis',
      patientId: 'pat-1',
    });
    const since = await fhirAuditRecords(db, { limit: 1000, since: later(3) });
    expect(since.length).toBeGreaterThan(0);
    expect(since.every((record) => Date.parse(record.at) >= later(3).getTime())).toBe(true);
    expect(since.length).toBeLessThan(all.length);
  });

  it('refuses a cursor that is not an audit id and a limit below one', async () => {
    await expect(fhirAuditRecords(db, { after: 'x1', limit: 5 })).rejects.toThrow(/after/);
    await expect(fhirAuditRecords(db, { limit: 0 })).rejects.toThrow(/limit/);
  });
});

describe('the demo caseload as FHIR', () => {
  const SEEDED_AT = new Date('2026-11-17T10:00:00Z');
  let demo: { db: Database; close(): Promise<void> };
  beforeAll(async () => {
    demo = await openTestDatabase('fhir_records_demo');
    await seedDemo(demo.db, { now: SEEDED_AT });
  }, 180_000);
  afterAll(() => demo.close());

  it('reads every patient through the views and every resource is valid R4', async () => {
    const ids = (
      await demo.db.patient.findMany({ select: { id: true }, orderBy: { id: 'asc' } })
    ).map((row) => row.id);
    expect(ids.length).toBeGreaterThan(20);
    const patients = await fhirPatientRecords(demo.db, ids);
    const episodes = await fhirEpisodeRecords(demo.db, { patientIds: ids });
    expect(patients).toHaveLength(ids.length);
    const episodesOf = new Map<string, EpisodeRecord[]>();
    for (const episode of episodes) {
      episodesOf.set(episode.patientId, [...(episodesOf.get(episode.patientId) ?? []), episode]);
    }
    const resources = patients.flatMap((patient) =>
      patientResources(patient, episodesOf.get(patient.patient.id) ?? [], planDefinitionCanonical),
    );
    const audit = (await fhirAuditRecords(demo.db, { limit: 500 })).map(auditEventResource);
    expect(audit.length).toBeGreaterThan(0);
    const errors: string[] = [];
    for (const resource of [...resources, ...audit]) {
      const result = validateR4(resource);
      if (result.errors.length > 0) {
        errors.push(`${resource.resourceType}/${resource.id}:\n${describeFindings(result.errors)}`);
      }
    }
    expect(errors).toEqual([]);
    const counts: Record<string, number> = {};
    for (const resource of [...resources, ...audit]) {
      counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;
    }
    // Every kind of resource the mappings make is in the demo.
    expect(Object.keys(counts).sort()).toEqual([
      'AuditEvent',
      'CarePlan',
      'Condition',
      'EpisodeOfCare',
      'MedicationStatement',
      'Observation',
      'Patient',
      'ServiceRequest',
      'Task',
    ]);
    console.info(`demo caseload as FHIR, all valid R4: ${JSON.stringify(counts)}`);
  });
});
