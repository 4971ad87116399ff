import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { testEnrolment } from '../testing/enrolment.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUsers } from '../testing/users.js';
import { fhirExportFile, fhirExportStatus } from '../views/fhir-export.js';
import { createApiKey } from './create-api-key.js';
import { enrolPatients } from './enrol-patient.js';
import { cancelFhirExport, FHIR_EXPORT_LIFETIME_MS, requestFhirExport } from './fhir-export.js';
import {
  completeFhirExport,
  deleteExpiredFhirExports,
  failFhirExport,
  fhirExportPatientIds,
  saveFhirExportBatch,
  startFhirExportRun,
} from './fhir-export-run.js';

let db: Database;
let close: () => Promise<void>;
/** The integration users of an administrator's key and of a nurse's key. */
let adminKeyUser: string;
let otherAdminKeyUser: string;
let nurseKeyUser: string;

const NOW = new Date('2026-12-01T10:00:00Z');
const URL_ALL = 'https://fls.example/fhir/R4/$export';

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('fhir_export'));
  await createUsers(db);
  adminKeyUser = (await createApiKey(db, { name: 'Registry', role: 'admin' }, 'admin-1', NOW))
    .userId;
  otherAdminKeyUser = (await createApiKey(db, { name: 'Other', role: 'admin' }, 'admin-1', NOW))
    .userId;
  nurseKeyUser = (await createApiKey(db, { name: 'EHR', role: 'nurse' }, 'admin-1', NOW)).userId;
  await enrolPatients(
    db,
    [1, 2, 3, 4, 5].map((n) => testEnrolment({ n })),
    { actorId: 'nurse-1', now: new Date('2026-11-20T09:00:00Z') },
  );
});
afterAll(() => close());

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

const part = (resourceType: string, ids: readonly string[]) => ({
  resourceType,
  lineCount: ids.length,
  body: ids.map((id) => `${JSON.stringify({ resourceType, id })}\n`).join(''),
});

describe('asking for an export', () => {
  it('writes the export, its outbox message and its audit entry together', async () => {
    const started = await requestFhirExport(
      db,
      adminKeyUser,
      { requestUrl: URL_ALL, types: ['Patient', 'CarePlan', 'Patient'], since: null },
      NOW,
    );
    expect(started.transactionTime).toEqual(NOW);
    expect(started.expiresAt).toEqual(new Date(NOW.getTime() + FHIR_EXPORT_LIFETIME_MS));
    const row = await db.fhirExport.findUniqueOrThrow({ where: { id: started.id } });
    expect(row).toMatchObject({
      state: 'queued',
      types: ['Patient', 'CarePlan'],
      requestedBy: adminKeyUser,
    });
    const outbox = await db.outboxMessage.findMany({ where: { kind: 'fhir-export.run' } });
    expect(outbox.map((m) => m.payload)).toContainEqual({ exportId: started.id });
    const audit = await db.auditEntry.findFirst({
      where: { action: 'fhir-export.requested', entityId: started.id },
    });
    expect(audit?.actor).toBe(adminKeyUser);
    expect(
      await fhirExportStatus(db, { exportId: started.id, requestedBy: adminKeyUser, now: NOW }),
    ).toEqual({ kind: 'in-progress', state: 'queued', patientsDone: 0, patientsTotal: null });
  });

  it("refuses a nurse's key, and an unknown type, writing nothing", async () => {
    const before = await db.fhirExport.count();
    await expect(
      requestFhirExport(
        db,
        nurseKeyUser,
        { requestUrl: URL_ALL, types: ['Patient'], since: null },
        NOW,
      ),
    ).rejects.toThrow(/administrators/);
    await expect(
      requestFhirExport(
        db,
        adminKeyUser,
        { requestUrl: URL_ALL, types: ['Patient', 'Encounter'], since: null },
        NOW,
      ),
    ).rejects.toThrow(/Encounter/);
    expect(await db.fhirExport.count()).toBe(before);
    const refused = await db.auditEntry.findFirst({
      where: { action: 'access.refused', actor: nurseKeyUser, entityId: 'fhir.export' },
    });
    expect(refused).not.toBeNull();
  });
});

describe('running an export', () => {
  it('walks patients by id, saves each batch once, and serves the files in order', async () => {
    const { id } = await requestFhirExport(
      db,
      adminKeyUser,
      {
        requestUrl: URL_ALL,
        types: ['Patient'],
        since: null,
        warnings: {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'warning', code: 'not-supported', diagnostics: '_elements ignored' }],
        },
      },
      NOW,
    );
    const start = await startFhirExportRun(db, id, NOW);
    if (start.kind !== 'run') throw new Error(start.why);
    expect(start.run).toMatchObject({ patientsTotal: 5, patientsDone: 0, cursor: null });

    const first = await fhirExportPatientIds(db, start.run, null, 3);
    expect(first).toEqual(['pat-1', 'pat-2', 'pat-3']);
    const saved = await saveFhirExportBatch(
      db,
      id,
      { after: null, last: 'pat-3', patients: 3, parts: [part('Patient', first)] },
      NOW,
    );
    expect(saved).toMatchObject({ kind: 'saved', run: { cursor: 'pat-3', patientsDone: 3 } });
    // The same batch again (a retried job that had saved it before dying): refused, not doubled.
    const again = await saveFhirExportBatch(
      db,
      id,
      { after: null, last: 'pat-3', patients: 3, parts: [part('Patient', first)] },
      NOW,
    );
    expect(again).toMatchObject({ kind: 'moved-on', run: { cursor: 'pat-3', patientsDone: 3 } });
    // A job resuming reads where the last commit left off.
    const resumed = await startFhirExportRun(db, id, NOW);
    expect(resumed).toMatchObject({ kind: 'run', run: { cursor: 'pat-3', patientsTotal: 5 } });
    expect(
      await fhirExportStatus(db, { exportId: id, requestedBy: adminKeyUser, now: NOW }),
    ).toEqual({ kind: 'in-progress', state: 'running', patientsDone: 3, patientsTotal: 5 });

    const rest = await fhirExportPatientIds(db, start.run, 'pat-3', 3);
    expect(rest).toEqual(['pat-4', 'pat-5']);
    await saveFhirExportBatch(
      db,
      id,
      { after: 'pat-3', last: 'pat-5', patients: 2, parts: [part('Patient', rest)] },
      NOW,
    );
    const done = new Date(NOW.getTime() + 60_000);
    expect(await completeFhirExport(db, id, done)).toBe(true);

    const status = await fhirExportStatus(db, {
      exportId: id,
      requestedBy: adminKeyUser,
      now: done,
    });
    expect(status).toMatchObject({
      kind: 'completed',
      transactionTime: NOW,
      requestUrl: URL_ALL,
      expiresAt: new Date(done.getTime() + FHIR_EXPORT_LIFETIME_MS),
      output: [{ resourceType: 'Patient', count: 5 }],
      error: [{ resourceType: 'OperationOutcome', count: 1 }],
    });
    const file = await fhirExportFile(db, {
      exportId: id,
      requestedBy: adminKeyUser,
      resourceType: 'Patient',
      now: done,
    });
    if (!file) throw new Error('no file');
    const lines = (await text(file.body)).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line).id)).toEqual([
      'pat-1',
      'pat-2',
      'pat-3',
      'pat-4',
      'pat-5',
    ]);
    expect(file.count).toBe(5);

    // Another key, even an administrator's, does not see it; nor does anyone once it has expired.
    expect(
      await fhirExportStatus(db, { exportId: id, requestedBy: otherAdminKeyUser, now: done }),
    ).toEqual({ kind: 'not-found' });
    expect(
      await fhirExportFile(db, {
        exportId: id,
        requestedBy: otherAdminKeyUser,
        resourceType: 'Patient',
        now: done,
      }),
    ).toBeUndefined();
    const later = new Date(done.getTime() + FHIR_EXPORT_LIFETIME_MS);
    expect(
      await fhirExportStatus(db, { exportId: id, requestedBy: adminKeyUser, now: later }),
    ).toMatchObject({ kind: 'expired' });
    expect(
      await fhirExportFile(db, {
        exportId: id,
        requestedBy: adminKeyUser,
        resourceType: 'Patient',
        now: later,
      }),
    ).toBeUndefined();
    expect(await deleteExpiredFhirExports(db, later)).toBeGreaterThanOrEqual(1);
    expect(await db.fhirExportPart.count({ where: { exportId: id } })).toBe(0);
    expect(
      await fhirExportStatus(db, { exportId: id, requestedBy: adminKeyUser, now: later }),
    ).toEqual({ kind: 'not-found' });
  });

  it('stops at the next batch once cancelled, and the cancelled export answers 404', async () => {
    const { id } = await requestFhirExport(
      db,
      adminKeyUser,
      { requestUrl: URL_ALL, types: ['Patient'], since: null },
      NOW,
    );
    const start = await startFhirExportRun(db, id, NOW);
    if (start.kind !== 'run') throw new Error(start.why);
    await saveFhirExportBatch(
      db,
      id,
      { after: null, last: 'pat-2', patients: 2, parts: [part('Patient', ['pat-1', 'pat-2'])] },
      NOW,
    );
    expect(await cancelFhirExport(db, otherAdminKeyUser, id, NOW)).toBe('not-found');
    expect(await cancelFhirExport(db, adminKeyUser, id, NOW)).toBe('cancelled');
    expect(await db.fhirExportPart.count({ where: { exportId: id } })).toBe(0);
    const next = await saveFhirExportBatch(
      db,
      id,
      { after: 'pat-2', last: 'pat-4', patients: 2, parts: [part('Patient', ['pat-3', 'pat-4'])] },
      NOW,
    );
    expect(next).toEqual({ kind: 'stop', why: 'the export is cancelled' });
    expect(await db.fhirExportPart.count({ where: { exportId: id } })).toBe(0);
    expect(
      await fhirExportStatus(db, { exportId: id, requestedBy: adminKeyUser, now: NOW }),
    ).toEqual({ kind: 'not-found' });
    expect(await cancelFhirExport(db, adminKeyUser, id, NOW)).toBe('not-found');
    expect(await startFhirExportRun(db, id, NOW)).toEqual({
      kind: 'stop',
      why: 'the export is cancelled',
    });
    const audited = await db.auditEntry.count({
      where: { action: 'fhir-export.cancelled', entityId: id },
    });
    expect(audited).toBe(1);
  });

  it('keeps a failed export’s error and none of its files', async () => {
    const { id } = await requestFhirExport(
      db,
      adminKeyUser,
      { requestUrl: URL_ALL, types: ['Patient'], since: null },
      NOW,
    );
    const start = await startFhirExportRun(db, id, NOW);
    if (start.kind !== 'run') throw new Error(start.why);
    await saveFhirExportBatch(
      db,
      id,
      { after: null, last: 'pat-1', patients: 1, parts: [part('Patient', ['pat-1'])] },
      NOW,
    );
    await failFhirExport(db, id, 'the mapping failed', NOW);
    expect(
      await fhirExportStatus(db, { exportId: id, requestedBy: adminKeyUser, now: NOW }),
    ).toEqual({ kind: 'failed', error: 'the mapping failed' });
    expect(await db.fhirExportPart.count({ where: { exportId: id } })).toBe(0);
  });

  it('covers only the patients changed since _since', async () => {
    await db.$executeRaw`UPDATE patients SET updated_at = '2026-11-01T00:00:00Z'`;
    await db.$executeRaw`UPDATE episodes SET updated_at = '2026-11-01T00:00:00Z'`;
    await db.$executeRaw`UPDATE patients SET updated_at = '2026-11-25T00:00:00Z' WHERE id = 'pat-2'`;
    await db.$executeRaw`UPDATE episodes SET updated_at = '2026-11-25T00:00:00Z' WHERE id = 'ep-4'`;
    const since = new Date('2026-11-10T00:00:00Z');
    const { id } = await requestFhirExport(
      db,
      adminKeyUser,
      { requestUrl: `${URL_ALL}?_since=2026-11-10T00:00:00Z`, types: ['Patient'], since },
      NOW,
    );
    const start = await startFhirExportRun(db, id, NOW);
    if (start.kind !== 'run') throw new Error(start.why);
    expect(start.run.patientsTotal).toBe(2);
    expect(await fhirExportPatientIds(db, start.run, null, 10)).toEqual(['pat-2', 'pat-4']);
  });
});
