// The inventory of ways in (routes.ts) against the app directory: every page, route handler and
// server action has an entry, and its source asks the gate the entry names, so a route added
// without an action, or guarded by another one, fails here before the permission matrix runs.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTIONS, type Action } from '@vfx/domain';
import { describe, expect, it } from 'vitest';
import { API_OPERATIONS } from './api/catalog';
import { FHIR_INTERACTIONS } from './fhir/catalog';
import {
  type Gate,
  HANDLERS,
  NOT_SERVED_HERE,
  PAGES,
  SERVER_ACTIONS,
  WORKER_ADMIN_ROUTES,
} from './routes';

const APP_DIR = fileURLToPath(new URL('../app', import.meta.url));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? filesUnder(path.join(dir, entry.name))
        : Promise.resolve([path.join(dir, entry.name)]),
    ),
  );
  return nested.flat();
}

const relative = (file: string) => path.relative(APP_DIR, file).split(path.sep).join('/');
/** "(app)/episodes/[episodeId]/page.tsx" -> "/episodes/[episodeId]". */
const routeOf = (file: string) =>
  `/${path.dirname(relative(file))}`
    .split('/')
    .filter((segment) => !/^\(.*\)$/.test(segment) && segment !== '.')
    .join('/') || '/';

/** The actions a piece of source asks the gate about, and whether it only asks "signed in". */
function gatesIn(source: string): Set<Gate> {
  const gates = new Set<Gate>();
  for (const call of source.matchAll(/(requirePermission|ensurePermitted)\(/g)) {
    // The call's arguments: enough text for a conditional choice between two actions.
    const args = source.slice(call.index, call.index + 240);
    const end = args.indexOf(');');
    for (const literal of (end > 0 ? args.slice(0, end) : args).matchAll(/'([a-zA-Z.-]+)'/g)) {
      if ((ACTIONS as readonly string[]).includes(literal[1] as string)) {
        gates.add(literal[1] as Action);
      }
    }
  }
  if (/requireSignedIn\(\)/.test(source) && gates.size === 0) gates.add('signed-in');
  if (gates.size === 0) gates.add('public');
  return gates;
}

/** Each exported function's own source, up to the next top-level declaration. */
function exportedFunctions(source: string): Map<string, string> {
  const found = new Map<string, string>();
  const starts = [...source.matchAll(/^export async function (\w+)/gm)];
  for (const [index, match] of starts.entries()) {
    const next = starts[index + 1]?.index ?? source.length;
    found.set(match[1] as string, source.slice(match.index, next));
  }
  return found;
}

/** Helpers of the same file an exported function calls (the gate may sit in one of them). */
function withHelpers(body: string, source: string): string {
  const helpers = [...body.matchAll(/await (\w+)\(/g)].map((m) => m[1]);
  const parts = [body];
  for (const name of helpers) {
    const definition = new RegExp(`^async function ${name}\\(`, 'm').exec(source);
    if (!definition) continue;
    const end = source.indexOf('\n}\n', definition.index);
    parts.push(source.slice(definition.index, end < 0 ? undefined : end));
  }
  return parts.join('\n');
}

describe('the inventory of ways into the dashboard', () => {
  it('lists every page, with the gate its source asks', async () => {
    const pages = (await filesUnder(APP_DIR)).filter((file) => file.endsWith('/page.tsx'));
    const found: Record<string, Gate[]> = {};
    for (const file of pages) {
      found[routeOf(file)] = [...gatesIn(await readFile(file, 'utf8'))];
    }
    const listed = Object.fromEntries(
      Object.entries(PAGES).map(([route, entry]) => [route, [entry.gate]]),
    );
    expect(found).toEqual(listed);
  });

  it('lists every route handler outside the JSON API, with its gate; the API operations each name an action', async () => {
    const handlers = (await filesUnder(APP_DIR)).filter(
      (file) =>
        file.endsWith('/route.ts') &&
        !relative(file).startsWith('api/v1/') &&
        !relative(file).startsWith('fhir/R4/'),
    );
    const found: Record<string, Gate[]> = {};
    for (const file of handlers) {
      found[routeOf(file)] = [...gatesIn(await readFile(file, 'utf8'))];
    }
    expect(found).toEqual(
      Object.fromEntries(Object.entries(HANDLERS).map(([route, entry]) => [route, [entry.gate]])),
    );
    for (const operation of API_OPERATIONS) {
      const action = operation.action;
      expect(action === 'public' || ACTIONS.includes(action), operation.operationId).toBe(true);
    }
    for (const interaction of FHIR_INTERACTIONS) {
      const action = interaction.action;
      expect(action === 'public' || ACTIONS.includes(action), interaction.path.join('/')).toBe(
        true,
      );
    }
  });

  it("lists every server action, with the gates its source asks (in it or in its file's helpers)", async () => {
    const files = (await filesUnder(APP_DIR)).filter((file) => /\.tsx?$/.test(file));
    const found: Record<string, Record<string, Gate[]>> = {};
    for (const file of files) {
      const source = await readFile(file, 'utf8');
      if (!/^'use server';/m.test(source)) continue;
      const exports: Record<string, Gate[]> = {};
      for (const [name, body] of exportedFunctions(source)) {
        exports[name] = [...gatesIn(withHelpers(body, source))].sort();
      }
      found[relative(file)] = exports;
    }
    const listed = Object.fromEntries(
      Object.entries(SERVER_ACTIONS).map(([file, exports]) => [
        file,
        Object.fromEntries(
          Object.entries(exports).map(([name, entry]) => [name, [...entry.gates].sort()]),
        ),
      ]),
    );
    expect(found).toEqual(listed);
  });

  it('serves every action of the permission table somewhere, or says where it will be', () => {
    const served = new Set<string>([
      ...Object.values(PAGES).map((entry) => entry.gate),
      ...Object.values(HANDLERS).map((entry) => entry.gate),
      ...Object.values(WORKER_ADMIN_ROUTES).map((entry) => entry.gate),
      ...Object.values(SERVER_ACTIONS).flatMap((exports) =>
        Object.values(exports).flatMap((entry) => entry.gates),
      ),
      ...API_OPERATIONS.map((operation) => operation.action),
      ...FHIR_INTERACTIONS.map((interaction) => interaction.action),
    ]);
    const unserved = ACTIONS.filter((action) => !served.has(action));
    expect(unserved.sort()).toEqual(Object.keys(NOT_SERVED_HERE).sort());
  });

  it('finds the gates in source as the checks above rely on', () => {
    expect([...gatesIn("await requirePermission('patient.view');")]).toEqual(['patient.view']);
    expect([
      ...gatesIn(
        "await requirePermission(\n text(form, 'active') === 'false' ? 'user.deactivate' : 'user.reactivate',\n);",
      ),
    ]).toEqual(['user.deactivate', 'user.reactivate']);
    expect([...gatesIn('const user = await requireSignedIn();')]).toEqual(['signed-in']);
    expect([...gatesIn('const user = await currentUser();')]).toEqual(['public']);
  });
});

/** A decision by role: a role compared with a role's name or another's role, or a role list. */
const ROLE_DECISION =
  /\brole\s*[!=]==\s*'(nurse|scheduler|admin)'|'(nurse|scheduler|admin)'\s*[!=]==\s*[\w.]*role\b|roles\.includes\(|\.role\s*[!=]==\s*[\w.]+\.role\b/;

describe('no app code decides by role', () => {
  it('recognises a decision by role', () => {
    for (const line of [
      "if (user.role === 'admin') return;",
      "const nurse = 'nurse' === member.role;",
      'if (!operation.roles.includes(role)) throw error;',
      'if (me.role !== other.role) refuse();',
    ]) {
      expect(ROLE_DECISION.test(line), line).toBe(true);
    }
    expect(ROLE_DECISION.test('defaultChecked={state.values.role === role.value}')).toBe(false);
    expect(ROLE_DECISION.test('{ROLE_NAMES[member.role]}')).toBe(false);
  });

  it('compares no role outside the permission table (a role may only be shown by name)', async () => {
    const SRC = fileURLToPath(new URL('..', import.meta.url));
    const offenders: string[] = [];
    for (const file of await filesUnder(SRC)) {
      if (!/\.tsx?$/.test(file) || /\.test\.ts$/.test(file)) continue;
      const source = await readFile(file, 'utf8');
      for (const [index, line] of source.split('\n').entries()) {
        if (ROLE_DECISION.test(line)) {
          offenders.push(`${path.relative(SRC, file)}:${index + 1}: ${line.trim()}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
