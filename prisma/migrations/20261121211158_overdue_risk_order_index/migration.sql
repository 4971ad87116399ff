-- DropIndex
DROP INDEX "plan_steps_status_step_id_overdue_at_idx";

-- CreateIndex
CREATE INDEX "plan_steps_overdue_risk_order_idx" ON "plan_steps"("status", "step_id", "overdue_at", "episode_id", "key", "nurse_id");
