// FHIR R4: every interaction under /fhir/R4 (src/server/fhir/catalog.ts lists them, each with
// the permission-table action that guards it; GET /fhir/R4/metadata describes them).
import { fhirRoute } from '@/server/fhir/router';

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute();
