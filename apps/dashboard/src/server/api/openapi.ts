// The OpenAPI 3.1 document of /api/v1, generated from the operation descriptions (operation.ts)
// with zod's JSON Schema output: the schemas that validate requests are the ones documented.
import { actionsOf, ROLES } from '@vfx/domain';
import { z } from 'zod';
import { API_ERRORS, type ApiErrorCode } from './errors';
import type { ApiOperation } from './operation';
import { ErrorBody } from './schemas';

type JsonSchema = Record<string, unknown>;

/** Request shapes are documented as clients send them; responses as the service writes them. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodObject | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || (json.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: propertySchema,
    };
  });
}

/** The errors any operation of this kind can answer with, in status order. */
function errorCodesOf(operation: ApiOperation): ApiErrorCode[] {
  const codes = new Set<ApiErrorCode>(operation.errors);
  if (operation.action !== 'public') {
    codes.add('unauthorized');
    codes.add('forbidden');
  }
  if (operation.params || operation.query) codes.add('bad-request');
  if (operation.body) {
    for (const code of [
      'bad-request',
      'payload-too-large',
      'unsupported-media-type',
      'invalid-input',
    ] as const) {
      codes.add(code);
    }
  }
  codes.add('internal-error');
  return [...codes].sort((a, b) => API_ERRORS[a].status - API_ERRORS[b].status);
}

/**
 * The roles whose keys may call it, as the permission table answers for an integration with
 * that role before the request's own context (an entry's type): in words for the description and
 * as a list for tools (x-roles).
 */
export function rolesOf(operation: ApiOperation): readonly string[] {
  const action = operation.action;
  if (action === 'public') return [];
  return ROLES.filter((role) => actionsOf(role, 'integration').includes(action));
}

export const API_DOCUMENT_VERSION = '1.0.0';

export function buildOpenApiDocument(operations: readonly ApiOperation[]) {
  const errorSchema = jsonSchema(ErrorBody, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const roles = rolesOf(operation);
    const item = paths[operation.path] ?? {};
    paths[operation.path] = item;
    const responses: Record<string, unknown> = {
      [operation.success.status]: {
        description: operation.success.description,
        content: { 'application/json': { schema: jsonSchema(operation.success.schema, 'output') } },
      },
    };
    for (const code of errorCodesOf(operation)) {
      const { status, description } = API_ERRORS[code];
      // Two codes never share a status, so each status has one description.
      responses[status] = {
        description: `${description} (code "${code}")`,
        ...(code === 'unauthorized'
          ? { headers: { 'WWW-Authenticate': { schema: { type: 'string' } } } }
          : {}),
        content: { 'application/json': { schema: errorSchema } },
      };
    }
    const bodySchema = operation.body;
    item[operation.method.toLowerCase()] = {
      operationId: operation.operationId,
      summary: operation.summary,
      description:
        roles.length > 0
          ? `${operation.description}\n\nAPI key roles allowed: ${roles.join(', ')}.`
          : `${operation.description}\n\nNo API key needed.`,
      tags: [operation.tag],
      'x-roles': roles,
      security: roles.length > 0 ? [{ apiKey: [] }] : [],
      ...((): { parameters?: unknown[] } => {
        const list = [
          ...parameters(operation.params, 'path'),
          ...parameters(operation.query, 'query'),
        ];
        return list.length > 0 ? { parameters: list } : {};
      })(),
      ...(bodySchema
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(bodySchema, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0' as const,
    info: {
      title: 'Vertebral fragility fracture pathway: JSON API',
      version: API_DOCUMENT_VERSION,
      description: [
        'For systems such as an electronic health record or a radiology alert feed: enrol patients, record clinical events, read plans and timelines, and list follow-ups.',
        'Authenticate with an API key created by an administrator on the dashboard (Admin › API keys): `Authorization: Bearer <key>`. What a key records is attributed to the key ("API: <key name>").',
        'Every error is JSON: `{ "error": { "code", "message", "issues"? } }`; `issues` name each invalid field by its path. A method a path does not support answers 405 (code "method-not-allowed") with an `Allow` header.',
      ].join('\n\n'),
    },
    servers: [{ url: '/api/v1' }],
    tags: [
      { name: 'Clinical records', description: 'Patients, episodes, events and plans.' },
      { name: 'Scheduling', description: 'Timed follow-ups.' },
      { name: 'Meta', description: 'This document.' },
    ],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key ("vfx_..."). Its role (nurse, scheduler or admin) decides which operations it may call.',
        },
      },
    },
    paths,
  };
}
