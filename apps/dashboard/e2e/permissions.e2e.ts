// The permission matrix of the dashboard, generated from the permission table: every page, route
// handler and server action of the inventory (src/server/routes.ts) called against the production
// build as each role (nurse, scheduler, administrator) and as nobody. Each answer must be what
// the table says for that role (allowed: the page, the CSV, the action's own answer; refused: a
// redirect to /refused naming the action; nobody: the sign-in page), and each must leave its audit
// row: an access row for an allowed read of patient data, 'access.refused' for a refusal.
// The JSON API's part (keys of each role, no key) is src/app/api/v1/permissions.integration.test.ts.
// The worker's admin routes are the worker's own test's (see WORKER_ADMIN_ROUTES in routes.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createDatabase, type Database } from '@vfx/database';
import { type Action, type Actor, type PermissionContext, permission } from '@vfx/domain';
import type { APIRequestContext, APIResponse } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject } from 'vitest';
import {
  type Gate,
  HANDLERS,
  PAGES,
  type RouteEntry,
  SERVER_ACTIONS,
  WORKER_ADMIN_ROUTES,
} from '../src/server/routes';
import { closeDemoData } from './support/demo-data';
import { producedWrittenPlanOf, signedLetterOf } from './support/documents';
import { test } from './support/fixtures';
import { PAIN_REVIEW_PATIENT } from './support/journey-patients';
import { DASHBOARD_DIR, E2E_DIST_DIR } from './support/paths';
import { type DemoUserKey, demoUser, START_PAGE, signIn } from './support/users';

let db: Database;
beforeAll(() => {
  db = createDatabase(inject('databaseUrl'), {
    applicationName: 'vfx-e2e-matrix',
    maxConnections: 2,
  });
});
afterAll(async () => {
  await db?.$disconnect();
  await closeDemoData();
});

/** Values for the dynamic segments and queries, picked from the seeded database. */
interface Samples {
  readonly episodeId: string;
  readonly patientId: string;
  readonly stepKey: string;
  readonly reminder: {
    readonly episodeId: string;
    readonly stepKey: string;
    readonly patientId: string;
  };
  readonly otherNurseId: string;
  /** A written plan produced for the episode, for its download. */
  readonly writtenPlanId: string;
  /** A signed letter to the GP of the sample episode (signed here when there is none yet). */
  readonly letterId: string;
}

async function samples(): Promise<Samples> {
  const episodeId = PAIN_REVIEW_PATIENT.episodeId;
  const episode = await db.episode.findUniqueOrThrow({
    where: { id: episodeId },
    select: { patientId: true, steps: { select: { key: true }, orderBy: { key: 'asc' }, take: 1 } },
  });
  // A day-level step, as the reminders page offers for rescheduling.
  const reminder = await db.planStep.findFirstOrThrow({
    where: {
      status: { in: ['upcoming', 'open', 'due'] },
      window: { path: ['granularity'], equals: 'day' },
      episode: { closedAt: null },
    },
    orderBy: [{ episodeId: 'asc' }, { key: 'asc' }],
    select: { episodeId: true, key: true, episode: { select: { patientId: true } } },
  });
  const other = await db.user.findUniqueOrThrow({ where: { email: demoUser('nurse2').email } });
  const writtenPlanId = await producedWrittenPlanOf(db, episodeId, 'nurse2');
  const letterId = await signedLetterOf(db, episodeId);
  return {
    letterId,
    episodeId,
    patientId: episode.patientId,
    stepKey: episode.steps[0]?.key ?? 'missing',
    reminder: {
      episodeId: reminder.episodeId,
      stepKey: reminder.key,
      patientId: reminder.episode.patientId,
    },
    otherNurseId: other.id,
    writtenPlanId,
  };
}

interface Probe {
  /** The inventory's entry: a page or handler route, or "<file>#<export>" for a server action. */
  readonly entry: string;
  readonly gate: Gate;
  readonly reads?: RouteEntry['reads'];
  readonly url: string;
  readonly context?: PermissionContext;
  /** For a read of one patient: the patient its audit row must name. */
  readonly patientId?: string;
  /** A server action: its id and its arguments (a FormData last). */
  readonly action?: {
    readonly name: string;
    readonly args: readonly unknown[];
    readonly form: Readonly<Record<string, string>>;
  };
}

/** How to call each page and handler; the test fails when an inventory entry has no probe. */
function routeProbes(s: Samples): Probe[] {
  const episode = `/episodes/${s.episodeId}`;
  const reminder = `episode=${s.reminder.episodeId}&step=${encodeURIComponent(s.reminder.stepKey)}`;
  const list: [string, string, PermissionContext?, string?][] = [
    ['/', '/'],
    ['/refused', '/refused?action=audit.view'],
    ['/account/password', '/account/password'],
    ['/worklist', '/worklist'],
    ['/caseload', '/caseload'],
    ['/caseload', `/caseload?nurse=${s.otherNurseId}`, { caseloadOf: s.otherNurseId }],
    ['/patients/new', '/patients/new'],
    ['/episodes/[episodeId]', episode, {}, s.patientId],
    ['/episodes/[episodeId]/steps/[stepKey]', `${episode}/steps/${s.stepKey}`, {}, s.patientId],
    [
      '/episodes/[episodeId]/record/[type]',
      `${episode}/record/pain-assessment`,
      { entryType: 'pain-assessment' },
      s.patientId,
    ],
    ['/episodes/[episodeId]/written-plan', `${episode}/written-plan`, {}, s.patientId],
    [
      '/episodes/[episodeId]/written-plan/[planId]/pdf',
      `${episode}/written-plan/${s.writtenPlanId}/pdf`,
      {},
      s.patientId,
    ],
    ['/episodes/[episodeId]/gp-letter', `${episode}/gp-letter`, {}, s.patientId],
    [
      '/episodes/[episodeId]/gp-letter/draft.pdf',
      `${episode}/gp-letter/draft.pdf`,
      {},
      s.patientId,
    ],
    [
      '/episodes/[episodeId]/gp-letter/[letterId]/letter.pdf',
      `${episode}/gp-letter/${s.letterId}/letter.pdf`,
      {},
      s.patientId,
    ],
    ['/reminders', '/reminders'],
    ['/reminders/reschedule', `/reminders/reschedule?${reminder}`, {}, s.reminder.patientId],
    ['/deliveries', '/deliveries'],
    ['/patient-messages', '/patient-messages'],
    ['/episodes/[episodeId]/contact', `${episode}/contact`, {}, s.patientId],
    ['/admin/overdue', '/admin/overdue'],
    ['/admin/kpis', '/admin/kpis'],
    ['/admin/users', '/admin/users'],
    ['/admin/audit', '/admin/audit'],
    ['/admin/queues', '/admin/queues'],
    ['/admin/api-keys', '/admin/api-keys'],
    ['/admin/overdue/export.csv', '/admin/overdue/export.csv'],
    ['/admin/kpis/export.csv', '/admin/kpis/export.csv'],
    ['/worklist/export.csv', '/worklist/export.csv'],
    ['/caseload/export.csv', '/caseload/export.csv'],
    [
      '/caseload/export.csv',
      `/caseload/export.csv?nurse=${s.otherNurseId}`,
      { caseloadOf: s.otherNurseId },
    ],
  ];
  const inventory = { ...PAGES, ...HANDLERS, ...WORKER_ADMIN_ROUTES };
  return list.map(([entry, url, context, patientId]) => {
    const listed = inventory[entry];
    if (!listed)
      throw new Error(`${entry} is probed but not in the inventory (src/server/routes.ts)`);
    return {
      entry,
      gate: listed.gate,
      ...(listed.reads ? { reads: listed.reads } : {}),
      url,
      ...(context ? { context } : {}),
      ...(patientId ? { patientId } : {}),
    };
  });
}

/** How to call each server action: harmless arguments that reach its own answer, storing nothing. */
function actionProbes(s: Samples): Probe[] {
  const target = { episodeId: s.episodeId, type: 'pain-assessment' };
  const calls: Record<
    string,
    {
      args: unknown[];
      form: Record<string, string>;
      gate?: Action;
      context?: PermissionContext;
      reads?: RouteEntry['reads'];
    }
  > = {
    '(app)/caseload/actions.ts#searchCaseloadAction': {
      args: [],
      form: { q: 'Zzmatrix' },
      gate: 'patient.search',
      reads: 'patient.searched',
    },
    '(app)/patients/new/actions.ts#enrolAction': {
      args: [{ values: {}, fieldErrors: {} }],
      form: {},
    },
    '(app)/episodes/[episodeId]/record/actions.ts#recordEventAction': {
      args: [target, { values: {}, fieldErrors: {} }],
      form: {},
      context: { entryType: 'pain-assessment' },
    },
    '(app)/episodes/[episodeId]/record/actions.ts#correctEpisodeDetailsAction': {
      args: [{ episodeId: s.episodeId }, { values: {}, fieldErrors: {} }],
      form: {},
      context: { entryType: 'episode-details-corrected' },
    },
    // Each answers before storing anything: a stale version, an unknown letter, no confirmation,
    // no sending time.
    '(app)/episodes/[episodeId]/gp-letter/actions.ts#saveGpLetterDraftAction': {
      args: [
        { episodeId: s.episodeId, version: -1 },
        { values: {}, fieldErrors: {} },
      ],
      form: {},
    },
    '(app)/episodes/[episodeId]/gp-letter/actions.ts#startGpLetterAction': {
      args: [
        { episodeId: s.episodeId, replacesId: 'no-such-letter' },
        { values: {}, fieldErrors: {} },
      ],
      form: {},
    },
    '(app)/episodes/[episodeId]/gp-letter/actions.ts#signOffGpLetterAction': {
      args: [
        { episodeId: s.episodeId, letterId: 'no-such-letter', version: 0, episodeVersion: 0 },
        { values: {}, fieldErrors: {} },
      ],
      form: {},
    },
    '(app)/episodes/[episodeId]/gp-letter/actions.ts#recordGpLetterSentAction': {
      args: [
        { episodeId: s.episodeId, letterId: 'no-such-letter' },
        { values: {}, fieldErrors: {} },
      ],
      form: {},
    },
    '(app)/reminders/actions.ts#sendNowAction': { args: [{}], form: {} },
    '(app)/reminders/actions.ts#rescheduleAction': {
      args: [{ remindOn: '', reason: '' }],
      form: {},
    },
    '(app)/deliveries/actions.ts#retryAction': { args: [{}], form: {} },
    '(app)/patient-messages/actions.ts#retryMessageAction': { args: [{}], form: {} },
    '(app)/episodes/[episodeId]/contact/actions.ts#saveContactAction': { args: [{}], form: {} },
    '(app)/episodes/[episodeId]/contact/actions.ts#optOutAction': { args: [{}], form: {} },
    '(app)/episodes/[episodeId]/written-plan/actions.ts#produceWrittenPlanAction': {
      args: [{ episodeId: '' }, {}],
      form: {},
    },
    '(app)/admin/users/actions.ts#createUserAction': {
      args: [{ values: { name: '', email: '', role: '' } }],
      form: {},
    },
    '(app)/admin/users/actions.ts#changeRoleAction': { args: [{}], form: { userId: '', role: '' } },
    '(app)/admin/users/actions.ts#setActiveAction': {
      args: [{}],
      form: { userId: '', active: 'false' },
      gate: 'user.deactivate',
    },
    '(app)/admin/users/actions.ts#reassignAction': {
      args: [{ from: '', to: '' }],
      form: { intent: 'review', from: '', to: '' },
    },
    '(app)/admin/kpis/actions.ts#saveCaseloadEstimateAction': { args: [], form: { estimate: '' } },
    '(app)/admin/api-keys/actions.ts#createApiKeyAction': {
      args: [{ values: { name: '', role: '' } }],
      form: {},
    },
    '(app)/admin/api-keys/actions.ts#revokeApiKeyAction': { args: [{}], form: { keyId: '' } },
    '(app)/admin/users/actions.ts#resetPasswordAction': {
      args: [{}],
      form: { userId: '', temporaryPassword: '' },
    },
    '(app)/admin/audit/actions.ts#findPatientAction': { args: [], form: { find: '' } },
    '(app)/admin/queues/actions.ts#openQueueBoardAction': { args: [], form: {} },
    '(app)/account/password/actions.ts#changePasswordAction': {
      args: [{}],
      form: { currentPassword: '', newPassword: '' },
    },
  };
  const manifest = serverActionManifest();
  const probes: Probe[] = [];
  for (const [file, exports] of Object.entries(SERVER_ACTIONS)) {
    for (const [name, listed] of Object.entries(exports)) {
      if (listed.gates.includes('public')) continue;
      const key = `${file}#${name}`;
      const call = calls[key];
      if (!call) throw new Error(`The server action ${key} has no probe in the permission matrix`);
      const found = manifest.find(
        (entry) => entry.filename.endsWith(`app/${file}`) && entry.exportedName === name,
      );
      if (!found) throw new Error(`The build has no server action ${key}`);
      probes.push({
        entry: key,
        gate: call.gate ?? (listed.gates[0] as Gate),
        ...(call.reads ? { reads: call.reads } : {}),
        url: urlOfWorker(found.worker, s),
        ...(call.context ? { context: call.context } : {}),
        action: { name: found.id, args: call.args, form: call.form },
      });
    }
  }
  return probes;
}

interface ManifestAction {
  readonly id: string;
  readonly filename: string;
  readonly exportedName: string;
  /** A page that serves it: "app/(app)/admin/users/page". */
  readonly worker: string;
}

/** The build's server actions: their ids, files and exports, and a page serving each. */
function serverActionManifest(): ManifestAction[] {
  const file = path.join(DASHBOARD_DIR, E2E_DIST_DIR, 'server/server-reference-manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
    node: Record<
      string,
      { filename?: string; exportedName?: string; workers: Record<string, unknown> }
    >;
  };
  return Object.entries(manifest.node).flatMap(([id, entry]) => {
    const worker = Object.keys(entry.workers).find((name) => name.endsWith('/page'));
    return entry.filename && entry.exportedName && worker
      ? [{ id, filename: entry.filename, exportedName: entry.exportedName, worker }]
      : [];
  });
}

/** "app/(app)/episodes/[episodeId]/record/[type]/page" -> "/episodes/ep-9001/record/pain-assessment". */
function urlOfWorker(worker: string, s: Samples): string {
  const values: Record<string, string> = {
    episodeId: s.episodeId,
    stepKey: s.stepKey,
    type: 'pain-assessment',
  };
  const segments = worker
    .replace(/^app\//, '')
    .replace(/\/?page$/, '')
    .split('/')
    .filter((segment) => segment && !/^\(.*\)$/.test(segment))
    .map((segment) => segment.replace(/^\[(\w+)\]$/, (_all, name: string) => values[name] ?? name));
  return `/${segments.join('/')}`;
}

/** Calls a probe as the context's user: a GET, or the server action as React would post it. */
async function send(request: APIRequestContext, probe: Probe): Promise<APIResponse> {
  if (!probe.action) return request.get(probe.url, { maxRedirects: 0 });
  // React's reply format: each FormData entry under "_<n>_", then the arguments as JSON in "0"
  // (last: the server reads the FormData when "0" arrives), with the FormData as "$K<n>". The
  // body is written by hand: Playwright turns a FormData into an object, whose "0" key comes first.
  const parts: [string, string][] = [
    ...Object.entries(probe.action.form).map(([name, value]): [string, string] => [
      `_1_${name}`,
      value,
    ]),
    ['0', JSON.stringify([...probe.action.args, '$K1'])],
  ];
  const boundary = `----vfx-matrix-${Date.now()}`;
  const body = Buffer.from(
    `${parts
      .map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      )
      .join('')}--${boundary}--\r\n`,
  );
  return request.post(probe.url, {
    headers: {
      'next-action': probe.action.name,
      accept: 'text/x-component',
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    data: body,
    maxRedirects: 0,
  });
}

/** Where the answer sends the user, if anywhere: a redirect, an action's redirect, or a meta refresh. */
async function redirectOf(response: APIResponse): Promise<string | undefined> {
  const headers = response.headers();
  if (headers['x-action-redirect']) return headers['x-action-redirect'].split(';')[0];
  if (response.status() >= 300 && response.status() < 400) {
    const location = new URL(headers.location ?? '', 'http://x');
    return `${location.pathname}${location.search}`;
  }
  const body = await response.text();
  const refresh = /<meta[^>]*id="__next-page-redirect"[^>]*content="\d+;url=([^"]+)"/.exec(body);
  return refresh?.[1]?.replaceAll('&amp;', '&');
}

async function lastAuditId(): Promise<bigint> {
  return (await db.auditEntry.findFirst({ orderBy: { id: 'desc' } }))?.id ?? 0n;
}

/** The audit rows written after `after`, waited for briefly (a streamed CSV writes at its end). */
async function rowsAfter(
  after: bigint,
  until: (rows: { actor: string; action: string }[]) => boolean,
) {
  let rows: Awaited<ReturnType<typeof db.auditEntry.findMany>> = [];
  for (let attempt = 0; attempt < 20; attempt += 1) {
    rows = await db.auditEntry.findMany({ where: { id: { gt: after } }, orderBy: { id: 'asc' } });
    if (until(rows)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return rows;
}

/** Checks one probe as one user; returns what disagrees with the table, if anything. */
async function check(
  request: APIRequestContext,
  probe: Probe,
  who: { key: DemoUserKey; actor: Actor } | undefined,
): Promise<string[]> {
  const problems: string[] = [];
  const label = `${who?.key ?? 'nobody'} ${probe.action ? `action ${probe.entry}` : `GET ${probe.url}`}`;
  const before = await lastAuditId();
  const response = await send(request, probe);
  const status = response.status();
  const to = await redirectOf(response);
  if (status >= 500) return [`${label}: answered ${status}`];

  if (!who) {
    if (!to?.startsWith('/sign-in'))
      problems.push(`${label}: expected the sign-in page, got ${status} ${to ?? ''}`);
    return problems;
  }
  const allowed =
    probe.gate === 'signed-in'
      ? true
      : permission(who.actor, probe.gate as Action, probe.context).allowed;
  if (!allowed) {
    const refusedTo = `/refused?action=${encodeURIComponent(probe.gate)}`;
    if (to !== refusedTo)
      problems.push(`${label}: expected a redirect to ${refusedTo}, got ${status} ${to ?? ''}`);
    const rows = await rowsAfter(before, (list) =>
      list.some((row) => row.action === 'access.refused'),
    );
    const refusal = rows.filter(
      (row) =>
        row.actor === who.actor.id &&
        row.action === 'access.refused' &&
        row.entityId === probe.gate,
    );
    if (refusal.length !== 1)
      problems.push(
        `${label}: expected one 'access.refused' row for ${probe.gate}, found ${refusal.length}`,
      );
    return problems;
  }
  // Allowed: the page itself (the start page redirects to the role's own), the CSV, the action's answer.
  if (probe.entry === '/') {
    if (to !== START_PAGE[who.actor.role])
      problems.push(`${label}: expected ${START_PAGE[who.actor.role]}, got ${to}`);
  } else if (probe.action) {
    if (to?.startsWith('/refused') || to?.startsWith('/sign-in'))
      problems.push(`${label}: allowed, but sent to ${to}`);
    if (probe.reads === 'patient.searched' && !to?.startsWith('/caseload?search=')) {
      problems.push(`${label}: a search should land on /caseload?search=<id>, got ${to}`);
    }
  } else if (status !== 200 || to) {
    problems.push(`${label}: expected 200, got ${status} ${to ?? ''}`);
  } else if (
    probe.url.endsWith('.csv') &&
    !(response.headers()['content-type'] ?? '').includes('text/csv')
  ) {
    problems.push(`${label}: expected a CSV`);
  }
  if (probe.url.endsWith('.csv')) await response.body();
  const rows = await rowsAfter(before, (list) =>
    probe.reads
      ? list.some((row) => row.actor === who.actor.id && row.action === probe.reads)
      : true,
  );
  const mine = rows.filter((row) => row.actor === who.actor.id);
  if (mine.some((row) => row.action === 'access.refused'))
    problems.push(`${label}: allowed, but a refusal was audited`);
  if (probe.reads) {
    const reads = mine.filter((row) => row.action === probe.reads);
    if (reads.length !== 1)
      problems.push(`${label}: expected one '${probe.reads}' row, found ${reads.length}`);
    else if (probe.patientId && reads[0]?.patientId !== probe.patientId) {
      problems.push(
        `${label}: the '${probe.reads}' row names patient ${reads[0]?.patientId}, not ${probe.patientId}`,
      );
    } else if (
      probe.reads === 'patient.searched' &&
      JSON.stringify(reads[0]?.after).includes('Zzmatrix') === false
    ) {
      problems.push(`${label}: the search row does not hold the query`);
    }
  }
  return problems;
}

describe('the permission matrix: every page, handler and server action against the table', () => {
  let all: Probe[] = [];
  beforeAll(async () => {
    const s = await samples();
    all = [...routeProbes(s), ...actionProbes(s)];
  });

  test('every page and handler of the inventory has a probe', () => {
    const probed = new Set(all.map((probe) => probe.entry));
    const listed = [
      ...Object.entries(PAGES),
      ...Object.entries(HANDLERS),
      ...Object.entries(WORKER_ADMIN_ROUTES),
    ]
      .filter(([, entry]) => entry.gate !== 'public')
      .map(([route]) => route);
    expect(listed.filter((route) => !probed.has(route))).toEqual([]);
  });

  test.for<DemoUserKey>(['nurse', 'scheduler', 'admin'])(
    'as the %s: each answer and audit row is what the table says',
    async (key, { openPage }) => {
      const page = await openPage();
      const user = demoUser(key);
      await signIn(page, key);
      const row = await db.user.findUniqueOrThrow({ where: { email: user.email } });
      const who = { key, actor: { id: row.id, role: user.role, kind: 'person' } as Actor };
      const problems: string[] = [];
      for (const probe of all) problems.push(...(await check(page.request, probe, who)));
      expect(problems).toEqual([]);
    },
  );

  test('as nobody: every way in sends to the sign-in page', async ({ openPage }) => {
    const page = await openPage();
    const problems: string[] = [];
    for (const probe of all) {
      problems.push(...(await check(page.request, probe, undefined)));
    }
    expect(problems).toEqual([]);
  });
});
