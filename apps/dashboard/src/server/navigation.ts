import type { Role } from '@vfx/database/auth';
import type { NavItem } from '@/ui/nav';

export const ROLE_NAMES: Record<Role, string> = {
  nurse: 'Nurse',
  scheduler: 'Scheduler',
  admin: 'Administrator',
};

const NURSE: readonly NavItem[] = [
  { href: '/worklist', label: 'Worklist' },
  { href: '/caseload', label: 'Caseload' },
  { href: '/patients/new', label: 'Enrol a patient' },
];
const SCHEDULER: readonly NavItem[] = [
  { href: '/reminders', label: 'Reminders' },
  { href: '/deliveries', label: 'Failed deliveries' },
];
const ADMIN: readonly NavItem[] = [
  { href: '/admin/overdue', label: 'Overdue' },
  { href: '/admin/kpis', label: 'KPIs' },
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/audit', label: 'Audit log' },
  { href: '/admin/queues', label: 'Queues' },
  { href: '/admin/api-keys', label: 'API keys' },
];

/** The sections a role works in; an administrator sees every section. */
export function navigationFor(role: Role): readonly NavItem[] {
  if (role === 'nurse') return NURSE;
  if (role === 'scheduler') return SCHEDULER;
  return [...ADMIN, ...NURSE, ...SCHEDULER];
}

/** Where a role lands after signing in. */
export function homeOf(role: Role): string {
  if (role === 'nurse') return '/worklist';
  if (role === 'scheduler') return '/reminders';
  return '/admin/overdue';
}
