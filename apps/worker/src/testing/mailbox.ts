// Reads the capture mailbox (MAILBOX_DIR) as a recipient would: each .eml file is one message
// that left the worker. Tests and the soak benchmark count messages here rather than trusting the
// database's record of what was sent.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface CapturedMail {
  readonly file: string;
  readonly messageId: string;
  readonly to: string;
  readonly subject: string;
  /** The episode the message's dashboard link points to. */
  readonly episodeId: string | undefined;
  readonly text: string;
}

const decodeBytes = (encoded: string) =>
  Buffer.from(
    encoded.replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

/** RFC 2047 encoded words (=?UTF-8?Q?...?= and =?UTF-8?B?...?=), as nodemailer writes subjects. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeBytes(text.replace(/_/g, ' ')),
    );
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch (encoding?.toLowerCase()) {
    case 'quoted-printable':
      return decodeBytes(body.replace(/=\r?\n/g, ''));
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

export function parseMail(file: string, raw: string): CapturedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const text = decodeBody(body, headers.get('content-transfer-encoding'));
  const link = /\/episodes\/([^\s/?#]+)/.exec(text)?.[1];
  return {
    file,
    messageId: headers.get('message-id') ?? '',
    to: headers.get('to') ?? '',
    subject: decodeWords(headers.get('subject') ?? ''),
    episodeId: link ? decodeURIComponent(link) : undefined,
    text,
  };
}

/** Every message in the mailbox folder (none when the folder does not exist yet). */
export async function readMailbox(dir: string): Promise<CapturedMail[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
  return Promise.all(
    files.sort().map(async (file) => parseMail(file, await readFile(path.join(dir, file), 'utf8'))),
  );
}

/** Values that occur more than once, with their counts. */
export function repeated<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return new Map([...counts].filter(([, count]) => count > 1));
}
