-- CreateIndex
CREATE INDEX "episodes_fracture_date_idx" ON "episodes"("fracture_date");
