import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { enrolPatient, retryDelivery } from '@vfx/database/commands';
import { admittedTestEnrolment } from '@vfx/database/testing';
import { failedDeliveries } from '@vfx/database/views';
import type { Job } from 'bullmq';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { jobRequest } from '../queue/job-catalog.js';
import { BACKENDS, type TestEnvironment, testEnvironment, waitFor } from '../testing/harness.js';
import { capturedMailFile, deliveryMessageId } from './mailer.js';
import { ReminderHandlers } from './reminder.handlers.js';

const HOUR = 3_600_000;
let counter = 0;

/** An admitted patient whose 48-hour review is already due, so its reminder is made at once. */
function dueNow() {
  counter += 1;
  return admittedTestEnrolment(counter, Date.now() - 50 * HOUR);
}

/** A real SMTP server on a free port that accepts, or rejects, every message. */
async function smtpServer(accept: boolean) {
  const received: string[] = [];
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
        if (!accept)
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const messageIdOf = (message: string) => /^Message-ID:\s*(<[^>]+>)/im.exec(message)?.[1];

describe.each(BACKENDS)('reminder e-mails on %s', (backend) => {
  let env: TestEnvironment | undefined;
  let smtp: Awaited<ReturnType<typeof smtpServer>> | undefined;
  afterEach(async () => {
    await env?.close();
    await smtp?.close();
  });

  it('go to the nurse through SMTP, with no patient details', async () => {
    smtp = await smtpServer(true);
    env = await testEnvironment(backend, { SMTP_URL: smtp.url });
    const { db } = env;
    await env.start();
    await enrolPatient(env.db, dueNow(), { actorId: 'nurse-1' });
    const delivery = await waitFor('the e-mail', () =>
      db.reminderDelivery.findFirst({ where: { channel: 'email', state: 'sent' } }),
    );
    expect(delivery).toMatchObject({ recipient: 'nurse-1@fls.test', attempts: 1, lastError: null });
    expect(smtp.received).toHaveLength(1);
    const message = smtp.received[0] ?? '';
    expect(message).toMatch(/Subject: Due: 48-hour pain review/);
    expect(message).not.toMatch(/Patient \d|TEST-\d/);
    expect(messageIdOf(message)).toBe(deliveryMessageId(delivery.id, env.config.MAIL_FROM));
  });

  it('without SMTP, land in the local capture mailbox', async () => {
    env = await testEnvironment(backend);
    const { db } = env;
    await env.start();
    await enrolPatient(env.db, dueNow(), { actorId: 'nurse-1' });
    await waitFor('the e-mail', () =>
      db.reminderDelivery.findFirst({ where: { channel: 'email', state: 'sent' } }),
    );
    const files = await readdir(env.config.MAILBOX_DIR);
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    expect(files[0]).toMatch(/^reminder-delivery\.[\w-]+\.eml$/);
    const eml = await readFile(path.join(env.config.MAILBOX_DIR, files[0] ?? ''), 'utf8');
    expect(eml).toContain('To: nurse-1@fls.test');
  });

  it('left claimed by a worker that died are sent again after the lease, under the same Message-ID', async () => {
    smtp = await smtpServer(true);
    env = await testEnvironment(backend, { SMTP_URL: smtp.url, DELIVERY_LEASE_SECONDS: '4' });
    const { db } = env;
    const worker = await env.start();
    await enrolPatient(env.db, dueNow(), { actorId: 'nurse-1' });
    const first = await waitFor('the e-mail', () =>
      db.reminderDelivery.findFirst({ where: { channel: 'email', state: 'sent' } }),
    );
    // As if a worker had sent it and died before recording it: a claim with no outcome, and its
    // job queued again (BullMQ re-runs a job whose worker stopped).
    const claimedAt = new Date(Date.now() - 1_000);
    await db.reminderDelivery.update({
      where: { id: first.id },
      data: { state: 'sending', claimedAt, claimedBy: 'a-worker-that-died', sentAt: null },
    });
    const request = jobRequest('deliver-reminder', { deliveryId: first.id });
    await worker.queues.reminderDeliveries.add(request.name, request.data, request.opts);
    // The lease is still running: the job waits (delayed, with none of its attempts used).
    const waiting = await waitFor('the job to wait for the lease', async () => {
      const job = await worker.queues.reminderDeliveries.getJob(request.opts.jobId);
      return job && (await job.isDelayed()) ? job : undefined;
    });
    expect(waiting.attemptsMade).toBe(0);
    expect(smtp.received).toHaveLength(1);
    const resent = await waitFor(
      'the e-mail to be sent again',
      () => db.reminderDelivery.findFirst({ where: { id: first.id, state: 'sent' } }),
      20_000,
    );
    expect(resent.attempts).toBe(2);
    expect(resent.sentAt?.getTime()).toBeGreaterThanOrEqual(claimedAt.getTime() + 4_000);
    // The receiving mail system got the same message twice and can tell: one Message-ID.
    expect(smtp.received).toHaveLength(2);
    expect(new Set(smtp.received.map(messageIdOf))).toEqual(
      new Set([deliveryMessageId(first.id, env.config.MAIL_FROM)]),
    );
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toMatch(/vfx_reminder_deliveries_total\{result="resent"\} 1/);
  });

  it('sent again after a crash reach the capture mailbox once', async () => {
    env = await testEnvironment(backend, { DELIVERY_LEASE_SECONDS: '2' });
    const { db } = env;
    const worker = await env.start();
    await enrolPatient(env.db, dueNow(), { actorId: 'nurse-1' });
    const first = await waitFor('the e-mail', () =>
      db.reminderDelivery.findFirst({ where: { channel: 'email', state: 'sent' } }),
    );
    const file = capturedMailFile(env.config.MAILBOX_DIR, first.id);
    const original = await readFile(file, 'utf8');
    await db.reminderDelivery.update({
      where: { id: first.id },
      data: { state: 'sending', claimedAt: new Date(Date.now() - 3_000), claimedBy: 'gone' },
    });
    const request = jobRequest('deliver-reminder', { deliveryId: first.id });
    await worker.queues.reminderDeliveries.add(request.name, request.data, request.opts);
    await waitFor('the resend to be recorded', () =>
      db.reminderDelivery.findFirst({ where: { id: first.id, state: 'sent', attempts: 2 } }),
    );
    const files = (await readdir(env.config.MAILBOX_DIR)).filter((f) => f.endsWith('.eml'));
    expect(files).toEqual([path.basename(file)]);
    expect(await readFile(file, 'utf8')).toBe(original);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toMatch(/vfx_reminder_deliveries_total\{result="repeat-discarded"\} 1/);
  });

  it('whose claim ran out with its job lost (queue data wiped) are sent again by reconciliation', async () => {
    smtp = await smtpServer(true);
    env = await testEnvironment(backend, { SMTP_URL: smtp.url, DELIVERY_LEASE_SECONDS: '1' });
    const { db } = env;
    const worker = await env.start();
    await enrolPatient(env.db, dueNow(), { actorId: 'nurse-1' });
    const sent = await waitFor('the e-mail', () =>
      db.reminderDelivery.findFirst({ where: { channel: 'email', state: 'sent' } }),
    );
    // A claim with no outcome and no job left for it.
    await db.reminderDelivery.update({
      where: { id: sent.id },
      data: { state: 'sending', claimedAt: new Date(Date.now() - 5_000), claimedBy: 'gone' },
    });
    const report = await worker.reconciler.reconcile();
    expect(report).toMatchObject({ claimsResent: 1, claimsUnknown: 0 });
    await waitFor('the e-mail to be sent again', () =>
      db.reminderDelivery.findFirst({ where: { id: sent.id, state: 'sent', attempts: 2 } }),
    );
    expect(new Set(smtp.received.map(messageIdOf))).toEqual(
      new Set([deliveryMessageId(sent.id, env.config.MAIL_FROM)]),
    );
  });

  it('whose claim ran out after its job failed for good are marked unknown, listed, and may be retried', async () => {
    smtp = await smtpServer(false);
    env = await testEnvironment(backend, { SMTP_URL: smtp.url, DELIVERY_LEASE_SECONDS: '1' });
    const { db } = env;
    const worker = await env.start();
    await enrolPatient(env.db, dueNow(), { actorId: 'nurse-1' });
    const delivery = await waitFor('a failed attempt', () =>
      db.reminderDelivery.findFirst({ where: { channel: 'email', lastError: { not: null } } }),
    );
    // The job ends for good (one attempt left), as BullMQ ends a job that stalled too often ...
    const queue = worker.queues.reminderDeliveries;
    const request = jobRequest('deliver-reminder', { deliveryId: delivery.id });
    // The failed job waits out its backoff; if its retry has just begun, the worker holds its
    // lock for a moment, and BullMQ refuses to remove a locked job: remove it once it is free.
    await waitFor('the job to be removed', async () => {
      const job = await queue.getJob(request.opts.jobId);
      if (!job) return true;
      try {
        await job.remove();
        return true;
      } catch (error) {
        if (error instanceof Error && /locked by another worker/.test(error.message)) return false;
        throw error;
      }
    });
    await queue.add(request.name, request.data, { ...request.opts, attempts: 1 });
    await waitFor('the job to fail for good', async () => {
      const job = await queue.getJob(request.opts.jobId);
      return job && (await job.isFailed());
    });
    // ... leaving a claim with no outcome: the worker stopped while sending.
    await db.reminderDelivery.update({
      where: { id: delivery.id },
      data: { state: 'sending', claimedAt: new Date(Date.now() - 5_000), claimedBy: 'gone' },
    });
    const report = await worker.reconciler.reconcile();
    expect(report).toMatchObject({ claimsResent: 0, claimsUnknown: 1 });
    const unknown = await db.reminderDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(unknown.state).toBe('unknown');
    expect(unknown.lastError).toMatch(/may or may not have gone/);
    // Never shown as sent: the scheduler's list has it, as unknown, and may send it again.
    const listed = await failedDeliveries(db);
    expect(listed.deliveries.map((d) => [d.deliveryId, d.outcome])).toEqual([
      [delivery.id, 'unknown'],
    ]);
    await retryDelivery(db, delivery.id, { actorId: 'admin-1' });
    expect(
      (await db.reminderDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).state,
    ).toBe('pending');
  });

  it('that fail are retried with the error kept, then marked failed where schedulers see them', async () => {
    smtp = await smtpServer(false);
    env = await testEnvironment(backend, { SMTP_URL: smtp.url });
    const { db } = env;
    const worker = await env.start();
    await enrolPatient(env.db, dueNow(), { actorId: 'nurse-1' });
    const delivery = await waitFor('a failed attempt', () =>
      db.reminderDelivery.findFirst({ where: { channel: 'email', lastError: { not: null } } }),
    );
    expect(delivery.state).toBe('pending');
    expect(delivery.lastError).toMatch(/mailbox unavailable/);
    const job = await waitFor('the retry to be scheduled', async () => {
      const found = await worker.queues.reminderDeliveries.getJob(`delivery_${delivery.id}`);
      // Delayed again with one attempt made: BullMQ's backoff before the retry.
      return found && found.attemptsMade >= 1 && (await found.isDelayed()) ? found : undefined;
    });
    expect(job.attemptsMade).toBe(1);
    // The last attempt: run the handler as BullMQ would on its sixth try.
    const handlers = worker.app.get(ReminderHandlers).handlers['deliver-reminder'];
    await expect(
      handlers?.({ deliveryId: delivery.id }, { attemptsMade: 5 } as Job),
    ).rejects.toThrow();
    const failed = await env.db.reminderDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(failed).toMatchObject({ state: 'failed', attempts: 2 });
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toContain('vfx_reminder_deliveries_failed 1');
  });
});
