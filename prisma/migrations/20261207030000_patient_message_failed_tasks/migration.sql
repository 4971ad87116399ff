-- A reminder to message a patient that failed for good (Notify's permanent failure, or a message
-- Notify refused) becomes a task on the patient's nurse's worklist: a reminder of kind
-- 'patient-message-failed', made by no follow-up, like a reminder sent by hand.
CREATE OR REPLACE FUNCTION reminders_follow_up_matches_kind() RETURNS trigger AS $$
BEGIN
  IF (NEW.kind IN ('manual', 'patient-message-failed')) <> (NEW.follow_up_id IS NULL) THEN
    RAISE EXCEPTION 'reminders_follow_up_matches_kind: a % reminder % a follow-up', NEW.kind,
      CASE WHEN NEW.kind IN ('manual', 'patient-message-failed') THEN 'must not name' ELSE 'must name' END
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
