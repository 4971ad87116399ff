-- AlterTable
ALTER TABLE "reminders" ADD COLUMN     "requested_by" TEXT,
ALTER COLUMN "follow_up_id" DROP NOT NULL;

-- A reminder made by a follow-up firing names it; only a reminder sent by hand ("send now") has
-- none. Prisma's schema cannot express this. A trigger rather than a CHECK constraint: the
-- offline schema engine (@prisma/schema-engine-wasm 7.10) crashes diffing a database that has a
-- CHECK constraint, which would break `migrate create` and the schema-agreement test.
CREATE FUNCTION reminders_follow_up_matches_kind() RETURNS trigger AS $$
BEGIN
  IF (NEW.kind = 'manual') <> (NEW.follow_up_id IS NULL) THEN
    RAISE EXCEPTION 'reminders_follow_up_matches_kind: a % reminder % a follow-up', NEW.kind,
      CASE WHEN NEW.kind = 'manual' THEN 'must not name' ELSE 'must name' END
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reminders_follow_up_matches_kind
  BEFORE INSERT OR UPDATE OF kind, follow_up_id ON "reminders"
  FOR EACH ROW EXECUTE FUNCTION reminders_follow_up_matches_kind();
