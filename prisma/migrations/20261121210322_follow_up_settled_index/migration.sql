-- CreateIndex
CREATE INDEX "follow_ups_state_settled_at_idx" ON "follow_ups"("state", "settled_at");
