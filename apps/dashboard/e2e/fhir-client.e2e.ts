// FHIR R4 through an independent client, fhir-kit-client, against the running product: the
// production build served by `next start`, on a database of its own holding the demo caseload,
// with the worker running on it (BullMQ on that database's own PostgreSQL backend), so a bulk
// export runs as it would in service. None of our code builds a request here: the client does,
// from the base URL and the key (NDJSON files, which it cannot parse, are fetched plainly).
// Every resource the server returns over the whole demo caseload must be valid R4 for two
// validators, and the CapabilityStatement must list exactly what this file exercises.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  Bundle,
  CapabilityStatement,
  CarePlan,
  OperationOutcome,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import { createDatabase, type Database } from '@vfx/database';
import { type ApiKeyCreated, createApiKey } from '@vfx/database/commands';
import { staffList } from '@vfx/database/views';
import { describeFindings, validateR4 } from '@vfx/fhir/testing';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGS_DIR, REPO_DIR } from './support/paths';
import {
  closeDemoDatabase,
  openDemoDatabase,
  running,
  start,
  stopGroup,
} from './support/processes';

const NHS_NUMBER = 'https://fhir.nhs.uk/Id/nhs-number';
let holder: ChildProcess | undefined;
let serverGroup: number | undefined;
let worker: ChildProcess | undefined;
let mailbox: string;
let db: Database;
let base: string;
const keys = {} as Record<'nurse' | 'scheduler' | 'admin', ApiKeyCreated>;
/** "Type.interaction" for each interaction this file exercised, to hold the statement to. */
const exercised = new Set<string>();

function clientFor(role: keyof typeof keys): Client {
  return new Client({ baseUrl: base, bearerToken: keys[role].secret });
}

/** Every resource seen, validated at the end with both validators. */
const seen = new Map<string, Resource>();
function remember(resources: readonly (Resource | undefined)[]) {
  for (const resource of resources) {
    if (resource?.id) seen.set(`${resource.resourceType}/${resource.id}`, resource);
  }
}

const matches = (bundle: Bundle) =>
  (bundle.entry ?? [])
    .filter((entry) => entry.search?.mode === 'match')
    .map((e) => e.resource as Resource);

/** Follows next links with the client until the last page, returning every match. */
async function allPages(client: Client, first: Bundle): Promise<Resource[]> {
  const found = [...matches(first)];
  let page: Bundle | undefined = first;
  for (;;) {
    const next = client.nextPage({ bundle: page as never }) as Promise<Bundle> | undefined;
    if (!next) break;
    page = await next;
    found.push(...matches(page));
  }
  return found;
}

async function startWorker(databaseUrl: string): Promise<ChildProcess> {
  mailbox = mkdtempSync(path.join(os.tmpdir(), 'vfx-fhir-mail-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.join(REPO_DIR, 'apps/worker'),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: '',
      QUEUE_PREFIX: `fhir${process.pid}`,
      PORT: '0',
      MAILBOX_DIR: mailbox,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  if (child.pid) running.add(child.pid);
  return child;
}

beforeAll(async () => {
  const database = await openDemoDatabase(new Date());
  holder = database.holder;
  const server = await start(database.url, `${LOGS_DIR}/fhir-server.log`);
  serverGroup = server.group;
  base = `${server.baseURL}/fhir/R4`;
  worker = await startWorker(database.url);
  db = createDatabase(database.url, { applicationName: 'vfx-e2e-fhir', maxConnections: 2 });
  const admin = (await staffList(db)).staff.find((member) => member.role === 'admin');
  if (!admin) throw new Error('The demo caseload has no administrator');
  for (const role of ['nurse', 'scheduler', 'admin'] as const) {
    keys[role] = await createApiKey(db, { name: `FHIR client ${role}`, role }, admin.id);
  }
}, 240_000);

afterAll(async () => {
  await db?.$disconnect();
  if (worker?.pid) await stopGroup(worker.pid);
  if (serverGroup) await stopGroup(serverGroup);
  if (holder) await closeDemoDatabase(holder);
  if (mailbox) rmSync(mailbox, { recursive: true, force: true });
}, 120_000);

describe('FHIR R4 with fhir-kit-client', () => {
  let patients: Patient[] = [];

  it('reads the CapabilityStatement without a key', async () => {
    const statement = (await new Client({
      baseUrl: base,
    }).capabilityStatement()) as unknown as CapabilityStatement;
    expect(statement.fhirVersion).toBe('4.0.1');
    expect(statement.format).toContain('application/fhir+json');
  });

  it('pages through every patient, each once, and finds one by NHS number', async () => {
    const nurse = clientFor('nurse');
    const first = (await nurse.search({
      resourceType: 'Patient',
      searchParams: { _count: 7 },
    })) as unknown as Bundle;
    exercised.add('Patient.search-type');
    expect(first.link?.some((link) => link.relation === 'next')).toBe(true);
    patients = (await allPages(nurse, first)) as Patient[];
    remember(patients);
    expect(patients.length).toBeGreaterThanOrEqual(60);
    expect(new Set(patients.map((p) => p.id)).size).toBe(patients.length);

    const withNhsNumber = patients.find((p) => p.identifier?.[0]?.system === NHS_NUMBER) as unknown as Patient;
    const nhsNumber = withNhsNumber.identifier?.[0]?.value as string;
    const found = (await nurse.search({
      resourceType: 'Patient',
      searchParams: { identifier: `${NHS_NUMBER}|${nhsNumber}` },
    })) as unknown as Bundle;
    expect(matches(found).map((p) => p.id)).toEqual([withNhsNumber.id]);
    const read = (await nurse.read({
      resourceType: 'Patient',
      id: withNhsNumber.id as string,
    })) as unknown as Patient;
    exercised.add('Patient.read');
    expect(read).toEqual(withNhsNumber);
  });

  it("gives every patient's record with $everything, and reads each resource back by id", async () => {
    const nurse = clientFor('nurse');
    for (const patient of patients) {
      const bundle = (await nurse.operation({
        name: '$everything',
        resourceType: 'Patient',
        id: patient.id as string,
        method: 'GET',
      })) as unknown as Bundle;
      const resources = matches(bundle);
      expect(bundle.total).toBe(resources.length);
      expect(resources[0]).toEqual(patient);
      remember(resources);
    }
    exercised.add('Patient.$everything');
    // One of each type, read back by id: the same resource.
    const byType = new Map<string, Resource>();
    for (const resource of seen.values()) byType.set(resource.resourceType, resource);
    for (const type of [
      'EpisodeOfCare',
      'Condition',
      'CarePlan',
      'Task',
      'Observation',
      'MedicationStatement',
      'ServiceRequest',
    ]) {
      const resource = byType.get(type);
      expect(resource, `the demo caseload has a ${type}`).toBeDefined();
      const read = await nurse.read({ resourceType: type as never, id: resource?.id as string });
      expect(read).toEqual(resource);
      exercised.add(`${type}.read`);
    }
  });

  it("searches a patient's care plans, tasks, observations and the rest", async () => {
    const nurse = clientFor('nurse');
    const carePlans = [...seen.values()].filter((r) => r.resourceType === 'CarePlan') as CarePlan[];
    const plan = carePlans.find((p) => (p.activity?.length ?? 0) > 3) as CarePlan;
    const patientRef = plan.subject?.reference as string;
    for (const type of [
      'CarePlan',
      'Task',
      'EpisodeOfCare',
      'Condition',
      'Observation',
      'MedicationStatement',
      'ServiceRequest',
    ]) {
      const bundle = (await nurse.search({
        resourceType: type as never,
        searchParams: { patient: patientRef },
      })) as unknown as Bundle;
      const expected = [...seen.values()].filter(
        (r) =>
          (r.resourceType === type &&
            (
              r as {
                subject?: { reference?: string };
                for?: { reference?: string };
                patient?: { reference?: string };
              }
            ).subject?.reference === patientRef) ||
          (r.resourceType === type &&
            ((r as { for?: { reference?: string } }).for?.reference === patientRef ||
              (r as { patient?: { reference?: string } }).patient?.reference === patientRef)),
      );
      expect(
        matches(bundle)
          .map((r) => r.id)
          .sort(),
        type,
      ).toEqual(expected.map((r) => r.id).sort());
      exercised.add(`${type}.search-type`);
    }
    // Observations by code: each coded observation is found by its own code.
    const coded = [...seen.values()].find(
      (r) =>
        r.resourceType === 'Observation' &&
        (r as { code?: { coding?: unknown[] } }).code?.coding?.length,
    ) as {
      id: string;
      subject: { reference: string };
      code: { coding: { system: string; code: string }[] };
    };
    const coding = coded.code.coding[0] as { system: string; code: string };
    const byCode = (await nurse.search({
      resourceType: 'Observation',
      searchParams: { patient: coded.subject.reference, code: `${coding.system}|${coding.code}` },
    })) as unknown as Bundle;
    expect(matches(byCode).map((r) => r.id)).toContain(coded.id);
  });

  it("lists the service's overdue tasks page by page, in due order, each once", async () => {
    const nurse = clientFor('nurse');
    const first = (await nurse.search({
      resourceType: 'Task',
      searchParams: { status: 'ready', 'business-status': 'overdue', _count: 5 },
    })) as unknown as Bundle;
    const tasks = await allPages(nurse, first);
    expect(tasks.length).toBeGreaterThan(5);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
    const allOverdue = [...seen.values()].filter(
      (r) =>
        r.resourceType === 'Task' &&
        (r as { businessStatus?: { coding?: { code?: string }[] } }).businessStatus?.coding?.[0]
          ?.code === 'overdue',
    );
    expect(tasks.map((t) => t.id).sort()).toEqual(allOverdue.map((t) => t.id).sort());
    const today = new Date().toISOString().slice(0, 10);
    const current = (await nurse.search({
      resourceType: 'Task',
      searchParams: { period: `ge${today}`, _count: 200 },
    })) as unknown as Bundle;
    for (const task of matches(current)) {
      const end = (task as { restriction?: { period?: { end?: string } } }).restriction?.period
        ?.end;
      expect(Date.parse(end as string)).toBeGreaterThan(Date.parse(today));
    }
  });

  it('reads the PlanDefinition a care plan instantiates', async () => {
    const plan = [...seen.values()].find((r) => r.resourceType === 'CarePlan') as CarePlan;
    const canonical = plan.instantiatesCanonical?.[0] as string;
    const version = canonical.split('/').at(-1) as string;
    const definition = (await clientFor('nurse').read({
      resourceType: 'PlanDefinition',
      id: version,
    })) as unknown as Resource & { url?: string };
    expect(definition.url).toBe(canonical);
    remember([definition]);
    exercised.add('PlanDefinition.read');
  });

  it("gives the audit log to an administrator's key only, showing the reads just made", async () => {
    const refused = await clientFor('nurse')
      .search({ resourceType: 'AuditEvent' })
      .catch((error: { response: { status: number; data: OperationOutcome } }) => error.response);
    expect((refused as { status: number }).status).toBe(403);
    const admin = clientFor('admin');
    const first = (await admin.search({
      resourceType: 'AuditEvent',
      searchParams: { _count: 200 },
    })) as unknown as Bundle;
    const events = await allPages(admin, first);
    remember(events.slice(-50));
    exercised.add('AuditEvent.search-type');
    expect(events.length).toBeGreaterThan(patients.length);
  });

  it('returned only valid R4 (both validators, zero errors)', () => {
    const problems: string[] = [];
    for (const [key, resource] of seen) {
      const { errors } = validateR4(resource);
      if (errors.length > 0) problems.push(`${key}:\n${describeFindings(errors)}`);
    }
    expect(problems.join('\n\n')).toBe('');
    expect(seen.size).toBeGreaterThan(500);
  });

  it('exercised exactly what the CapabilityStatement lists', async () => {
    const statement = (await new Client({
      baseUrl: base,
    }).capabilityStatement()) as unknown as CapabilityStatement;
    const listed = (statement.rest?.[0]?.resource ?? []).flatMap((resource) => [
      ...(resource.interaction ?? []).map((i) => `${resource.type}.${i.code}`),
      ...(resource.operation ?? []).map((o) => `${resource.type}.$${o.name}`),
    ]);
    const system = [
      ...(statement.rest?.[0]?.interaction ?? []).map((i) => i.code as string),
      ...(statement.rest?.[0]?.operation ?? []).map((o) => `$${o.name}`),
    ];
    expect([...listed, ...system].sort()).toEqual([...exercised].sort());
  });
});
