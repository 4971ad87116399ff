// FHIR bulk exports run by the real worker on real PostgreSQL and Redis (its own key prefix):
// asked for with the database command (as the dashboard's kick-off does), relayed from the
// outbox, run as a BullMQ job, written as NDJSON parts. Also: a cancellation stops the job at its
// next batch; a worker killed in the middle of an export leaves a job that another worker resumes
// with no line written twice; and the processor's retained memory does not grow with the export.
import type { ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Database } from '@vfx/database';
import {
  cancelFhirExport,
  createApiKey,
  enrolPatients,
  FHIR_EXPORT_RESOURCE_TYPES,
  requestFhirExport,
} from '@vfx/database/commands';
import { testEnrolment } from '@vfx/database/testing';
import { fhirExportFile, fhirExportStatus } from '@vfx/database/views';
import { Queue, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { queueConnection } from '../queue/connection.js';
import { jobRequest, QUEUES } from '../queue/job-catalog.js';
import { type TestEnvironment, testEnvironment, waitFor } from '../testing/harness.js';
import { freePort, kill, ready, startWorkerProcess } from '../testing/worker-process.js';
import { runFhirExport } from './fhir-export.processor.js';

const PATIENTS = 40;
const REQUEST_URL = 'https://fls.example/fhir/R4/$export';

async function enrol(db: Database, count: number, from = 1) {
  for (let first = from; first < from + count; first += 50) {
    const n = Math.min(50, from + count - first);
    await enrolPatients(
      db,
      Array.from({ length: n }, (_, i) => testEnrolment({ n: first + i })),
      { actorId: 'nurse-1', now: new Date('2026-11-20T09:00:00Z') },
    );
  }
}

async function adminKeyUser(db: Database): Promise<string> {
  return (await createApiKey(db, { name: 'Registry', role: 'admin' }, 'admin-1')).userId;
}

/** Every file of a completed export, as parsed lines by type. */
async function files(db: Database, exportId: string, requestedBy: string) {
  const status = await fhirExportStatus(db, { exportId, requestedBy, now: new Date() });
  if (status.kind !== 'completed') throw new Error(`export is ${status.kind}`);
  const byType = new Map<string, { resourceType: string; id: string }[]>();
  for (const file of status.output) {
    const stream = await fhirExportFile(db, {
      exportId,
      requestedBy,
      resourceType: file.resourceType,
      now: new Date(),
    });
    if (!stream) throw new Error(`no file ${file.resourceType}`);
    const text = await new Response(stream.body).text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(file.count);
    byType.set(file.resourceType, lines);
  }
  return byType;
}

function expectNoLineTwice(byType: Map<string, { resourceType: string; id: string }[]>) {
  for (const [type, lines] of byType) {
    expect(lines.every((line) => line.resourceType === type)).toBe(true);
    const ids = lines.map((line) => line.id);
    expect(new Set(ids).size, `a ${type} written twice`).toBe(ids.length);
  }
}

const stateOf = async (db: Database, id: string) =>
  (await db.fhirExport.findUniqueOrThrow({ where: { id } })).state;

describe('FHIR bulk export in the worker (Redis)', () => {
  let env: TestEnvironment;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    await kill(child);
    child = undefined;
    await env.close();
  });

  it('runs an export from the outbox to its files, by type and since', async () => {
    env = await testEnvironment('redis', { FHIR_EXPORT_BATCH_SIZE: '7' });
    await enrol(env.db, PATIENTS);
    const requestedBy = await adminKeyUser(env.db);
    const all = await requestFhirExport(
      env.db,
      requestedBy,
      { requestUrl: REQUEST_URL, types: [...FHIR_EXPORT_RESOURCE_TYPES], since: null },
      new Date(),
    );
    await env.start();
    await waitFor(
      'the export to complete',
      async () => (await stateOf(env.db, all.id)) === 'completed',
    );

    const byType = await files(env.db, all.id, requestedBy);
    expectNoLineTwice(byType);
    const patientIds = Array.from({ length: PATIENTS }, (_, i) => `pat-${i + 1}`).sort();
    expect(
      byType
        .get('Patient')
        ?.map((p) => p.id)
        .sort(),
    ).toEqual(patientIds);
    expect(byType.get('EpisodeOfCare')).toHaveLength(PATIENTS);
    expect(byType.get('Condition')).toHaveLength(PATIENTS);
    expect(byType.get('CarePlan')).toHaveLength(PATIENTS);
    expect(byType.get('Task')?.length).toBeGreaterThan(PATIENTS);
    const row = await env.db.fhirExport.findUniqueOrThrow({ where: { id: all.id } });
    expect(row).toMatchObject({ patientsTotal: PATIENTS, patientsDone: PATIENTS });
    expect(row.nextSequence).toBe(Math.ceil(PATIENTS / 7));

    // _type and _since: only CarePlans, and only of the episodes changed since.
    await env.db.$executeRaw`UPDATE patients SET updated_at = '2026-11-01T00:00:00Z'`;
    await env.db.$executeRaw`UPDATE episodes SET updated_at = '2026-11-01T00:00:00Z'`;
    await env.db.$executeRaw`UPDATE episodes SET updated_at = '2026-11-25T00:00:00Z'
                              WHERE id IN ('ep-3', 'ep-17')`;
    const some = await requestFhirExport(
      env.db,
      requestedBy,
      {
        requestUrl: REQUEST_URL,
        types: ['CarePlan', 'Patient'],
        since: new Date('2026-11-10T00:00:00Z'),
      },
      new Date(),
    );
    await waitFor(
      'the second export',
      async () => (await stateOf(env.db, some.id)) === 'completed',
    );
    const changed = await files(env.db, some.id, requestedBy);
    expect([...changed.keys()]).toEqual(['CarePlan']);
    expect(changed.get('CarePlan')).toHaveLength(2);
    expect(
      (await env.db.fhirExport.findUniqueOrThrow({ where: { id: some.id } })).patientsTotal,
    ).toBe(2);
  });

  it('queues again an export whose job was lost, and deletes expired exports, at start-up', async () => {
    env = await testEnvironment('redis');
    await enrol(env.db, 5);
    const requestedBy = await adminKeyUser(env.db);
    const lost = await requestFhirExport(
      env.db,
      requestedBy,
      { requestUrl: REQUEST_URL, types: ['Patient'], since: null },
      new Date(),
    );
    const old = await requestFhirExport(
      env.db,
      requestedBy,
      { requestUrl: REQUEST_URL, types: ['Patient'], since: null },
      new Date(Date.now() - 2 * 24 * 3_600_000),
    );
    // As if the queue store had lost the relayed job: no outbox message left, nothing queued.
    await env.db.outboxMessage.deleteMany({ where: { kind: 'fhir-export.run' } });
    await env.db.fhirExport.update({
      where: { id: lost.id },
      data: { updatedAt: new Date(Date.now() - 10 * 60_000) },
    });
    await env.start();
    await waitFor(
      'the lost export to complete',
      async () => (await stateOf(env.db, lost.id)) === 'completed',
    );
    expect(await env.db.fhirExport.findUnique({ where: { id: old.id } })).toBeNull();
    expect((await files(env.db, lost.id, requestedBy)).get('Patient')).toHaveLength(5);
  });

  it('fails an export whose job BullMQ failed without its handler (stalled too often)', async () => {
    env = await testEnvironment('redis');
    await enrol(env.db, 2);
    const requestedBy = await adminKeyUser(env.db);
    const { id } = await requestFhirExport(
      env.db,
      requestedBy,
      { requestUrl: REQUEST_URL, types: ['Patient'], since: null },
      new Date(),
    );
    await env.db.outboxMessage.deleteMany({ where: { kind: 'fhir-export.run' } });
    await env.db.fhirExport.update({
      where: { id },
      data: { updatedAt: new Date(Date.now() - 10 * 60_000) },
    });
    // The job, failed for good by BullMQ itself: a bare BullMQ worker that fails it at once.
    const connection = queueConnection(env.config);
    const queue = new Queue(QUEUES.fhirExports, connection);
    const request = jobRequest('run-fhir-export', { exportId: id });
    await queue.add(request.name, request.data, { ...request.opts, attempts: 1 });
    const bare = new Worker(
      QUEUES.fhirExports,
      async () => {
        throw new Error('job stalled more than allowable limit');
      },
      connection,
    );
    await waitFor('the job to fail', async () =>
      (await queue.getJob(request.opts.jobId))?.isFailed(),
    );
    await bare.close();
    await queue.close();

    await env.start();
    await waitFor('the export to fail', async () => (await stateOf(env.db, id)) === 'failed');
    expect(await fhirExportStatus(env.db, { exportId: id, requestedBy, now: new Date() })).toEqual({
      kind: 'failed',
      error: "The export's job failed: job stalled more than allowable limit",
    });
  });

  it('stops at the next batch when cancelled', async () => {
    env = await testEnvironment('redis', {
      FHIR_EXPORT_BATCH_SIZE: '4',
      FHIR_EXPORT_PAUSE_MS: '300',
    });
    await enrol(env.db, PATIENTS);
    const requestedBy = await adminKeyUser(env.db);
    const worker = await env.start();
    const { id } = await requestFhirExport(
      env.db,
      requestedBy,
      { requestUrl: REQUEST_URL, types: ['Patient'], since: null },
      new Date(),
    );
    await waitFor('a first batch', async () => {
      const row = await env.db.fhirExport.findUniqueOrThrow({ where: { id } });
      return row.patientsDone > 0;
    });
    expect(await cancelFhirExport(env.db, requestedBy, id, new Date())).toBe('cancelled');
    // The job ends within a batch and its pause: it is removed on completion.
    await waitFor(
      'the job to end',
      async () => (await worker.queues.fhirExports.getJob(`fhir-export_${id}`)) === undefined,
      5_000,
    );
    const row = await env.db.fhirExport.findUniqueOrThrow({ where: { id } });
    expect(row.state).toBe('cancelled');
    expect(row.patientsDone).toBeLessThan(PATIENTS);
    expect(await env.db.fhirExportPart.count({ where: { exportId: id } })).toBe(0);
  });

  it('killed in the middle of an export, resumes on another worker with no line twice', async () => {
    env = await testEnvironment('redis', {
      FHIR_EXPORT_BATCH_SIZE: '4',
      FHIR_EXPORT_PAUSE_MS: '150',
    });
    await enrol(env.db, PATIENTS);
    const requestedBy = await adminKeyUser(env.db);
    const port = await freePort();
    child = startWorkerProcess({ ...env.env, PORT: String(port) });
    await ready(port);
    const { id } = await requestFhirExport(
      env.db,
      requestedBy,
      { requestUrl: REQUEST_URL, types: [...FHIR_EXPORT_RESOURCE_TYPES], since: null },
      new Date(),
    );
    await waitFor('some batches', async () => {
      const row = await env.db.fhirExport.findUniqueOrThrow({ where: { id } });
      return row.patientsDone >= 12;
    });
    await kill(child);
    const atKill = await env.db.fhirExport.findUniqueOrThrow({ where: { id } });
    expect(atKill.state).toBe('running');
    expect(atKill.patientsDone).toBeLessThan(PATIENTS);

    // Another worker takes the stalled job over once its lock has run out, and resumes.
    await env.start();
    await waitFor(
      'the export to complete',
      async () => (await stateOf(env.db, id)) === 'completed',
      30_000,
    );
    const byType = await files(env.db, id, requestedBy);
    expectNoLineTwice(byType);
    expect(byType.get('Patient')).toHaveLength(PATIENTS);
    expect(byType.get('EpisodeOfCare')).toHaveLength(PATIENTS);
    expect((await env.db.fhirExport.findUniqueOrThrow({ where: { id } })).patientsDone).toBe(
      PATIENTS,
    );
  });

  it('keeps one batch in memory: the retained heap does not grow with the patients written', async () => {
    env = await testEnvironment('redis');
    const patients = 300;
    await enrol(env.db, patients);
    const requestedBy = await adminKeyUser(env.db);
    const { id } = await requestFhirExport(
      env.db,
      requestedBy,
      { requestUrl: REQUEST_URL, types: [...FHIR_EXPORT_RESOURCE_TYPES], since: null },
      new Date(),
    );
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const retained: number[] = [];
    const outcome = await runFhirExport(env.db, id, {
      batchSize: 20,
      clock: () => new Date(),
      onBatch: () => {
        gc();
        retained.push(process.memoryUsage().heapUsed);
      },
    });
    if (outcome.kind !== 'completed') throw new Error(outcome.why);
    expect(outcome.patients).toBe(patients);
    expect(retained).toHaveLength(patients / 20);
    // After the first batches have warmed the code up, what stays on the heap between batches
    // is flat, though the export wrote several times that many bytes.
    const growth = Math.max(...retained.slice(2)) - (retained[2] ?? 0);
    console.info(
      `memory: ${outcome.resources} resources, ${(outcome.bytes / 1e6).toFixed(1)} MB written; retained heap grew ${(growth / 1e6).toFixed(2)} MB`,
    );
    expect(growth).toBeLessThan(outcome.bytes / 4);
    expect(growth).toBeLessThan(4e6);
  });
});
