// GET: a patient's contact preferences (described in src/server/api/operations.ts).
import { apiRoute } from '@/server/api/route';

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  '/patients/{patientId}/contact-preferences',
);
