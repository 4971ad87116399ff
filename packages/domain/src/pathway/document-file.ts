import { englandAndWalesBankHolidays } from '../time/bank-holidays.js';
import { renderPathwayDocument } from './document.js';
import { CURRENT_PATHWAY_VERSION, findPathway } from './registry.js';

/** The text of docs/pathway.md: the current pathway version. */
export function pathwayDocument(): string {
  const definition = findPathway(CURRENT_PATHWAY_VERSION);
  if (!definition)
    throw new Error(`Current pathway version ${CURRENT_PATHWAY_VERSION} is not registered`);
  return renderPathwayDocument(definition, englandAndWalesBankHolidays().description);
}
