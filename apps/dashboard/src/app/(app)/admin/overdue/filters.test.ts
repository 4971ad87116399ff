import { describe, expect, it } from 'vitest';
import { NO_NURSE, overdueHref, overdueStepChoices, parseOverdueSearch } from './filters';

const known = {
  nurseIds: new Set(['nurse-1', 'nurse-2']),
  stepIds: new Set(overdueStepChoices().map((s) => s.id)),
};

describe('overdue list filters', () => {
  it('offers every pathway step by title', () => {
    const choices = overdueStepChoices();
    expect(choices.find((c) => c.id === 'denosumab-next-dose')?.title).toMatch(/Denosumab/);
    expect(new Set(choices.map((c) => c.id)).size).toBe(choices.length);
  });

  it('turns the address into filters, trimming what was typed', () => {
    const parsed = parseOverdueSearch(
      { step: 'dxa-scan', nurse: 'nurse-2', days: ' 14 ', page: '3' },
      known,
    );
    expect(parsed.problems).toEqual({});
    expect(parsed.filters).toEqual({ stepId: 'dxa-scan', nurseId: 'nurse-2', minDaysOverdue: 14 });
    expect(parsed.page).toBe(3);
    expect(parseOverdueSearch({ nurse: NO_NURSE }, known).filters).toEqual({ nurseId: null });
    expect(parseOverdueSearch({}, known)).toMatchObject({ filters: {}, page: 1, problems: {} });
    expect(parseOverdueSearch({ days: ['7', '9'] }, known).filters).toEqual({ minDaysOverdue: 7 });
  });

  it('names each filter it cannot use, keeping what was typed', () => {
    const parsed = parseOverdueSearch(
      { step: 'nope', nurse: 'scheduler-1', days: '-3', page: 'x' },
      known,
    );
    expect(Object.keys(parsed.problems).sort()).toEqual(['days', 'nurse', 'step']);
    expect(parsed.problems.days).toMatch(/whole number of days from 0 to 3650/);
    expect(parsed.values).toEqual({ step: 'nope', nurse: 'scheduler-1', days: '-3' });
    expect(parsed.page).toBe(1);
    for (const days of ['1.5', '3651', 'ten', '1e3']) {
      expect(parseOverdueSearch({ days }, known).problems.days, days).toBeDefined();
    }
  });

  it('builds bookmarkable addresses with only the filters in use', () => {
    expect(overdueHref('/admin/overdue', { step: '', nurse: '', days: '' })).toBe('/admin/overdue');
    expect(
      overdueHref('/admin/overdue/export.csv', { step: 'dxa-scan', nurse: NO_NURSE, days: '7' }, 2),
    ).toBe('/admin/overdue/export.csv?step=dxa-scan&nurse=none&days=7&page=2');
    const none = { step: '', nurse: '', days: '' };
    expect(overdueHref('/admin/overdue', none, 1, { sort: 'overdue', direction: 'asc' })).toBe(
      '/admin/overdue?sort=overdue&dir=asc',
    );
    expect(overdueHref('/admin/overdue', none, 1, { sort: 'risk', direction: 'desc' })).toBe(
      '/admin/overdue',
    );
  });

  it('reads the order: the risk order unless days overdue is asked for, longest first by default', () => {
    expect(parseOverdueSearch({}, known).order).toEqual({ sort: 'risk', direction: 'desc' });
    expect(parseOverdueSearch({ sort: 'overdue' }, known).order).toEqual({
      sort: 'overdue',
      direction: 'desc',
    });
    expect(parseOverdueSearch({ sort: 'overdue', dir: 'asc' }, known).order).toEqual({
      sort: 'overdue',
      direction: 'asc',
    });
    expect(parseOverdueSearch({ sort: 'name', dir: 'asc' }, known).order.sort).toBe('risk');
  });
});
