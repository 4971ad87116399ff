// POST: record a clinical event (described in src/server/api/operations.ts).
import { apiRoute } from '@/server/api/route';

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute('/episodes/{episodeId}/events');
