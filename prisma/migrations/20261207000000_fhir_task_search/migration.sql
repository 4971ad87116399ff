-- FHIR Task searches across the service (GET /fhir/R4/Task?status=&business-status=&period=):
-- the active steps in order of their due instant, then episode and key, so each page of the
-- search is one range of this index from where the last page stopped (a keyset page).
CREATE INDEX "plan_steps_fhir_task_order_idx"
  ON "plan_steps" ("due_at", "episode_id", "key")
  INCLUDE ("status", "opens_at", "overdue_at")
  WHERE "status" IN ('open', 'due', 'overdue');
-- (Prisma's schema engine does not describe partial indexes, so it is not in schema.prisma.)
