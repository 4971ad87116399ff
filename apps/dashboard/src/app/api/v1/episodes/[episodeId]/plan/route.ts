// GET: the episode's current plan (described in src/server/api/operations.ts).
import { apiRoute } from '@/server/api/route';

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute('/episodes/{episodeId}/plan');
