import { describe, expect, it } from 'vitest';
import {
  type ContactPreferences,
  parseContactPreferences,
  patientReachability,
} from './contact.js';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const CONSENT = '2026-12-01T09:15:00Z';

function issues(input: unknown) {
  const result = parseContactPreferences(input, NOW);
  if (result.ok) throw new Error(`expected issues, got ${JSON.stringify(result.value)}`);
  return result.issues;
}
function value(input: unknown) {
  const result = parseContactPreferences(input, NOW);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

describe('parseContactPreferences: channel and consent', () => {
  it('accepts "none" with nothing else', () => {
    expect(value({ channel: 'none' })).toEqual({
      channel: 'none',
      consentAt: null,
      optedOutAt: null,
    });
  });

  it('refuses a missing or unknown channel, naming the choices', () => {
    expect(issues({})).toEqual([{ path: 'channel', message: 'is required' }]);
    expect(issues({ channel: 'fax' })).toEqual([
      { path: 'channel', message: 'must be one of "sms", "email", "letter" or "none"' },
    ]);
  });

  it('refuses anything that is not an object, and unknown fields', () => {
    expect(issues(null)[0]?.path).toBe('');
    expect(issues({ channel: 'none', phone: '07700900123' })).toEqual([
      { path: '', message: 'has unknown field "phone"' },
    ]);
  });

  it.each(['sms', 'email', 'letter'] as const)('requires consent for %s', (channel) => {
    const details = {
      sms: { mobile: '07700 900123' },
      email: { email: 'pat@example.com' },
      letter: { address: { lines: ['1 High Street', 'Leeds'], postcode: 'LS1 4AP' } },
    }[channel];
    const found = issues({ channel, ...details });
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe('consentAt');
    expect(found[0]?.message).toMatch(
      /^is required: record when the patient agreed to reminders by /,
    );
    expect(value({ channel, consentAt: CONSENT, ...details }).consentAt).toBe(
      '2026-12-01T09:15:00.000Z',
    );
  });

  it('refuses a consent instant without a zone, unreadable or in the future', () => {
    const base = { channel: 'email', email: 'pat@example.com' };
    expect(issues({ ...base, consentAt: '2026-12-01T09:15' })).toEqual([
      {
        path: 'consentAt',
        message: 'must be a date and time with a time zone, e.g. 2026-12-07T09:30:00Z',
      },
    ]);
    expect(issues({ ...base, consentAt: 'yesterday' })[0]?.path).toBe('consentAt');
    expect(issues({ ...base, consentAt: '2026-12-07T10:00:01Z' })).toEqual([
      { path: 'consentAt', message: 'cannot be in the future' },
    ]);
    // An offset is read as the instant it names.
    expect(value({ ...base, consentAt: '2026-12-07T10:30:00+01:00' }).consentAt).toBe(
      '2026-12-07T09:30:00.000Z',
    );
  });

  it('keeps an opt-out, refuses one in the future, and a later consent clears it', () => {
    const base = { channel: 'email', email: 'pat@example.com', consentAt: CONSENT };
    expect(value({ ...base, optedOutAt: '2026-12-05T12:00:00Z' }).optedOutAt).toBe(
      '2026-12-05T12:00:00.000Z',
    );
    expect(issues({ ...base, optedOutAt: '2027-01-01T00:00:00Z' })).toEqual([
      { path: 'optedOutAt', message: 'cannot be in the future' },
    ]);
    expect(value({ ...base, optedOutAt: '2026-11-30T12:00:00Z' }).optedOutAt).toBeNull();
  });

  it('treats blank form fields as not given', () => {
    expect(
      value({ channel: 'none', consentAt: '', optedOutAt: '', mobile: ' ', email: '' }),
    ).toEqual({ channel: 'none', consentAt: null, optedOutAt: null });
  });
});

describe('parseContactPreferences: UK mobile', () => {
  const sms = (mobile: unknown) => ({ channel: 'sms', consentAt: CONSENT, mobile });

  it.each([
    ['07700 900123', '+447700900123'],
    ['07700900123', '+447700900123'],
    ['+44 7700 900123', '+447700900123'],
    ['+44 (0)7700 900 123', '+447700900123'],
    ['0044 7911 123456', '+447911123456'],
  ])('stores %s as %s', (typed, stored) => {
    expect(value(sms(typed)).mobile).toBe(stored);
  });

  it('refuses a landline, saying so', () => {
    expect(issues(sms('0113 496 0000'))).toEqual([
      {
        path: 'mobile',
        message: '0113 496 0000 is a landline: text reminders need a mobile number (07...)',
      },
    ]);
  });

  it('refuses a number that is not a mobile (a freephone number)', () => {
    expect(issues(sms('0800 123 4567'))[0]?.message).toMatch(/is not a mobile number/);
  });

  it('refuses a mobile from another country', () => {
    expect(issues(sms('+33 6 12 34 56 78'))).toEqual([
      {
        path: 'mobile',
        message:
          'must be a UK mobile number (starting 07 or +44 7); Notify sends text reminders to UK mobiles only',
      },
    ]);
  });

  it.each(['0770090012', '077009001234', 'call me', '12'])(
    'refuses %s as not a valid number',
    (typed) => {
      expect(issues(sms(typed))).toEqual([
        {
          path: 'mobile',
          message: `"${typed}" is not a valid UK phone number: enter a mobile number like 07700 900123`,
        },
      ]);
    },
  );

  it('requires the mobile for text messages', () => {
    expect(issues({ channel: 'sms', consentAt: CONSENT })).toEqual([
      { path: 'mobile', message: 'is required to send reminders by text message' },
    ]);
  });

  it('validates a mobile given for another channel too', () => {
    expect(issues({ channel: 'none', mobile: '0113 496 0000' })[0]?.path).toBe('mobile');
    expect(value({ channel: 'none', mobile: '07700900123' }).mobile).toBe('+447700900123');
  });
});

describe('parseContactPreferences: e-mail', () => {
  const email = (address: unknown) => ({ channel: 'email', consentAt: CONSENT, email: address });

  it('stores a sound address trimmed', () => {
    expect(value(email('  pat.smith@example.co.uk ')).email).toBe('pat.smith@example.co.uk');
  });

  it.each(['pat@', 'pat.example.com', 'pat@example', 'pat smith@example.com'])(
    'refuses %s',
    (typed) => {
      expect(issues(email(typed))).toEqual([
        {
          path: 'email',
          message: `"${typed}" is not a valid e-mail address: enter one like name@example.com`,
        },
      ]);
    },
  );

  it('requires the e-mail for the e-mail channel', () => {
    expect(issues({ channel: 'email', consentAt: CONSENT })).toEqual([
      { path: 'email', message: 'is required to send reminders by e-mail' },
    ]);
  });
});

describe('parseContactPreferences: postal address', () => {
  const letter = (address: unknown) => ({ channel: 'letter', consentAt: CONSENT, address });

  it('stores trimmed lines and the normalised postcode, dropping blank lines', () => {
    expect(
      value(letter({ lines: [' 1  High Street ', '', 'Leeds'], postcode: 'ls14ap' })).address,
    ).toEqual({ lines: ['1 High Street', 'Leeds'], postcode: 'LS1 4AP' });
  });

  it('refuses an invalid postcode, and requires one', () => {
    expect(issues(letter({ lines: ['1 High Street'], postcode: 'LS1 4A' }))).toEqual([
      {
        path: 'address.postcode',
        message: '"LS1 4A" is not a valid UK postcode: enter one like LS1 4AP',
      },
    ]);
    expect(issues(letter({ lines: ['1 High Street'] }))).toEqual([
      { path: 'address.postcode', message: 'is required for a letter' },
    ]);
  });

  it('requires the first line', () => {
    expect(issues(letter({ lines: ['', 'Leeds'], postcode: 'LS1 4AP' }))).toEqual([
      { path: 'address.lines[0]', message: 'is required: the first line of the address' },
    ]);
    expect(issues(letter({ lines: [], postcode: 'LS1 4AP' }))).toEqual([
      { path: 'address.lines[0]', message: 'is required: the first line of the address' },
    ]);
  });

  it('refuses more than 6 lines, a line over 35 characters, and a line Notify refuses', () => {
    expect(
      issues(letter({ lines: ['1', '2', '3', '4', '5', '6', '7'], postcode: 'LS1 4AP' })),
    ).toEqual([
      {
        path: 'address.lines',
        message: 'must have at most 6 lines before the postcode (it has 7)',
      },
    ]);
    expect(
      value(letter({ lines: ['1', '2', '3', '4', '5', '6'], postcode: 'LS1 4AP' })).address?.lines,
    ).toHaveLength(6);
    expect(
      issues(letter({ lines: ['1 High Street', 'x'.repeat(36)], postcode: 'LS1 4AP' })),
    ).toEqual([
      {
        path: 'address.lines[1]',
        message: 'must be 35 characters or fewer to fit the envelope window (it has 36)',
      },
    ]);
    expect(
      value(letter({ lines: ['x'.repeat(35)], postcode: 'LS1 4AP' })).address?.lines[0],
    ).toHaveLength(35);
    expect(issues(letter({ lines: ['=HYPERLINK()'], postcode: 'LS1 4AP' }))).toEqual([
      {
        path: 'address.lines[0]',
        message: 'cannot start with "=" (Notify refuses such an address line)',
      },
    ]);
    expect(
      issues(letter({ lines: ['1 High\u0000Street'], postcode: 'LS1 4AP' }))[0]?.message,
    ).toMatch(/control character/);
  });

  it('requires the address for letters', () => {
    expect(issues({ channel: 'letter', consentAt: CONSENT })).toEqual([
      { path: 'address', message: 'is required to send reminders by letter' },
    ]);
  });

  it('reports every problem at once', () => {
    const found = issues({
      channel: 'letter',
      mobile: '0113 496 0000',
      address: { lines: [''], postcode: 'nope' },
    });
    expect(found.map((issue) => issue.path).sort()).toEqual([
      'address.lines[0]',
      'address.postcode',
      'consentAt',
      'mobile',
    ]);
  });
});

describe('patientReachability', () => {
  const prefs = (over: Partial<ContactPreferences>): ContactPreferences => ({
    channel: 'sms',
    consentAt: CONSENT,
    optedOutAt: null,
    mobile: '+447700900123',
    ...over,
  });

  it('reaches the patient on the chosen channel with its detail', () => {
    expect(patientReachability(prefs({}))).toEqual({
      reachable: true,
      channel: 'sms',
      to: '+447700900123',
    });
    expect(patientReachability(prefs({ channel: 'email', email: 'pat@example.com' }))).toEqual({
      reachable: true,
      channel: 'email',
      to: 'pat@example.com',
    });
    const address = { lines: ['1 High Street'], postcode: 'LS1 4AP' };
    expect(patientReachability(prefs({ channel: 'letter', address }))).toEqual({
      reachable: true,
      channel: 'letter',
      to: address,
    });
  });

  it.each([
    [null, 'No contact preferences recorded for the patient'],
    [prefs({ channel: 'none' }), 'The patient chose not to receive reminders'],
    [prefs({ consentAt: null }), 'No consent recorded for reminders by text message'],
    [prefs({ optedOutAt: '2026-12-05T12:00:00Z' }), 'The patient opted out of reminders'],
    [prefs({ mobile: undefined }), 'Text message chosen but no mobile number recorded'],
    [prefs({ channel: 'email' }), 'E-mail chosen but no e-mail address recorded'],
    [prefs({ channel: 'letter' }), 'Letter chosen but no postal address recorded'],
  ])('is unreachable: %j → %s', (given, why) => {
    expect(patientReachability(given)).toEqual({ reachable: false, why });
  });
});
