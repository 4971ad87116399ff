// The demo service at scale (100,000 patients for the benchmarks): the same patients as the
// demo, enrolled as an import from another system would be, in batches through enrolPatients,
// with their history up to now. Spread over more nurses, as a large service would be.

import type { Database } from '../client.js';
import { createHashedUser } from '../commands/create-user.js';
import { enrolPatients } from '../commands/enrol-patient.js';
import { isUniqueViolation } from '../errors.js';
import {
  DEMO_USERS,
  demoIds,
  demoPatient,
  hashedDemoPassword,
  markSeeded,
  seedDemo,
  testNhsNumbers,
} from './demo.js';

export interface ScaleSeedOptions {
  readonly patients: number;
  /** Nurses sharing the caseload, the demo's two included (default 25: 4,000 patients each). */
  readonly nurses?: number;
  readonly now?: Date;
  /** Patients per transaction. */
  readonly batch?: number;
  /** Transactions in flight at once. */
  readonly writers?: number;
  readonly log?: (line: string) => void;
}

/**
 * Seeds the demo accounts and `patients` patients. Returns the ids of the nurses; the demo
 * nurse (nurse@demo.fls.example) has a caseload of average size.
 */
export async function seedScale(
  db: Database,
  options: ScaleSeedOptions,
): Promise<{ nurseIds: string[] }> {
  const now = (options.now ?? new Date()).getTime();
  const log = options.log ?? (() => {});
  const batchSize = options.batch ?? 250;
  const writers = options.writers ?? 4;
  const { users } = await seedDemo(db, { now: new Date(now), patients: 0, log, markSeeded: false });
  const nurseIds = [users.nurse, users.nurse2];
  for (let i = 3; nurseIds.length < (options.nurses ?? 25); i++) {
    const email = demoIds.nurseEmail(i);
    try {
      const user = await createHashedUser(
        db,
        {
          email,
          name: `Scale Nurse ${i}`,
          role: 'nurse',
          passwordHash: await hashedDemoPassword(),
        },
        'system:seed',
      );
      nurseIds.push(user.id);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  log(`${nurseIds.length} nurses share the caseload (${DEMO_USERS.length} demo accounts).`);

  const numbers = testNhsNumbers();
  const started = Date.now();
  let next = 0;
  let done = 0;
  const writer = async () => {
    while (next < options.patients) {
      const from = next;
      const to = Math.min(options.patients, from + batchSize);
      next = to;
      const inputs = [];
      for (let n = from; n < to; n++) {
        const nurseId = nurseIds[n % nurseIds.length] as string;
        const patient = demoPatient(n, now, numbers, nurseId);
        inputs.push({
          ...patient.enrolment,
          // Enrolled when it happened; the entries came after.
          episode: {
            ...(patient.enrolment.episode as object),
            enrolledAt: new Date(patient.enrolledAt).toISOString(),
          },
          // Entered as an import: what happened, and when each entry was first written down.
          history: patient.history.map(({ id, at, recordedAt, event }) => ({
            id,
            ...event,
            occurredAt: new Date(at).toISOString(),
            recordedAt: new Date(recordedAt).toISOString(),
          })),
        });
      }
      await enrolPatients(db, inputs, { actorId: users.admin, now: new Date(now) });
      done += inputs.length;
      if (Math.floor(done / 5000) !== Math.floor((done - inputs.length) / 5000)) {
        const rate = done / ((Date.now() - started) / 1000);
        log(`Enrolled ${done} of ${options.patients} patients (${rate.toFixed(0)}/s).`);
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  await markSeeded(db, { patients: options.patients, nurses: nurseIds.length });
  return { nurseIds };
}
