-- One nurse's overdue steps in risk order (the worklist, and the overdue list filtered to a
-- nurse): per step id, longest overdue first, read from this index alone instead of filtering
-- the whole service's overdue steps by nurse (packages/database/src/views/overdue.ts).
-- CreateIndex
CREATE INDEX "plan_steps_nurse_overdue_risk_order_idx" ON "plan_steps"("nurse_id", "status", "step_id", "overdue_at", "episode_id", "key");
