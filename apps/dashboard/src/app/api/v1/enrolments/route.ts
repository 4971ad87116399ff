// POST: enrol a patient with an episode (described in src/server/api/operations.ts).
import { apiRoute } from '@/server/api/route';

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute('/enrolments');
