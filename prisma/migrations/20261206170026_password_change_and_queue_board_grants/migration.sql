-- AlterTable
ALTER TABLE "users" ADD COLUMN     "must_change_password" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "queue_board_grants" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "queue_board_grants_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "queue_board_grants_user_id_idx" ON "queue_board_grants"("user_id");

-- CreateIndex
CREATE INDEX "queue_board_grants_expires_at_idx" ON "queue_board_grants"("expires_at");

-- AddForeignKey
ALTER TABLE "queue_board_grants" ADD CONSTRAINT "queue_board_grants_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
