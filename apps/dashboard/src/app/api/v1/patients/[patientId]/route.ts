// GET: a patient and their episodes (described in src/server/api/operations.ts).
import { apiRoute } from '@/server/api/route';

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute('/patients/{patientId}');
