// FHIR ids from the service's ids. A FHIR id is 1 to 64 of [A-Za-z0-9-.] (FHIR R4 datatypes,
// "id"); ours are 1 to 100 of [A-Za-z0-9._~-] (mostly UUIDs, which pass unchanged).
//
//   - An id of letters, digits and "-" only, at most 64 long, is used verbatim.
//   - Otherwise "." escapes: "." → ".2E", "_" → ".5F", "~" → ".7E" (the character's hex code).
//     An escape is "." followed by a digit, so it reads back unambiguously.
//   - Ids derived from one of ours (a Task per plan step, several Observations from one entry)
//     append "." and a lowercase word: "." followed by a letter is never an escape.
//   - Only when the result is longer than 64 does it become a hash form ".h<base36>" (cyrb53 of
//     the full form), which cannot be read back: ourIdOf and the parse functions answer
//     undefined, so such a resource can be listed and searched but not read by id.
//
// The hash is cyrb53 (a public-domain 53-bit string hash by bryc, github.com/bryc/code,
// jshash/experimental/cyrb53.js), pure and the same on every runtime: packages/fhir does no I/O
// and needs no node:crypto. 53 bits make a collision between two step keys of one episode
// (a few dozen keys) about 1 in 10^14; taskResources refuses an episode where one happens.

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const PLAIN = /^[A-Za-z0-9-]{1,64}$/;
const OUR_ID = /^[A-Za-z0-9._~-]{1,100}$/;
const ESCAPES: Readonly<Record<string, string>> = { '.': '.2E', _: '.5F', '~': '.7E' };
const UNESCAPES: Readonly<Record<string, string>> = { '2E': '.', '5F': '_', '7E': '~' };
const SUFFIX = /^[a-z][a-z0-9-]*$/;

/** Whether text is a valid FHIR R4 id. */
export function isFhirId(text: string): boolean {
  return FHIR_ID.test(text);
}

/** cyrb53: a 53-bit hash of the text (see the header). */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The hash as 11 base-36 characters (53 bits fit in 11). */
export function shortHash(text: string): string {
  return cyrb53(text).toString(36).padStart(11, '0');
}

function escapeId(ourId: string): string {
  return ourId.replace(/[._~]/g, (character) => ESCAPES[character] ?? character);
}

function bounded(candidate: string): string {
  return candidate.length <= 64 ? candidate : `.h${shortHash(candidate)}`;
}

/** The FHIR id of one of our ids. Throws on text that is not one of our ids. */
export function fhirId(ourId: string): string {
  if (!OUR_ID.test(ourId)) {
    throw new RangeError(
      `not a service id (1 to 100 of letters, digits, ".", "_", "~", "-"): ${JSON.stringify(ourId)}`,
    );
  }
  return PLAIN.test(ourId) ? ourId : bounded(escapeId(ourId));
}

/** Our id behind a FHIR id made by fhirId, or undefined (a hash form, or not one of ours). */
export function ourIdOf(id: string): string | undefined {
  if (PLAIN.test(id)) return id;
  if (!isFhirId(id) || !/^(?:[A-Za-z0-9-]|\.(?:2E|5F|7E))+$/.test(id)) return undefined;
  const ourId = id.replace(/\.(2E|5F|7E)/g, (_match, hex: string) => UNESCAPES[hex] ?? '');
  return OUR_ID.test(ourId) ? ourId : undefined;
}

/** The FHIR id of something derived from one of our ids: `${fhirId(ourId)}.${suffix}`. */
export function derivedId(ourId: string, suffix: string): string {
  if (!SUFFIX.test(suffix)) {
    throw new RangeError(`a derived id's suffix must start with a lowercase letter: "${suffix}"`);
  }
  fhirId(ourId); // refuses what is not one of our ids
  return bounded(`${escapeId(ourId)}.${suffix}`);
}

/** Our id and the suffix behind an id made by derivedId, or undefined when it cannot be read back. */
export function parseDerivedId(id: string): { ourId: string; suffix: string } | undefined {
  const match = /^(.+)\.([a-z][a-z0-9-]*)$/.exec(id);
  if (!match?.[1] || !match[2] || !isFhirId(id) || match[1].startsWith('.h')) return undefined;
  const ourId = ourIdOf(match[1]);
  return ourId === undefined ? undefined : { ourId, suffix: match[2] };
}

/** The hash of a plan step's key that a Task id carries. */
export function stepKeyHash(stepKey: string): string {
  return shortHash(stepKey);
}

/** The Task of one plan step of an episode: `${fhirId(episodeId)}.s${stepKeyHash(stepKey)}`. */
export function taskId(episodeId: string, stepKey: string): string {
  return derivedId(episodeId, `s${stepKeyHash(stepKey)}`);
}

/**
 * The episode and the hash of the step key behind a Task id (find the step whose key has that
 * stepKeyHash), or undefined when the id is not a Task id that reads back.
 */
export function parseTaskId(id: string): { episodeId: string; stepKeyHash: string } | undefined {
  const parsed = parseDerivedId(id);
  if (!parsed || !/^s[0-9a-z]{11}$/.test(parsed.suffix)) return undefined;
  return { episodeId: parsed.ourId, stepKeyHash: parsed.suffix.slice(1) };
}

/**
 * The id of a resource made from one recorded entry (an Observation, a MedicationStatement, a
 * ServiceRequest): the entry's id, with a suffix when one entry gives several (a DXA result's
 * measurements: ".lumbar-spine"). The entry is the first of its correction chain, so a corrected
 * entry keeps its resource's id.
 */
export function entryResourceId(eventId: string, part?: string): string {
  return part === undefined ? fhirId(eventId) : derivedId(eventId, part);
}

/** The entry and the part behind an id made by entryResourceId, or undefined. */
export function parseEntryResourceId(
  id: string,
): { eventId: string; part: string | undefined } | undefined {
  const whole = ourIdOf(id);
  if (whole !== undefined) return { eventId: whole, part: undefined };
  const parsed = parseDerivedId(id);
  return parsed ? { eventId: parsed.ourId, part: parsed.suffix } : undefined;
}
