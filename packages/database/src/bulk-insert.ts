// Many rows in one statement with one parameter: the rows as a JSON array, unpacked by
// PostgreSQL's jsonb_to_recordset. Prisma's createMany builds every row's parameters in its
// JavaScript and WebAssembly query layer, which made a 250-patient import spend 11 s there;
// PostgreSQL parses the same rows as JSON in milliseconds. Rows keep their order (so identity
// columns such as clinical_events.sequence follow it).
//
// Each table's columns are listed once below, typed against Prisma's own create input, so adding
// a field to prisma/schema.prisma without listing it here fails the typecheck.
import type { Transaction } from './client.js';
import type { Prisma } from './generated/prisma/client.js';

interface Column {
  readonly name: string;
  readonly type: string;
  /** SQL for a value the row leaves out (the column's default in the schema). */
  readonly otherwise?: string;
}

const col = (name: string, type: string, otherwise?: string): Column => ({
  name,
  type,
  ...(otherwise ? { otherwise } : {}),
});

type Columns<Input> = { readonly [K in keyof Required<Input>]: Column | null };

// `null` marks a column the database fills in itself (identity ids).
const TABLES = {
  patients: {
    id: col('id', 'text'),
    identifierKind: col('identifier_kind', 'text'),
    identifierValue: col('identifier_value', 'text'),
    givenName: col('given_name', 'text'),
    familyName: col('family_name', 'text'),
    dateOfBirth: col('date_of_birth', 'date'),
    sex: col('sex', 'text'),
    record: col('record', 'jsonb'),
    nurseId: col('nurse_id', 'text'),
    createdAt: col('created_at', 'timestamptz', 'now()'),
    updatedAt: col('updated_at', 'timestamptz', 'now()'),
  } satisfies Columns<Prisma.PatientCreateManyInput>,
  episodes: {
    id: col('id', 'text'),
    patientId: col('patient_id', 'text'),
    pathwayVersion: col('pathway_version', 'text'),
    record: col('record', 'jsonb'),
    fractureDate: col('fracture_date', 'date'),
    enrolledAt: col('enrolled_at', 'timestamptz'),
    closedAt: col('closed_at', 'timestamptz'),
    closureReason: col('closure_reason', 'text'),
    version: col('version', 'integer', '1'),
    createdAt: col('created_at', 'timestamptz', 'now()'),
    updatedAt: col('updated_at', 'timestamptz', 'now()'),
    // Set by the plan_steps triggers once the plan is stored.
    nextDueAt: null,
    overdueSteps: null,
  } satisfies Columns<Prisma.EpisodeCreateManyInput>,
  clinical_events: {
    id: col('id', 'text'),
    sequence: null,
    episodeId: col('episode_id', 'text'),
    type: col('type', 'text'),
    occurredAt: col('occurred_at', 'timestamptz'),
    recordedAt: col('recorded_at', 'timestamptz'),
    recordedById: col('recorded_by', 'text'),
    supersedes: col('supersedes', 'text'),
    data: col('data', 'jsonb'),
  } satisfies Columns<Prisma.ClinicalEventCreateManyInput>,
  plan_steps: {
    episodeId: col('episode_id', 'text'),
    key: col('key', 'text'),
    stepId: col('step_id', 'text'),
    title: col('title', 'text'),
    category: col('category', 'text'),
    status: col('status', 'text'),
    urgent: col('urgent', 'boolean'),
    reason: col('reason', 'text'),
    opensAt: col('opens_at', 'timestamptz'),
    dueAt: col('due_at', 'timestamptz'),
    overdueAt: col('overdue_at', 'timestamptz'),
    window: col('window', 'jsonb'),
    completion: col('completion', 'jsonb'),
    nurseId: col('nurse_id', 'text'),
    planVersion: col('plan_version', 'integer'),
    updatedAt: col('updated_at', 'timestamptz', 'now()'),
  } satisfies Columns<Prisma.PlanStepCreateManyInput>,
  follow_ups: {
    id: col('id', 'text'),
    episodeId: col('episode_id', 'text'),
    stepKey: col('step_key', 'text'),
    transition: col('transition', 'text'),
    fireAt: col('fire_at', 'timestamptz'),
    urgent: col('urgent', 'boolean'),
    state: col('state', '"FollowUpState"', `'pending'`),
    outcome: col('outcome', 'text'),
    createdAt: col('created_at', 'timestamptz', 'now()'),
    settledAt: col('settled_at', 'timestamptz'),
    latenessMs: col('lateness_ms', 'integer'),
  } satisfies Columns<Prisma.FollowUpCreateManyInput>,
  reminders: {
    id: col('id', 'text'),
    followUpId: col('follow_up_id', 'text'),
    episodeId: col('episode_id', 'text'),
    stepKey: col('step_key', 'text'),
    stepTitle: col('step_title', 'text'),
    kind: col('kind', 'text'),
    urgent: col('urgent', 'boolean'),
    requestedBy: col('requested_by', 'text'),
    nurseId: col('nurse_id', 'text'),
    status: col('status', '"ReminderStatus"', `'open'`),
    createdAt: col('created_at', 'timestamptz', 'now()'),
    resolvedAt: col('resolved_at', 'timestamptz'),
  } satisfies Columns<Prisma.ReminderCreateManyInput>,
  reminder_deliveries: {
    id: col('id', 'text'),
    reminderId: col('reminder_id', 'text'),
    channel: col('channel', '"DeliveryChannel"'),
    recipient: col('recipient', 'text'),
    state: col('state', '"DeliveryState"', `'pending'`),
    attempts: col('attempts', 'integer', '0'),
    lastError: col('last_error', 'text'),
    createdAt: col('created_at', 'timestamptz', 'now()'),
    updatedAt: col('updated_at', 'timestamptz', 'now()'),
    sentAt: col('sent_at', 'timestamptz'),
    claimedAt: col('claimed_at', 'timestamptz'),
    claimedBy: col('claimed_by', 'text'),
  } satisfies Columns<Prisma.ReminderDeliveryCreateManyInput>,
  outbox: {
    id: null,
    kind: col('kind', 'text'),
    payload: col('payload', 'jsonb'),
    createdAt: col('created_at', 'timestamptz', 'now()'),
    processedAt: col('processed_at', 'timestamptz'),
    attempts: col('attempts', 'integer', '0'),
    lastError: col('last_error', 'text'),
    claimedAt: col('claimed_at', 'timestamptz'),
    claimedBy: col('claimed_by', 'text'),
    leaseUntil: col('lease_until', 'timestamptz'),
    setAsideAt: col('set_aside_at', 'timestamptz'),
  } satisfies Columns<Prisma.OutboxMessageCreateManyInput>,
  audit_log: {
    id: null,
    at: col('at', 'timestamptz', 'now()'),
    actor: col('actor', 'text'),
    action: col('action', 'text'),
    entityType: col('entity_type', 'text'),
    entityId: col('entity_id', 'text'),
    patientId: col('patient_id', 'text'),
    before: col('before', 'jsonb'),
    after: col('after', 'jsonb'),
  } satisfies Columns<Prisma.AuditEntryCreateManyInput>,
};

export interface RowTypes {
  patients: Prisma.PatientCreateManyInput;
  episodes: Prisma.EpisodeCreateManyInput;
  clinical_events: Prisma.ClinicalEventCreateManyInput;
  plan_steps: Prisma.PlanStepCreateManyInput;
  follow_ups: Prisma.FollowUpCreateManyInput;
  reminders: Prisma.ReminderCreateManyInput;
  reminder_deliveries: Prisma.ReminderDeliveryCreateManyInput;
  outbox: Prisma.OutboxMessageCreateManyInput;
  audit_log: Prisma.AuditEntryCreateManyInput;
}
export type TableName = keyof RowTypes;

const statements = new Map<string, string>();

function statement(table: TableName, onConflictDoNothing: boolean): string {
  const cacheKey = `${table}:${onConflictDoNothing}`;
  const cached = statements.get(cacheKey);
  if (cached) return cached;
  const columns = Object.values(TABLES[table] as Record<string, Column | null>).filter(
    (c): c is Column => c !== null,
  );
  const quoted = (c: Column) => `"${c.name}"`;
  const sql = `INSERT INTO "${table}" (${columns.map(quoted).join(', ')})
    SELECT ${columns.map((c) => (c.otherwise ? `COALESCE(r.${quoted(c)}, ${c.otherwise})` : `r.${quoted(c)}`)).join(', ')}
    FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (${columns.map((c) => `${quoted(c)} ${c.type}`).join(', ')}))
      WITH ORDINALITY AS r(${columns.map(quoted).join(', ')}, "ordinality")
    ORDER BY r."ordinality"${onConflictDoNothing ? '\n    ON CONFLICT DO NOTHING' : ''}`;
  statements.set(cacheKey, sql);
  return sql;
}

/** Inserts `rows` into `table` in one statement. Returns how many were inserted. */
export async function insertMany<T extends TableName>(
  tx: Transaction,
  table: T,
  rows: readonly RowTypes[T][],
  options: { readonly onConflictDoNothing?: boolean } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const spec = TABLES[table] as Record<string, Column | null>;
  const json = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(row)) {
      const column = spec[field];
      if (column && value !== undefined) out[column.name] = value;
    }
    return out;
  });
  return tx.$executeRawUnsafe(
    statement(table, options.onConflictDoNothing ?? false),
    JSON.stringify(json),
  );
}
