// One description per API operation: its method and path, the action it is in the domain's
// permission table (which decides who may call it), the zod schemas of
// its parameters, body and response, and the code that runs it. The route handlers and the
// OpenAPI document are both built from these descriptions, so they cannot drift apart.

import type { ApiKeyPrincipal } from '@vfx/database/auth';
import type { AccessEntry } from '@vfx/database/commands';
import type { Action, PermissionContext } from '@vfx/domain';
import type { z } from 'zod';
import type { ApiErrorCode } from './errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/** A documented shape that read-only domain values (readonly arrays and fields) also fit. */
export type Readable<T> = T extends readonly (infer Item)[]
  ? readonly Readable<Item>[]
  : T extends object
    ? { readonly [K in keyof T]: Readable<T[K]> }
    : T;

export interface OperationContext<
  Params extends ObjectSchema | undefined,
  Query extends ObjectSchema | undefined,
  Body extends z.ZodType | undefined,
> {
  readonly params: Params extends ObjectSchema ? z.output<Params> : Record<string, never>;
  readonly query: Query extends ObjectSchema ? z.output<Query> : Record<string, never>;
  /** The body as sent, after it passed the documented schema. */
  readonly body: Body extends z.ZodType ? z.input<Body> : undefined;
  /** The key calling; undefined only for public operations. */
  readonly principal: ApiKeyPrincipal | undefined;
  readonly now: Date;
}

export interface ApiOperation<
  Params extends ObjectSchema | undefined = ObjectSchema | undefined,
  Query extends ObjectSchema | undefined = ObjectSchema | undefined,
  Body extends z.ZodType | undefined = z.ZodType | undefined,
  Success extends z.ZodType = z.ZodType,
> {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** OpenAPI path under /api/v1, parameters in braces: "/episodes/{episodeId}/plan". */
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  readonly tag: string;
  /**
   * The action it is in the permission table (packages/domain/src/access/permissions.ts), which
   * alone decides which keys may call it; 'public' needs no key.
   */
  readonly action: Action | 'public';
  /**
   * What the permission depends on in the request (an entry's type), checked once the body is
   * valid. The write path checks again what only the database knows (who a nurse is).
   */
  readonly context?: (request: {
    readonly params: Params extends ObjectSchema ? z.output<Params> : Record<string, never>;
    readonly body: Body extends z.ZodType ? z.input<Body> : undefined;
  }) => PermissionContext;
  readonly params?: Params;
  readonly query?: Query;
  readonly body?: Body;
  readonly success: {
    readonly status: 200 | 201;
    readonly description: string;
    readonly schema: Success;
  };
  /** The error codes this operation can answer with, besides the ones every operation can. */
  readonly errors: readonly ApiErrorCode[];
  run(context: OperationContext<Params, Query, Body>): Promise<{
    readonly body: Readable<z.output<Success>>;
    readonly headers?: Readonly<Record<string, string>>;
    /** A read of patient data says what it read; route.ts writes it to the audit log. */
    readonly access?: Omit<AccessEntry, 'actor'>;
  }>;
}

/** Infers the schema types, so each operation's `run` is checked against its own schemas. */
export function defineOperation<
  Params extends ObjectSchema | undefined = undefined,
  Query extends ObjectSchema | undefined = undefined,
  Body extends z.ZodType | undefined = undefined,
  Success extends z.ZodType = z.ZodType,
>(operation: ApiOperation<Params, Query, Body, Success>): ApiOperation {
  return operation as unknown as ApiOperation;
}
