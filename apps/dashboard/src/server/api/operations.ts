// The clinical operations of the JSON API. Each reads or writes only through packages/database
// (the write path, the read views) and packages/domain (the plan); nothing here decides anything
// clinical.
import {
  DemographicsSchema,
  type EnrolmentInput,
  enrolPatient,
  recordEvent,
} from '@vfx/database/commands';
import {
  currentPlan,
  decodeFollowUpCursor,
  episodeTimeline,
  followUpsByState,
  patientContactPreferences,
  patientWithEpisodes,
} from '@vfx/database/views';
import { patientReachability, type TimerTransition } from '@vfx/domain';
import { z } from 'zod';
import { db } from '../db';
import { ApiError } from './errors';
import { defineOperation } from './operation';
import {
  ContactPreferencesResponse,
  EnrolmentBody,
  EnrolmentCreated,
  EventRecorded,
  FollowUpsQuery,
  FollowUpsResponse,
  PatientResponse,
  PlanResponse,
  planSummary,
  RecordEventBody,
  RecordId,
  TimelineResponse,
} from './schemas';

export const API_BASE = '/api/v1';
const PatientParams = z.strictObject({ patientId: RecordId });
const EpisodeParams = z.strictObject({ episodeId: RecordId });

const episodeLinks = (episodeId: string) => ({
  plan: `${API_BASE}/episodes/${encodeURIComponent(episodeId)}/plan`,
  timeline: `${API_BASE}/episodes/${encodeURIComponent(episodeId)}/timeline`,
  events: `${API_BASE}/episodes/${encodeURIComponent(episodeId)}/events`,
});
const patientLink = (patientId: string) => `${API_BASE}/patients/${encodeURIComponent(patientId)}`;

/** The key's integration user: the actor of every write. Public operations have no principal. */
function actorOf(principal: { user: { id: string } } | undefined): string {
  if (!principal) throw new Error('A write operation was declared public');
  return principal.user.id;
}

const enrolOperation = defineOperation({
  operationId: 'enrolPatient',
  method: 'POST',
  path: '/enrolments',
  tag: 'Clinical records',
  summary: 'Enrol a patient with a fracture episode',
  description:
    'Registers the patient (or reuses the patient with the same id and identifier) and enrols a new fracture episode, with any earlier history, in one transaction; the plan is computed and its follow-ups scheduled. Nothing is stored when anything is refused.',
  action: 'patient.enrol',
  body: EnrolmentBody,
  success: {
    status: 201,
    description: 'Enrolled. `Location` is the patient.',
    schema: EnrolmentCreated,
  },
  errors: ['invalid-input', 'conflict'],
  async run({ body, principal, now }) {
    const result = await enrolPatient(db(), body as EnrolmentInput, {
      actorId: actorOf(principal),
      now,
    });
    return {
      body: {
        patient: result.patient,
        demographics: DemographicsSchema.parse(body.demographics),
        episode: result.episode,
        plan: planSummary(result.plan),
        followUpsScheduled: result.scheduled,
        links: { patient: patientLink(result.patient.id), ...episodeLinks(result.episode.id) },
      },
      headers: { Location: patientLink(result.patient.id) },
    };
  },
});

const recordEventOperation = defineOperation({
  operationId: 'recordEvent',
  method: 'POST',
  path: '/episodes/{episodeId}/events',
  tag: 'Clinical records',
  summary: 'Record a clinical event on an episode',
  description:
    'Appends one event to the episode (a correction names the event it replaces in `supersedes`), recomputes the plan and reschedules its follow-ups, in one transaction. The event is attributed to the API key. Which keys may record it depends on its type: a nurse key records clinical entries, a scheduler key scheduling ones (`step-rescheduled`), an admin key any.',
  action: 'entry.record',
  // Nurses record clinical entries, schedulers scheduling ones: the table decides by type.
  context: ({ body }) => ({ entryType: String(body.event.type) }),
  params: EpisodeParams,
  body: RecordEventBody,
  success: {
    status: 201,
    description: 'Recorded, with what changed in the plan.',
    schema: EventRecorded,
  },
  errors: ['not-found', 'invalid-input', 'conflict'],
  async run({ params, body, principal, now }) {
    const result = await recordEvent(
      db(),
      { episodeId: params.episodeId, event: body.event },
      { actorId: actorOf(principal), now },
    );
    return {
      body: {
        event: result.event,
        version: result.version,
        changes: result.changes,
        plan: planSummary(result.plan),
      },
    };
  },
});

const getPatientOperation = defineOperation({
  operationId: 'getPatient',
  method: 'GET',
  path: '/patients/{patientId}',
  tag: 'Clinical records',
  summary: 'A patient and their fracture episodes',
  description: 'The patient, their names and nurse, and their episodes, newest first.',
  action: 'patient.view',
  params: PatientParams,
  success: { status: 200, description: 'The patient.', schema: PatientResponse },
  errors: ['not-found'],
  async run({ params }) {
    const found = await patientWithEpisodes(db(), params.patientId);
    if (!found) throw new ApiError('not-found', `Patient "${params.patientId}" does not exist`);
    return {
      access: {
        action: 'patient.viewed',
        entityType: 'patient',
        entityId: params.patientId,
        patientId: params.patientId,
        details: { operation: 'getPatient' },
      },
      body: {
        patient: {
          ...found.patient,
          givenName: found.givenName,
          familyName: found.familyName,
          nurse: found.nurse,
          registeredAt: found.createdAt.toISOString(),
        },
        episodes: found.episodes.map((episode) => ({
          id: episode.id,
          pathwayVersion: episode.pathwayVersion,
          fractureDate: episode.fractureDate,
          enrolledAt: episode.enrolledAt.toISOString(),
          closedAt: episode.closedAt?.toISOString() ?? null,
          closureReason: episode.closureReason,
          version: episode.version,
          // As corrected since enrolment, like fractureDate above.
          episode: episode.episode,
          links: episodeLinks(episode.id),
        })),
      },
    };
  },
});

const getContactPreferencesOperation = defineOperation({
  operationId: 'getContactPreferences',
  method: 'GET',
  path: '/patients/{patientId}/contact-preferences',
  tag: 'Clinical records',
  summary: "A patient's contact preferences",
  description:
    "How the patient hears from the service, as recorded on the patient's Contact page: the channel, consent, contact details and any opt-out, who recorded them and when, and whether reminders can go now (or why not). Setting them is a nurse's or administrator's, on the page: the permission table does not let an API key do it ('contactPreferences.set').",
  action: 'patient.view',
  params: PatientParams,
  success: {
    status: 200,
    description: "The patient's contact preferences.",
    schema: ContactPreferencesResponse,
  },
  errors: ['not-found'],
  async run({ params }) {
    const found = await patientContactPreferences(db(), params.patientId);
    if (!found) throw new ApiError('not-found', `Patient "${params.patientId}" does not exist`);
    const details = found.details;
    const reach = patientReachability(details?.preferences ?? null);
    return {
      access: {
        action: 'patient.viewed',
        entityType: 'patient',
        entityId: found.patientId,
        patientId: found.patientId,
        details: { operation: 'getContactPreferences' },
      },
      body: {
        patientId: found.patientId,
        preferences: details?.preferences ?? null,
        consentBy: details?.consentBy ?? null,
        optedOutBy: details?.optedOutBy ?? null,
        optOutReason: details?.optOutReason ?? null,
        updatedAt: details?.updatedAt.toISOString() ?? null,
        updatedBy: details?.updatedBy ?? null,
        reminders: reach.reachable
          ? { reachable: true as const, channel: reach.channel }
          : { reachable: false as const, why: reach.why },
      },
    };
  },
});

const getPlanOperation = defineOperation({
  operationId: 'getPlan',
  method: 'GET',
  path: '/episodes/{episodeId}/plan',
  tag: 'Clinical records',
  summary: "An episode's current plan",
  description:
    'The plan as the pathway computes it now: steps with their windows, statuses and sources; recommendations with their sources, cautions and conflicting positions; and the timed status changes still to come.',
  action: 'patient.view',
  params: EpisodeParams,
  success: { status: 200, description: 'The plan.', schema: PlanResponse },
  errors: ['not-found'],
  async run({ params, now }) {
    const current = await currentPlan(db(), params.episodeId, now);
    if (!current) throw new ApiError('not-found', `Episode "${params.episodeId}" does not exist`);
    return {
      access: {
        action: 'patient.viewed',
        entityType: 'episode',
        entityId: current.episodeId,
        patientId: current.patientId,
        details: { operation: 'getPlan' },
      },
      body: {
        episodeId: current.episodeId,
        patientId: current.patientId,
        version: current.version,
        plan: current.plan,
      },
    };
  },
});

const getTimelineOperation = defineOperation({
  operationId: 'getTimeline',
  method: 'GET',
  path: '/episodes/{episodeId}/timeline',
  tag: 'Clinical records',
  summary: "An episode's timeline",
  description:
    'Every recorded event in the order it was written, who recorded it, and how corrections and retractions link entries; then the plan steps with their windows and statuses now.',
  action: 'patient.view',
  params: EpisodeParams,
  success: { status: 200, description: 'The timeline.', schema: TimelineResponse },
  errors: ['not-found'],
  async run({ params, now }) {
    const timeline = await episodeTimeline(db(), params.episodeId, now);
    if (!timeline) throw new ApiError('not-found', `Episode "${params.episodeId}" does not exist`);
    return {
      access: {
        action: 'patient.viewed',
        entityType: 'episode',
        entityId: timeline.episodeId,
        patientId: timeline.patientId,
        details: { operation: 'getTimeline' },
      },
      body: {
        episodeId: timeline.episodeId,
        patientId: timeline.patientId,
        version: timeline.version,
        asOf: timeline.asOf,
        events: timeline.entries,
        steps: timeline.steps,
      },
    };
  },
});

const listFollowUpsOperation = defineOperation({
  operationId: 'listFollowUps',
  method: 'GET',
  path: '/follow-ups',
  tag: 'Scheduling',
  summary: 'Follow-ups by status and fire time',
  description:
    'The timed status changes the service owes (pending) or has settled (fired, cancelled, superseded), in fire-time order, a page at a time. Pass `nextCursor` back as `cursor` for the next page.',
  action: 'reminders.view',
  query: FollowUpsQuery,
  success: { status: 200, description: 'One page of follow-ups.', schema: FollowUpsResponse },
  errors: [],
  async run({ query }) {
    const after = query.cursor ? decodeFollowUpCursor(query.cursor) : undefined;
    if (query.cursor && !after) {
      throw new ApiError('bad-request', 'The cursor is not one this service gave out', [
        { path: 'query.cursor', message: "must be a previous page's nextCursor, unchanged" },
      ]);
    }
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to) {
      throw new ApiError('bad-request', 'The range is empty', [
        { path: 'query.to', message: 'must be after from' },
      ]);
    }
    const page = await followUpsByState(db(), {
      state: query.status,
      limit: query.limit,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(after ? { after } : {}),
    });
    return {
      // Follow-ups name episodes and patients by id: what was asked, and how many came back.
      access: {
        action: 'followUps.listed',
        entityType: 'follow-ups',
        entityId: query.status,
        details: {
          operation: 'listFollowUps',
          query: { ...query, limit: query.limit },
          returned: page.items.length,
        },
      },
      body: {
        followUps: page.items.map((item) => ({
          id: item.id,
          episodeId: item.episodeId,
          patientId: item.patientId,
          stepKey: item.stepKey,
          stepTitle: item.stepTitle,
          transition: item.transition as TimerTransition,
          fireAt: item.fireAt.toISOString(),
          urgent: item.urgent,
          status: item.state,
          outcome: item.outcome,
          createdAt: item.createdAt.toISOString(),
          settledAt: item.settledAt?.toISOString() ?? null,
          latenessMs: item.latenessMs,
        })),
        nextCursor: page.nextCursor,
      },
    };
  },
});

export const CLINICAL_OPERATIONS = [
  enrolOperation,
  recordEventOperation,
  getPatientOperation,
  getContactPreferencesOperation,
  getPlanOperation,
  getTimelineOperation,
  listFollowUpsOperation,
];
