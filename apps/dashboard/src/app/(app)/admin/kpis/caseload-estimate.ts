// The service's estimated yearly caseload as typed on the KPI page: a whole number of patients a
// year ("1,200" and "1 200" read as 1200), or nothing to clear it. The limits are the domain's
// (ServiceSettingsSchema); this only turns the text into a number, or says why it cannot.

export type ParsedEstimate =
  | { readonly ok: true; readonly value: number | undefined }
  | { readonly ok: false; readonly problem: string };

export function parseCaseloadEstimate(text: string): ParsedEstimate {
  const plain = text.trim().replace(/[\s,]/g, '');
  if (plain === '') return { ok: true, value: undefined };
  if (!/^\d+$/.test(plain)) {
    return {
      ok: false,
      problem: 'Enter the estimate as a whole number of patients a year, e.g. 450.',
    };
  }
  const value = Number(plain);
  if (value < 1 || value > 1_000_000) {
    return { ok: false, problem: 'Enter an estimate from 1 to 1,000,000 patients a year.' };
  }
  return { ok: true, value };
}
