// Reading untyped JSON with the FHIRPath of every value at hand, so each problem found names its
// element ("Bundle.entry[1].resource.identifier[0].value").
import type { FhirIssue } from '../operation-outcome.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Collects problems as the reader goes; each names an element by its FHIRPath. */
export class IssueList {
  readonly issues: FhirIssue[] = [];

  add(code: FhirIssue['code'], expression: string | undefined, diagnostics: string): undefined {
    this.issues.push({ code, diagnostics, ...(expression ? { expression: [expression] } : {}) });
    return undefined;
  }

  /** A value of the wrong JSON type. */
  invalid(expression: string, expected: string): undefined {
    return this.add('structure', expression, `${expression} must be ${expected}`);
  }

  required(expression: string, what: string): undefined {
    return this.add('required', expression, `${expression} is required: ${what}`);
  }
}

/** A node of the input: its value and its FHIRPath. */
export interface Node {
  readonly value: unknown;
  readonly path: string;
}

export const child = (node: Node, key: string): Node => ({
  value: isObject(node.value) ? node.value[key] : undefined,
  path: `${node.path}.${key}`,
});

/** The elements of an array element (absent: none); a non-array is reported. */
export function items(node: Node, issues: IssueList): Node[] {
  if (node.value === undefined) return [];
  if (!Array.isArray(node.value)) {
    issues.invalid(node.path, 'an array');
    return [];
  }
  return node.value.map((value, i) => ({ value, path: `${node.path}[${i}]` }));
}

export function text(node: Node, issues: IssueList): string | undefined {
  if (node.value === undefined) return undefined;
  if (typeof node.value !== 'string') return issues.invalid(node.path, 'a string');
  return node.value;
}

export function bool(node: Node, issues: IssueList): boolean | undefined {
  if (node.value === undefined) return undefined;
  if (typeof node.value !== 'boolean') return issues.invalid(node.path, 'true or false');
  return node.value;
}

export function object(node: Node, issues: IssueList): JsonObject | undefined {
  if (node.value === undefined) return undefined;
  if (!isObject(node.value)) return issues.invalid(node.path, 'a JSON object');
  return node.value;
}

/** The codings of a CodeableConcept, read as (system, code) pairs. */
export function codings(node: Node, issues: IssueList): { system?: string; code?: string }[] {
  return items(child(node, 'coding'), issues).map((coding) => {
    const system = text(child(coding, 'system'), issues);
    const code = text(child(coding, 'code'), issues);
    return { ...(system !== undefined ? { system } : {}), ...(code !== undefined ? { code } : {}) };
  });
}

/**
 * A coded value given as a coding in `system`, or as `text` equal to a code (senders that do not
 * code it). The code as given; undefined when absent. A coding in another system is reported.
 */
export function codeIn(node: Node, system: string, issues: IssueList): string | undefined {
  if (node.value === undefined) return undefined;
  if (!isObject(node.value)) return issues.invalid(node.path, 'a CodeableConcept');
  const ours = codings(node, issues).find((coding) => coding.system === system);
  if (ours?.code !== undefined) return ours.code;
  const written = text(child(node, 'text'), issues);
  if (written !== undefined) return written.trim();
  issues.add(
    'code-invalid',
    node.path,
    `${node.path} must have a coding with system "${system}" or a text`,
  );
  return undefined;
}

/** A resource's modifier extensions change its meaning: one this service does not know is refused. */
export function refuseModifierExtensions(resource: Node, issues: IssueList): void {
  const modifiers = child(resource, 'modifierExtension');
  if (modifiers.value !== undefined) {
    issues.add(
      'not-supported',
      modifiers.path,
      `${modifiers.path} is not supported: the service knows no modifier extensions and may not ignore them`,
    );
  }
}

/** The extension with this url (one at most), as a node. */
export function extension(resource: Node, url: string, issues: IssueList): Node | undefined {
  const found = items(child(resource, 'extension'), issues).filter(
    (node) => isObject(node.value) && node.value.url === url,
  );
  if (found.length > 1) {
    issues.add(
      'structure',
      `${resource.path}.extension('${url}')`,
      `${resource.path} has the extension ${url} more than once`,
    );
  }
  return found[0];
}

/** Where an absent extension would be: the FHIRPath names it by url. */
export const extensionPath = (resource: Node, url: string) =>
  `${resource.path}.extension('${url}')`;

/** The JSON size of a parsed body in UTF-8 bytes, as it would be sent compactly. */
export const jsonBytes = (value: unknown): number =>
  new TextEncoder().encode(JSON.stringify(value)).length;
