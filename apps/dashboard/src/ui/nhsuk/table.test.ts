import { describe, expect, it } from 'vitest';
import { columnSort } from './table';

const href = (sort: string, direction: string) => `/list?sort=${sort}&dir=${direction}`;
const words = { asc: 'earliest first', desc: 'latest first' };

describe('a sortable column header', () => {
  it('sorts by the column in its first direction when the list is sorted by another', () => {
    expect(
      columnSort({
        column: 'when',
        current: { sort: 'risk', direction: 'asc' },
        first: 'asc',
        words,
        href,
      }),
    ).toEqual({ href: '/list?sort=when&dir=asc', state: 'none', next: 'earliest first' });
  });

  it('says how the list is sorted by it now, and offers the other way', () => {
    expect(
      columnSort({
        column: 'when',
        current: { sort: 'when', direction: 'asc' },
        first: 'asc',
        words,
        href,
      }),
    ).toEqual({ href: '/list?sort=when&dir=desc', state: 'ascending', next: 'latest first' });
    expect(
      columnSort({
        column: 'when',
        current: { sort: 'when', direction: 'desc' },
        first: 'asc',
        words,
        href,
      }),
    ).toEqual({ href: '/list?sort=when&dir=asc', state: 'descending', next: 'earliest first' });
  });

  it('starts a column whose first direction is descending the other way round', () => {
    const overdue = (direction: 'asc' | 'desc') =>
      columnSort({
        column: 'overdue',
        current: { sort: 'overdue', direction },
        first: 'desc',
        words,
        href,
      });
    expect(overdue('desc')).toMatchObject({
      state: 'descending',
      href: '/list?sort=overdue&dir=asc',
    });
    expect(overdue('asc')).toMatchObject({
      state: 'ascending',
      href: '/list?sort=overdue&dir=desc',
    });
  });
});
