-- Patient contact preferences (channel, consent, validated details, opt-out) and the reminders
-- sent to patients (GOV.UK Notify, or the local mailbox without NOTIFY_API_KEY).
-- CreateTable
CREATE TABLE "patient_contact_preferences" (
    "patient_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "consent_at" TIMESTAMPTZ(3),
    "consent_by" TEXT,
    "mobile" TEXT,
    "email" TEXT,
    "address_lines" TEXT[],
    "postcode" TEXT,
    "opted_out_at" TIMESTAMPTZ(3),
    "opted_out_by" TEXT,
    "opt_out_reason" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "patient_contact_preferences_pkey" PRIMARY KEY ("patient_id")
);

-- CreateTable
CREATE TABLE "patient_messages" (
    "id" TEXT NOT NULL,
    "episode_id" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "step_key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "send_at" TIMESTAMPTZ(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'scheduled',
    "personalisation" JSONB,
    "notify_id" TEXT,
    "provider_status" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "outcome" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "claimed_by" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patient_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "patient_contact_preferences_opted_out_at_idx" ON "patient_contact_preferences"("opted_out_at");

-- CreateIndex
CREATE INDEX "patient_messages_send_at_state_idx" ON "patient_messages"("send_at", "state");

-- CreateIndex
CREATE INDEX "patient_messages_state_updated_at_idx" ON "patient_messages"("state", "updated_at");

-- CreateIndex
CREATE INDEX "patient_messages_episode_id_idx" ON "patient_messages"("episode_id");

-- CreateIndex
CREATE INDEX "patient_messages_patient_id_idx" ON "patient_messages"("patient_id");

-- AddForeignKey
ALTER TABLE "patient_contact_preferences" ADD CONSTRAINT "patient_contact_preferences_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patient_messages" ADD CONSTRAINT "patient_messages_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "episodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patient_messages" ADD CONSTRAINT "patient_messages_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
