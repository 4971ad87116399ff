// Every way into the dashboard and the action of the permission table (packages/domain/src/
// access/permissions.ts) that guards it: each page, route handler and server action. The
// inventory test (routes.test.ts) fails when a file under src/app has no entry here, or when its
// gate asks another action than the one listed; the permission matrix (e2e/permissions.e2e.ts)
// calls each one as every role and as nobody, and checks the answer and the audit row against
// the table. The JSON API's operations declare their own action (src/server/api/operations.ts).
import type { AccessAction } from '@vfx/database/commands';
import type { Action } from '@vfx/domain';

/**
 * What guards a way in: an action of the table; 'signed-in' for the shell's own pages (the start
 * page, the refusal page) that anyone signed in may see; 'public' for signing in and out.
 */
export type Gate = Action | 'signed-in' | 'public';

export interface RouteEntry {
  readonly gate: Gate;
  /** For a read of patient data: the access row an allowed request writes to the audit log. */
  readonly reads?: AccessAction;
}

/** Pages by their path in the app directory, route groups left out: "/episodes/[episodeId]". */
export const PAGES: Readonly<Record<string, RouteEntry>> = {
  '/': { gate: 'signed-in' },
  '/refused': { gate: 'signed-in' },
  '/account/password': { gate: 'password.changeOwn' },
  '/sign-in': { gate: 'public' },
  '/worklist': { gate: 'worklist.view', reads: 'worklist.viewed' },
  '/caseload': { gate: 'caseload.view', reads: 'caseload.viewed' },
  '/patients/new': { gate: 'patient.enrol' },
  '/episodes/[episodeId]': { gate: 'patient.view', reads: 'patient.viewed' },
  '/episodes/[episodeId]/steps/[stepKey]': { gate: 'entry.record', reads: 'patient.viewed' },
  '/episodes/[episodeId]/record/[type]': { gate: 'entry.record', reads: 'patient.viewed' },
  '/episodes/[episodeId]/contact': { gate: 'contactPreferences.set', reads: 'patient.viewed' },
  '/episodes/[episodeId]/written-plan': { gate: 'patient.view', reads: 'patient.viewed' },
  '/episodes/[episodeId]/gp-letter': { gate: 'patient.view', reads: 'patient.viewed' },
  '/reminders': { gate: 'reminders.view', reads: 'reminders.viewed' },
  '/reminders/reschedule': { gate: 'reminder.reschedule', reads: 'patient.viewed' },
  '/deliveries': { gate: 'deliveries.view', reads: 'deliveries.viewed' },
  '/patient-messages': { gate: 'patientMessages.view', reads: 'patientMessages.viewed' },
  '/admin/overdue': { gate: 'overdue.view', reads: 'overdue.viewed' },
  '/admin/kpis': { gate: 'kpis.view' },
  '/admin/users': { gate: 'users.view' },
  '/admin/audit': { gate: 'audit.view' },
  '/admin/queues': { gate: 'queues.view' },
  '/admin/api-keys': { gate: 'apiKeys.view' },
};

/** Route handlers outside the JSON API (src/app/api/v1, whose operations name their action). */
export const HANDLERS: Readonly<Record<string, RouteEntry>> = {
  '/admin/overdue/export.csv': { gate: 'overdue.export', reads: 'overdue.exported' },
  '/admin/kpis/export.csv': { gate: 'kpis.export' },
  '/worklist/export.csv': { gate: 'worklist.view', reads: 'worklist.exported' },
  '/caseload/export.csv': { gate: 'caseload.view', reads: 'caseload.exported' },
  /**
   * GOV.UK Notify's delivery receipts: no user acts, so no action of the table; Notify proves
   * itself with the bearer token the service gave it (NOTIFY_CALLBACK_TOKEN, src/server/
   * notify-callback.ts), checked in constant time; a wrong one is answered 401. Every refusal
   * is audited there as 'access.refused' of the callback.
   */
  '/api/notify/delivery-receipts': { gate: 'public' },
  '/episodes/[episodeId]/written-plan/[planId]/pdf': {
    gate: 'patient.view',
    reads: 'patient.viewed',
  },
  '/episodes/[episodeId]/gp-letter/draft.pdf': { gate: 'patient.view', reads: 'patient.viewed' },
  '/episodes/[episodeId]/gp-letter/[letterId]/letter.pdf': {
    gate: 'patient.view',
    reads: 'gpLetter.downloaded',
  },
};

/**
 * Server actions by file (under src/app) and export. An action whose gate depends on its input
 * lists each action it may ask (a deactivation or a reactivation; a search, or the caseload's
 * filters without one).
 */
export const SERVER_ACTIONS: Readonly<
  Record<string, Readonly<Record<string, { readonly gates: readonly Gate[] }>>>
> = {
  'sign-in/actions.ts': {
    signInAction: { gates: ['public'] },
    signOutAction: { gates: ['public'] },
  },
  '(app)/account/password/actions.ts': {
    changePasswordAction: { gates: ['password.changeOwn'] },
  },
  '(app)/caseload/actions.ts': {
    searchCaseloadAction: { gates: ['patient.search', 'caseload.view'] },
  },
  '(app)/patients/new/actions.ts': { enrolAction: { gates: ['patient.enrol'] } },
  '(app)/episodes/[episodeId]/record/actions.ts': {
    recordEventAction: { gates: ['entry.record'] },
    correctEpisodeDetailsAction: { gates: ['entry.record'] },
  },
  '(app)/episodes/[episodeId]/gp-letter/actions.ts': {
    saveGpLetterDraftAction: { gates: ['gpLetter.draft'] },
    startGpLetterAction: { gates: ['gpLetter.draft'] },
    signOffGpLetterAction: { gates: ['gpLetter.signOff'] },
    recordGpLetterSentAction: { gates: ['gpLetter.recordSent'] },
  },
  '(app)/reminders/actions.ts': {
    sendNowAction: { gates: ['reminder.sendNow'] },
    rescheduleAction: { gates: ['reminder.reschedule'] },
  },
  '(app)/deliveries/actions.ts': { retryAction: { gates: ['delivery.retry'] } },
  '(app)/patient-messages/actions.ts': {
    retryMessageAction: { gates: ['patient-message.retry'] },
  },
  '(app)/episodes/[episodeId]/contact/actions.ts': {
    saveContactAction: { gates: ['contactPreferences.set'] },
    optOutAction: { gates: ['contactPreferences.set'] },
  },
  '(app)/episodes/[episodeId]/written-plan/actions.ts': {
    produceWrittenPlanAction: { gates: ['writtenPlan.produce'] },
  },
  '(app)/admin/users/actions.ts': {
    createUserAction: { gates: ['user.create'] },
    changeRoleAction: { gates: ['user.changeRole'] },
    setActiveAction: { gates: ['user.deactivate', 'user.reactivate'] },
    reassignAction: { gates: ['caseload.reassign'] },
    resetPasswordAction: { gates: ['user.resetPassword'] },
  },
  '(app)/admin/audit/actions.ts': { findPatientAction: { gates: ['audit.view'] } },
  '(app)/admin/queues/actions.ts': { openQueueBoardAction: { gates: ['queues.manage'] } },
  '(app)/admin/kpis/actions.ts': { saveCaseloadEstimateAction: { gates: ['settings.change'] } },
  '(app)/admin/api-keys/actions.ts': {
    createApiKeyAction: { gates: ['apiKey.create'] },
    revokeApiKeyAction: { gates: ['apiKey.revoke'] },
  },
};

/**
 * The worker's admin routes (apps/worker/src/admin/queue-board.ts: /admin/queues/open and
 * /admin/queues on the worker), all behind 'queues.manage'. The worker serves them, not the
 * dashboard, so this matrix does not call them: the worker's own test (worker.integration.test.ts,
 * "the queue board") opens them with a ticket the dashboard's 'queues.manage' action issues, and
 * checks refusals and their audit rows. The dashboard's side of it is openQueueBoardAction above.
 */
export const WORKER_ADMIN_ROUTES: Readonly<Record<string, RouteEntry>> = {};

/**
 * Actions of the table that no way into the dashboard serves yet, each with where it will be.
 * The inventory test fails when an action is neither served nor listed here, or both.
 */
export const NOT_SERVED_HERE: Readonly<Partial<Record<Action, string>>> = {};
