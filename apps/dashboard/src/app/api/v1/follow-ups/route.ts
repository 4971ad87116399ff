// GET: follow-ups by status and fire time (described in src/server/api/operations.ts).
import { apiRoute } from '@/server/api/route';

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute('/follow-ups');
