import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_SETTINGS, ServiceSettingsSchema, serviceCalendar } from './settings.js';

function messagesFor(input: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const result = ServiceSettingsSchema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return result.error.issues.map(({ path, message }) => ({ path, message }));
}

describe('ServiceSettingsSchema', () => {
  it('defaults to Europe/London, a 09:00 clinic hour and England and Wales bank holidays', () => {
    expect(ServiceSettingsSchema.parse({})).toEqual({
      timeZone: 'Europe/London',
      clinicTime: '09:00',
      bankHolidays: 'england-and-wales',
    });
    expect(DEFAULT_SERVICE_SETTINGS).toEqual(ServiceSettingsSchema.parse({}));
  });

  it('accepts another IANA time zone and clinic hour', () => {
    expect(ServiceSettingsSchema.parse({ timeZone: 'Europe/Dublin', clinicTime: '08:30' })).toEqual(
      {
        timeZone: 'Europe/Dublin',
        clinicTime: '08:30',
        bankHolidays: 'england-and-wales',
      },
    );
  });

  it('rejects an unknown time zone, giving an example of a known one', () => {
    expect(messagesFor({ timeZone: 'Europe/Londn' })).toEqual([
      {
        path: ['timeZone'],
        message: 'is not a named time zone this system knows, e.g. Europe/London',
      },
    ]);
  });

  it('takes only named zones, in their canonical spelling', () => {
    expect(ServiceSettingsSchema.safeParse({ timeZone: '+01:00' }).success).toBe(false);
    expect(ServiceSettingsSchema.parse({ timeZone: 'europe/london' }).timeZone).toBe(
      'Europe/London',
    );
  });

  it('rejects a time zone that is not text', () => {
    expect(messagesFor({ timeZone: 1 })).toEqual([
      { path: ['timeZone'], message: 'must be an IANA time zone name, e.g. Europe/London' },
    ]);
  });

  it.each(['9am', '9:00', '24:00', '09:60', '09:00:00'])(
    'rejects clinic time %j, asking for HH:MM',
    (clinicTime) => {
      expect(messagesFor({ clinicTime })).toEqual([
        { path: ['clinicTime'], message: 'must be a local time HH:MM, e.g. 09:00' },
      ]);
    },
  );

  it('accepts the first and last minutes of the day', () => {
    expect(ServiceSettingsSchema.parse({ clinicTime: '00:00' }).clinicTime).toBe('00:00');
    expect(ServiceSettingsSchema.parse({ clinicTime: '23:59' }).clinicTime).toBe('23:59');
  });

  it('rejects an unknown bank holiday list and unknown fields', () => {
    expect(ServiceSettingsSchema.safeParse({ bankHolidays: 'scotland' }).success).toBe(false);
    const issues = messagesFor({ timezone: 'Europe/London' });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/timezone/);
  });
});

describe('serviceCalendar', () => {
  it('uses the default settings when given none', () => {
    const calendar = serviceCalendar();
    expect(calendar.timeZone).toBe('Europe/London');
    expect(calendar.clinicTime.toString()).toBe('09:00:00');
  });

  it('returns the same calendar for equal settings, even as different objects', () => {
    const a = serviceCalendar(ServiceSettingsSchema.parse({}));
    const b = serviceCalendar(ServiceSettingsSchema.parse({ timeZone: 'Europe/London' }));
    expect(a).toBe(b);
    expect(a).toBe(serviceCalendar());
  });

  it('returns a different calendar when a setting differs', () => {
    const nine = serviceCalendar(ServiceSettingsSchema.parse({}));
    const eightThirty = serviceCalendar(ServiceSettingsSchema.parse({ clinicTime: '08:30' }));
    const dublin = serviceCalendar(ServiceSettingsSchema.parse({ timeZone: 'Europe/Dublin' }));
    expect(eightThirty).not.toBe(nine);
    expect(dublin).not.toBe(nine);
    expect(eightThirty.clinicTime.toString()).toBe('08:30:00');
    expect(dublin.timeZone).toBe('Europe/Dublin');
  });

  it('uses the England and Wales bank holidays', () => {
    expect(serviceCalendar().nonWorkingReason('2025-12-25')).toBe('Christmas Day');
  });
});
