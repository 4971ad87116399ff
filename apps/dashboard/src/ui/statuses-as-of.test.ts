import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { StatusesAsOf } from './statuses-as-of';

const NOW = new Date('2026-12-06T14:30:00Z');
const render = (since: Date | undefined) =>
  renderToStaticMarkup(createElement(StatusesAsOf, { since, now: NOW, zone: 'Europe/London' }));

describe('StatusesAsOf', () => {
  it('says nothing when every timed change due has been applied, or the lag is under a minute', () => {
    expect(render(undefined)).toBe('');
    expect(render(new Date(NOW.getTime() - 30_000))).toBe('');
  });

  it('says how far behind the statuses are and the instant they hold for', () => {
    const html = render(new Date('2026-12-06T14:02:00Z'));
    expect(html).toContain('Statuses are 28 min behind');
    expect(html).toContain('role="status"');
    expect(html).toMatch(/as of [^<]*14:02/);
  });
});
