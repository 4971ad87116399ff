-- The episode summary trigger reads each touched episode's steps once, by episode. It counted
-- overdue steps with `WHERE episode_id = e.id AND status = 'overdue'`, which the planner may
-- answer from plan_steps_overdue_risk_order_idx (status, step_id, overdue_at, episode_id, ...):
-- every overdue step of the service read for each touched episode. Without fresh statistics
-- (during a large import, or with autovacuum behind) it did: 44 ms an episode at 35,000
-- patients, growing with the service, so the scale seed slowed as it went (docs/performance.md).
-- With only `episode_id = e.id` in the WHERE clause the planner can only use an index that
-- starts with the episode (the primary key, or (episode_id, due_at)): a few dozen rows an
-- episode whatever the size of the service. The values written are the same: min() of no rows
-- is NULL and count(*) of none is 0, as before.
-- JIT is off for it: the statement is a few index reads an episode, and before statistics the
-- planner's estimates priced it high enough to JIT-compile it on every write (about a second a
-- statement here), far more than compiling could ever save.
CREATE OR REPLACE FUNCTION episodes_refresh_plan_summary() RETURNS trigger AS $$
BEGIN
  UPDATE episodes e
  SET (next_due_at, overdue_steps) = (
        SELECT min(s.due_at) FILTER (WHERE step_status_is_active(s.status)),
               count(*) FILTER (WHERE s.status = 'overdue')
          FROM plan_steps s
         WHERE s.episode_id = e.id)
  WHERE e.id IN (SELECT DISTINCT episode_id FROM changed);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql SET jit = off;
