// A real database error, forced on a real PostgreSQL, reaches the dashboard's logs (the JSON API's
// error log, and console.error wherever Next logs what a page or server action threw) without the
// database's message, which quotes the text it failed on.
import { createDatabase, type Database } from '@vfx/database';
import { createTestDatabase, type TestDatabase } from '@vfx/database/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toApiError } from './api/errors';
import { guardConsoleErrors } from './error-log';

let database: TestDatabase;
let client: Database;
beforeAll(async () => {
  database = await createTestDatabase('dashboard_error_log');
  client = createDatabase(database.url, { applicationName: 'error-log-test' });
}, 60_000);
afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

const PATIENT_TEXT = /Jane|Doe|943 476 5919/;

/** A database error whose message quotes patient text, as PostgreSQL and Prisma write it. */
async function databaseError(): Promise<Error> {
  const error = (await client
    .$queryRawUnsafe(`SELECT 'Jane Doe 943 476 5919'::int`)
    .catch((e: unknown) => e)) as Error;
  expect(error.message).toMatch(PATIENT_TEXT);
  return error;
}

/** Everything written to a console's error and warn while `work` runs. */
function captured(target: Console): string[] {
  const lines: string[] = [];
  const write = (...args: unknown[]) => {
    lines.push(args.map((arg) => (typeof arg === 'string' ? arg : String(arg))).join(' '));
  };
  target.error = write;
  target.warn = write;
  return lines;
}

// A real database on a busy machine: more than vitest's default 5 s.
describe('errors in the dashboard logs', { timeout: 30_000 }, () => {
  it("the JSON API's 500 logs the class, SQLSTATE and frames, not the message", async () => {
    const error = await databaseError();
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const answer = toApiError(error);
    const lines = log.mock.calls.map((call) => call.join(' '));
    log.mockRestore();
    expect(answer.status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^JSON API request failed: \w+ \[.*SQLSTATE 22P02.*\]/);
    expect(lines[0]).toMatch(/\n {4}at /);
    expect(lines[0]).not.toMatch(PATIENT_TEXT);
  });

  it('console.error, as Next uses it for a failed page or server action, is guarded', async () => {
    const error = Object.assign(await databaseError(), { digest: '12345' });
    const target = { error: () => {}, warn: () => {} } as unknown as Console;
    const lines = captured(target);
    guardConsoleErrors(target);
    guardConsoleErrors(target); // once only: a second call does not wrap it again
    target.error(error);
    target.error('Error in a server action:', { nested: 'plain values pass' }, error);
    target.warn(new TypeError('Jane Doe is not a function'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/SQLSTATE 22P02/);
    expect(lines[0]).toMatch(/digest: 12345/);
    expect(lines[1]).toMatch(/^Error in a server action:/);
    expect(lines.join('\n')).not.toMatch(PATIENT_TEXT);
  });
});
