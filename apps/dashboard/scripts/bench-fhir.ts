// FHIR search benchmark: the searches of /fhir/R4 answered by a production build of the
// dashboard against the seeded caseload the page benchmark uses (100,000 patients by default),
// with an API key as an integration would call it. Prints p50 / p95 / max per search, measured
// as the time to the last byte of the Bundle on the same machine, and the bytes of the answer.
// Deep pages are reached by following the Bundles' "next" links, as a client does, and then
// timed like the first page: a keyset page should cost what the first one does.
//
//   npm run bench:fhir -- [--patients 100000] [--requests 40] [--walk 200] [--keep] [--batch 250] [--reuse-build]
//
// The database is vfx_bench_pages_<patients> (bench-support.ts), shared with bench:pages: a
// database either benchmark kept with --keep is reused without seeding again. --reuse-build
// starts the last build in .next-bench-fhir instead of building again.
import { parseArgs } from 'node:util';
import { createDatabase } from '@vfx/database';
import { createApiKey, revokeApiKey } from '@vfx/database/commands';
import { DEMO_USERS } from '@vfx/database/seed';
import { staffList } from '@vfx/database/views';
import { fhirId, NHS_NUMBER_SYSTEM } from '@vfx/fhir';
import {
  benchDatabase,
  dropBenchDatabase,
  log,
  machine,
  prepareBenchDatabase,
  startDashboard,
  type Timing,
  timeRequests,
  wholeOption,
} from './bench-support';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '40' },
    // Pages followed by their next links to reach the deep page (50 patients a page).
    walk: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
    batch: { type: 'string', default: '250' },
    'reuse-build': { type: 'boolean', default: false },
  },
});
const PATIENTS = wholeOption('patients', values.patients, 1);
const REQUESTS = wholeOption('requests', values.requests, 5);
const WALK = wholeOption('walk', values.walk, 2);
const TASK_PAGE = 100;
const DIST_DIR = '.next-bench-fhir';
const database = benchDatabase(PATIENTS);

interface BundleLink {
  readonly relation: string;
  readonly url: string;
}
interface Bundle {
  readonly resourceType: string;
  readonly entry?: readonly { readonly resource?: { readonly resourceType: string } }[];
  readonly link?: readonly BundleLink[];
}

interface Row {
  readonly what: string;
  readonly key: 'nurse' | 'admin';
  readonly entries: number;
  readonly timing: Timing;
}

/** Today and a week later as FHIR dates (UTC days, as the server reads a bare date). */
function periodOfTheNextWeek(now: Date): { from: string; before: string } {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return { from: day(now), before: day(new Date(now.getTime() + 7 * 86_400_000)) };
}

async function main() {
  await prepareBenchDatabase(database, { batch: wholeOption('batch', values.batch, 1) });
  const db = createDatabase(database.url);
  const { staff } = await staffList(db);
  const admin = staff.find((member) => member.email === DEMO_USERS[3].email);
  if (admin?.role !== 'admin') throw new Error(`no demo administrator in ${database.name}`);
  const stamp = new Date().toISOString();
  const keys = {
    nurse: await createApiKey(db, { name: `FHIR bench nurse ${stamp}`, role: 'nurse' }, admin.id),
    admin: await createApiKey(db, { name: `FHIR bench admin ${stamp}`, role: 'admin' }, admin.id),
  };

  // The patients the patient-level searches name: the one with the most recorded entries (the
  // largest $everything), and one with an NHS number for the identifier search.
  const [busiest] = await db.clinicalEvent.groupBy({
    by: ['episodeId'],
    _count: { _all: true },
    orderBy: [{ _count: { episodeId: 'desc' } }, { episodeId: 'asc' }],
    take: 1,
  });
  if (!busiest) throw new Error(`${database.name} has no entries`);
  const busiestEpisode = await db.episode.findUniqueOrThrow({
    where: { id: busiest.episodeId },
    select: { patientId: true },
  });
  const withNhsNumber = await db.patient.findFirstOrThrow({
    where: { identifierKind: 'nhs-number' },
    orderBy: { identifierValue: 'desc' },
    select: { identifierValue: true },
  });
  const overdueSteps = await db.planStep.count({ where: { status: 'overdue' } });
  await db.$disconnect();

  const dashboard = await startDashboard({
    database,
    distDir: DIST_DIR,
    build: !values['reuse-build'],
    readyPath: '/fhir/R4/metadata',
  });
  const rows: Row[] = [];
  let walked = '';
  try {
    const fhir = `${dashboard.base}/fhir/R4`;
    const get = async (key: keyof typeof keys, url: string) => {
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${keys[key].secret}`, accept: 'application/fhir+json' },
      });
      const body = new Uint8Array(await response.arrayBuffer());
      if (response.status !== 200) {
        throw new Error(
          `${url} answered ${response.status}: ${new TextDecoder().decode(body).slice(0, 500)}`,
        );
      }
      return {
        bytes: body.byteLength,
        bundle: JSON.parse(new TextDecoder().decode(body)) as Bundle,
      };
    };
    const measure = async (what: string, key: keyof typeof keys, url: string) => {
      const { bundle } = await get(key, url);
      const timing = await timeRequests(async () => (await get(key, url)).bytes, REQUESTS);
      rows.push({ what, key, entries: bundle.entry?.length ?? 0, timing });
      log(`${what}: p95 ${timing.p95.toFixed(0)} ms`);
      return bundle;
    };
    const nextOf = (bundle: Bundle) => bundle.link?.find((link) => link.relation === 'next')?.url;
    /** Follows `pages - 1` next links from `first`; the last page's address and each page's time. */
    const walk = async (key: keyof typeof keys, first: string, pages: number) => {
      let url = first;
      const times: number[] = [];
      for (let page = 1; ; page++) {
        const started = performance.now();
        const { bundle } = await get(key, url);
        times.push(performance.now() - started);
        if (page === pages) return { url, times };
        const next = nextOf(bundle);
        if (!next) throw new Error(`${first} has only ${page} pages (${pages} wanted)`);
        url = next;
      }
    };

    const patientId = fhirId(busiestEpisode.patientId);
    const firstPatients = `${fhir}/Patient?_count=50`;
    await measure('Patient?_count=50, first page', 'nurse', firstPatients);
    await measure('Patient?_count=50, first page (admin key)', 'admin', firstPatients);
    const deep = await walk('nurse', firstPatients, WALK);
    const lastTen = deep.times.slice(-10).sort((a, b) => a - b);
    walked = `Walking ${WALK} Patient pages by their next links took ${(deep.times.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s; the last ten pages ${lastTen.map((t) => t.toFixed(0)).join(', ')} ms.`;
    await measure(`Patient?_count=50, page ${WALK} (by next links)`, 'nurse', deep.url);
    await measure(
      'Patient?identifier=<NHS number>',
      'nurse',
      `${fhir}/Patient?identifier=${encodeURIComponent(`${NHS_NUMBER_SYSTEM}|${withNhsNumber.identifierValue}`)}`,
    );
    const overdue = `${fhir}/Task?status=ready&business-status=overdue&_count=50`;
    await measure('Task?status=ready&business-status=overdue, first page', 'nurse', overdue);
    const taskPage = await walk('nurse', overdue, TASK_PAGE);
    await measure(
      `Task?status=ready&business-status=overdue, page ${TASK_PAGE}`,
      'nurse',
      taskPage.url,
    );
    const week = periodOfTheNextWeek(new Date());
    await measure(
      `Task?period=ge${week.from}&period=lt${week.before} (next 7 days)`,
      'nurse',
      `${fhir}/Task?period=ge${week.from}&period=lt${week.before}&_count=50`,
    );
    await measure('Task?patient=<busiest patient>', 'nurse', `${fhir}/Task?patient=${patientId}`);
    await measure(
      'CarePlan?patient=<busiest patient>',
      'nurse',
      `${fhir}/CarePlan?patient=${patientId}`,
    );
    await measure(
      'Observation?patient=<busiest patient>',
      'nurse',
      `${fhir}/Observation?patient=${patientId}`,
    );
    await measure(
      'Patient/<busiest patient>/$everything',
      'nurse',
      `${fhir}/Patient/${patientId}/$everything`,
    );
  } finally {
    await dashboard.stop();
    const cleanup = createDatabase(database.url);
    for (const key of Object.values(keys)) await revokeApiKey(cleanup, key.id, admin.id);
    await cleanup.$disconnect();
  }

  console.log(
    `\n${PATIENTS} patients in ${database.name}; overdue steps in all: ${overdueSteps}; the busiest patient's episode has ${busiest._count._all} entries.`,
  );
  console.log(
    `Machine: ${machine()}; ${REQUESTS} requests per search after 3 warm-up requests, one at a time.`,
  );
  console.log(`${walked}\n`);
  console.log('| search | key | entries | p50 ms | p95 ms | max ms | bytes |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  const f = (n: number) => n.toFixed(0);
  for (const row of rows) {
    console.log(
      `| ${row.what} | ${row.key} | ${row.entries} | ${f(row.timing.p50)} | ${f(row.timing.p95)} | ${f(row.timing.max)} | ${row.timing.bytes} |`,
    );
  }
  if (!values.keep) await dropBenchDatabase(database);
}

await main();
