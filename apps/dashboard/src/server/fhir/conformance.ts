// What the server is: the CapabilityStatement, generated from the same catalogue the router
// routes (so it lists exactly what is served), each pathway version as a PlanDefinition, and
// the audit log as AuditEvents for administrators' keys.
import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  Resource,
} from '@medplum/fhirtypes';
import { fhirAuditRecords } from '@vfx/database/views';
import { auditEventResource, CANONICAL_BASE, planDefinition } from '@vfx/fhir';
import { db } from '../db';
import { searchsetBundle } from './bundle';
import type { FhirInteraction } from './interaction';
import { decodeCursor, keysetPage, parseSearch } from './search-params';

/** The software's own version is not published; the statement's date is the catalogue's. */
const SOFTWARE = { name: 'VFX care pathway (fracture liaison service)' };

export function capabilityStatement(
  interactions: readonly FhirInteraction[],
  base: string,
): CapabilityStatement {
  const byType = new Map<string, FhirInteraction[]>();
  for (const interaction of interactions) {
    if (!interaction.resourceType) continue;
    byType.set(interaction.resourceType, [
      ...(byType.get(interaction.resourceType) ?? []),
      interaction,
    ]);
  }
  const resources: CapabilityStatementRestResource[] = [...byType.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, list]) => {
      const searchParams = list.flatMap((interaction) => interaction.searchParams ?? []);
      const operations = list.filter((interaction) => interaction.interaction === 'operation');
      const plain = list.filter(
        (interaction) =>
          interaction.interaction === 'read' ||
          interaction.interaction === 'search-type' ||
          interaction.interaction === 'create',
      );
      return {
        type: type as CapabilityStatementRestResource['type'],
        interaction: plain.map((interaction) => ({
          code: interaction.interaction as 'read' | 'search-type' | 'create',
          documentation: `${interaction.documentation} Needs a key that may ${interaction.action}.`,
        })),
        ...(plain.some((interaction) => interaction.interaction === 'create')
          ? { conditionalCreate: true }
          : {}),
        ...(searchParams.length > 0
          ? {
              searchParam: searchParams.map((param) => ({
                name: param.name,
                type: param.type,
                documentation: param.documentation,
              })),
            }
          : {}),
        ...(operations.length > 0
          ? {
              operation: operations.map((interaction) => ({
                name: interaction.operation as string,
                definition: operationDefinition(interaction.operation as string),
                documentation: interaction.documentation,
              })),
            }
          : {}),
      };
    });
  const system = interactions.filter((interaction) => !interaction.resourceType);
  const systemOperations = [
    ...new Map(
      system
        .filter((interaction) => interaction.interaction === 'operation' && interaction.operation)
        .map((interaction) => [interaction.operation as string, interaction]),
    ).values(),
  ];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-07',
    kind: 'instance',
    software: SOFTWARE,
    implementation: { description: 'FHIR R4 API of the fracture liaison service', url: base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Authenticate with an API key ("Authorization: Bearer <key>"), created by an administrator on the dashboard (Admin › API keys). The key\'s role decides what it may do, as in /api/v1; every read of patient data is audited. Unknown search parameters are ignored unless "Prefer: handling=strict" is sent. Pages hold 50 entries by default (_count up to 200) and are followed through the Bundle\'s next link.',
        security: {
          cors: false,
          description:
            'API keys (bearer tokens) issued by the service; roles nurse, scheduler, admin.',
        },
        resource: resources,
        ...(system.some((interaction) => interaction.interaction === 'transaction')
          ? {
              interaction: [
                {
                  code: 'transaction',
                  documentation: system.find((i) => i.interaction === 'transaction')?.documentation,
                },
              ],
            }
          : {}),
        ...(systemOperations.length > 0
          ? {
              operation: systemOperations.map((interaction) => ({
                name: interaction.operation as string,
                definition: operationDefinition(interaction.operation as string),
                documentation: interaction.documentation,
              })),
            }
          : {}),
      },
    ],
  };
}

/** The published definitions of the operations served (FHIR R4 and Bulk Data). */
function operationDefinition(operation: string): string {
  switch (operation) {
    case 'everything':
      return 'http://hl7.org/fhir/OperationDefinition/Patient-everything';
    case 'export':
      return 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export';
    default:
      throw new Error(`No published definition is known for $${operation}`);
  }
}

export function metadataInteraction(
  interactions: () => readonly FhirInteraction[],
): FhirInteraction {
  return {
    interaction: 'capabilities',
    method: 'GET',
    path: ['metadata'],
    action: 'public',
    documentation: 'This CapabilityStatement.',
    async run({ base }) {
      return { status: 200, resource: capabilityStatement(interactions(), base) };
    },
  };
}

export const readPlanDefinition: FhirInteraction = {
  resourceType: 'PlanDefinition',
  interaction: 'read',
  method: 'GET',
  path: ['PlanDefinition', ':id'],
  action: 'pathway.view',
  documentation:
    'A pathway version (e.g. ros-2022.2) as a PlanDefinition: its steps with their timing, conditions and cited sources.',
  async run({ params }) {
    // An unknown version is refused by the generator itself (404, naming the published ones).
    const resource = planDefinition(params.id as string, { canonicalBase: CANONICAL_BASE });
    return { status: 200, resource: resource as Resource };
  },
};

const AuditCursor = (value: unknown): value is { after: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { after?: unknown }).after === 'string' &&
  /^\d{1,19}$/.test((value as { after: string }).after);

export const searchAuditEvents: FhirInteraction = {
  resourceType: 'AuditEvent',
  interaction: 'search-type',
  method: 'GET',
  path: ['AuditEvent'],
  action: 'audit.read',
  searchParams: [],
  documentation:
    'The audit log, oldest first, paged by keyset (administrator keys only). Reads, changes and refusals are all in it.',
  async run({ url, request, base, now }) {
    const search = parseSearch(url, request, []);
    const after = search.cursor ? decodeCursor(search.cursor, AuditCursor).after : undefined;
    const rows = await fhirAuditRecords(db(), {
      ...(after !== undefined ? { after } : {}),
      limit: search.count + 1,
    });
    const { page, next } = keysetPage(rows, search.count, (last) => ({ after: last.id }));
    return {
      status: 200,
      resource: searchsetBundle({
        base,
        url,
        search,
        now,
        matches: page.map(auditEventResource),
        next,
      }),
    };
  },
};
