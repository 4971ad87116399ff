import { describe, expect, it } from 'vitest';
import { rescheduleErrors } from './reschedule-errors';

describe('rescheduleErrors', () => {
  it('puts the date and reason problems beside their fields', () => {
    expect(
      rescheduleErrors([
        { path: 'event.remindOn', message: 'is not a working day (Saturday)' },
        { path: 'event.reason', message: 'must say why the reminder is moved' },
      ]),
    ).toEqual({
      fieldErrors: {
        remindOn: 'That day is not a working day (Saturday).',
        reason: 'The reason must say why the reminder is moved.',
      },
    });
  });

  it('says why the step itself cannot be moved, above the form', () => {
    expect(
      rescheduleErrors([
        {
          path: 'event.stepKey',
          message:
            'names "DXA scan", which is already completed; only a step still to be done has a reminder to move',
        },
      ]),
    ).toEqual({
      error:
        'This reminder cannot be moved: "DXA scan" is already completed; only a step still to be done has a reminder to move.',
    });
    expect(
      rescheduleErrors([{ path: 'event.stepKey', message: 'has a window measured in hours' }])
        .error,
    ).toBe('This reminder cannot be moved: the step has a window measured in hours.');
  });
});
