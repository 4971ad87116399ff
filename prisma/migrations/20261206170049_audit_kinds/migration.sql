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
