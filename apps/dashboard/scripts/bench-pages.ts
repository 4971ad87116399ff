// Page benchmark: the nurse's worklist and caseload and the administrator's overdue list,
// answered by a production build of the dashboard against a seeded caseload (100,000 patients
// by default). Prints p50 / p95 / max server time per page, measured as the time to the last
// byte of the HTML on the same machine.
//
//   npm run bench:pages -- [--patients 100000] [--requests 40] [--keep] [--batch 250]
//
// The database (vfx_bench_pages_<patients> on the PostgreSQL the tests use, TEST_POSTGRES_URL)
// is seeded once and kept with --keep, so a second run measures without seeding again.
import { parseArgs } from 'node:util';
import { createDatabase } from '@vfx/database';
import { signIn } from '@vfx/database/auth';
import { recordSearch } from '@vfx/database/commands';
import { DEMO_PASSWORD, DEMO_USERS } from '@vfx/database/seed';
import {
  benchDatabase,
  dropBenchDatabase,
  machine,
  prepareBenchDatabase,
  startDashboard,
  timeRequests,
  timingRow,
  wholeOption,
} from './bench-support';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '40' },
    keep: { type: 'boolean', default: false },
    // Patients enrolled per seed transaction: smaller on a loaded machine, where a batch of 250
    // can outlast the 30 s transaction timeout.
    batch: { type: 'string', default: '250' },
  },
});
const PATIENTS = wholeOption('patients', values.patients, 1);
const REQUESTS = wholeOption('requests', values.requests, 5);
const DIST_DIR = '.next-bench';
const database = benchDatabase(PATIENTS);

async function main() {
  await prepareBenchDatabase(database, { batch: wholeOption('batch', values.batch, 1) });
  const dashboard = await startDashboard({
    database,
    distDir: DIST_DIR,
    build: true,
    readyPath: '/sign-in',
  });
  const base = dashboard.base;
  try {
    const db = createDatabase(database.url);
    const sessions: Record<string, string> = {};
    for (const user of DEMO_USERS) {
      const result = await signIn(db, { email: user.email, password: DEMO_PASSWORD });
      if (!result.ok) throw new Error(`could not sign in as ${user.email}`);
      sessions[user.key] = result.token;
    }
    const nurse = await db.user.findUniqueOrThrow({ where: { email: DEMO_USERS[0].email } });
    const caseloadSize = await db.patient.count({ where: { nurseId: nurse.id } });
    const someone = await db.patient.findFirstOrThrow({
      where: { nurseId: nurse.id },
      orderBy: { identifierValue: 'desc' },
    });
    const overdueSteps = await db.planStep.count({ where: { status: 'overdue' } });
    // A search is POSTed and kept behind an opaque id (never in the address): made here as the
    // search form's action makes it, then its result pages are timed.
    const search = (query: string) =>
      recordSearch(db, { actor: nurse.id, scope: 'caseload', query });
    const byName = await search(someone.familyName.slice(0, 4));
    const byNhsNumber = await search(someone.identifierValue);
    await db.$disconnect();

    const pages: { who: keyof typeof sessions; path: string; what: string }[] = [
      { who: 'nurse', path: '/worklist', what: 'Worklist (nurse), risk order' },
      { who: 'nurse', path: '/worklist?sort=when&dir=desc', what: 'Worklist, latest date first' },
      { who: 'nurse', path: '/caseload', what: 'Caseload, overdue first' },
      { who: 'nurse', path: '/caseload?sort=name&page=60', what: 'Caseload by name, page 60' },
      {
        who: 'nurse',
        path: '/caseload?sort=fracture&dir=desc&page=60',
        what: 'Caseload, oldest fracture first, page 60',
      },
      {
        who: 'nurse',
        path: `/caseload?search=${byName}`,
        what: 'Caseload, name search',
      },
      {
        who: 'nurse',
        path: `/caseload?search=${byNhsNumber}`,
        what: 'Caseload, NHS number search',
      },
      {
        who: 'nurse',
        path: '/caseload?phase=acute&overdue=1',
        what: 'Caseload, acute and overdue',
      },
      { who: 'admin', path: '/caseload', what: 'All caseloads (admin)' },
      { who: 'admin', path: '/admin/overdue', what: 'Overdue, all caseloads' },
      { who: 'admin', path: '/admin/overdue?page=40', what: 'Overdue, page 40' },
      {
        who: 'admin',
        path: '/admin/overdue?sort=overdue&dir=asc&page=40',
        what: 'Overdue, most recent first, page 40',
      },
      { who: 'admin', path: '/worklist', what: 'Worklist (admin, no caseload)' },
      { who: 'admin', path: `/admin/overdue?nurse=${nurse.id}`, what: 'Overdue, one nurse' },
      { who: 'admin', path: '/admin/overdue?days=30', what: 'Overdue, 30 days or more' },
      { who: 'admin', path: '/admin/kpis', what: 'KPIs, last 12 months (admin)' },
      {
        who: 'admin',
        path: '/admin/kpis?from=2017-01-01&to=2026-12-31',
        what: 'KPIs, ten years (admin)',
      },
      { who: 'admin', path: '/admin/kpis/export.csv', what: 'KPI CSV, last 12 months' },
    ];
    console.log(
      `\n${PATIENTS} patients; the demo nurse's caseload: ${caseloadSize}; overdue steps in all: ${overdueSteps}.`,
    );
    console.log(
      `Machine: ${machine()}; ${REQUESTS} requests per page after 3 warm-up requests, one at a time.\n`,
    );
    console.log('| page | p50 ms | p95 ms | max ms | bytes |');
    console.log('|---|---:|---:|---:|---:|');
    for (const page of pages) {
      const get = async () => {
        const response = await fetch(`${base}${page.path}`, {
          headers: { cookie: `vfx_session=${sessions[page.who]}; vfx_tz=Europe/London` },
          redirect: 'manual',
        });
        const body = await response.text();
        if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`);
        return body.length;
      };
      console.log(timingRow(page.what, await timeRequests(get, REQUESTS)));
    }
  } finally {
    await dashboard.stop();
  }
  if (!values.keep) await dropBenchDatabase(database);
}

await main();
