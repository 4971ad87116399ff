// Every operation of /api/v1. The route handlers look their operation up here, and the OpenAPI
// document is generated from this list.
import { buildOpenApiDocument } from './openapi';
import { defineOperation } from './operation';
import { CLINICAL_OPERATIONS } from './operations';
import { OpenApiDocumentSchema } from './schemas';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

const openApiOperation = defineOperation({
  operationId: 'getOpenApiDocument',
  method: 'GET',
  path: '/openapi.json',
  tag: 'Meta',
  summary: 'This OpenAPI document',
  description: 'The OpenAPI 3.1 description of every operation of /api/v1.',
  action: 'public',
  success: { status: 200, description: 'The document.', schema: OpenApiDocumentSchema },
  errors: [],
  async run() {
    document ??= buildOpenApiDocument(API_OPERATIONS);
    return { body: document, headers: { 'Cache-Control': 'public, max-age=300' } };
  },
});

export const API_OPERATIONS = [...CLINICAL_OPERATIONS, openApiOperation];
