import type { Role } from '@vfx/database/auth';
import { type Action, type Actor, may } from '@vfx/domain';
import type { NavItem } from '@/ui/nav';

/** A role's name, for showing it; never for deciding what the role may do. */
export const ROLE_NAMES: Record<Role, string> = {
  nurse: 'Nurse',
  scheduler: 'Scheduler',
  admin: 'Administrator',
};

/**
 * Every section, in the order the navigation shows them, each with the action that opens it.
 * Who sees a section is the permission table's answer for that action.
 */
export const SECTIONS: readonly (NavItem & { readonly action: Action })[] = [
  { href: '/admin/overdue', label: 'Overdue', action: 'overdue.view' },
  { href: '/admin/kpis', label: 'KPIs', action: 'kpis.view' },
  { href: '/admin/users', label: 'Users', action: 'users.view' },
  { href: '/admin/audit', label: 'Audit log', action: 'audit.view' },
  { href: '/admin/queues', label: 'Queues', action: 'queues.view' },
  { href: '/admin/api-keys', label: 'API keys', action: 'apiKeys.view' },
  { href: '/worklist', label: 'Worklist', action: 'worklist.view' },
  { href: '/caseload', label: 'Caseload', action: 'caseload.view' },
  { href: '/patients/new', label: 'Enrol a patient', action: 'patient.enrol' },
  { href: '/reminders', label: 'Reminders', action: 'reminders.view' },
  { href: '/deliveries', label: 'Failed deliveries', action: 'deliveries.view' },
  { href: '/patient-messages', label: 'Patient messages', action: 'patientMessages.view' },
];

/** The sections the actor may open. */
export function navigationFor(actor: Actor): readonly NavItem[] {
  return SECTIONS.filter((section) => may(actor, section.action)).map(({ href, label }) => ({
    href,
    label,
  }));
}

/** Where the actor lands after signing in: the first section they may open. */
export function homeOf(actor: Actor): string {
  return navigationFor(actor)[0]?.href ?? '/refused';
}
