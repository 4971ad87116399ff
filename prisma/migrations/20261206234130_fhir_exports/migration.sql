-- FHIR Bulk Data exports ($export): one row per export, its NDJSON kept in parts (one batch of
-- one resource type each) so the dashboard serves the files and the worker writes them with no
-- shared disk (packages/database/src/commands/fhir-export.ts).
-- CreateTable
CREATE TABLE "fhir_exports" (
    "id" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "request_url" TEXT NOT NULL,
    "types" TEXT[],
    "since" TIMESTAMPTZ(3),
    "state" TEXT NOT NULL,
    "transaction_time" TIMESTAMPTZ(3) NOT NULL,
    "patients_total" INTEGER,
    "patients_done" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "next_sequence" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "fhir_exports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fhir_export_parts" (
    "export_id" TEXT NOT NULL,
    "resource_type" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "line_count" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "fhir_export_parts_pkey" PRIMARY KEY ("export_id","resource_type","sequence")
);

-- CreateIndex
CREATE INDEX "fhir_exports_expires_at_idx" ON "fhir_exports"("expires_at");

-- AddForeignKey
ALTER TABLE "fhir_export_parts" ADD CONSTRAINT "fhir_export_parts_export_id_fkey" FOREIGN KEY ("export_id") REFERENCES "fhir_exports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
