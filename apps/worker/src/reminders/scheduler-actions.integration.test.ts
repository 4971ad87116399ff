import { enrolPatient, retryDelivery, sendReminderNow } from '@vfx/database/commands';
import { testEnrolment } from '@vfx/database/testing';
import { serviceCalendar } from '@vfx/domain';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { jobRequest } from '../queue/job-catalog.js';
import { BACKENDS, type TestEnvironment, testEnvironment, waitFor } from '../testing/harness.js';

// The scheduler's two actions that reach the worker: "send now" (a manual reminder, e-mailed
// through the outbox like any other) and "retry" of an e-mail that failed for good.

const calendar = serviceCalendar();
let counter = 0;

/** A real SMTP server on a free port; `accept` decides, message by message, to take it or not. */
async function smtpServer() {
  const received: string[] = [];
  const state = { accept: true };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let text = '';
      stream.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      stream.on('end', () => {
        if (!state.accept)
          return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 450 }));
        received.push(text);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(BACKENDS)('scheduler actions on %s', (backend) => {
  let env: TestEnvironment | undefined;
  let smtp: Awaited<ReturnType<typeof smtpServer>> | undefined;
  afterEach(async () => {
    await env?.close();
    await smtp?.close();
  });

  /** A patient on nurse-1's caseload; automatic e-mails are off, so only ours are sent. */
  async function setUp() {
    smtp = await smtpServer();
    env = await testEnvironment(backend, { SMTP_URL: smtp.url, EMAIL_REMINDERS: 'false' });
    const worker = await env.start();
    counter += 1;
    // Seen yesterday, fracture the day before, first contact done: the DXA scan is open for weeks
    // and nothing falls due during the test, whatever the date it runs on.
    const yesterday = calendar.addToDate(calendar.localDate(Date.now()), { days: -1 });
    const seen = calendar.atLocalTime(yesterday, '10:00');
    const enrolment = testEnrolment({
      n: counter,
      fractureDate: calendar.addToDate(yesterday, { days: -1 }),
      enrolledAt: new Date(seen).toISOString(),
      firstContactAt: new Date(seen + 30 * 60_000).toISOString(),
    });
    await enrolPatient(env.db, enrolment, { actorId: 'nurse-1' });
    return { db: env.db, worker, smtp, episodeId: `ep-${counter}` };
  }

  it('a reminder sent now reaches the nurse by e-mail, with no patient details', async () => {
    const { db, smtp: mail, episodeId } = await setUp();
    const sent = await sendReminderNow(
      db,
      { episodeId, stepKey: 'dxa-scan' },
      { actorId: 'scheduler-1' },
    );
    const delivery = await waitFor('the e-mail to be sent', () =>
      db.reminderDelivery.findFirst({ where: { id: sent.emailDeliveryId, state: 'sent' } }),
    );
    expect(delivery).toMatchObject({ recipient: 'nurse-1@fls.test', attempts: 1 });
    expect(mail.received).toHaveLength(1);
    const message = mail.received[0] ?? '';
    expect(message).toMatch(/Subject: Reminder: DXA scan with vertebral fracture assessment/);
    expect(message).toMatch(/A scheduler sent you a reminder/);
    expect(message).not.toMatch(/Patient \d|TEST-\d/);
  });

  it('a failed e-mail that the scheduler retries is queued again and sent', async () => {
    const { db, worker, smtp: mail, episodeId } = await setUp();
    mail.state.accept = false;
    const queue = worker.queues.reminderDeliveries;
    const sent = await sendReminderNow(
      db,
      { episodeId, stepKey: 'dxa-scan' },
      { actorId: 'scheduler-1' },
    );
    const deliveryId = sent.emailDeliveryId;
    const request = jobRequest('deliver-reminder', { deliveryId });
    const first = await waitFor('the first attempt to fail', async () => {
      const job = await queue.getJob(request.opts.jobId);
      return job && job.attemptsMade >= 1 && (await job.isDelayed()) ? job : undefined;
    });
    // Reaching the end of six attempts takes minutes of backoff. The same end state, sooner: the
    // job replaced by one with a single attempt, which fails for good and is kept as failed, and
    // the handler, seeing the job's last attempt fail, marks the delivery failed.
    await first.remove();
    await queue.add(request.name, request.data, { ...request.opts, attempts: 1 });
    await waitFor('the job to fail for good', async () => {
      const job = await queue.getJob(request.opts.jobId);
      return job && (await job.isFailed());
    });
    await waitFor(
      'the delivery to be marked failed',
      async () =>
        (await db.reminderDelivery.findUnique({ where: { id: deliveryId } }))?.state === 'failed',
    );
    expect(mail.received).toHaveLength(0);

    mail.state.accept = true;
    await retryDelivery(db, deliveryId, { actorId: 'scheduler-1' });
    const delivery = await waitFor('the retried e-mail to be sent', () =>
      db.reminderDelivery.findFirst({ where: { id: deliveryId, state: 'sent' } }),
    );
    expect(delivery.lastError).toBeNull();
    expect(mail.received).toHaveLength(1);
    expect(mail.received[0]).toMatch(/Subject: Reminder: DXA scan/);
  });
});
