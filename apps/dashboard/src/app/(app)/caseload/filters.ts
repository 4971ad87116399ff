// The caseload's address: its filters and a search's opaque id, never a name or an NHS number.

/** The non-identifying filters the address may carry. */
export const FILTER_NAMES = ['phase', 'sort', 'dir', 'overdue', 'closed', 'nurse'] as const;

/** "/caseload?..." with the given filters (and search id), leaving out the empty ones. */
export function caseloadHref(params: Readonly<Record<string, string | undefined>>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `/caseload?${text}` : '/caseload';
}
