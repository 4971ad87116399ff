// A real database error, logged by the worker's pino logger, leaves the database's message out.
import { Writable } from 'node:stream';
import { createDatabase, type Database } from '@vfx/database';
import { createTestDatabase, type TestDatabase } from '@vfx/database/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, NestPinoLogger } from './logger.js';

let database: TestDatabase;
let db: Database;
beforeAll(async () => {
  database = await createTestDatabase('worker_logger');
  db = createDatabase(database.url, { applicationName: 'logger-test' });
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

const PATIENT_TEXT = /Jane|Doe|943 476 5919/;

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).trimEnd().split('\n'));
      done();
    },
  });
  return { logger: createLogger('info', destination), lines };
}

describe('the worker log', () => {
  it('logs a database error by class, code and SQLSTATE, without its message', async () => {
    const error = (await db
      .$queryRawUnsafe(`SELECT 'Jane Doe 943 476 5919'::int`)
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(PATIENT_TEXT);
    const { logger, lines } = capturingLogger();
    logger.warn(
      { jobId: 'job-1', err: error },
      'job attempt failed; BullMQ retries it with backoff',
    );
    new NestPinoLogger(logger).error(error.message, error.stack, 'ExceptionsHandler');
    new NestPinoLogger(logger).error(error);
    expect(lines).toHaveLength(3);
    const entry = JSON.parse(lines[0] as string);
    expect(entry).toMatchObject({
      jobId: 'job-1',
      err: { sqlState: '22P02', message: 'invalid text representation (SQLSTATE 22P02)' },
    });
    expect(entry.err.frames.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(PATIENT_TEXT);
  });
});
