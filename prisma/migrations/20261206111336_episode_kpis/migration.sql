-- Each episode's stored KPI results (packages/database/src/records/kpi-store.ts) and the service's
-- stored settings. No backfill here: the results are computed by packages/domain, so episodes
-- enrolled before this migration get their rows from rebuildEpisodeKpis, which every migration
-- runner of the project calls right after applying migrations (the worker's migrate service,
-- npm run db:migrate, the launcher). Until then the KPI page counts them as not measured.

-- CreateTable
CREATE TABLE "episode_kpis" (
    "episode_id" TEXT NOT NULL,
    "fracture_date" DATE NOT NULL,
    "pathway_version" TEXT NOT NULL,
    "logic_version" INTEGER NOT NULL,
    "k_fracture_risk_assessment" SMALLINT NOT NULL,
    "k_fracture_risk_assessment_until" DATE,
    "k_dxa" SMALLINT NOT NULL,
    "k_dxa_until" DATE,
    "k_falls_assessment" SMALLINT NOT NULL,
    "k_falls_assessment_until" DATE,
    "k_bone_therapy_recommended" SMALLINT NOT NULL,
    "k_bone_therapy_recommended_until" DATE,
    "k_strength_balance_16_weeks" SMALLINT NOT NULL,
    "k_strength_balance_16_weeks_until" DATE,
    "k_follow_up_16_weeks" SMALLINT NOT NULL,
    "k_follow_up_16_weeks_until" DATE,
    "k_treatment_started_by_follow_up" SMALLINT NOT NULL,
    "k_treatment_started_by_follow_up_until" DATE,
    "k_adherence_52_weeks" SMALLINT NOT NULL,
    "k_adherence_52_weeks_until" DATE,
    "f_nhs_number" SMALLINT NOT NULL,
    "f_nhs_number_until" DATE,
    "f_fracture_risk_assessment" SMALLINT NOT NULL,
    "f_fracture_risk_assessment_until" DATE,
    "f_dxa" SMALLINT NOT NULL,
    "f_dxa_until" DATE,
    "f_falls_assessment" SMALLINT NOT NULL,
    "f_falls_assessment_until" DATE,
    "f_bone_therapy_decision" SMALLINT NOT NULL,
    "f_bone_therapy_decision_until" DATE,
    "f_exercise_programme" SMALLINT NOT NULL,
    "f_exercise_programme_until" DATE,
    "f_follow_up_16_weeks" SMALLINT NOT NULL,
    "f_follow_up_16_weeks_until" DATE,
    "f_treatment_status_at_follow_up" SMALLINT NOT NULL,
    "f_treatment_status_at_follow_up_until" DATE,
    "f_adherence_52_weeks" SMALLINT NOT NULL,
    "f_adherence_52_weeks_until" DATE,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "episode_kpis_pkey" PRIMARY KEY ("episode_id")
);

-- CreateTable
CREATE TABLE "service_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "estimated_yearly_caseload" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,

    CONSTRAINT "service_settings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "episode_kpis_fracture_date_idx" ON "episode_kpis"("fracture_date");

-- AddForeignKey
ALTER TABLE "episode_kpis" ADD CONSTRAINT "episode_kpis_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "episodes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
