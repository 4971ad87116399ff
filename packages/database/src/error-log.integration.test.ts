// Real database errors, described for a log: the codes and a short description, never the text
// PostgreSQL and Prisma wrote, which quotes the values they failed on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './client.js';
import { loggableError, loggableErrorLine } from './error-log.js';
import { openTestDatabase } from './testing/test-database.js';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('error_log'));
  await db.user.create({
    data: { id: 'u1', email: 'jane.doe@patients.example', name: 'Jane Doe', role: 'nurse' },
  });
});
afterAll(() => close());

const PATIENT_TEXT = /Jane|Doe|jane\.doe|943 476 5919|9434765919/i;

describe('loggableError', () => {
  it('a unique violation: class, codes and words, without the duplicated value', async () => {
    const error = await db.user
      .create({ data: { id: 'u2', email: 'jane.doe@patients.example', name: 'X', role: 'nurse' } })
      .catch((e: unknown) => e);
    // Prisma's message spans lines and reprints the calling code (which can hold values).
    expect((error as Error).message.split('\n').length).toBeGreaterThan(3);
    const described = loggableError(error);
    expect(described).toMatchObject({
      errorClass: 'PrismaClientKnownRequestError',
      code: 'P2002',
      sqlState: '23505',
      message: 'unique constraint violated (SQLSTATE 23505)',
    });
    expect(described.frames.length).toBeGreaterThan(0);
    expect(JSON.stringify(described)).not.toMatch(PATIENT_TEXT);
    expect(loggableErrorLine(error)).not.toMatch(PATIENT_TEXT);
    expect(loggableErrorLine(error)).not.toMatch(/Invalid `|\.create\(|→/);
  });

  it('a raw query that fails on patient text (a multi-line Prisma message)', async () => {
    const error = await db
      .$queryRawUnsafe(`SELECT 'Jane Doe 943 476 5919'::int`)
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(PATIENT_TEXT);
    const described = loggableError(error);
    expect(described.sqlState).toBe('22P02');
    expect(described.message).toBe('invalid text representation (SQLSTATE 22P02)');
    const line = loggableErrorLine(error);
    expect(line).not.toMatch(PATIENT_TEXT);
    expect(line.split('\n')[0]).toMatch(/^\w+ \[.*SQLSTATE 22P02.*\]: invalid text representation/);
  });

  it('a NUL in text sent to PostgreSQL', async () => {
    const error = await db.user
      .findFirst({ where: { name: 'Jane\u0000Doe' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(JSON.stringify(loggableError(error))).not.toMatch(PATIENT_TEXT);
  });

  it('anything else: the class only, never its message, and its cause described alike', () => {
    const error = new TypeError('Cannot read Jane Doe of undefined', {
      cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432 for Jane'), {
        code: 'ECONNREFUSED',
      }),
    });
    const described = loggableError(error);
    expect(described).toMatchObject({
      errorClass: 'TypeError',
      message: 'TypeError; its message is not logged',
      cause: { code: 'ECONNREFUSED', message: 'connection refused (ECONNREFUSED)' },
    });
    expect(JSON.stringify(described)).not.toMatch(PATIENT_TEXT);
    expect(loggableError('Jane Doe')).toEqual({
      errorClass: 'string',
      message: 'a thrown string',
      frames: [],
    });
  });
});
