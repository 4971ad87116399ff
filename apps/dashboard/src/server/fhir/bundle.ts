// A search's answer: a `searchset` Bundle with the page's matches, a self link that repeats the
// search as it was understood, a next link while there is more, and, when parameters were
// ignored, an OperationOutcome entry saying which.
import type { Bundle, BundleEntry, BundleLink, Resource } from '@medplum/fhirtypes';
import { operationOutcome } from '@vfx/fhir';
import type { ParsedSearch } from './search-params';

export function searchsetBundle(options: {
  readonly base: string;
  readonly url: URL;
  readonly search: ParsedSearch;
  readonly matches: readonly Resource[];
  /** Resources included beside the matches (e.g. $everything's). */
  readonly includes?: readonly Resource[];
  /** The cursor of the next page, or undefined on the last page. */
  readonly next: string | undefined;
  /** Given only where it is cheap and exact (a patient's own resources). */
  readonly total?: number;
  readonly now: Date;
}): Bundle {
  const self = new URL(options.url.toString());
  for (const name of options.search.ignored) self.searchParams.delete(name);
  const links: BundleLink[] = [{ relation: 'self', url: self.toString() }];
  if (options.next !== undefined) {
    const next = new URL(self.toString());
    next.searchParams.set('_cursor', options.next);
    next.searchParams.set('_count', String(options.search.count));
    links.push({ relation: 'next', url: next.toString() });
  }
  const entry = (resource: Resource, mode: 'match' | 'include'): BundleEntry => ({
    fullUrl: `${options.base}/${resource.resourceType}/${resource.id}`,
    resource,
    search: { mode },
  });
  const entries: BundleEntry[] = [
    ...options.matches.map((resource) => entry(resource, 'match')),
    ...(options.includes ?? []).map((resource) => entry(resource, 'include')),
  ];
  if (options.search.ignored.length > 0) {
    entries.push({
      resource: operationOutcome([
        {
          severity: 'warning',
          code: 'not-supported',
          diagnostics: `Ignored search parameter${options.search.ignored.length === 1 ? '' : 's'} this search does not support: ${options.search.ignored.join(', ')} (send "Prefer: handling=strict" to have them refused)`,
          expression: [...options.search.ignored],
        },
      ]),
      search: { mode: 'outcome' },
    });
  }
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    meta: { lastUpdated: options.now.toISOString() },
    ...(options.total !== undefined ? { total: options.total } : {}),
    link: links,
    entry: entries,
  };
}
