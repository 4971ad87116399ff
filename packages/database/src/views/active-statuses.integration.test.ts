import { ACTIVE_STEP_STATUSES, isActive, type StepStatus } from '@vfx/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { openTestDatabase } from '../testing/test-database.js';

/** Every status, as a record so that a status added to StepStatus fails to compile here. */
const STATUSES: Record<StepStatus, true> = {
  upcoming: true,
  open: true,
  due: true,
  overdue: true,
  completed: true,
  'not-applicable': true,
  cancelled: true,
};
const EVERY_STATUS = Object.keys(STATUSES) as StepStatus[];

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestDatabase('active_statuses'));
});
afterAll(() => close());

describe('which step statuses are active', () => {
  it("the SQL function the summary trigger uses agrees with the domain's one definition", async () => {
    const rows = await db.$queryRaw<{ status: string; active: boolean }[]>`
      SELECT s AS status, step_status_is_active(s) AS active FROM unnest(${EVERY_STATUS}::text[]) s`;
    expect(rows).toEqual(EVERY_STATUS.map((status) => ({ status, active: isActive(status) })));
    expect(EVERY_STATUS.filter(isActive)).toEqual([...ACTIVE_STEP_STATUSES]);
  });
});
