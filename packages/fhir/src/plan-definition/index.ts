export {
  DOCUMENTED_CANONICAL_BASE,
  type GeneratedFile,
  planDefinitionFiles,
  planDefinitionJson,
} from './files.js';
export {
  CPG,
  DEFAULT_PUBLISHER,
  type PlanDefinitionOptions,
  pathwayExtensionUrls,
  planDefinition,
  planDefinitionUrl,
  publishedPlanDefinitions,
  SHAREABLE_PLAN_DEFINITION,
  seedDocumentPath,
} from './plan-definition.js';
