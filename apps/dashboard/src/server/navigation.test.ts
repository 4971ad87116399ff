import { type Actor, may, ROLES } from '@vfx/domain';
import { describe, expect, it } from 'vitest';
import { homeOf, navigationFor, SECTIONS } from './navigation';

const person = (role: Actor['role']): Actor => ({ id: `${role}-1`, role, kind: 'person' });

describe('the navigation, from the permission table', () => {
  it('offers each role exactly the sections the table lets it open, and starts it on the first', () => {
    expect(navigationFor(person('nurse')).map((item) => item.href)).toEqual([
      '/worklist',
      '/caseload',
      '/patients/new',
    ]);
    expect(navigationFor(person('scheduler')).map((item) => item.href)).toEqual([
      '/reminders',
      '/deliveries',
      '/patient-messages',
    ]);
    expect(navigationFor(person('admin'))).toHaveLength(SECTIONS.length);
    expect(ROLES.map((role) => homeOf(person(role)))).toEqual([
      '/worklist',
      '/reminders',
      '/admin/overdue',
    ]);
    for (const role of ROLES) {
      for (const item of navigationFor(person(role))) {
        const section = SECTIONS.find((candidate) => candidate.href === item.href);
        expect(section && may(person(role), section.action)).toBe(true);
      }
    }
  });
});
