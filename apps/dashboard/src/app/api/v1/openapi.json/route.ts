// GET: the OpenAPI document, generated from src/server/api/catalog.ts.
import { apiRoute } from '@/server/api/route';

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute('/openapi.json');
