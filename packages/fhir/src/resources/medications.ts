// Bone therapy as MedicationStatements and referrals as ServiceRequests.
//
// Courses are the domain's (therapyCourses over effectiveHistory): a start (or prior therapy
// still taken at the fracture), its doses, its stop. Prior therapy that had stopped before the
// fracture is a completed statement. The drug is named in words: no dm+d code is cited in the
// service's sources.
import type { MedicationStatement, ServiceRequest } from '@medplum/fhirtypes';
import {
  type ClinicalEvent,
  DRUGS,
  effectiveHistory,
  type ReferralType,
  therapyCourses,
  timed,
} from '@vfx/domain';
import { entryResourceId } from '../ids.js';
import type { EpisodeRecord } from '../records.js';
import {
  entryNotes,
  entryStatus,
  episodeOfCareReference,
  patientReference,
  standingEntries,
} from './common.js';

/** The root of each entry's correction chain, so a corrected start keeps its statement's id. */
function rootIds(events: readonly ClinicalEvent[]): Map<string, string> {
  const root = new Map<string, string>();
  for (const event of events) {
    root.set(
      event.id,
      event.supersedes ? (root.get(event.supersedes) ?? event.supersedes) : event.id,
    );
  }
  return root;
}

function lastUpdatedOf(...instants: (string | undefined)[]): string {
  return instants
    .filter((instant): instant is string => instant !== undefined)
    .reduce((latest, instant) => (Date.parse(instant) > Date.parse(latest) ? instant : latest));
}

export function medicationStatementResources(record: EpisodeRecord): MedicationStatement[] {
  const rootOf = rootIds(record.events);
  const history = effectiveHistory(record.events.map((event) => timed(event)));
  const { courses, earlier } = therapyCourses(history);
  const common = (drug: keyof typeof DRUGS) => ({
    resourceType: 'MedicationStatement' as const,
    medicationCodeableConcept: { text: DRUGS[drug].label },
    subject: patientReference(record.patientId),
    context: episodeOfCareReference(record.id),
    dosage: [{ route: { text: DRUGS[drug].route } }],
  });
  const running = courses.map((course): MedicationStatement => {
    const start = course.started.event;
    const stopped = course.stopped?.event;
    const lastDose = course.doses.at(-1)?.event;
    return {
      ...common(course.drug),
      id: entryResourceId(rootOf.get(start.id) ?? start.id),
      meta: {
        lastUpdated: lastUpdatedOf(start.recordedAt, lastDose?.recordedAt, stopped?.recordedAt),
      },
      status: stopped ? 'stopped' : 'active',
      ...(stopped?.reason ? { statusReason: [{ text: stopped.reason }] } : {}),
      effectivePeriod: {
        start: start.type === 'prior-bone-therapy' ? start.startedOn : start.occurredAt,
        ...(stopped ? { end: stopped.occurredAt } : {}),
      },
      dateAsserted: start.recordedAt,
      ...(start.note ? { note: [{ text: start.note }] } : {}),
    };
  });
  const history_ = earlier.map(
    ({ event }): MedicationStatement => ({
      ...common(event.drug),
      id: entryResourceId(rootOf.get(event.id) ?? event.id),
      meta: { lastUpdated: event.recordedAt },
      status: 'completed',
      effectivePeriod: {
        start: event.startedOn,
        ...(event.stoppedOn ? { end: event.stoppedOn } : {}),
      },
      dateAsserted: event.recordedAt,
      ...(event.note ? { note: [{ text: event.note }] } : {}),
    }),
  );
  // A start or prior therapy withdrawn as entered in error: its course is gone from the domain's
  // courses, but a statement once shared must be marked, not silently dropped.
  const withdrawn = standingEntries(record.events, [
    'bone-therapy-started',
    'prior-bone-therapy',
  ] as const)
    .filter((entry) => entry.withdrawal)
    .map((entry): MedicationStatement => {
      const notes = entryNotes(entry);
      return {
        ...common(entry.event.drug),
        id: entryResourceId(entry.rootId),
        meta: { lastUpdated: entry.lastUpdated },
        status: 'entered-in-error',
        effectivePeriod: {
          start:
            entry.event.type === 'prior-bone-therapy'
              ? entry.event.startedOn
              : entry.event.occurredAt,
        },
        dateAsserted: entry.event.recordedAt,
        ...(notes ? { note: notes } : {}),
      };
    });
  return [...history_, ...running, ...withdrawn];
}

/** Referral types in words. */
export const REFERRAL_WORDS: Readonly<Record<ReferralType, string>> = {
  physiotherapy: 'Referral to physiotherapy',
  'individualised-exercise-programme': 'Referral to an individualised exercise programme',
  'occupational-therapy': 'Referral to occupational therapy',
  'falls-service': 'Referral to the falls service',
  'pain-clinic': 'Referral to the pain clinic',
  'vertebral-augmentation-mdt': 'Referral to the vertebral augmentation multidisciplinary team',
  'spinal-surgery': 'Referral to spinal surgery',
};

/**
 * Referrals made: status 'active' (the service records the referral, not its outcome);
 * 'entered-in-error' when withdrawn. A corrected referral keeps its first entry's id.
 */
export function serviceRequestResources(record: EpisodeRecord): ServiceRequest[] {
  return standingEntries(record.events, ['referral'] as const).map((entry): ServiceRequest => {
    const notes = entryNotes(entry);
    return {
      resourceType: 'ServiceRequest',
      id: entryResourceId(entry.rootId),
      meta: { lastUpdated: entry.lastUpdated },
      status: entryStatus(entry, 'active') as ServiceRequest['status'],
      intent: 'order',
      code: { text: REFERRAL_WORDS[entry.event.referralType] },
      subject: patientReference(record.patientId),
      authoredOn: entry.event.occurredAt,
      ...(notes ? { note: notes } : {}),
    };
  });
}
