// An audit log row as an AuditEvent. The service exposes no Practitioner: the actor is named by
// a user identifier and their name (a system component by its name).
//
// Kinds follow the audit view's (SQL function audit_action_kind, migration audit_kinds): an
// action ending in "refused" is a refusal; one ending in a reading verb is a read; anything else
// is a change. R4 AuditEvent.action (required binding, audit-event-action): R for reads, C for
// actions that create ("created", "recorded", "enrolled", "registered", "added", "issued"),
// D for those that remove ("deleted", "revoked", "removed"), U for other changes, E for refusals
// (an attempt that was not carried out: outcome 4, minor failure).
// Type: DICOM 110110 "Patient Record" (listed in R4's audit-event-type value set) for entries
// about a patient; otherwise the local entity type.
import type { AuditEvent } from '@medplum/fhirtypes';
import type { AuditRecord } from '../records.js';
import {
  AUDIT_ACTION_SYSTEM,
  AUDIT_ENTITY_TYPE_SYSTEM,
  RECORD_SYSTEM,
  USER_SYSTEM,
} from '../systems.js';
import { patientReference } from './common.js';

const READ_VERBS = [
  'viewed',
  'searched',
  'exported',
  'read',
  'listed',
  'opened',
  'downloaded',
  'printed',
];
const CREATE_VERBS = ['created', 'recorded', 'enrolled', 'registered', 'added', 'issued'];
const DELETE_VERBS = ['deleted', 'revoked', 'removed'];

const endsWithVerb = (action: string, verbs: readonly string[]) =>
  verbs.some((verb) => action.endsWith(`.${verb}`));

export type AuditKind = 'change' | 'read' | 'refusal';

export function auditKindOf(action: string): AuditKind {
  if (action.endsWith('refused')) return 'refusal';
  return endsWithVerb(action, READ_VERBS) ? 'read' : 'change';
}

export function auditActionCode(action: string): NonNullable<AuditEvent['action']> {
  const kind = auditKindOf(action);
  if (kind === 'refusal') return 'E';
  if (kind === 'read') return 'R';
  if (endsWithVerb(action, CREATE_VERBS)) return 'C';
  if (endsWithVerb(action, DELETE_VERBS)) return 'D';
  return 'U';
}

function actorDisplay(record: AuditRecord): string {
  if (record.actorName) return record.actorName;
  if (record.actor.startsWith('system:')) return `Service component (${record.actor.slice(7)})`;
  return 'Unknown user';
}

export function auditEventResource(record: AuditRecord): AuditEvent {
  const refused = auditKindOf(record.action) === 'refusal';
  return {
    resourceType: 'AuditEvent',
    id: record.id,
    meta: { lastUpdated: record.at },
    type: record.patientId
      ? {
          system: 'http://dicom.nema.org/resources/ontology/DCM',
          code: '110110',
          display: 'Patient Record',
        }
      : { system: AUDIT_ENTITY_TYPE_SYSTEM, code: record.entityType },
    subtype: [{ system: AUDIT_ACTION_SYSTEM, code: record.action }],
    action: auditActionCode(record.action),
    recorded: record.at,
    outcome: refused ? '4' : '0',
    ...(refused ? { outcomeDesc: 'Refused' } : {}),
    agent: [
      {
        who: {
          identifier: { system: USER_SYSTEM, value: record.actor },
          display: actorDisplay(record),
        },
        requestor: true,
      },
    ],
    source: { observer: { display: 'Fracture liaison service care-pathway service' } },
    entity: [
      ...(record.patientId ? [{ what: patientReference(record.patientId) }] : []),
      {
        what: {
          identifier: { system: `${RECORD_SYSTEM}/${record.entityType}`, value: record.entityId },
        },
        type: { system: AUDIT_ENTITY_TYPE_SYSTEM, code: record.entityType },
      },
    ],
  };
}
