import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { WorkerConfig } from '../config/env.js';

export interface Mail {
  /**
   * The delivery this message carries. Its Message-ID is made from it, so every attempt of one
   * delivery is the same message to a receiving mail system, which can discard a repeat.
   */
  readonly deliveryId: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface SendReceipt {
  readonly messageId: string;
  /** The receiver already held this Message-ID: an earlier attempt had gone after all. */
  readonly repeat: boolean;
}

export interface Mailer {
  /** Where mail goes, in words, for the logs and the health page. */
  readonly destination: string;
  send(mail: Mail): Promise<SendReceipt>;
  close(): void;
}

/** The Message-ID of a delivery's e-mail, on the sender's domain (RFC 5322 msg-id). */
export function deliveryMessageId(deliveryId: string, mailFrom: string): string {
  const domain = /@([^\s<>@]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'fls.localhost';
  return `<reminder-delivery.${deliveryId.replace(/[^\w.-]/g, '')}@${domain}>`;
}

/** Where the capture mailbox keeps a delivery's message: one file per delivery, named by it. */
export function capturedMailFile(dir: string, deliveryId: string): string {
  return path.join(dir, `reminder-delivery.${deliveryId.replace(/[^\w.-]/g, '')}.eml`);
}

export class MailTimeoutError extends Error {
  override readonly name = 'MailTimeoutError';
}

/**
 * An attempt that outlives its claim's lease could overlap a second worker's attempt of the same
 * delivery, so every attempt has a deadline well inside the lease (half of it). An attempt that
 * hits it may still have reached the server; it is retried under the same Message-ID.
 */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new MailTimeoutError(
              `The mail server gave no answer within ${Math.round(ms / 1000)} s; the message may have gone, and is retried under the same Message-ID.`,
            ),
          ),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * SMTP when SMTP_URL is set; otherwise a capture mailbox: each message is written to MAILBOX_DIR
 * as an .eml file, so the embedded default never sends anything off the machine. The capture
 * mailbox behaves as a receiver that discards repeats: one file per delivery, created atomically
 * (written aside, then linked into place), so a repeat never replaces or half-writes a message.
 */
export function createMailer(config: WorkerConfig): Mailer {
  const deadlineMs = (config.DELIVERY_LEASE_SECONDS * 1000) / 2;
  if (config.SMTP_URL) {
    const transport: Transporter = nodemailer.createTransport(config.SMTP_URL);
    const url = new URL(config.SMTP_URL);
    return {
      destination: `SMTP ${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`,
      async send({ deliveryId, ...mail }) {
        const messageId = deliveryMessageId(deliveryId, config.MAIL_FROM);
        await withDeadline(
          transport.sendMail({ from: config.MAIL_FROM, messageId, ...mail }),
          deadlineMs,
        );
        return { messageId, repeat: false };
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const dir = path.resolve(config.MAILBOX_DIR);
  return {
    destination: `capture mailbox ${dir}`,
    async send({ deliveryId, ...mail }) {
      const messageId = deliveryMessageId(deliveryId, config.MAIL_FROM);
      const info = await transport.sendMail({ from: config.MAIL_FROM, messageId, ...mail });
      await mkdir(dir, { recursive: true });
      const file = capturedMailFile(dir, deliveryId);
      const aside = `${file}.${process.pid}.${Date.now()}.part`;
      await writeFile(aside, info.message as Buffer);
      try {
        await link(aside, file);
        return { messageId, repeat: false };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { messageId, repeat: true };
        throw error;
      } finally {
        await unlink(aside).catch(() => undefined);
      }
    },
    close: () => transport.close(),
  };
}
