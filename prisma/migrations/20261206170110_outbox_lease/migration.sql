-- AlterTable
ALTER TABLE "outbox" ADD COLUMN     "claimed_at" TIMESTAMPTZ(3),
ADD COLUMN     "claimed_by" TEXT,
ADD COLUMN     "lease_until" TIMESTAMPTZ(3),
ADD COLUMN     "set_aside_at" TIMESTAMPTZ(3);
