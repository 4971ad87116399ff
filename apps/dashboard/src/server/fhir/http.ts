// What every /fhir/R4 answer looks like on the wire: FHIR JSON (`application/fhir+json`), no
// caching, and every refusal an OperationOutcome. Bodies are read once, within a size limit.
import type { Resource } from '@medplum/fhirtypes';
import { FhirError, operationOutcome } from '@vfx/fhir';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Larger than any enrolment bundle with a long imported history; anything bigger is a mistake. */
export const MAX_FHIR_BODY_BYTES = 1_000_000;

export function fhirResponse(
  status: number,
  resource: Resource | undefined,
  headers: Readonly<Record<string, string>> = {},
): Response {
  return new Response(resource === undefined ? null : JSON.stringify(resource), {
    status,
    headers: {
      ...(resource === undefined ? {} : { 'Content-Type': FHIR_JSON }),
      'Cache-Control': 'no-store',
      ...headers,
    },
  });
}

export function outcomeResponse(error: FhirError): Response {
  return fhirResponse(error.status, operationOutcome(error.issues), error.headers);
}

/**
 * The client must accept FHIR JSON: `_format` and `Accept` may ask for json (any of its names),
 * or for anything at all; XML and Turtle are not served (406).
 */
export function checkFormat(url: URL, accept: string | null): void {
  const format = url.searchParams.get('_format');
  if (format !== null && !/^(json|application\/(fhir\+)?json)$/i.test(format.trim())) {
    throw new FhirError(406, [
      {
        code: 'not-supported',
        diagnostics: `_format "${format}" is not served: this server answers FHIR JSON only (_format=json)`,
        expression: ['_format'],
      },
    ]);
  }
  if (accept && format === null) {
    const types = accept.split(',').map((part) => part.split(';')[0]?.trim().toLowerCase());
    const acceptable = types.some(
      (type) =>
        type === '*/*' ||
        type === 'application/*' ||
        type === 'application/json' ||
        type === 'application/fhir+json' ||
        type === 'application/json+fhir' ||
        type === 'application/fhir+ndjson' ||
        type === 'application/ndjson',
    );
    if (!acceptable) {
      throw new FhirError(406, [
        {
          code: 'not-supported',
          diagnostics: `Accept "${accept}" is not served: this server answers application/fhir+json only`,
        },
      ]);
    }
  }
}

/** The JSON body of a POST: FHIR JSON (or plain JSON), within the size limit, parsed. */
export async function readFhirJson(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(fhir\+)?json\s*(;|$)/i.test(type)) {
    throw new FhirError(415, [
      {
        code: 'not-supported',
        diagnostics: `Send the body as FHIR JSON with "Content-Type: application/fhir+json" (got "${type || 'none'}")`,
      },
    ]);
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  const text = declared > MAX_FHIR_BODY_BYTES ? '' : await request.text();
  if (declared > MAX_FHIR_BODY_BYTES || Buffer.byteLength(text) > MAX_FHIR_BODY_BYTES) {
    throw new FhirError(413, [
      {
        code: 'too-costly',
        diagnostics: `The body is larger than ${MAX_FHIR_BODY_BYTES.toLocaleString('en-GB')} bytes; send fewer entries per Bundle`,
      },
    ]);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new FhirError(400, [
      {
        code: 'structure',
        diagnostics: `The body is not valid JSON: ${(error as Error).message}`,
      },
    ]);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FhirError(400, [
      { code: 'structure', diagnostics: 'The body must be a FHIR resource: a JSON object' },
    ]);
  }
  return body;
}
