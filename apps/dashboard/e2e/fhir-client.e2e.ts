// FHIR R4 through an independent client, fhir-kit-client, against the running product: the
// production build served by `next start`, on a database of its own holding the demo caseload,
// with the worker running on it (BullMQ on that database's own PostgreSQL backend), so a bulk
// export runs as it would in service. None of our code builds a request here: the client does,
// from the base URL and the key (NDJSON files, which it cannot parse, are fetched plainly).
// Every resource the server returns over the whole demo caseload must be valid R4 for two
// validators, and the CapabilityStatement must list exactly what this file exercises.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  Binary,
  Bundle,
  CapabilityStatement,
  CarePlan,
  DocumentReference,
  OperationOutcome,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import { createDatabase, type Database } from '@vfx/database';
import { type ApiKeyCreated, createApiKey } from '@vfx/database/commands';
import { staffList } from '@vfx/database/views';
import { isValidNhsNumber } from '@vfx/domain';
import { describeFindings, validateR4 } from '@vfx/fhir/testing';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedLetterOf } from './support/documents';
import { BROWSER_TIME_ZONE, test } from './support/fixtures';
import { boxesOf, fillDate } from './support/forms';
import { LOGS_DIR, REPO_DIR } from './support/paths';
import {
  closeDemoDatabase,
  openDemoDatabase,
  running,
  start,
  stopGroup,
} from './support/processes';
import { signIn } from './support/users';

const NHS_NUMBER = 'https://fhir.nhs.uk/Id/nhs-number';
let holder: ChildProcess | undefined;
let serverGroup: number | undefined;
let worker: ChildProcess | undefined;
let mailbox: string;
let db: Database;
let base: string;
/** The private dashboard's origin, for the browser and /api/v1. */
let origin: string;
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
  origin = server.baseURL;
  base = `${origin}/fhir/R4`;
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

    const withNhsNumber = patients.find(
      (p) => p.identifier?.[0]?.system === NHS_NUMBER,
    ) as unknown as Patient;
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

  // The sender's own identifiers: a fracture alert number and a pain-score number.
  const ALERTS = 'https://radiology.example.nhs.uk/Id/fracture-alert';
  const SCORES = 'https://ward.example.nhs.uk/Id/pain-score';
  const SERVICE = 'https://fls.example.nhs.uk';

  /** An NHS number (valid check digit) that no patient of the demo has. */
  async function unusedNhsNumber(from: number): Promise<string> {
    for (let base = from; ; base += 1) {
      for (let check = 0; check <= 9; check++) {
        const candidate = `${base}${check}`;
        if (!isValidNhsNumber(candidate)) continue;
        const found = (await clientFor('nurse').search({
          resourceType: 'Patient',
          searchParams: { identifier: `${NHS_NUMBER}|${candidate}` },
        })) as unknown as Bundle;
        if (matches(found).length === 0) return candidate;
      }
    }
  }

  /** The calendar day (YYYY-MM-DD) in London, `days` from now. */
  const londonDay = (days: number) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: BROWSER_TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(Date.now() + days * 86_400_000);

  /** A referral system's message, written as such a system writes it: nothing of ours builds it. */
  function enrolmentBundle(nhsNumber: string, alert: string, fractureDay: string) {
    return {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:4f2d6a0e-8d4b-4f57-9d38-1f0d2f1b7a01',
          resource: {
            resourceType: 'Patient',
            identifier: [{ system: NHS_NUMBER, value: nhsNumber }],
            name: [{ use: 'official', family: 'Fairweather', given: ['Edith'] }],
            gender: 'female',
            birthDate: '1944-05-17',
          },
          request: {
            method: 'POST',
            url: 'Patient',
            ifNoneExist: `identifier=${NHS_NUMBER}|${nhsNumber}`,
          },
        },
        {
          fullUrl: 'urn:uuid:4f2d6a0e-8d4b-4f57-9d38-1f0d2f1b7a02',
          resource: {
            resourceType: 'Condition',
            identifier: [{ system: ALERTS, value: alert }],
            extension: [
              {
                url: 'http://hl7.org/fhir/StructureDefinition/condition-assertedDate',
                valueDateTime: fractureDay,
              },
              {
                url: `${SERVICE}/fhir/StructureDefinition/identification-route`,
                valueCode: 'symptomatic-presentation',
              },
              {
                url: `${SERVICE}/fhir/StructureDefinition/column-involvement`,
                valueCode: 'anterior-only',
              },
              {
                url: `${SERVICE}/fhir/StructureDefinition/neurological-deficit`,
                valueBoolean: false,
              },
              {
                url: `${SERVICE}/fhir/StructureDefinition/suspected-malignancy`,
                valueBoolean: false,
              },
              { url: `${SERVICE}/fhir/StructureDefinition/mri-oedema`, valueCode: 'not-imaged' },
            ],
            code: { text: 'Osteoporotic vertebral fragility fracture' },
            bodySite: [
              {
                coding: [{ system: `${SERVICE}/CodeSystem/vertebral-level`, code: 'L1' }],
                text: 'L1',
              },
            ],
            subject: { reference: 'urn:uuid:4f2d6a0e-8d4b-4f57-9d38-1f0d2f1b7a01' },
            onsetDateTime: fractureDay,
          },
          request: {
            method: 'POST',
            url: 'Condition',
            ifNoneExist: `identifier=${ALERTS}|${alert}`,
          },
        },
      ],
    };
  }

  /** The plan as /api/v1 gives it, reduced to what must agree between two enrolments. */
  async function apiPlan(episodeId: string) {
    const response = await fetch(
      `${origin}/api/v1/episodes/${encodeURIComponent(episodeId)}/plan`,
      {
        headers: { authorization: `Bearer ${keys.nurse.secret}` },
      },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      plan: {
        steps: {
          stepId: string;
          key: string;
          status: string;
          window?: { opens: string; due: string; overdueFrom: string };
        }[];
      };
    };
    return body.plan.steps.map((step) => ({
      stepId: step.stepId,
      status: step.status,
      window: step.window ? [step.window.opens, step.window.due, step.window.overdueFrom] : null,
    }));
  }

  /** The CarePlan's activities as FHIR gives them, without the episode's own ids. */
  async function fhirPlan(patientReference: string) {
    const nurse = clientFor('nurse');
    const plans = matches(
      (await nurse.search({
        resourceType: 'CarePlan',
        searchParams: { patient: patientReference },
      })) as unknown as Bundle,
    ) as CarePlan[];
    expect(plans).toHaveLength(1);
    const tasks = new Map(
      matches(
        (await nurse.search({
          resourceType: 'Task',
          searchParams: { patient: patientReference },
        })) as unknown as Bundle,
      ).map((task) => [
        `Task/${task.id}`,
        task as Resource & {
          code?: { coding?: { code?: string }[] };
          businessStatus?: { coding?: { code?: string }[] };
          restriction?: { period?: unknown };
        },
      ]),
    );
    return (plans[0]?.activity ?? []).map((activity) => {
      if (activity.reference) {
        const task = tasks.get(activity.reference.reference as string);
        return {
          step: task?.code?.coding?.[0]?.code,
          status: task?.businessStatus?.coding?.[0]?.code,
          period: task?.restriction?.period,
        };
      }
      return {
        step: activity.detail?.code?.coding?.[0]?.code,
        status: activity.detail?.status,
        period: activity.detail?.scheduledPeriod,
      };
    });
  }

  let fhirPatientId = '';
  let fhirEpisodeId = '';

  test('enrols from a transaction Bundle, stores nothing more on the repeat, and plans as the dashboard does', async ({
    openPage,
  }) => {
    const nurse = clientFor('nurse');
    const fractureDay = londonDay(-20);
    const nhsNumber = await unusedNhsNumber(999_000_100);
    const bundle = enrolmentBundle(nhsNumber, 'VFA-E2E-0001', fractureDay);
    const first = (await nurse.transaction({ body: bundle as never })) as unknown as Bundle;
    exercised.add('transaction');
    expect(first.type).toBe('transaction-response');
    expect(first.entry?.map((entry) => entry.response?.status)).toEqual([
      '201 Created',
      '201 Created',
    ]);
    const [patientLocation, conditionLocation] = (first.entry ?? []).map(
      (entry) => entry.response?.location as string,
    );
    fhirPatientId = (patientLocation as string).split('/')[1] as string;
    fhirEpisodeId = (conditionLocation as string).split('/')[1] as string;

    const again = (await nurse.transaction({ body: bundle as never })) as unknown as Bundle;
    expect(again.entry?.map((entry) => entry.response?.status)).toEqual(['200 OK', '200 OK']);
    expect(again.entry?.map((entry) => entry.response?.location)).toEqual([
      patientLocation,
      conditionLocation,
    ]);
    const found = matches(
      (await nurse.search({
        resourceType: 'Patient',
        searchParams: { identifier: `${NHS_NUMBER}|${nhsNumber}` },
      })) as unknown as Bundle,
    );
    expect(found.map((p) => p.id)).toEqual([fhirPatientId]);
    const carePlans = matches(
      (await nurse.search({
        resourceType: 'CarePlan',
        searchParams: { patient: `Patient/${fhirPatientId}` },
      })) as unknown as Bundle,
    );
    expect(carePlans, 'one episode, not two').toHaveLength(1);

    // The same fracture enrolled by a nurse on the dashboard's form.
    const page = await openPage({ baseURL: origin });
    await signIn(page, 'nurse');
    await page.goto('/patients/new');
    const form = page.locator('form', {
      has: page.getByRole('group', { name: 'Date of fracture' }),
    });
    await form.getByLabel('NHS number or MRN').fill(await unusedNhsNumber(999_000_300));
    await form.getByLabel('Given name').fill('Edna');
    await form.getByLabel('Family name').fill('Fairbairn');
    await fillDate(form, 'Date of birth', { day: 17, month: 5, year: 1944 });
    await form.getByLabel('Sex').selectOption('female');
    await form
      .getByRole('group', { name: 'Fractured levels' })
      .getByLabel('L1', { exact: true })
      .check();
    await fillDate(form, 'Date of fracture', boxesOf(fractureDay));
    await fillDate(form, 'Identified on', boxesOf(fractureDay));
    await form.getByLabel('How it was identified').selectOption('symptomatic-presentation');
    await form.getByLabel('Column involvement').selectOption('anterior-only');
    await form.getByLabel('MRI oedema').selectOption('not-imaged');
    await form.getByRole('group', { name: 'Neurological deficit' }).getByLabel('No').check();
    await form.getByRole('group', { name: 'Suspected malignancy' }).getByLabel('No').check();
    await form.getByRole('button', { name: 'Enrol' }).click();
    await page.waitForURL((url) => /^\/episodes\/[^/]+$/.test(url.pathname));
    const formEpisodeId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] as string);
    const formCondition = (await nurse.read({
      resourceType: 'Condition',
      id: formEpisodeId,
    })) as unknown as Resource & { subject: { reference: string } };

    // Through /api/v1 and through FHIR, the two plans are the same plan.
    const viaApi = await apiPlan(fhirEpisodeId);
    expect(viaApi.length).toBeGreaterThan(5);
    expect(viaApi).toEqual(await apiPlan(formEpisodeId));
    const viaFhir = await fhirPlan(`Patient/${fhirPatientId}`);
    expect(viaFhir).toEqual(await fhirPlan(formCondition.subject.reference));
    // The same steps (a CarePlan lists them in the order they open), each actionable one with
    // the status the plan gives it.
    expect(viaFhir.map((activity) => activity.step).sort()).toEqual(
      viaApi.map((step) => step.stepId).sort(),
    );
    for (const step of viaApi.filter((s) => ['open', 'due', 'overdue'].includes(s.status))) {
      expect(viaFhir.find((activity) => activity.step === step.stepId)?.status).toBe(step.status);
    }
  });

  it('records a pain score from an Observation; a repeat with If-None-Exist stores nothing', async () => {
    const nurse = clientFor('nurse');
    const observation = {
      resourceType: 'Observation',
      identifier: [{ system: SCORES, value: 'PS-E2E-0001' }],
      status: 'final',
      code: {
        coding: [{ system: `${SERVICE}/CodeSystem/clinical-entry`, code: 'pain-assessment' }],
        text: 'Pain assessment',
      },
      subject: { reference: `Patient/${fhirPatientId}` },
      effectiveDateTime: new Date(Date.now() - 3_600_000).toISOString(),
      component: [
        {
          code: {
            coding: [
              { system: `${SERVICE}/CodeSystem/pain-assessment-component`, code: 'nrs-at-rest' },
            ],
          },
          valueInteger: 6,
        },
        {
          code: {
            coding: [
              {
                system: `${SERVICE}/CodeSystem/pain-assessment-component`,
                code: 'nrs-on-activity',
              },
            ],
          },
          valueInteger: 8,
        },
        {
          code: {
            coding: [
              {
                system: `${SERVICE}/CodeSystem/pain-assessment-component`,
                code: 'functional-limitation',
              },
            ],
          },
          valueCodeableConcept: {
            coding: [{ system: `${SERVICE}/CodeSystem/pain-assessment-value`, code: 'moderate' }],
          },
        },
      ],
    };
    const options = { headers: { 'If-None-Exist': `identifier=${SCORES}|PS-E2E-0001` } };
    const created = await nurse.create({
      resourceType: 'Observation',
      body: observation as never,
      options,
    });
    exercised.add('Observation.create');
    expect(Client.httpFor(created).response?.status).toBe(201);
    const repeated = await nurse.create({
      resourceType: 'Observation',
      body: observation as never,
      options,
    });
    expect(Client.httpFor(repeated).response?.status).toBe(200);
    const scores = matches(
      (await nurse.search({
        resourceType: 'Observation',
        searchParams: { patient: `Patient/${fhirPatientId}`, code: 'http://loinc.org|72514-3' },
      })) as unknown as Bundle,
    );
    // One assessment, served as its two LOINC-coded scores (at rest, on activity): not four.
    expect(scores).toHaveLength(2);
    remember(scores);
    const refused = await clientFor('scheduler')
      .create({ resourceType: 'Observation', body: observation as never })
      .catch((error: { response: { status: number } }) => error.response);
    expect((refused as { status: number }).status).toBe(403);
  });

  it('exports the caseload in bulk with the worker: kick-off, progress, manifest, NDJSON; a second export is cancelled', async () => {
    const admin = clientFor('admin');
    const asyncHeaders = { Prefer: 'respond-async', Accept: 'application/fhir+json' };
    const refused = await clientFor('nurse')
      .operation({ name: '$export', method: 'GET', options: { headers: asyncHeaders } })
      .catch((error: { response: { status: number } }) => error.response);
    expect((refused as { status: number }).status).toBe(403);

    const kickOff = await admin.operation({
      name: '$export',
      method: 'GET',
      input: { _type: 'Patient,CarePlan,Task' },
      options: { headers: asyncHeaders },
    });
    exercised.add('$export');
    const accepted = Client.httpFor(kickOff).response as Response;
    expect(accepted.status).toBe(202);
    const statusUrl = accepted.headers.get('content-location') as string;
    expect(statusUrl).toMatch(/\/fhir\/R4\/\$export-status\//);

    // Polled as a Bulk Data client does: 202 with X-Progress until the manifest.
    let manifest:
      | {
          transactionTime: string;
          requiresAccessToken: boolean;
          output: { type: string; url: string; count: number }[];
        }
      | undefined;
    const deadline = Date.now() + 180_000;
    while (!manifest) {
      expect(Date.now(), 'the export finished within 3 minutes').toBeLessThan(deadline);
      const status = await admin.request(statusUrl);
      const answer = Client.httpFor(status).response as Response;
      if (answer.status === 200) {
        manifest = status as unknown as typeof manifest;
        break;
      }
      expect(answer.status).toBe(202);
      expect(answer.headers.get('x-progress')).toBeTruthy();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    if (!manifest) throw new Error('no manifest');
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.output.map((file) => file.type).sort()).toEqual([
      'CarePlan',
      'Patient',
      'Task',
    ]);

    // Each file, downloaded with the same key, holds what the manifest counts: valid resources.
    const exported = new Map<string, Resource[]>();
    for (const file of manifest.output) {
      const response = await fetch(file.url, {
        headers: {
          authorization: `Bearer ${keys.admin.secret}`,
          accept: 'application/fhir+ndjson',
        },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+ndjson/);
      const lines = (await response.text()).split('\n').filter(Boolean);
      expect(lines).toHaveLength(file.count);
      const resources = lines.map((line) => JSON.parse(line) as Resource);
      expect(resources.every((resource) => resource.resourceType === file.type)).toBe(true);
      exported.set(file.type, [...(exported.get(file.type) ?? []), ...resources]);
      remember(resources);
    }
    // Every patient once: the demo's and the two enrolled above.
    const exportedPatients = (exported.get('Patient') ?? []).map((patient) => patient.id as string);
    expect(new Set(exportedPatients).size).toBe(exportedPatients.length);
    expect(exportedPatients).toEqual(
      expect.arrayContaining([...patients.map((p) => p.id as string), fhirPatientId]),
    );
    // The same resources as the reads give: one patient's CarePlan, byte for byte as JSON.
    const plan = (exported.get('CarePlan') ?? []).find((carePlan) =>
      seen.has(`CarePlan/${carePlan.id}`),
    );
    expect(plan).toEqual(seen.get(`CarePlan/${plan?.id}`));

    // A second export, cancelled: 202, and then it is gone.
    const second = await admin.operation({
      name: '$export',
      method: 'GET',
      options: { headers: asyncHeaders },
    });
    const secondStatus = (Client.httpFor(second).response as Response).headers.get(
      'content-location',
    ) as string;
    const cancelled = await admin.request(secondStatus, { method: 'DELETE' });
    expect((Client.httpFor(cancelled).response as Response).status).toBe(202);
    const gone = await admin
      .request(secondStatus)
      .catch((error: { response: { status: number } }) => error.response);
    expect((gone as { status: number }).status).toBe(404);
  });

  it("serves a signed letter to the GP: found by the patient, read, and its PDF as a Binary with the attachment's size and hash", async () => {
    const nurse = clientFor('nurse');
    const episode = await db.episode.findFirstOrThrow({
      where: { closedAt: null },
      orderBy: { id: 'asc' },
      select: { id: true, patientId: true },
    });
    const letterId = await signedLetterOf(db, episode.id);
    const bundle = (await nurse.search({
      resourceType: 'DocumentReference' as never,
      searchParams: { patient: `Patient/${episode.patientId}` },
    })) as unknown as Bundle;
    const found = matches(bundle) as DocumentReference[];
    const letter = found.find((document) => document.id === letterId);
    expect(letter, 'the signed letter is among the patient’s documents').toBeDefined();
    exercised.add('DocumentReference.search-type');
    const read = (await nurse.read({
      resourceType: 'DocumentReference' as never,
      id: letterId,
    })) as unknown as DocumentReference;
    expect(read).toEqual(letter);
    expect(read).toMatchObject({ status: 'current', docStatus: 'final' });
    exercised.add('DocumentReference.read');
    const attachment = read.content[0]?.attachment;
    // Next writes a loopback host as "localhost", so the path and port are compared.
    const url = new URL(attachment?.url as string);
    expect(`${url.port}${url.pathname}`).toBe(`${new URL(base).port}/fhir/R4/Binary/${letterId}`);
    const binary = (await nurse.read({
      resourceType: 'Binary' as never,
      id: letterId,
    })) as unknown as Binary;
    exercised.add('Binary.read');
    expect(binary.contentType).toBe('application/pdf');
    const pdf = Buffer.from(binary.data as string, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBe(attachment?.size);
    expect(createHash('sha1').update(pdf).digest('base64')).toBe(attachment?.hash);
    // The bytes are the signed letter's, as stored at sign-off.
    const stored = await db.gpLetter.findUniqueOrThrow({
      where: { id: letterId },
      select: { pdf: true },
    });
    expect(Buffer.from(stored.pdf as Uint8Array).equals(pdf)).toBe(true);
    remember([read, binary]);
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
