import { describe, expect, it } from 'vitest';
import { GROUPS, parseWorklistOrder, worklistHref } from './view';

describe('the worklist order in the address', () => {
  it('is the risk order unless a date order is asked for', () => {
    expect(parseWorklistOrder({})).toEqual({ sort: 'risk', direction: 'asc' });
    expect(parseWorklistOrder({ sort: 'when' })).toEqual({ sort: 'when', direction: 'asc' });
    expect(parseWorklistOrder({ sort: 'when', dir: 'desc' })).toEqual({
      sort: 'when',
      direction: 'desc',
    });
    expect(parseWorklistOrder({ sort: 'name', dir: 'desc' })).toEqual({
      sort: 'risk',
      direction: 'asc',
    });
  });

  it('round-trips through the address, leaving the default out', () => {
    expect(worklistHref('/worklist', { sort: 'risk', direction: 'asc' })).toBe('/worklist');
    const href = worklistHref('/worklist/export.csv', { sort: 'when', direction: 'desc' });
    expect(href).toBe('/worklist/export.csv?sort=when&dir=desc');
    const params = Object.fromEntries(new URL(href, 'http://x').searchParams);
    expect(parseWorklistOrder(params)).toEqual({ sort: 'when', direction: 'desc' });
  });

  it('gives "due today" and "due, not yet overdue" headings of their own', () => {
    expect(GROUPS.today.title).toBe('Due today');
    expect(GROUPS.earlier.title).toBe('Due, not yet overdue');
  });
});
