-- The audit log filtered by action (the administrator's "what" filter), newest first.
-- CreateIndex
CREATE INDEX "audit_log_action_at_idx" ON "audit_log"("action", "at");

-- What kind of entry an action is, from its name, so every reader and index says it the same
-- way: a refusal ends in "refused" ("access.refused", "user.sign-in-refused"); a read ends in a
-- reading verb ("patient.viewed", "patient.searched", "overdue.exported"); anything else is a
-- change. Changing this function means rebuilding the two indexes below (REINDEX).
CREATE FUNCTION audit_action_kind(action text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN action ~ 'refused$' THEN 'refusal'
    WHEN action ~ '\.(viewed|searched|exported|read|listed|opened|downloaded|printed)$' THEN 'read'
    ELSE 'change'
  END
$$;

-- Once reads are audited they are nearly every row, so changes and refusals are a thin spread
-- through the (at) index: these partial indexes hold only them, newest first by the same keyset.
-- (Prisma's schema engine does not describe partial indexes, so they are not in schema.prisma.)
CREATE INDEX "audit_log_changes_at_idx" ON "audit_log"("at") WHERE audit_action_kind("action") = 'change';
CREATE INDEX "audit_log_refusals_at_idx" ON "audit_log"("at") WHERE audit_action_kind("action") = 'refusal';
-- The same by who acted: one user's changes or refusals are a thin spread through their reads
-- (at 10 million entries, a user's 50 latest changes took 3,500 pages through (actor, at)).
CREATE INDEX "audit_log_actor_changes_at_idx" ON "audit_log"("actor", "at") WHERE audit_action_kind("action") = 'change';
CREATE INDEX "audit_log_actor_refusals_at_idx" ON "audit_log"("actor", "at") WHERE audit_action_kind("action") = 'refusal';

-- The patient page reads what a recorded entry changed in the plan from that entry's audit, by
-- the entry's id (planChangesOfEntry): with no index starting with entity_id that read every "event.recorded" entry
-- (2.8 s at 10 million rows). Recorded entries only, so it stays small.
CREATE INDEX "audit_log_recorded_event_idx" ON "audit_log"("entity_id") WHERE "action" = 'event.recorded';

-- Without statistics on the kind, the planner guesses 0.5% of rows for any kind: it then takes
-- reads (nearly every row) for rare and starts parallel workers to find 50 of them (0.2 s at 10
-- million rows instead of 0.4 ms). ANALYZE (and autovacuum) keep these.
CREATE STATISTICS "audit_log_action_kind" ON (audit_action_kind("action")) FROM "audit_log";
