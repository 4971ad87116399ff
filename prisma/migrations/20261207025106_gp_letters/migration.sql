-- CreateTable
CREATE TABLE "gp_letters" (
    "id" TEXT NOT NULL,
    "episode_id" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "edits" JSONB NOT NULL,
    "content" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "replaces_id" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "signed_by" TEXT,
    "signed_at" TIMESTAMPTZ(3),
    "pdf" BYTEA,
    "pdf_sha256" TEXT,

    CONSTRAINT "gp_letters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gp_letter_sendings" (
    "id" TEXT NOT NULL,
    "letter_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "detail" TEXT,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "gp_letter_sendings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "gp_letters_replaces_id_key" ON "gp_letters"("replaces_id");

-- CreateIndex
CREATE INDEX "gp_letters_episode_id_created_at_idx" ON "gp_letters"("episode_id", "created_at");

-- CreateIndex
CREATE INDEX "gp_letters_patient_id_signed_at_idx" ON "gp_letters"("patient_id", "signed_at");

-- CreateIndex
CREATE INDEX "gp_letter_sendings_letter_id_sent_at_idx" ON "gp_letter_sendings"("letter_id", "sent_at");

-- AddForeignKey
ALTER TABLE "gp_letters" ADD CONSTRAINT "gp_letters_episode_id_fkey" FOREIGN KEY ("episode_id") REFERENCES "episodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gp_letters" ADD CONSTRAINT "gp_letters_replaces_id_fkey" FOREIGN KEY ("replaces_id") REFERENCES "gp_letters"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gp_letter_sendings" ADD CONSTRAINT "gp_letter_sendings_letter_id_fkey" FOREIGN KEY ("letter_id") REFERENCES "gp_letters"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- One draft at a time per episode: two nurses cannot start two drafts of the same letter.
-- (Prisma's schema engine does not describe partial indexes, so it is not in schema.prisma.)
CREATE UNIQUE INDEX "gp_letters_one_draft_per_episode" ON "gp_letters"("episode_id") WHERE "status" = 'draft';

-- A signed letter is stored unchanged: its status is 'signed' only with its PDF, the PDF's SHA-256
-- (checked against the bytes here), who signed it and when; and once signed, no UPDATE or DELETE
-- of the row is allowed at all (a correction is a new letter that replaces it).
CREATE FUNCTION gp_letters_signed_is_final() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'signed' THEN
    RAISE EXCEPTION 'gp_letters: letter % is signed and cannot be changed; a correction is a new letter that replaces it', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  IF NEW.status NOT IN ('draft', 'signed') THEN
    RAISE EXCEPTION 'gp_letters: status must be draft or signed, not %', NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status = 'signed' AND (NEW.pdf IS NULL OR NEW.pdf_sha256 IS NULL OR NEW.signed_by IS NULL
      OR NEW.signed_at IS NULL OR encode(sha256(NEW.pdf), 'hex') <> NEW.pdf_sha256) THEN
    RAISE EXCEPTION 'gp_letters: a signed letter needs its PDF, the PDF''s SHA-256, who signed it and when'
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status = 'draft' AND (NEW.pdf IS NOT NULL OR NEW.signed_by IS NOT NULL OR NEW.signed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'gp_letters: a draft has no PDF and no signature'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER gp_letters_signed_is_final BEFORE INSERT OR UPDATE OR DELETE ON "gp_letters"
  FOR EACH ROW EXECUTE FUNCTION gp_letters_signed_is_final();

-- Sendings are a record of what happened: append-only, and only of a signed letter.
CREATE FUNCTION gp_letter_sendings_of_signed_letter() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "gp_letters" WHERE id = NEW.letter_id AND status = 'signed') THEN
    RAISE EXCEPTION 'gp_letter_sendings: letter % is not signed; only a signed letter is sent', NEW.letter_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER gp_letter_sendings_of_signed_letter BEFORE INSERT ON "gp_letter_sendings"
  FOR EACH ROW EXECUTE FUNCTION gp_letter_sendings_of_signed_letter();
CREATE TRIGGER gp_letter_sendings_append_only BEFORE UPDATE OR DELETE ON "gp_letter_sendings"
  FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only_table();
CREATE TRIGGER gp_letter_sendings_no_truncate BEFORE TRUNCATE ON "gp_letter_sendings"
  FOR EACH STATEMENT EXECUTE FUNCTION reject_change_to_append_only_table();
