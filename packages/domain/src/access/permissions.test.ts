import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  type Actor,
  actionsOf,
  may,
  PERMISSIONS,
  permission,
  ROLES,
  renderPermissionsDocument,
} from './permissions.js';

const person = (role: Actor['role']): Actor => ({ id: `${role}-1`, role, kind: 'person' });
const key = (role: Actor['role']): Actor => ({ id: `key-${role}`, role, kind: 'integration' });

describe('permission', () => {
  it('lets each role do exactly what its rows list, and an administrator every row', () => {
    for (const role of ROLES) {
      // Recording depends on the entry's type, which the next tests cover.
      for (const action of ACTIONS.filter((a) => a !== 'entry.record')) {
        const listed = (PERMISSIONS[action].roles as readonly string[]).includes(role);
        expect(permission(person(role), action).allowed, `${role} ${action}`).toBe(listed);
      }
    }
    expect(actionsOf('admin')).toEqual(ACTIONS);
  });

  it('refuses with a sentence naming who may, and who the actor is', () => {
    const refused = permission(person('nurse'), 'caseload.reassign');
    expect(refused).toEqual({
      allowed: false,
      reason:
        'Only administrators may move patients to another nurse; you are signed in as a nurse.',
    });
  });

  it('keeps API keys to the integration actions, whatever their role', () => {
    expect(may(key('admin'), 'users.view')).toBe(false);
    expect(may(key('admin'), 'audit.view')).toBe(false);
    expect(may(key('admin'), 'audit.read')).toBe(true);
    expect(may(key('nurse'), 'audit.read')).toBe(false);
    expect(may(key('nurse'), 'patient.enrol')).toBe(true);
    expect(may(key('nurse'), 'password.changeOwn')).toBe(false);
    expect(may(key('admin'), 'fhir.export')).toBe(true);
    expect(may(key('nurse'), 'fhir.export')).toBe(false);
    expect(may(person('nurse'), 'fhir.export')).toBe(false);
    expect(actionsOf('admin', 'integration').every((a) => PERMISSIONS[a].roles.length > 0)).toBe(
      true,
    );
  });

  it('gives scheduling entries to schedulers and clinical entries to nurses', () => {
    expect(may(person('scheduler'), 'entry.record', { entryType: 'step-rescheduled' })).toBe(true);
    expect(may(person('nurse'), 'entry.record', { entryType: 'step-rescheduled' })).toBe(false);
    expect(may(person('nurse'), 'entry.record', { entryType: 'pain-assessed' })).toBe(true);
    expect(may(person('scheduler'), 'entry.record', { entryType: 'pain-assessed' })).toBe(false);
    expect(may(person('admin'), 'entry.record', { entryType: 'pain-assessed' })).toBe(true);
  });

  it('keeps integration users out of role changes and (de)activation, even for an administrator', () => {
    const integration = { id: 'key-user', kind: 'integration' as const };
    for (const action of ['user.changeRole', 'user.deactivate', 'user.reactivate'] as const) {
      expect(permission(person('admin'), action, { target: integration })).toMatchObject({
        allowed: false,
        reason: expect.stringContaining('API keys'),
      });
      expect(may(person('admin'), action, { target: { id: 'n', kind: 'person' } })).toBe(true);
    }
  });

  it("refuses an administrator's own role change and deactivation", () => {
    const self = { id: 'admin-1', kind: 'person' as const };
    expect(permission(person('admin'), 'user.changeRole', { target: self })).toEqual({
      allowed: false,
      reason: 'You cannot change your own role: ask another administrator to do it.',
    });
    expect(permission(person('admin'), 'user.deactivate', { target: self })).toEqual({
      allowed: false,
      reason: 'You cannot deactivate your own account: ask another administrator to do it.',
    });
  });

  it("shows another nurse's caseload to an administrator only", () => {
    expect(may(person('nurse'), 'caseload.view', { caseloadOf: 'nurse-1' })).toBe(true);
    expect(may(person('nurse'), 'caseload.view', { caseloadOf: 'someone-else' })).toBe(false);
    expect(may(person('admin'), 'caseload.view', { caseloadOf: 'someone-else' })).toBe(true);
  });
});

describe('docs/permissions.md', () => {
  const DOCUMENT = fileURLToPath(new URL('../../../../docs/permissions.md', import.meta.url));

  it('is what the table renders (run `npm run docs:permissions` after changing it)', () => {
    expect(readFileSync(DOCUMENT, 'utf8')).toBe(renderPermissionsDocument());
  });

  it('has a row per action, and explains every check in words', () => {
    const text = renderPermissionsDocument();
    for (const action of ACTIONS) {
      const row = text.split('\n').find((line) => line.startsWith(`| \`${action}\` `));
      expect(row, action).toBeDefined();
      const rule = PERMISSIONS[action] as { check?: unknown; condition?: string };
      if (rule.check)
        expect(rule.condition, `${action} has a check but no condition in words`).toBeTruthy();
    }
  });
});
