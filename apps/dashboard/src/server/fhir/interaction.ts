// The contract every FHIR interaction of /fhir/R4 is written to. The router (router.ts) reads the
// request, authenticates the API key, asks the domain's permission table, and hands the
// interaction a validated context; the interaction answers a resource, or throws a FhirError
// (an OperationOutcome naming the element at fault). The CapabilityStatement is generated from
// the same list of interactions (capability.ts), so what it lists is exactly what is routed.
import type { Resource } from '@medplum/fhirtypes';
import type { ApiKeyPrincipal } from '@vfx/database/auth';
import type { AccessEntry } from '@vfx/database/commands';
import type { Action, Actor, PermissionContext } from '@vfx/domain';

export interface FhirRequestContext {
  /** The request's URL as the client sent it (search parameters included). */
  readonly url: URL;
  /** The service base the client used, e.g. "https://fls.example.nhs.uk/fhir/R4" (no slash). */
  readonly base: string;
  /** Path parameters: `id` for instance-level interactions, `file` and others where routed. */
  readonly params: Readonly<Record<string, string>>;
  /** The parsed JSON body (POST), already checked to be a JSON object within the size limit. */
  readonly body: unknown;
  readonly principal: ApiKeyPrincipal;
  /** The key's integration user, as the permission table is asked about it. */
  readonly actor: Actor;
  readonly now: Date;
  /** The raw request, for headers such as Prefer, If-None-Exist and Accept. */
  readonly request: Request;
}

export interface FhirResult {
  readonly status: number;
  /** The answer; undefined only for an empty answer (202 kick-off, 202 in progress, DELETE). */
  readonly resource?: Resource;
  readonly headers?: Readonly<Record<string, string>>;
  /** A read of patient data says what it read; the router writes it to the audit log. */
  readonly access?: Omit<AccessEntry, 'actor'>;
  /** A streamed answer (NDJSON download) instead of a resource. */
  readonly stream?: { readonly body: ReadableStream<Uint8Array>; readonly contentType: string };
}

export type FhirInteractionCode =
  | 'read'
  | 'search-type'
  | 'create'
  | 'transaction'
  | 'operation'
  | 'capabilities';

export interface FhirInteraction {
  /** The resource type, or undefined for system-level interactions ($export, transaction). */
  readonly resourceType?: string;
  readonly interaction: FhirInteractionCode;
  /** For operations: the operation's name without "$" ("everything", "export"). */
  readonly operation?: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /**
   * The path under /fhir/R4 in segments, `:name` for a parameter:
   * ["Patient", ":id", "$everything"], ["$export"], ["$export-status", ":id"].
   */
  readonly path: readonly string[];
  /** The permission table's action: alone decides which keys may call it. */
  readonly action: Action | 'public';
  /** What the permission depends on, where the interaction fixes it (the entry type it records). */
  readonly permissionContext?: PermissionContext;
  /** Search parameters it accepts (name → FHIR search type and what it matches), for searches. */
  readonly searchParams?: readonly {
    readonly name: string;
    readonly type: 'token' | 'reference' | 'date' | 'string' | 'number';
    readonly documentation: string;
  }[];
  /** One line for the CapabilityStatement. */
  readonly documentation: string;
  run(context: FhirRequestContext): Promise<FhirResult>;
}
