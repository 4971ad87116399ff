// FHIR bulk export benchmark: a full system-level $export of a synthetic caseload, run by the
// worker's real processor (src/fhir-export/fhir-export.processor.ts) on its own database, then
// the largest file streamed back as the dashboard's download reads it. Prints the export's
// duration, resources and bytes per type, and the peak RSS and heap sampled while it ran.
//
//   npm run bench:fhir-export -- [--patients 100000] [--batch 100] [--writers 2] [--keep]
//                                [--no-seed]
//
// The database (vfx_bench_fhir_export_<patients> on the PostgreSQL the tests use,
// TEST_POSTGRES_URL) is seeded through the real write path (the same synthetic patients as
// bench:scale) and kept with --keep, so a second run measures the export without seeding again.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDatabase, type Database } from '@vfx/database';
import {
  createApiKey,
  enrolPatients,
  FHIR_EXPORT_RESOURCE_TYPES,
  requestFhirExport,
} from '@vfx/database/commands';
import { deployMigrations } from '@vfx/database/migrations';
import { createUsers, TEST_POSTGRES_URL } from '@vfx/database/testing';
import { fhirExportFile, fhirExportStatus } from '@vfx/database/views';
import { runFhirExport } from '../src/fhir-export/fhir-export.processor.js';
import { seededRandom, syntheticPatient } from './synthetic-caseload.js';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '100' },
    writers: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
    /** Measure the patients already seeded, however many (a seed stopped part of the way). */
    'no-seed': { type: 'boolean', default: false },
  },
});
const whole = (name: 'patients' | 'batch' | 'writers', min: number) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`--${name} must be a whole number of at least ${min}`);
  }
  return value;
};
const PATIENTS = whole('patients', 1);
const BATCH = whole('batch', 1);
const WRITERS = whole('writers', 1);
const SEED_BATCH = 250;
/** The seed's clock: fixed, so a kept database is the same caseload on another day. */
const SEED_NOW = Date.parse('2026-12-01T12:00:00Z');

const DATABASE = `vfx_bench_fhir_export_${PATIENTS}`;
const url = new URL(TEST_POSTGRES_URL);
url.pathname = `/${DATABASE}`;
const DATABASE_URL = url.toString();

function log(line: string) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function serverQuery(sql: string) {
  const server = createDatabase(TEST_POSTGRES_URL);
  try {
    return await server.$queryRawUnsafe<unknown[]>(sql);
  } finally {
    await server.$disconnect();
  }
}

/** Whether this process seeded (its memory then says nothing about the export's). */
let seeded = false;

async function prepare(): Promise<Database> {
  const exists = await serverQuery(`SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`);
  if (exists.length === 0) await serverQuery(`CREATE DATABASE "${DATABASE}"`);
  await deployMigrations(DATABASE_URL);
  const db = createDatabase(DATABASE_URL, { applicationName: 'vfx-bench-fhir-export' });
  if ((await db.user.count()) === 0) await createUsers(db);
  const have = await db.patient.count();
  if (have < PATIENTS && !values['no-seed']) {
    log(`seeding ${PATIENTS - have} patients through the write path (${have} already there)`);
    // Patients are made a batch at a time, in order (one random sequence), as writers ask.
    const random = seededRandom(42);
    for (let n = 1; n <= have; n += 1) syntheticPatient(n, SEED_NOW, random);
    let next = have + 1;
    const nextBatch = () => {
      const batch = [];
      for (; batch.length < SEED_BATCH && next <= PATIENTS; next += 1) {
        batch.push(syntheticPatient(next, SEED_NOW, random));
      }
      return batch;
    };
    const started = performance.now();
    let enrolled = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let batch = nextBatch(); batch.length > 0; batch = nextBatch()) {
          await enrolPatients(db, batch, { actorId: 'nurse-1', now: new Date(SEED_NOW) });
          enrolled += batch.length;
          if (enrolled % 5_000 < SEED_BATCH) {
            const rate = enrolled / ((performance.now() - started) / 1000);
            log(`enrolled ${enrolled} (${rate.toFixed(0)} patients/s)`);
          }
        }
      }),
    );
    // The outbox's follow-up messages are no part of this benchmark: no worker relays them here.
    await db.outboxMessage.deleteMany({});
    await db.$executeRawUnsafe('VACUUM ANALYZE');
    seeded = true;
  }
  return db;
}

/** Samples the process's RSS and heap every 50 ms while `work` runs. */
async function sampled<T>(work: () => Promise<T>) {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    rss = Math.max(rss, usage.rss);
    heap = Math.max(heap, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 50);
  const started = performance.now();
  try {
    const result = await work();
    sample();
    return { result, seconds: (performance.now() - started) / 1000, rss, heap };
  } finally {
    clearInterval(timer);
  }
}

/** Runs this script again on the seeded database, so the export is measured in a fresh process. */
async function measureInFreshProcess(): Promise<void> {
  const args = process.argv.slice(2).filter((arg) => arg !== '--keep');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), ...args, '--keep'],
    {
      stdio: 'inherit',
    },
  );
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the measuring run exited with ${code}`);
}

async function main() {
  const db = await prepare();
  if (seeded) {
    await db.$disconnect();
    log('seeded; measuring in a fresh process');
    try {
      await measureInFreshProcess();
    } finally {
      if (!values.keep) await serverQuery(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    }
    return;
  }
  try {
    const patients = await db.patient.count();
    const key = await createApiKey(db, { name: `Bench ${Date.now()}`, role: 'admin' }, 'admin-1');
    const before = process.memoryUsage();
    log(`exporting ${patients} patients, batches of ${BATCH}`);
    const { id } = await requestFhirExport(
      db,
      key.userId,
      {
        requestUrl: 'https://fls.example/fhir/R4/$export',
        types: [...FHIR_EXPORT_RESOURCE_TYPES],
        since: null,
      },
      new Date(),
    );
    let lastLog = 0;
    const exported = await sampled(() =>
      runFhirExport(db, id, {
        batchSize: BATCH,
        clock: () => new Date(),
        onBatch: (progress) => {
          if (progress.patientsDone - lastLog >= 10_000) {
            lastLog = progress.patientsDone;
            log(`${progress.patientsDone} of ${progress.patientsTotal} patients`);
          }
        },
      }),
    );
    const outcome = exported.result;
    if (outcome.kind !== 'completed') throw new Error(`export stopped: ${outcome.why}`);

    const status = await fhirExportStatus(db, {
      exportId: id,
      requestedBy: key.userId,
      now: new Date(),
    });
    if (status.kind !== 'completed') throw new Error(`export is ${status.kind}`);
    const largest = [...status.output].sort((a, b) => b.bytes - a.bytes)[0];
    if (!largest) throw new Error('the export wrote no file');
    const downloaded = await sampled(async () => {
      const file = await fhirExportFile(db, {
        exportId: id,
        requestedBy: key.userId,
        resourceType: largest.resourceType,
        now: new Date(),
      });
      if (!file) throw new Error('no file');
      let bytes = 0;
      const reader = file.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
      }
      return bytes;
    });
    // This export's parts as stored (TOAST-compressed), not earlier runs' kept on the database.
    const [stored] = await db.$queryRaw<{ size: bigint }[]>`
      SELECT coalesce(sum(pg_column_size(body)), 0)::bigint AS size
        FROM fhir_export_parts WHERE export_id = ${id}`;
    console.log('');
    console.log(`FHIR bulk export of ${outcome.patients} patients (batch ${BATCH})`);
    console.log(
      `  export    ${exported.seconds.toFixed(1)} s; ${outcome.resources} resources (${(outcome.resources / exported.seconds).toFixed(0)}/s), ${mb(outcome.bytes)} NDJSON (${mb(outcome.bytes / exported.seconds)}/s)`,
    );
    console.log(
      `  memory    RSS ${mb(before.rss)} before, peak ${mb(exported.rss)}; heap ${mb(before.heapUsed)} before, peak ${mb(exported.heap)}`,
    );
    for (const file of status.output) {
      console.log(
        `  ${file.resourceType.padEnd(20)} ${String(file.count).padStart(9)} lines ${mb(file.bytes).padStart(10)}`,
      );
    }
    console.log(
      `  download  ${largest.resourceType}.ndjson: ${mb(downloaded.result)} streamed in ${downloaded.seconds.toFixed(1)} s; peak RSS ${mb(downloaded.rss)}, heap ${mb(downloaded.heap)}`,
    );
    console.log(
      `  stored    ${mb(Number(stored?.size ?? 0))} of parts in fhir_export_parts (compressed)`,
    );
  } finally {
    await db.$disconnect();
    if (!values.keep) await serverQuery(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  }
}

await main();
