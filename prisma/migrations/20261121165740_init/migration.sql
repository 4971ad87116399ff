-- CreateEnum
CREATE TYPE "Role" AS ENUM ('nurse', 'scheduler', 'admin');

-- CreateEnum
CREATE TYPE "FollowUpState" AS ENUM ('pending', 'fired', 'cancelled', 'superseded');

-- CreateEnum
CREATE TYPE "ReminderStatus" AS ENUM ('open', 'superseded', 'resolved');

-- CreateEnum
CREATE TYPE "DeliveryChannel" AS ENUM ('in_app', 'email');

-- CreateEnum
CREATE TYPE "DeliveryState" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "password_hash" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patients" (
    "id" TEXT NOT NULL,
    "identifier_kind" TEXT NOT NULL,
    "identifier_value" TEXT NOT NULL,
    "given_name" TEXT NOT NULL,
    "family_name" TEXT NOT NULL,
    "date_of_birth" DATE NOT NULL,
    "sex" TEXT NOT NULL,
    "record" JSONB NOT NULL,
    "nurse_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "patients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "episodes" (
    "id" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "pathway_version" TEXT NOT NULL,
    "record" JSONB NOT NULL,
    "fracture_date" DATE NOT NULL,
    "enrolled_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "closure_reason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "episodes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clinical_events" (
    "id" TEXT NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "episode_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "supersedes" TEXT,
    "data" JSONB NOT NULL,

    CONSTRAINT "clinical_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_steps" (
    "episode_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "step_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL,
    "opens_at" TIMESTAMPTZ(3),
    "due_at" TIMESTAMPTZ(3),
    "overdue_at" TIMESTAMPTZ(3),
    "window" JSONB,
    "completion" JSONB,
    "nurse_id" TEXT,
    "plan_version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "plan_steps_pkey" PRIMARY KEY ("episode_id","key")
);

-- CreateTable
CREATE TABLE "follow_ups" (
    "id" TEXT NOT NULL,
    "episode_id" TEXT NOT NULL,
    "step_key" TEXT NOT NULL,
    "transition" TEXT NOT NULL,
    "fire_at" TIMESTAMPTZ(3) NOT NULL,
    "urgent" BOOLEAN NOT NULL,
    "state" "FollowUpState" NOT NULL DEFAULT 'pending',
    "outcome" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),
    "lateness_ms" INTEGER,

    CONSTRAINT "follow_ups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reminders" (
    "id" TEXT NOT NULL,
    "follow_up_id" TEXT NOT NULL,
    "episode_id" TEXT NOT NULL,
    "step_key" TEXT NOT NULL,
    "step_title" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL,
    "nurse_id" TEXT,
    "status" "ReminderStatus" NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "reminders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reminder_deliveries" (
    "id" TEXT NOT NULL,
    "reminder_id" TEXT NOT NULL,
    "channel" "DeliveryChannel" NOT NULL,
    "recipient" TEXT,
    "state" "DeliveryState" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "reminder_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "patient_id" TEXT,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_role_active_idx" ON "users"("role", "active");

-- CreateIndex
CREATE INDEX "patients_nurse_id_family_name_idx" ON "patients"("nurse_id", "family_name");

-- CreateIndex
CREATE INDEX "patients_family_name_given_name_idx" ON "patients"("family_name", "given_name");

-- CreateIndex
CREATE UNIQUE INDEX "patients_identifier_kind_identifier_value_key" ON "patients"("identifier_kind", "identifier_value");

-- CreateIndex
CREATE INDEX "episodes_patient_id_idx" ON "episodes"("patient_id");

-- CreateIndex
CREATE UNIQUE INDEX "clinical_events_sequence_key" ON "clinical_events"("sequence");

-- CreateIndex
CREATE INDEX "clinical_events_episode_id_sequence_idx" ON "clinical_events"("episode_id", "sequence");

-- CreateIndex
CREATE INDEX "plan_steps_nurse_id_status_due_at_idx" ON "plan_steps"("nurse_id", "status", "due_at");

-- CreateIndex
CREATE INDEX "plan_steps_status_step_id_overdue_at_idx" ON "plan_steps"("status", "step_id", "overdue_at");

-- CreateIndex
CREATE INDEX "plan_steps_episode_id_due_at_idx" ON "plan_steps"("episode_id", "due_at");

-- CreateIndex
CREATE INDEX "follow_ups_state_fire_at_idx" ON "follow_ups"("state", "fire_at");

-- CreateIndex
CREATE INDEX "follow_ups_episode_id_step_key_idx" ON "follow_ups"("episode_id", "step_key");

-- CreateIndex
CREATE UNIQUE INDEX "reminders_follow_up_id_key" ON "reminders"("follow_up_id");

-- CreateIndex
CREATE INDEX "reminders_nurse_id_status_created_at_idx" ON "reminders"("nurse_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "reminders_episode_id_step_key_idx" ON "reminders"("episode_id", "step_key");

-- CreateIndex
CREATE INDEX "reminder_deliveries_state_updated_at_idx" ON "reminder_deliveries"("state", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "reminder_deliveries_reminder_id_channel_key" ON "reminder_deliveries"("reminder_id", "channel");

-- CreateIndex
CREATE INDEX "outbox_processed_at_id_idx" ON "outbox"("processed_at", "id");

-- CreateIndex
CREATE INDEX "audit_log_patient_id_at_idx" ON "audit_log"("patient_id", "at");

-- CreateIndex
CREATE INDEX "audit_log_actor_at_idx" ON "audit_log"("actor", "at");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- AddForeignKey
ALTER TABLE "patients" ADD CONSTRAINT "patients_nurse_id_fkey" FOREIGN KEY ("nurse_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "episodes" ADD CONSTRAINT "episodes_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clinical_events" ADD CONSTRAINT "clinical_events_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "episodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clinical_events" ADD CONSTRAINT "clinical_events_recorded_by_fkey" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_steps" ADD CONSTRAINT "plan_steps_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "episodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "episodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_follow_up_id_fkey" FOREIGN KEY ("follow_up_id") REFERENCES "follow_ups"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "episodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminder_deliveries" ADD CONSTRAINT "reminder_deliveries_reminder_id_fkey" FOREIGN KEY ("reminder_id") REFERENCES "reminders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Clinical events and the audit log are append-only: corrections and retractions are new rows.
CREATE FUNCTION reject_change_to_append_only_table() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed (record a correction instead)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER clinical_events_append_only BEFORE UPDATE OR DELETE ON "clinical_events"
  FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only_table();
CREATE TRIGGER clinical_events_no_truncate BEFORE TRUNCATE ON "clinical_events"
  FOR EACH STATEMENT EXECUTE FUNCTION reject_change_to_append_only_table();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only_table();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION reject_change_to_append_only_table();
