// Conditional create (FHIR R4 http.html#ccreate): the request carries a search, and the server
// creates the resource only when nothing matches; one match answers 200 with what is stored.
// This service's records are keyed on business identifiers, so the only search accepted is
// `identifier=[system|]value` naming the identifier the service keys the resource on.
import type { BusinessIdentifier } from './ids.js';
import type { IssueList } from './json.js';

/**
 * Checks a conditional create's search (the `If-None-Exist` header, or a transaction entry's
 * `request.ifNoneExist`, with or without a leading "Patient?"): true when it is an identifier
 * search that matches `keyed`; a problem is reported at `expression` otherwise.
 */
export function checkIfNoneExist(
  search: string,
  resourceType: string,
  keyed: BusinessIdentifier | undefined,
  expression: string,
  issues: IssueList,
): boolean {
  const query = search.startsWith(`${resourceType}?`)
    ? search.slice(resourceType.length + 1)
    : search.replace(/^\?/, '');
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    issues.add('invalid', expression, `${expression} is not a search query`);
    return false;
  }
  const names = [...params.keys()];
  const tokens = params.getAll('identifier');
  if (names.some((name) => name !== 'identifier') || tokens.length !== 1) {
    issues.add(
      'not-supported',
      expression,
      `${expression} must be one identifier search, "identifier=system|value" (got "${search}")`,
    );
    return false;
  }
  if (!keyed) return false; // the identifier itself is missing, and reported where it belongs
  const token = tokens[0] as string;
  const bar = token.indexOf('|');
  const system = bar >= 0 ? token.slice(0, bar) : undefined;
  const value = bar >= 0 ? token.slice(bar + 1) : token;
  if (value !== keyed.value || (system !== undefined && system !== keyed.system)) {
    issues.add(
      'invalid',
      expression,
      `${expression} searches "${token}", but the ${resourceType} is keyed on its identifier "${keyed.system}|${keyed.value}": search for that one`,
    );
    return false;
  }
  return true;
}
