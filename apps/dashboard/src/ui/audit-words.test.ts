import { describe, expect, it } from 'vitest';
import { auditActionWords, auditRefusalReason } from './audit-words';

const entry = (action: string, after: unknown = null, entityId = 'x') => ({
  action,
  entityType: 'test',
  entityId,
  after,
});

describe('audit actions in words', () => {
  it('says what a read was', () => {
    expect(auditActionWords(entry('patient.viewed'))).toBe("Opened the patient's record");
    expect(auditActionWords(entry('patient.searched'))).toBe('Searched for patients');
  });

  it('counts the rows of an export when the entry has them', () => {
    expect(auditActionWords(entry('overdue.exported', { rows: 42 }))).toBe(
      'Exported 42 rows of overdue follow-ups',
    );
    expect(auditActionWords(entry('overdue.exported', { rows: 1 }))).toBe(
      'Exported 1 row of overdue follow-ups',
    );
    expect(auditActionWords(entry('kpis.exported', { count: 1200 }))).toBe(
      'Exported 1,200 rows of kpis',
    );
    expect(auditActionWords(entry('overdue.exported', { rows: -1 }))).toBe(
      'Exported the overdue follow-ups',
    );
    expect(auditActionWords(entry('overdue.exported'))).toBe('Exported the overdue follow-ups');
  });

  it('names what was refused from the permission table, and keeps the reason', () => {
    const refused = entry('access.refused', { reason: 'Only administrators may.' }, 'audit.view');
    expect(auditActionWords(refused)).toBe('Tried to open the audit log');
    expect(auditRefusalReason(refused)).toBe('Only administrators may.');
    expect(auditActionWords(entry('access.refused', null, 'no.such.action'))).toBe(
      'Tried something not allowed',
    );
    expect(auditRefusalReason(entry('access.refused'))).toBeUndefined();
  });

  it("names a refused Notify delivery receipt and keeps why, and the receipts' outcomes", () => {
    const refused = {
      action: 'access.refused',
      entityType: 'callback',
      entityId: 'notify.delivery-receipt',
      after: { status: 401, reason: 'wrong bearer token' },
    };
    expect(auditActionWords(refused)).toBe('Tried to post a GOV.UK Notify delivery receipt');
    expect(auditRefusalReason(refused)).toBe('wrong bearer token');
    expect(auditActionWords(entry('patient-message.receipt-stale'))).toMatch(
      /^Ignored a late delivery receipt of an earlier attempt/,
    );
    expect(auditActionWords(entry('gpLetter.downloaded'))).toBe(
      'Downloaded a signed letter to the GP',
    );
  });

  it('leaves an action it does not know to its code', () => {
    expect(auditActionWords(entry('something.new'))).toBeUndefined();
  });
});
