-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "DeliveryState" ADD VALUE 'sending';
ALTER TYPE "DeliveryState" ADD VALUE 'unknown';

-- AlterTable
ALTER TABLE "reminder_deliveries" ADD COLUMN     "claimed_at" TIMESTAMPTZ(3),
ADD COLUMN     "claimed_by" TEXT;
