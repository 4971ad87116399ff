-- Which step statuses still need action, in one SQL function: the episode summary trigger uses
-- it instead of its own list. It must agree with the domain's ACTIVE_STEP_STATUSES
-- (packages/domain/src/plan/compute-plan.ts); packages/database/src/views/active-statuses.integration.test.ts
-- fails when they differ. IMMUTABLE, so the planner may inline it.
CREATE FUNCTION step_status_is_active(status text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN status IN ('upcoming', 'open', 'due', 'overdue');

CREATE OR REPLACE FUNCTION episodes_refresh_plan_summary() RETURNS trigger AS $$
BEGIN
  UPDATE episodes e
  SET next_due_at = (
        SELECT min(s.due_at) FROM plan_steps s
        WHERE s.episode_id = e.id AND step_status_is_active(s.status)),
      overdue_steps = (
        SELECT count(*) FROM plan_steps s WHERE s.episode_id = e.id AND s.status = 'overdue')
  WHERE e.id IN (SELECT DISTINCT episode_id FROM changed);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
