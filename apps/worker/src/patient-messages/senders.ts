// Where patient messages go. With NOTIFY_API_KEY: GOV.UK Notify through its official client
// (notifications-node-client): text messages and e-mails by template id with the personalisation
// fields only, letters precompiled (a PDF rendered here with @vfx/documents), every one with the
// message id as Notify's `reference`. Without a key (the embedded default and tests): the local
// mailbox, one file per message, with the message's text rendered here from the pathway's words.
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PatientMessageToSend } from '@vfx/database/jobs';
import { renderPdf } from '@vfx/documents';
import {
  type PatientReminderDefinition,
  PUBLISHED_PATHWAYS,
  renderPatientMessageText,
} from '@vfx/domain';
import axios from 'axios';
import { NotifyClient } from 'notifications-node-client';
import type { WorkerConfig } from '../config/env.js';

export interface SendResult {
  /** Notify's notification id; null for the local mailbox. */
  readonly notifyId: string | null;
  readonly providerStatus: string;
  /** The receiver already had this message (found by reference, or the mailbox file existed). */
  readonly repeat: boolean;
}

/** A send that failed; `retriable`: Notify was busy or away (429, 5xx, no answer). */
export class PatientMessageSendError extends Error {
  override readonly name = 'PatientMessageSendError';
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

export interface PatientMessageSender {
  /** Where messages go, in words, for the logs. */
  readonly destination: string;
  send(message: PatientMessageToSend): Promise<SendResult>;
}

function allReminders(): PatientReminderDefinition[] {
  return PUBLISHED_PATHWAYS.versions().flatMap(
    (v) => PUBLISHED_PATHWAYS.find(v)?.patientReminders ?? [],
  );
}

/** The message's words, for the mailbox and the letter: the pathway's text with the fields. */
export function messageText(message: PatientMessageToSend): string {
  return renderPatientMessageText(message.kind, message.personalisation, allReminders());
}

const MM = 72 / 25.4;

/**
 * A patient letter as Notify's precompiled letter specification wants it: A4, the address (name,
 * lines, postcode last) inside the address block 24.60 mm from the left and 39.50 mm from the
 * top (95.96 x 26.80 mm), nothing else in that area or in Notify's tag area at the top left.
 */
export async function renderLetter(message: PatientMessageToSend): Promise<Buffer> {
  if (message.recipient.channel !== 'letter') throw new Error('not a letter');
  const { name, address } = message.recipient;
  return renderPdf({
    pageSize: 'A4',
    pageMargins: [25 * MM, 100 * MM, 20 * MM, 20 * MM],
    info: { title: 'A message from your fracture liaison service' },
    content: [
      {
        text: [name, ...address.lines, address.postcode].join('\n'),
        absolutePosition: { x: 24.6 * MM, y: 39.5 * MM },
        // Seven lines at 10 pt fit the block's 26.80 mm.
        fontSize: 10,
        lineHeight: 1.05,
      },
      {
        text: 'A message from your fracture liaison service',
        bold: true,
        fontSize: 14,
        margin: [0, 0, 0, 12],
      },
      { text: messageText(message), fontSize: 12, lineHeight: 1.3 },
    ],
  });
}

interface AxiosLikeError {
  response?: { status: number; data?: { errors?: { error: string; message: string }[] } };
  message: string;
}

function notifyError(error: unknown): PatientMessageSendError {
  const e = error as AxiosLikeError;
  const status = e.response?.status;
  if (status === undefined) {
    return new PatientMessageSendError(`Notify did not answer: ${e.message}`, true);
  }
  const detail =
    e.response?.data?.errors?.map((x) => `${x.error}: ${x.message}`).join('; ') ?? e.message;
  if (status === 429 || status >= 500) {
    return new PatientMessageSendError(
      `Notify answered ${status} (${detail}); retried with backoff`,
      true,
    );
  }
  return new PatientMessageSendError(`Notify refused the message (${status}): ${detail}`, false);
}

const FAILED = new Set([
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
  'validation-failed',
  'virus-scan-failed',
]);

export function createNotifySender(config: WorkerConfig): PatientMessageSender {
  const apiKey = config.NOTIFY_API_KEY as string;
  const client = config.NOTIFY_BASE_URL
    ? new NotifyClient(config.NOTIFY_BASE_URL, apiKey)
    : new NotifyClient(apiKey);
  // The client's HTTP calls have no deadline of their own: an attempt that outlived its claim's
  // lease could overlap the next worker's, so each call must end within half the lease. A call
  // that times out may have reached Notify; the retry looks the reference up first.
  client.setClient(axios.create({ timeout: (config.PATIENT_MESSAGE_LEASE_SECONDS * 1000) / 2 }));
  const templateId = (message: PatientMessageToSend, channel: 'sms' | 'email') => {
    const id = config.notifyTemplates[message.templateKey]?.[channel];
    if (!id) {
      throw new PatientMessageSendError(
        `No Notify template id for "${message.templateKey}" by ${channel} in NOTIFY_TEMPLATE_IDS`,
        false,
      );
    }
    return id;
  };
  return {
    destination: `GOV.UK Notify ${config.NOTIFY_BASE_URL ?? 'https://api.notifications.service.gov.uk'}`,
    async send(message) {
      try {
        if (message.lookUpFirst) {
          // An earlier attempt may have reached Notify: what Notify has under this reference
          // (and has not failed) is the message; record it rather than send another.
          const found = await client.getNotifications(undefined, undefined, message.id);
          const existing = (found.data.notifications ?? []).find(
            (n: { status: string }) => !FAILED.has(n.status),
          ) as { id: string; status: string } | undefined;
          if (existing)
            return { notifyId: existing.id, providerStatus: existing.status, repeat: true };
        }
        const { recipient } = message;
        const options = { personalisation: { ...message.personalisation }, reference: message.id };
        const answer =
          recipient.channel === 'sms'
            ? await client.sendSms(templateId(message, 'sms'), recipient.phoneNumber, options)
            : recipient.channel === 'email'
              ? await client.sendEmail(
                  templateId(message, 'email'),
                  recipient.emailAddress,
                  options,
                )
              : await client.sendPrecompiledLetter(
                  message.id,
                  await renderLetter(message),
                  config.NOTIFY_LETTER_POSTAGE,
                );
        return { notifyId: answer.data.id, providerStatus: 'created', repeat: false };
      } catch (error) {
        if (error instanceof PatientMessageSendError) throw error;
        throw notifyError(error);
      }
    },
  };
}

/** Where the mailbox keeps a message: one file per message, named by its id. */
export function patientMessageFile(dir: string, messageId: string): string {
  return path.join(dir, `patient-message.${messageId.replace(/[^\w.~-]/g, '')}.txt`);
}

/**
 * The local mailbox: each message is a text file in MAILBOX_DIR with who it is to, how, and its
 * words. Created atomically (written aside, then linked into place), so a repeat is never
 * written twice nor half-written.
 */
export function createMailboxSender(config: WorkerConfig): PatientMessageSender {
  const dir = path.resolve(config.MAILBOX_DIR);
  return {
    destination: `local mailbox ${dir}`,
    async send(message) {
      const { recipient } = message;
      const to =
        recipient.channel === 'sms'
          ? `text message to ${recipient.phoneNumber}`
          : recipient.channel === 'email'
            ? `e-mail to ${recipient.emailAddress}`
            : `letter to ${[recipient.name, ...recipient.address.lines, recipient.address.postcode].join(', ')}`;
      const body = [
        `To: ${to}`,
        `Reference: ${message.id}`,
        `Template: ${message.templateKey} (${recipient.channel})`,
        `Personalisation: ${JSON.stringify(message.personalisation)}`,
        '',
        messageText(message),
        '',
      ].join('\n');
      await mkdir(dir, { recursive: true });
      const file = patientMessageFile(dir, message.id);
      const aside = `${file}.${process.pid}.${Date.now()}.part`;
      await writeFile(aside, body);
      try {
        await link(aside, file);
        return { notifyId: null, providerStatus: 'local-mailbox', repeat: false };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          return { notifyId: null, providerStatus: 'local-mailbox', repeat: true };
        }
        throw error;
      } finally {
        await unlink(aside).catch(() => undefined);
      }
    },
  };
}

export function createPatientMessageSender(config: WorkerConfig): PatientMessageSender {
  return config.NOTIFY_API_KEY ? createNotifySender(config) : createMailboxSender(config);
}
