import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { enrolPatient } from '@vfx/database';
import { admittedTestEnrolment } from '@vfx/database/testing';
import type { Job } from 'bullmq';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, type TestEnvironment, testEnvironment, waitFor } from '../testing/harness.js';
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
    const eml = await readFile(path.join(env.config.MAILBOX_DIR, files[0] ?? ''), 'utf8');
    expect(eml).toContain('To: nurse-1@fls.test');
  });

  it('that fail are retried with the error kept, then marked failed where schedulers see them', async () => {
    smtp = await smtpServer(false);
    env = await testEnvironment(backend, { SMTP_URL: smtp.url });
    const { db } = env;
    const worker = await env.start();
    await enrolPatient(env.db, dueNow(), { actorId: 'nurse-1' });
    const delivery = await waitFor('a failed attempt', () =>
      db.reminderDelivery.findFirst({ where: { channel: 'email', attempts: { gte: 1 } } }),
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
