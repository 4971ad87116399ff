-- The written plans given to patients: the WrittenPlan structure and the exact PDF bytes, with
-- their version, author, time and SHA-256 (packages/database/src/commands/written-plan.ts).
-- CreateTable
CREATE TABLE "written_plans" (
    "id" TEXT NOT NULL,
    "episode_id" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "pathway_version" TEXT NOT NULL,
    "produced_by" TEXT NOT NULL,
    "produced_at" TIMESTAMPTZ(3) NOT NULL,
    "large_print" BOOLEAN NOT NULL,
    "content" JSONB NOT NULL,
    "pdf" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,

    CONSTRAINT "written_plans_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "written_plans_episode_id_produced_at_idx" ON "written_plans"("episode_id", "produced_at");

-- AddForeignKey
ALTER TABLE "written_plans" ADD CONSTRAINT "written_plans_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "episodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "written_plans" ADD CONSTRAINT "written_plans_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
