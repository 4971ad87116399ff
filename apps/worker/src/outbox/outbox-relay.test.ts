import { OUTBOX_CATALOG, type OutboxKind, parseOutboxMessage } from '@vfx/database/jobs';
import { describe, expect, it } from 'vitest';
import { jobRequest } from '../queue/job-catalog.js';
import { jobCommandOf } from './outbox-relay.service.js';

const examples: Record<OutboxKind, Record<string, string>> = {
  'follow-up.enqueue': { followUpId: 'f1' },
  'follow-up.remove': { followUpId: 'f1' },
  'reminder.deliver': { deliveryId: 'd1' },
  'reminder.retry': { deliveryId: 'd1' },
  'fhir-export.run': { exportId: 'x1' },
  'patient-message.enqueue': { messageId: 'pm_e1', sendAt: '2027-03-29T08:00:00.000Z' },
  'patient-message.remove': { messageId: 'pm_e1', sendAt: '2027-03-29T08:00:00.000Z' },
};

describe('the relay maps outbox messages to the job catalogue', () => {
  it('every kind of the outbox catalogue becomes a job the catalogue accepts', () => {
    for (const kind of Object.keys(OUTBOX_CATALOG) as OutboxKind[]) {
      const parsed = parseOutboxMessage({ kind, payload: examples[kind] });
      if (!parsed.ok) throw new Error(parsed.error);
      const command = jobCommandOf(parsed.message);
      if (command.op === 'deliver') {
        expect(jobRequest('deliver-reminder', command.payload).opts.jobId).toBe('delivery_d1');
      } else if (command.op === 'run-fhir-export') {
        expect(jobRequest('run-fhir-export', command.payload).opts.jobId).toBe('fhir-export_x1');
      } else if (command.op === 'send-patient-message' || command.op === 'remove-patient-message') {
        // The job id names the message and its send time: a moved message gets a new job.
        expect(jobRequest('send-patient-message', command.payload).opts.jobId).toBe(
          'patient-message_pm_e1_20270329T080000000Z',
        );
        expect(command.payload).toEqual({ sendId: 'pm_e1@20270329T080000000Z' });
      } else {
        expect(command).toEqual({ op: 'sync-follow-up', followUpId: 'f1' });
      }
    }
  });

  it('only a retry clears a failed job first', () => {
    const command = (kind: 'reminder.deliver' | 'reminder.retry') => {
      const parsed = parseOutboxMessage({ kind, payload: { deliveryId: 'd1', extra: 1 } });
      if (!parsed.ok) throw new Error(parsed.error);
      return jobCommandOf(parsed.message);
    };
    // The job payload carries only what the job catalogue knows, whatever the message had.
    expect(command('reminder.deliver')).toEqual({
      op: 'deliver',
      payload: { deliveryId: 'd1' },
      replaceFailed: false,
    });
    expect(command('reminder.retry')).toMatchObject({ replaceFailed: true });
  });

  it('says what is wrong with a message that does not parse', () => {
    expect(parseOutboxMessage({ kind: 'follow-up.snooze', payload: { followUpId: 'f1' } })).toEqual(
      {
        ok: false,
        error: expect.stringMatching(
          /^Unknown outbox message kind "follow-up.snooze" \(this relay knows follow-up.enqueue, /,
        ),
      },
    );
    expect(parseOutboxMessage({ kind: 'follow-up.enqueue', payload: { followUpId: 7 } })).toEqual({
      ok: false,
      error: expect.stringMatching(/^Outbox message "follow-up.enqueue": followUpId: /),
    });
    expect(parseOutboxMessage({ kind: 'reminder.deliver', payload: null })).toMatchObject({
      ok: false,
    });
  });
});
