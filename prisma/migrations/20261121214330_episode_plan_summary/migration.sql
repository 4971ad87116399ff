-- AlterTable
ALTER TABLE "episodes" ADD COLUMN     "next_due_at" TIMESTAMPTZ(3),
ADD COLUMN     "overdue_steps" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "episodes_next_due_at_idx" ON "episodes"("next_due_at");

-- Keep each episode's plan summary in step with its plan_steps, whoever writes them (the write
-- path, follow-ups firing): one statement per write, over the episodes it touched. A change of
-- nurse only (caseload reassignment) does not fire it.
CREATE FUNCTION episodes_refresh_plan_summary() RETURNS trigger AS $$
BEGIN
  UPDATE episodes e
  SET next_due_at = (
        SELECT min(s.due_at) FROM plan_steps s
        WHERE s.episode_id = e.id AND s.status IN ('upcoming', 'open', 'due', 'overdue')),
      overdue_steps = (
        SELECT count(*) FROM plan_steps s WHERE s.episode_id = e.id AND s.status = 'overdue')
  WHERE e.id IN (SELECT DISTINCT episode_id FROM changed);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER plan_steps_inserted_refresh_episode
  AFTER INSERT ON "plan_steps" REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION episodes_refresh_plan_summary();
CREATE TRIGGER plan_steps_updated_refresh_episode
  AFTER UPDATE ON "plan_steps" REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION episodes_refresh_plan_summary();
CREATE TRIGGER plan_steps_deleted_refresh_episode
  AFTER DELETE ON "plan_steps" REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION episodes_refresh_plan_summary();

-- Episodes enrolled before this migration.
UPDATE episodes e
SET next_due_at = (
      SELECT min(s.due_at) FROM plan_steps s
      WHERE s.episode_id = e.id AND s.status IN ('upcoming', 'open', 'due', 'overdue')),
    overdue_steps = (
      SELECT count(*) FROM plan_steps s WHERE s.episode_id = e.id AND s.status = 'overdue');
