// The OpenAPI document and the route files must describe the same API: every route.ts under
// src/app/api/v1 and every method it handles is in the document, and every documented operation
// has its route file and handler.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenario } from '@vfx/domain/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API_OPERATIONS } from './catalog';
import { buildOpenApiDocument } from './openapi';
import { HTTP_METHODS } from './operation';
import type { ApiRouteHandler } from './route';
import { RecordEventBody } from './schemas';

const API_DIR = fileURLToPath(new URL('../../app/api/v1', import.meta.url));
/** Every method name Next.js routes to an export of a route file. */
const NEXT_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'];

async function routeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? routeFiles(path.join(dir, entry.name))
        : Promise.resolve(entry.name === 'route.ts' ? [path.join(dir, entry.name)] : []),
    ),
  );
  return nested.flat();
}

/** "episodes/[episodeId]/plan/route.ts" -> "/episodes/{episodeId}/plan". */
const documentedPathOf = (file: string) =>
  `/${path.relative(API_DIR, path.dirname(file)).split(path.sep).join('/')}`.replace(
    /\[([^\]]+)\]/g,
    '{$1}',
  );

const document = buildOpenApiDocument(API_OPERATIONS);
type Paths = Record<string, Record<string, { operationId: string }>>;
const paths = document.paths as Paths;

async function implemented() {
  const found: { path: string; method: string; operationId: string }[] = [];
  for (const file of await routeFiles(API_DIR)) {
    const route = (await import(file)) as Record<string, ApiRouteHandler>;
    const routePath = documentedPathOf(file);
    for (const method of NEXT_METHODS.filter((name) => name in route)) {
      const handler = route[method] as ApiRouteHandler;
      // The handler was built for the path its folder serves.
      expect(handler.path, `${file} ${method}`).toBe(routePath);
      if (handler.operation) {
        expect(handler.operation.method).toBe(method);
        found.push({ path: routePath, method, operationId: handler.operation.operationId });
      }
    }
  }
  return found;
}

describe('the OpenAPI document', () => {
  it('lists exactly the operations the route files handle', async () => {
    const handled = await implemented();
    const documented = Object.entries(paths).flatMap(([documentedPath, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        path: documentedPath,
        method: method.toUpperCase(),
        operationId: operation.operationId,
      })),
    );
    const key = (o: { path: string; method: string; operationId: string }) =>
      `${o.method} ${o.path} ${o.operationId}`;
    expect(handled.map(key).sort()).toEqual(documented.map(key).sort());
    expect(handled.length).toBe(API_OPERATIONS.length);
  });

  it('has a route file for every documented path, and methods it does not document answer 405 in JSON', async () => {
    const files = await routeFiles(API_DIR);
    expect(files.map(documentedPathOf).sort()).toEqual(Object.keys(paths).sort());
    for (const file of files) {
      const route = (await import(file)) as Record<string, ApiRouteHandler>;
      const documentedMethods = Object.keys(paths[documentedPathOf(file)] ?? {}).map((m) =>
        m.toUpperCase(),
      );
      for (const method of HTTP_METHODS.filter((m) => !documentedMethods.includes(m))) {
        const handler = route[method] as ApiRouteHandler;
        expect(handler.operation).toBeUndefined();
        const response = await handler(new Request(`http://test${documentedPathOf(file)}`), {
          params: Promise.resolve({}),
        });
        expect(response.status).toBe(405);
        expect(response.headers.get('allow')).toBe(documentedMethods.join(', '));
        expect(await response.json()).toMatchObject({ error: { code: 'method-not-allowed' } });
      }
    }
  });

  it('is OpenAPI 3.1 with unique operation ids, roles and security on every operation', () => {
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.values(paths).flatMap((item) => Object.values(item)) as {
      operationId: string;
      'x-roles': string[];
      security: unknown[];
      responses: Record<string, unknown>;
      description: string;
    }[];
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of operations) {
      const isPublic = operation.operationId === 'getOpenApiDocument';
      expect(operation.security).toEqual(isPublic ? [] : [{ apiKey: [] }]);
      if (!isPublic) {
        expect(operation['x-roles']).toContain('admin');
        expect(operation.description).toMatch(/API key roles allowed: /);
        expect(Object.keys(operation.responses)).toEqual(
          expect.arrayContaining(['401', '403', '500']),
        );
      }
    }
    // Path parameters are declared for every templated segment.
    for (const [documentedPath, item] of Object.entries(paths)) {
      const names = [...documentedPath.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const operation of Object.values(item) as {
        parameters?: { name: string; in: string }[];
      }[]) {
        const declared = (operation.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => p.name);
        expect(declared.sort()).toEqual(names.sort());
      }
    }
  });

  it("says which roles' keys may call each operation, as the permission table answers", () => {
    const roles = Object.fromEntries(
      Object.values(paths)
        .flatMap((item) => Object.values(item))
        .map((operation) => [
          operation.operationId,
          (operation as unknown as { 'x-roles': string[] })['x-roles'],
        ]),
    );
    expect(roles).toEqual({
      enrolPatient: ['nurse', 'admin'],
      recordEvent: ['nurse', 'scheduler', 'admin'],
      getPatient: ['nurse', 'scheduler', 'admin'],
      getContactPreferences: ['nurse', 'scheduler', 'admin'],
      getPlan: ['nurse', 'scheduler', 'admin'],
      getTimeline: ['nurse', 'scheduler', 'admin'],
      listFollowUps: ['scheduler', 'admin'],
      getOpenApiDocument: [],
    });
  });

  // Hazard 4 of issue 12: therapy before the fracture and its review are entries of the API too.
  it('documents and accepts prior bone therapy and treatment reviews as entries', () => {
    const text = JSON.stringify(document);
    expect(text).toContain('"prior-bone-therapy"');
    expect(text).toContain('"treatment-review"');
    const prior = {
      type: 'prior-bone-therapy',
      drug: 'zoledronic-acid',
      startedOn: '2023-02-01',
      takingAtFracture: true,
      lastDoseOn: '2026-02-10',
      adherence: 'as-prescribed',
      occurredAt: '2026-11-17T10:00:00Z',
    };
    expect(RecordEventBody.safeParse({ event: prior }).success).toBe(true);
    const review = {
      type: 'treatment-review',
      drug: 'zoledronic-acid',
      takingAsPrescribed: true,
      outcome: 'continue',
      occurredAt: '2026-11-17T10:00:00Z',
    };
    expect(RecordEventBody.safeParse({ event: review }).success).toBe(true);
  });
});

describe('the documented plan', () => {
  const planSchema = () => {
    const schema = (
      paths['/episodes/{episodeId}/plan'] as unknown as Record<
        string,
        { responses: Record<string, { content: { 'application/json': { schema: object } } }> }
      >
    ).get?.responses['200']?.content['application/json'].schema as {
      properties: { plan: z.core.JSONSchema.JSONSchema };
    };
    return z.fromJSONSchema(schema.properties.plan);
  };

  // Hazard: advice from stale data. The API carries each recommendation's recorded entries with
  // their dates, and a request to reassess with the advice it holds back.
  it('describes recommendations with the dates of their entries and stale flags', () => {
    const plan = scenario({ fractureDate: '2026-05-01' })
      .pain('2026-05-12T10:00:00Z', 4, 6, 'moderate')
      .add('2026-05-13T10:00:00Z', {
        type: 'fracture-risk-assessment',
        tool: 'FRAX',
        majorOsteoporoticFractureRisk: 32,
        category: 'very-high',
      })
      .plan('2026-12-17T12:00:00Z');
    const json = JSON.parse(JSON.stringify(plan));
    const result = planSchema().safeParse(json);
    expect(result.error?.issues ?? []).toEqual([]);
    const reassess = json.recommendations.find(
      (r: { id: string }) => r.id === 'reassess-pain-assessment',
    );
    expect(reassess.basedOn[0]).toMatchObject({ on: '2026-05-12', ageDays: 219, stale: true });
    expect(reassess.withholds[0].id).toBe('analgesia-moderate');
    // An entry without a limit leaves limitDays out, as documented.
    const frax = json.recommendations.find(
      (r: { id: string }) => r.id === 'do-not-delay-therapy-for-dxa',
    );
    expect(frax.basedOn[0]).toMatchObject({ on: '2026-05-13', stale: false });
    expect(frax.basedOn[0]).not.toHaveProperty('limitDays');
    // The check has teeth: a basis without its date fails it.
    const { on: _on, ...undated } = reassess.basedOn[0];
    const broken = {
      ...json,
      recommendations: [{ ...reassess, basedOn: [undated] }],
    };
    expect(planSchema().safeParse(broken).success).toBe(false);
  });

  // A plan with a bone-therapy course: its dose steps carry their drug, and the documented plan
  // (which a strict client enforces: no undocumented properties) must describe it.
  it('describes the plan of a patient on a bone-therapy course, doses and all', () => {
    const plan = scenario({ fractureDate: '2026-05-01' })
      .add('2026-05-12T10:00:00Z', { type: 'bone-therapy-started', drug: 'denosumab' })
      .plan('2026-12-17T12:00:00Z');
    const json = JSON.parse(JSON.stringify(plan));
    expect(json.steps.some((s: { drug?: string }) => s.drug === 'denosumab')).toBe(true);
    const result = planSchema().safeParse(json);
    expect(result.error?.issues ?? []).toEqual([]);
  });
});
