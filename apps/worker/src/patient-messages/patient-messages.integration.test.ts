import { execFileSync, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordNotifyReceipt, syncPatientMessagesForPatient } from '@vfx/database';
import { enrolPatient, recordEvent } from '@vfx/database/commands';
import { testEnrolment } from '@vfx/database/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { JOB_CATALOG, jobRequest, patientMessageSendId } from '../queue/job-catalog.js';
import { FakeNotify } from '../testing/fake-notify.js';
import { BACKENDS, type TestEnvironment, testEnvironment, waitFor } from '../testing/harness.js';
import { freePort, kill, ready } from '../testing/worker-process.js';
import { patientMessageFile } from './senders.js';

// The worker decides by its clock (09:00-19:00 London on working days), so the tests run it at
// a chosen instant, Monday 1 March 2027 10:00 GMT, moving on in real time: the same at any hour.
const BASE = Date.parse('2027-03-01T10:00:00Z');
function virtualClock() {
  const started = Date.now();
  return () => new Date(BASE + (Date.now() - started));
}

const SMS_TEMPLATE = '3f1d1c36-1c37-4d9b-8f0d-9b8f8f5f6a11';
const EMAIL_TEMPLATE = '9a0c7b38-66e5-4c4b-9b64-07a8d3b8e2f2';
const TEMPLATE_KEYS = [
  'denosumab-dose-before',
  'denosumab-dose-due',
  'fls-follow-up',
  'exercise-programme-start',
  'dxa-appointment',
];
const templateIds = JSON.stringify(
  Object.fromEntries(
    TEMPLATE_KEYS.map((key) => [key, { sms: SMS_TEMPLATE, email: EMAIL_TEMPLATE }]),
  ),
);

let counter = 0;

/**
 * A patient whose exercise programme opens today (fracture 4 weeks before), with contact
 * preferences: their "exercise programme" message is due at once, the others later.
 */
async function patientWithMessageDueNow(
  env: TestEnvironment,
  contact: { mobile?: string; email?: string; address?: { lines: string[]; postcode: string } },
) {
  counter += 1;
  const now = new Date(BASE);
  await enrolPatient(env.db, testEnrolment({ n: counter, fractureDate: '2027-02-01' }), {
    actorId: 'nurse-1',
    now,
  });
  const patientId = `pat-${counter}`;
  await env.db.$transaction(async (tx) => {
    await tx.patientContactPreferences.create({
      data: {
        patientId,
        channel: contact.mobile ? 'sms' : contact.email ? 'email' : 'letter',
        consentAt: now,
        consentBy: 'nurse-1',
        mobile: contact.mobile ?? null,
        email: contact.email ?? null,
        addressLines: contact.address?.lines ?? [],
        postcode: contact.address?.postcode ?? null,
        updatedBy: 'nurse-1',
      },
    });
    await syncPatientMessagesForPatient(tx, { patientId, now });
  });
  return env.db.patientMessage.findFirstOrThrow({
    where: { patientId, kind: 'exercise-programme-start' },
  });
}

/** The service's delivery-receipt endpoint as Notify calls it (bearer token checked). */
async function receiptEndpoint(env: TestEnvironment, clock: () => Date) {
  const token = 'receipt-token-for-tests';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(401).end();
        return;
      }
      recordNotifyReceipt(env.db, JSON.parse(Buffer.concat(chunks).toString()), clock()).then(
        (result) => res.writeHead(result.ok ? 204 : 400).end(),
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    callback: { url: `http://127.0.0.1:${port}/notify/receipts`, bearerToken: token },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(BACKENDS)('patient messages on %s', (backend) => {
  let env: TestEnvironment | undefined;
  let notify: FakeNotify | undefined;
  let receipts: Awaited<ReturnType<typeof receiptEndpoint>> | undefined;
  afterEach(async () => {
    await env?.close();
    await notify?.stop();
    await receipts?.close();
    env = undefined;
    notify = undefined;
    receipts = undefined;
  });

  /**
   * `childClock`: the workers run as processes under faketime at the tests' instant, so the JWTs
   * they sign carry that time; Notify's 30-second check is made against the same clock.
   */
  async function withNotify(
    extraEnv: Record<string, string> = {},
    childClock = false,
    sendReceipts = true,
  ) {
    const clock = virtualClock();
    env = await testEnvironment(backend);
    receipts = await receiptEndpoint(env, clock);
    notify = new FakeNotify({
      templates: {
        [SMS_TEMPLATE]: { type: 'sms', fields: ['first_name', 'date'] },
        [EMAIL_TEMPLATE]: { type: 'email', fields: ['first_name', 'date'] },
      },
      ...(sendReceipts ? { callback: receipts.callback } : {}),
      ...(childClock ? { clock: () => clock().getTime() } : {}),
    });
    await notify.start();
    const notifyEnv = {
      NOTIFY_API_KEY: notify.apiKey,
      NOTIFY_BASE_URL: notify.url,
      NOTIFY_TEMPLATE_IDS: templateIds,
      PATIENT_MESSAGE_LEASE_SECONDS: '2',
      ...extraEnv,
    };
    return { clock, notifyEnv, env, notify };
  }

  it('sends a text message through Notify once, with the message id as reference and personalisation only; the receipt marks it delivered', async () => {
    const { clock, notifyEnv, env, notify } = await withNotify();
    await env.start({ env: notifyEnv, clock });
    const message = await patientWithMessageDueNow(env, { mobile: '+447700900101' });
    const delivered = await waitFor('the delivery receipt', () =>
      env.db.patientMessage.findFirst({ where: { id: message.id, state: 'delivered' } }),
    );
    expect(notify.notifications).toHaveLength(1);
    expect(notify.notifications[0]).toMatchObject({
      type: 'sms',
      to: '+447700900101',
      reference: message.id,
      templateId: SMS_TEMPLATE,
      personalisation: { first_name: 'Test', date: 'Monday 1 March 2027' },
    });
    expect(delivered).toMatchObject({
      attempts: 1,
      notifyId: notify.notifications[0]?.id,
      providerStatus: 'delivered',
    });
    // Only messages due now went: the later reminders wait for their day.
    expect(
      await env.db.patientMessage.count({
        where: { patientId: message.patientId, state: 'scheduled' },
      }),
    ).toBe(1);
  });

  it('an e-mail goes by its e-mail template', async () => {
    const { clock, notifyEnv, env, notify } = await withNotify();
    await env.start({ env: notifyEnv, clock });
    const message = await patientWithMessageDueNow(env, { email: 'ada.lovelace@example.org' });
    await waitFor('the e-mail', () =>
      env.db.patientMessage.findFirst({ where: { id: message.id, state: 'delivered' } }),
    );
    expect(notify.notifications.map((n) => [n.type, n.to, n.templateId, n.reference])).toEqual([
      ['email', 'ada.lovelace@example.org', EMAIL_TEMPLATE, message.id],
    ]);
  });

  it('a letter goes precompiled: a PDF with the name and address in Notify’s address block, and the message', async () => {
    const { clock, notifyEnv, env, notify } = await withNotify();
    await env.start({ env: notifyEnv, clock });
    const message = await patientWithMessageDueNow(env, {
      address: { lines: ['12 Sample Street', 'Exampleton'], postcode: 'LS1 4AP' },
    });
    await waitFor('the letter', () =>
      env.db.patientMessage.findFirst({ where: { id: message.id, state: 'delivered' } }),
    );
    expect(notify.notifications).toHaveLength(1);
    const letter = notify.notifications[0];
    expect([letter?.type, letter?.reference, letter?.postage]).toEqual([
      'letter',
      message.id,
      'second',
    ]);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], {
      input: letter?.pdf ?? Buffer.alloc(0),
    }).toString();
    expect(text).toMatch(/Test Patient \d+\s+12 Sample Street\s+Exampleton\s+LS1 4AP/);
    expect(text).toContain('From Monday 1 March 2027 you can start an exercise programme');
  });

  it('the fake Notify refuses a client whose JWT is not signed with the key, names another service, or is stale', async () => {
    const { notify } = await withNotify();
    const { NotifyClient } = await import('notifications-node-client');
    const send = (key: string) =>
      new NotifyClient(notify.url, key).sendSms(SMS_TEMPLATE, '+447700900102', {
        personalisation: { first_name: 'A', date: 'B' },
        reference: 'r1',
      });
    const wrongSecret = `${notify.apiKey.slice(0, -36)}00000000-0000-4000-8000-000000000000`;
    const wrongService = `test_key-00000000-0000-4000-8000-000000000000-${notify.secret}`;
    await expect(send(wrongSecret)).rejects.toMatchObject({ response: { status: 403 } });
    await expect(send(wrongService)).rejects.toMatchObject({ response: { status: 403 } });
    await expect(send(notify.apiKey)).resolves.toMatchObject({ status: 201 });
    // A body field Notify does not document is refused.
    const client = new NotifyClient(notify.url, notify.apiKey);
    await expect(
      client.sendSms(SMS_TEMPLATE, '+15555550100', {
        personalisation: { first_name: 'A', date: 'B' },
      }),
    ).rejects.toMatchObject({
      response: {
        status: 400,
        data: { errors: [{ message: 'phone_number Not a UK mobile number' }] },
      },
    });
    await expect(
      client.sendSms(SMS_TEMPLATE, '+447700900102', { personalisation: { first_name: 'A' } }),
    ).rejects.toMatchObject({
      response: { status: 400, data: { errors: [{ message: 'Missing personalisation: date' }] } },
    });
  });

  it('Notify answering 429 is retried with the job’s backoff, and the message goes once', async () => {
    const { clock, notifyEnv, env, notify } = await withNotify();
    const worker = await env.start({ env: notifyEnv, clock });
    notify.failNext(1, 429);
    const message = await patientWithMessageDueNow(env, { mobile: '+447700900103' });
    const jobId = jobRequest('send-patient-message', {
      sendId: patientMessageSendId(message.id, message.sendAt),
    }).opts.jobId;
    const job = await waitFor('the backoff', async () => {
      const found = await worker.queues.patientMessages.getJob(jobId);
      return found && found.attemptsMade >= 1 && (await found.isDelayed()) ? found : undefined;
    });
    expect(JOB_CATALOG['send-patient-message'].options.backoff).toEqual({
      type: 'exponential',
      delay: 10_000,
    });
    expect(job.attemptsMade).toBe(1);
    expect(
      (await env.db.patientMessage.findUniqueOrThrow({ where: { id: message.id } })).lastError,
    ).toMatch(/Notify answered 429/);
    await waitFor(
      'the retry',
      () =>
        env.db.patientMessage.findFirst({
          where: { id: message.id, state: { in: ['sent', 'delivered'] } },
        }),
      30_000,
    );
    expect(notify.notifications.filter((n) => n.reference === message.id)).toHaveLength(1);
    // The retry looked the reference up before sending.
    expect(
      notify.requests.some(
        (r) => r.method === 'GET' && r.path.includes(`reference=${encodeURIComponent(message.id)}`),
      ),
    ).toBe(true);
  });

  it('Notify answering 500 three times: each retry backs off, nothing is lost, one message', async () => {
    // The relay is held back (it would queue the job with the catalogue's 10 s backoff): the test
    // queues the job itself with the same options and a short backoff.
    const { clock, notifyEnv, env, notify } = await withNotify({ OUTBOX_POLL_MS: '3600000' });
    const worker = await env.start({ env: notifyEnv, clock });
    const message = await patientWithMessageDueNow(env, { mobile: '+447700900104' });
    notify.failNext(3, 500);
    const request = jobRequest('send-patient-message', {
      sendId: patientMessageSendId(message.id, message.sendAt),
    });
    await worker.queues.patientMessages.add(request.name, request.data, {
      ...request.opts,
      backoff: { type: 'exponential', delay: 200 },
    });
    const sent = await waitFor('the message after three 500s', () =>
      env.db.patientMessage.findFirst({
        where: { id: message.id, state: { in: ['sent', 'delivered'] } },
      }),
    );
    expect(sent.attempts).toBe(4);
    expect(notify.requests.filter((r) => r.status === 500)).toHaveLength(3);
    expect(notify.notifications.filter((n) => n.reference === message.id)).toHaveLength(1);
  });

  it('a permanent failure (a number that cannot be reached) puts a task on the nurse’s worklist', async () => {
    const { clock, notifyEnv, env, notify } = await withNotify();
    notify.failPermanently('+447700900105');
    await env.start({ env: notifyEnv, clock });
    const message = await patientWithMessageDueNow(env, { mobile: '+447700900105' });
    const failed = await waitFor('the permanent failure', () =>
      env.db.patientMessage.findFirst({ where: { id: message.id, state: 'permanent-failure' } }),
    );
    expect(failed.providerStatus).toBe('permanent-failure');
    const task = await env.db.reminder.findFirstOrThrow({
      where: { episodeId: message.episodeId, kind: 'patient-message-failed' },
      include: { deliveries: true },
    });
    expect(task).toMatchObject({
      nurseId: 'nurse-1',
      status: 'open',
      stepKey: 'exercise-programme-referral',
    });
    expect(task.stepTitle).toMatch(/^Text message to the patient failed/);
    expect(task.deliveries.map((d) => [d.channel, d.recipient])).toEqual([['in_app', 'nurse-1']]);
  });

  it('a worker killed mid-send: the next one finds the message in Notify by its reference and records it, one message only', async () => {
    // No receipts: the second worker must find the message itself, by its reference. A lease
    // long enough that A's call to Notify is still waiting when A is killed.
    const { clock, notifyEnv, env, notify } = await withNotify(
      { PATIENT_MESSAGE_LEASE_SECONDS: '8' },
      true,
      false,
    );
    const message = await patientWithMessageDueNow(env, { mobile: '+447700900106' });
    notify.holdNext(1);
    const workerDir = fileURLToPath(new URL('../..', import.meta.url));
    // The workers' own error output, shown if the test fails (not while it passes: killing them
    // and dropping the database makes them complain).
    const output = '';
    // A real worker process whose clock reads the tests' instant (faketime), moving on.
    const startWorkerAtTestInstant = async () => {
      const port = await freePort();
      const at = clock().toISOString().replace('T', ' ').slice(0, 19);
      const child = spawn(
        'faketime',
        [`${at} UTC`, process.execPath, '--import', 'tsx', 'src/main.ts'],
        {
          cwd: workerDir,
          env: {
            // Not an outer faketime's settings (a run under scripts/at-instant.sh): this
            // faketime alone sets the worker's clock, to the tests' instant.
            ...withoutFaketime(process.env),
            ...env.env,
            ...notifyEnv,
            PORT: String(port),
            LOG_LEVEL: 'warn',
            FAKETIME_DONT_FAKE_MONOTONIC: '1',
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      await ready(port, 45_000);
      return child;
    };
    // Worker A reaches Notify, which takes the message in and does not answer; A is killed.
    const a = await startWorkerAtTestInstant().catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });
    try {
      await waitFor(
        'worker A to reach Notify',
        async () => notify.notifications.length === 1,
        30_000,
      );
      const sending = await env.db.patientMessage.findUniqueOrThrow({ where: { id: message.id } });
      expect([sending.state, sending.attempts]).toEqual(['sending', 1]);
    } finally {
      await kill(a);
    }
    // Worker B takes the job over once A's job lock and claim have run out.
    const b = await startWorkerAtTestInstant();
    try {
      const recorded = await waitFor(
        'worker B to record it',
        () => env.db.patientMessage.findFirst({ where: { id: message.id, state: 'sent' } }),
        45_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${output}`);
      });
      expect(recorded.attempts).toBe(2);
      expect(recorded.notifyId).toBe(notify.notifications[0]?.id);
      expect(notify.notifications.filter((n) => n.reference === message.id)).toHaveLength(1);
      expect(notify.requests.some((r) => r.method === 'GET' && r.path.includes('reference='))).toBe(
        true,
      );
    } finally {
      await kill(b);
    }
  });

  it('without NOTIFY_API_KEY the local mailbox holds each message once, with its words', async () => {
    const clock = virtualClock();
    const local = await testEnvironment(backend);
    env = local;
    await local.start({ clock });
    const first = await patientWithMessageDueNow(env, { mobile: '+447700900107' });
    const second = await patientWithMessageDueNow(env, { email: 'grace.hopper@example.com' });
    for (const message of [first, second]) {
      await waitFor('the mailbox', () =>
        local.db.patientMessage.findFirst({
          where: { id: message.id, state: 'sent', providerStatus: 'local-mailbox' },
        }),
      );
    }
    const dir = env.env.MAILBOX_DIR as string;
    const files = (await readdir(dir)).filter((f) => f.startsWith('patient-message.'));
    expect(files.sort()).toEqual(
      [first, second].map((m) => path.basename(patientMessageFile(dir, m.id))).sort(),
    );
    const text = await readFile(patientMessageFile(dir, first.id), 'utf8');
    expect(text).toContain('To: text message to +447700900107');
    expect(text).toContain(
      'Hello Test. From Monday 1 March 2027 you can start an exercise programme to help your back get stronger.',
    );
    // A repeat of the job (a retry after a crash) finds the message sent: nothing is written twice.
    const worker = await env.start({ clock });
    const request = jobRequest('send-patient-message', {
      sendId: patientMessageSendId(first.id, first.sendAt),
    });
    await worker.queues.patientMessages.add(request.name, request.data, {
      ...request.opts,
      jobId: `${request.opts.jobId}_again`,
    });
    await waitFor('the repeat to finish', async () => {
      const job = await worker.queues.patientMessages.getJob(`${request.opts.jobId}_again`);
      return !job || (await job.isCompleted());
    });
    expect((await readdir(dir)).filter((f) => f.startsWith('patient-message.'))).toHaveLength(2);
  });

  // Hazard HAZ-035: a moved appointment is reminded once, for its new day only.
  it('a DXA appointment moved to next week: the mailbox holds exactly one DXA appointment message, for the new day, without time or place', async () => {
    const clock = virtualClock();
    const local = await testEnvironment(backend);
    env = local;
    await local.start({ clock });
    const exercise = await patientWithMessageDueNow(env, { mobile: '+447700900108' });
    const book = (id: string, appointmentOn: string) =>
      recordEvent(
        local.db,
        {
          episodeId: exercise.episodeId,
          event: {
            id,
            type: 'dxa-appointment',
            action: 'booked',
            appointmentOn,
            appointmentTime: '10:30',
            place: 'Radiology, St Elsewhere Hospital',
            occurredAt: clock().toISOString(),
          },
        },
        { actorId: 'nurse-1', now: clock() },
      );
    // Tue 16 Mar: reminded Tue 9 Mar. Then moved to Mon 8 Mar: reminded a week before, today.
    await book('dxa-1', '2027-03-16');
    await book('dxa-2', '2027-03-08');
    const moved = `pm_${exercise.episodeId}_dxa-appointment_dxa-scan_2027-03-08`;
    await waitFor('the DXA appointment message', () =>
      local.db.patientMessage.findFirst({
        where: { id: moved, state: 'sent', providerStatus: 'local-mailbox' },
      }),
    );
    const old = await local.db.patientMessage.findUniqueOrThrow({
      where: { id: `pm_${exercise.episodeId}_dxa-appointment_dxa-scan_2027-03-16` },
    });
    expect([old.state, old.outcome]).toEqual([
      'cancelled',
      'The appointment moved to Monday 8 March 2027: the message for the new day replaces this one.',
    ]);
    const dir = env.env.MAILBOX_DIR as string;
    const files = (await readdir(dir)).filter(
      (f) => f.startsWith('patient-message.') && f.includes('dxa-appointment'),
    );
    expect(files).toEqual([path.basename(patientMessageFile(dir, moved))]);
    const text = await readFile(patientMessageFile(dir, moved), 'utf8');
    expect(text).toContain(
      'Hello Test. You have a bone density (DXA) scan appointment on Monday 8 March 2027. Your appointment letter gives the time and place.',
    );
    expect(text).not.toContain('10:30');
    expect(text).not.toContain('Radiology');
  });
});

/** The environment without faketime's variables (FAKETIME*, and its LD_PRELOAD library). */
function withoutFaketime(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(environment).filter(
      ([name, value]) =>
        !name.startsWith('FAKETIME') && !(name === 'LD_PRELOAD' && value?.includes('faketime')),
    ),
  );
}
