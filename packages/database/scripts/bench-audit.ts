// Audit log benchmark: the administrator's audit page at 10 million entries. Loads a database of
// its own with two years of entries (reads of patients are most of them, as once every read is
// audited), then prints p50 / p95 / max of each query the audit page makes, of a single audited
// INSERT while readers are busy, and the table's and each index's size.
//
//   npm run bench:audit -- [--rows 10000000] [--requests 60] [--readers 2] [--keep]
//
// The database (vfx_bench_audit_<rows> on the PostgreSQL the tests use, TEST_POSTGRES_URL) is
// loaded once with SQL generate_series (indexes dropped during the load and built after, as a
// restore would) and kept with --keep, so a second run measures without loading again.
// The times are the view functions' (packages/database/src/views/audit.ts) through Prisma, as
// the page calls them, on the same machine: the server's time, without rendering the HTML.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDatabase, type Database } from '../src/client.js';
import { Prisma } from '../src/generated/prisma/client.js';
import { deployMigrations } from '../src/migrations/index.js';
import { audit } from '../src/records/audit.js';
import { TEST_POSTGRES_URL } from '../src/testing/test-database.js';
import {
  type AuditQuery,
  auditActions,
  auditLog,
  auditPageStatement,
  decodeAuditCursor,
  findAuditPatients,
} from '../src/views/audit.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    patients: { type: 'string', default: '100000' },
    actors: { type: 'string', default: '300' },
    requests: { type: 'string', default: '60' },
    readers: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});
const whole = (name: keyof typeof values, min: number) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`--${name} must be a whole number of at least ${min}`);
  }
  return value;
};
const ROWS = whole('rows', 1000);
const PATIENTS = whole('patients', 10);
const ACTORS = whole('actors', 2);
const REQUESTS = whole('requests', 5);
const READERS = whole('readers', 0);

/** The load's last instant: fixed, so a kept database measures the same on another day. */
const END = new Date('2026-12-01T00:00:00Z');
const SPAN_DAYS = 730;
const BATCH = 500_000;
/** The entity type of the entries the insert measurement writes. */
const MEASURED = 'bench-insert';

const DATABASE = `vfx_bench_audit_${ROWS}`;
const url = new URL(TEST_POSTGRES_URL);
url.pathname = `/${DATABASE}`;
const DATABASE_URL = url.toString();

function log(line: string) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function dropDatabase() {
  const server = createDatabase(TEST_POSTGRES_URL);
  await server.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await server.$disconnect();
}

async function prepareDatabase(): Promise<Database> {
  const server = createDatabase(TEST_POSTGRES_URL);
  const exists = await server.$queryRaw<
    unknown[]
  >`SELECT 1 FROM pg_database WHERE datname = ${DATABASE}`;
  if (exists.length === 0) await server.$executeRawUnsafe(`CREATE DATABASE "${DATABASE}"`);
  await server.$disconnect();
  await deployMigrations(DATABASE_URL);
  const db = createDatabase(DATABASE_URL, { applicationName: 'vfx-bench-audit' });
  // The measured inserts stay (the log is append-only) and are told apart by their entity type.
  const count = (
    await db.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) FROM audit_log WHERE entity_type <> ${MEASURED}`
  )[0]?.count;
  if (Number(count) === ROWS) {
    log(`Reusing ${DATABASE} (${ROWS.toLocaleString('en-GB')} audit entries).`);
    return db;
  }
  if (Number(count) !== 0) {
    throw new Error(`${DATABASE} holds ${count} audit entries, not ${ROWS}: drop it and run again`);
  }
  try {
    await load(db);
  } catch (error) {
    // Nothing half-loaded is kept: the next run starts again from an empty database.
    await db.$disconnect();
    await dropDatabase();
    throw error;
  }
  return db;
}

/**
 * Users, patients and two years of audit entries, in time order (ids ascending with `at`, as a
 * live service appends them). The mix, per entry: 80% a patient's record opened, 8% a search,
 * 0.5% an export, 11.4% changes (entries recorded, steps falling due by the worker, enrolments,
 * reminders sent), 0.1% refusals; the acting user is one of --actors, the patient one of
 * --patients, each chosen at random.
 */
async function load(db: Database) {
  const started = Date.now();
  log(`Loading ${DATABASE}: ${ACTORS} users, ${PATIENTS} patients...`);
  await db.$executeRaw`
    INSERT INTO users (id, email, name, role)
    SELECT 'user-' || n, 'user-' || n || '@bench.invalid', 'Bench User ' || n,
           (CASE WHEN n % 10 = 0 THEN 'admin' WHEN n % 5 = 0 THEN 'scheduler' ELSE 'nurse' END)::"Role"
      FROM generate_series(1, ${ACTORS}::int) AS n`;
  await db.$executeRaw`
    INSERT INTO patients (id, identifier_kind, identifier_value, given_name, family_name,
                          date_of_birth, sex, record, updated_at)
    SELECT 'pat-' || n, 'nhs-number', '9' || lpad(n::text, 9, '0'), 'Given' || n, 'Family' || n,
           DATE '1940-01-01' + (n % 15000), CASE WHEN n % 3 = 0 THEN 'male' ELSE 'female' END,
           '{}'::jsonb, now()
      FROM generate_series(1, ${PATIENTS}::int) AS n`;

  // Build the indexes after the load, as pg_restore would: the same definitions, from the
  // migrations, read back before dropping them.
  const indexes = await db.$queryRaw<{ name: string; definition: string }[]>`
    SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE tablename = 'audit_log' AND indexname <> 'audit_log_pkey'`;
  for (const index of indexes) await db.$executeRawUnsafe(`DROP INDEX "${index.name}"`);

  const span = SPAN_DAYS * 86_400;
  for (let first = 1; first <= ROWS; first += BATCH) {
    const last = Math.min(ROWS, first + BATCH - 1);
    await db.$executeRaw`
      INSERT INTO audit_log (at, actor, action, entity_type, entity_id, patient_id, before, after)
      SELECT at, actor, action,
             CASE WHEN action = 'patient.searched' THEN 'search'
                  WHEN action = 'overdue.exported' THEN 'export'
                  WHEN action = 'access.refused' THEN 'action'
                  WHEN action = 'user.sign-in-refused' THEN 'user'
                  WHEN action = 'step.due' THEN 'plan-step'
                  ELSE 'patient' END,
             CASE WHEN patient IS NULL THEN md5(i::text) ELSE patient END,
             patient,
             CASE WHEN action = 'step.due' THEN '{"status":"open"}'::jsonb END,
             CASE WHEN action = 'step.due' THEN '{"status":"due"}'::jsonb
                  WHEN action = 'overdue.exported' THEN jsonb_build_object('rows', (r * 1e6)::int % 400)
                  WHEN action = 'event.recorded' THEN '{"type":"dxa-done","planChanges":[]}'::jsonb
                  WHEN action = 'access.refused' THEN '{"reason":"Only administrators may open the audit log."}'::jsonb END
        FROM (
          SELECT i, r, action,
                 ${END}::timestamptz - make_interval(secs => ${span}::float8 * (1 - i::float8 / ${ROWS}::float8)) AS at,
                 CASE WHEN action = 'step.due' THEN 'system:worker'
                      WHEN action = 'user.sign-in-refused' THEN 'anonymous'
                      ELSE 'user-' || (1 + floor(random() * ${ACTORS}::int))::int END AS actor,
                 CASE WHEN action IN ('patient.searched', 'overdue.exported', 'access.refused', 'user.sign-in-refused') THEN NULL
                      ELSE 'pat-' || (1 + floor(random() * ${PATIENTS}::int))::int END AS patient
            FROM (
              SELECT i, r,
                     CASE WHEN r < 0.800 THEN 'patient.viewed'
                          WHEN r < 0.880 THEN 'patient.searched'
                          WHEN r < 0.885 THEN 'overdue.exported'
                          WHEN r < 0.945 THEN 'event.recorded'
                          WHEN r < 0.995 THEN 'step.due'
                          WHEN r < 0.997 THEN 'episode.enrolled'
                          WHEN r < 0.999 THEN 'reminder.sent-now'
                          WHEN r < 0.9998 THEN 'access.refused'
                          ELSE 'user.sign-in-refused' END AS action
                FROM (SELECT i, random() AS r FROM generate_series(${first}::int, ${last}::int) AS i) g
            ) chosen
        ) entries
       ORDER BY i`;
    log(`  ${last.toLocaleString('en-GB')} audit entries`);
  }
  log('Building the indexes...');
  await db.$executeRawUnsafe(`SET maintenance_work_mem = '512MB'`);
  for (const index of indexes) await db.$executeRawUnsafe(index.definition);
  // Fresh statistics and visibility map, as autovacuum would have at this size.
  await db.$executeRawUnsafe('VACUUM ANALYZE audit_log');
  await db.$executeRawUnsafe('VACUUM ANALYZE users');
  await db.$executeRawUnsafe('VACUUM ANALYZE patients');
  log(`Loaded in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const ms = (value: number) => value.toFixed(1);
const pick = (n: number) => 1 + Math.floor(Math.random() * n);
/** A random instant in the loaded span, for a cursor deep in the log. */
const deepInstant = () => new Date(END.getTime() - Math.random() * SPAN_DAYS * 86_400_000);

interface Case {
  readonly what: string;
  readonly run: (db: Database) => Promise<number>;
  /** For a page of the log: its filters, to ask PostgreSQL what the statement cost it. */
  readonly query?: () => Omit<AuditQuery, 'limit'>;
}

/** One page of the audit log as the page asks for it; `run` returns the entries it got. */
const page = (query: () => Omit<AuditQuery, 'limit'>) => ({
  query,
  run: async (db: Database) => (await auditLog(db, { limit: 50, ...query() })).entries.length,
});

/** The second page after a first, following the cursor as the page's "Older entries" link. */
const nextPage = (query: () => Omit<AuditQuery, 'limit'>) => async (db: Database) => {
  const q = query();
  const first = await auditLog(db, { limit: 50, ...q });
  const after = first.nextCursor ? decodeAuditCursor(first.nextCursor) : undefined;
  return after ? (await auditLog(db, { limit: 50, ...q, after })).entries.length : 0;
};

const deep = () => ({ after: { at: deepInstant(), id: 9_000_000_000_000n } });

const CASES: readonly Case[] = [
  { what: 'Newest first', ...page(() => ({})) },
  { what: 'Newest first, deep (cursor at a random day)', ...page(deep) },
  { what: 'By actor', ...page(() => ({ actor: `user-${pick(ACTORS)}` })) },
  {
    what: 'By actor, deep',
    ...page(() => ({ actor: `user-${pick(ACTORS)}`, ...deep() })),
  },
  { what: 'By patient', ...page(() => ({ patientId: `pat-${pick(PATIENTS)}` })) },
  {
    what: 'By patient, second page',
    run: nextPage(() => ({ patientId: `pat-${pick(PATIENTS)}` })),
  },
  {
    what: 'By patient, reads only',
    ...page(() => ({ patientId: `pat-${pick(PATIENTS)}`, kind: 'read' })),
  },
  { what: 'By action (overdue.exported, 0.5%)', ...page(() => ({ action: 'overdue.exported' })) },
  {
    what: 'By action (access.refused, 0.08%), deep',
    ...page(() => ({ action: 'access.refused', ...deep() })),
  },
  { what: 'Changes', ...page(() => ({ kind: 'change' })) },
  { what: 'Changes, deep', ...page(() => ({ kind: 'change', ...deep() })) },
  { what: 'Reads', ...page(() => ({ kind: 'read' })) },
  { what: 'Refusals', ...page(() => ({ kind: 'refusal' })) },
  { what: 'Refusals, deep', ...page(() => ({ kind: 'refusal', ...deep() })) },
  {
    what: 'By actor, changes only',
    ...page(() => ({ actor: `user-${pick(ACTORS)}`, kind: 'change' })),
  },
  {
    what: 'One month (from/to), deep in it',
    ...page(() => {
      const to = deepInstant();
      return { from: new Date(to.getTime() - 30 * 86_400_000), to };
    }),
  },
  { what: 'The action list (filter choices)', run: async (db) => (await auditActions(db)).length },
  {
    what: 'Patient picker, NHS number',
    run: async (db) => (await findAuditPatients(db, lpadNines(pick(PATIENTS)))).length,
  },
  {
    // What the patient page reads today (episodes/[episodeId]/page.tsx): the audit of one
    // recorded entry by its id alone. No index starts with entity_id.
    what: "An entry's audit by entity id (patient page today)",
    run: async (db) =>
      (await db.auditEntry.findFirst({
        where: { action: 'event.recorded', entityId: `pat-${pick(PATIENTS)}` },
        select: { after: true },
      }))
        ? 1
        : 0,
  },
  {
    what: "The same, with the entry's patient",
    run: async (db) => {
      const patient = `pat-${pick(PATIENTS)}`;
      return (await db.auditEntry.findFirst({
        where: { patientId: patient, action: 'event.recorded', entityId: patient },
        select: { after: true },
      }))
        ? 1
        : 0;
    },
  },
];

/** The NHS number the load gave patient n (not check-digit valid: the picker takes it as typed). */
function lpadNines(n: number) {
  return `9${String(n).padStart(9, '0')}`;
}

interface PlanNode {
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
}

/**
 * What PostgreSQL itself spent on a page's statement (EXPLAIN ANALYZE): its execution time and
 * the 8 kB pages it touched, medians of --requests samples. Pages touched do not depend on what
 * else the machine is doing, so they show how the work grows with the table.
 */
async function statementCost(db: Database, query: () => Omit<AuditQuery, 'limit'>) {
  const times: number[] = [];
  const blocks: number[] = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const rows = await db.$queryRaw<
      { 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }[]
    >(
      Prisma.sql`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${auditPageStatement({ limit: 50, ...query() })}`,
    );
    const result = rows[0]?.['QUERY PLAN'][0];
    if (!result) throw new Error('EXPLAIN returned no plan');
    times.push(result['Execution Time']);
    blocks.push((result.Plan['Shared Hit Blocks'] ?? 0) + (result.Plan['Shared Read Blocks'] ?? 0));
  }
  times.sort((a, b) => a - b);
  blocks.sort((a, b) => a - b);
  return { ms: percentile(times, 50), blocks: percentile(blocks, 50) };
}

async function measure(run: () => Promise<unknown>, times: number) {
  for (let i = 0; i < 3; i += 1) await run();
  const taken: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await run();
    taken.push(performance.now() - started);
  }
  return taken.sort((a, b) => a - b);
}

/** One read audited as the dashboard will write it: its own transaction, through audit(). */
const insertOne = (db: Database) =>
  db.$transaction((tx) =>
    audit(tx, {
      actor: `user-${pick(ACTORS)}`,
      action: 'patient.viewed',
      entityType: MEASURED,
      entityId: `pat-${pick(PATIENTS)}`,
      patientId: `pat-${pick(PATIENTS)}`,
    }),
  );

/**
 * What each reader runs: the audit page's queries (newest first, by actor, by patient, changes),
 * one after another with random filters, inside PostgreSQL, so the readers load the database
 * and not this process's event loop, which the measured inserts need.
 */
const READER_LOOP = `
  DO $$
  BEGIN
    LOOP
      PERFORM id FROM audit_log ORDER BY at DESC, id DESC LIMIT 51;
      PERFORM id FROM audit_log WHERE actor = 'user-' || (1 + floor(random() * ${ACTORS}))::int
        ORDER BY at DESC, id DESC LIMIT 51;
      PERFORM id FROM audit_log WHERE patient_id = 'pat-' || (1 + floor(random() * ${PATIENTS}))::int
        ORDER BY at DESC, id DESC LIMIT 51;
      PERFORM id FROM audit_log WHERE audit_action_kind(action) = 'change'
        ORDER BY at DESC, id DESC LIMIT 51;
    END LOOP;
  END $$`;

/** Single audited inserts, one transaction each as a command writes them, while readers page. */
async function insertUnderLoad(db: Database) {
  const readers = Array.from({ length: READERS }, async () => {
    const reader = new pg.Client({
      connectionString: DATABASE_URL,
      application_name: 'vfx-bench-reader',
    });
    await reader.connect();
    try {
      await reader.query(READER_LOOP);
    } catch (error) {
      // Cancelled when the inserts are done (57014); anything else is a real failure.
      if ((error as { code?: string }).code !== '57014') throw error;
    } finally {
      await reader.end();
    }
  });
  try {
    // Let the readers start before measuring.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return await measure(() => insertOne(db), REQUESTS * 5);
  } finally {
    await db.$queryRaw`SELECT pg_cancel_backend(pid) FROM pg_stat_activity
                        WHERE application_name = 'vfx-bench-reader' AND datname = ${DATABASE}`;
    await Promise.all(readers);
  }
}

const db = await prepareDatabase();
try {
  const rows = (await db.$queryRaw<{ rows: bigint }[]>`SELECT count(*) AS rows FROM audit_log`)[0]
    ?.rows;
  log(
    `Measuring ${REQUESTS} requests per query over ${Number(rows).toLocaleString('en-GB')} entries.`,
  );
  console.log(
    '\n| query (50 entries a page) | p50 ms | p95 ms | max ms | PostgreSQL ms (p50) | pages touched (p50) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const c of CASES) {
    const taken = await measure(() => c.run(db), REQUESTS);
    const cost = c.query ? await statementCost(db, c.query) : undefined;
    console.log(
      `| ${c.what} | ${ms(percentile(taken, 50))} | ${ms(percentile(taken, 95))} | ${ms(taken.at(-1) ?? 0)} | ${cost ? ms(cost.ms) : ''} | ${cost ? cost.blocks : ''} |`,
    );
  }
  const alone = await measure(() => insertOne(db), REQUESTS * 5);
  console.log(
    `| One audited INSERT (own transaction), nothing else running | ${ms(percentile(alone, 50))} | ${ms(percentile(alone, 95))} | ${ms(alone.at(-1) ?? 0)} | | |`,
  );
  const loaded = await insertUnderLoad(db);
  console.log(
    `| One audited INSERT, ${READERS} readers paging in PostgreSQL meanwhile | ${ms(percentile(loaded, 50))} | ${ms(percentile(loaded, 95))} | ${ms(loaded.at(-1) ?? 0)} | | |`,
  );

  const sizes = await db.$queryRaw<{ name: string; kind: string; bytes: bigint }[]>`
    SELECT c.relname AS name, CASE c.relkind WHEN 'i' THEN 'index' ELSE 'table' END AS kind,
           pg_relation_size(c.oid) AS bytes
      FROM pg_class c
     WHERE c.oid = 'audit_log'::regclass
        OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'audit_log'::regclass)
     ORDER BY kind DESC, bytes DESC`;
  const total =
    (
      await db.$queryRaw<{ total: bigint }[]>`
    SELECT pg_total_relation_size('audit_log') AS total`
    )[0]?.total ?? 0n;
  const mb = (bytes: bigint) => (Number(bytes) / 1024 / 1024).toFixed(0);
  console.log('\n| relation | size MB |');
  console.log('| --- | ---: |');
  for (const size of sizes) console.log(`| ${size.name} (${size.kind}) | ${mb(size.bytes)} |`);
  console.log(`| total, with TOAST | ${mb(total)} |`);
} finally {
  await db.$disconnect();
  if (!values.keep) {
    await dropDatabase();
    log(`Dropped ${DATABASE} (keep it with --keep).`);
  }
}
