import { describe, expect, it } from 'vitest';
import { localInputValue } from '@/ui/dates';
import { pastInstantFromForm } from './past-instant';

const zone = 'Europe/London';

describe('when an entry happened, from the form', () => {
  it('keeps a corrected entry’s instant when its time is left as shown, even in the repeated hour', () => {
    // Recorded at 01:30 BST on 25 October 2026 (00:30 UTC, with seconds); corrected that noon.
    const original = '2026-10-25T00:30:20.000Z';
    const shown = localInputValue(original, zone);
    expect(shown).toBe('2026-10-25T01:30');
    const noon = new Date('2026-10-25T12:00:00Z');
    expect(pastInstantFromForm(shown, zone, noon, original)?.toISOString()).toBe(original);
    // Without the original, 01:30 would be read as the later 01:30 (GMT): an hour off.
    expect(pastInstantFromForm(shown, zone, noon)?.toISOString()).toBe('2026-10-25T01:30:00.000Z');
  });

  it('reads a changed time as typed, in the user’s zone', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    expect(
      pastInstantFromForm('2026-11-20T09:15', zone, now, '2026-11-20T08:00:00Z')?.toISOString(),
    ).toBe('2026-11-20T09:15:00.000Z');
    expect(pastInstantFromForm('not a time', zone, now)).toBeUndefined();
  });

  it('reads the default, now, back as now in either 01:xx of the night the clocks go back', () => {
    for (const opened of ['2026-10-25T00:50:00Z', '2026-10-25T01:50:00Z']) {
      const saved = new Date(Date.parse(opened) + 60_000);
      expect(pastInstantFromForm(localInputValue(opened, zone), zone, saved)?.toISOString()).toBe(
        new Date(opened).toISOString(),
      );
    }
  });
});
