// The database package is the only code that touches tables: apps read through its views and
// write through its commands. This test reads the apps' source and fails when one imports the
// Prisma client, calls a model delegate (db.patient.findMany), runs raw SQL, or names a table.
// Tests and the apps' test harnesses (folders named testing/, *.test.ts, *.e2e.ts) and the
// benchmark scripts (outside src/) may set up and inspect data directly, and are not scanned.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const APPS = join(ROOT, 'apps');
const SCHEMA = readFileSync(join(ROOT, 'prisma/schema.prisma'), 'utf8');

const MODELS = [...SCHEMA.matchAll(/^model (\w+) \{/gm)].map((match) => match[1] as string);
const TABLES = [...SCHEMA.matchAll(/@@map\("(\w+)"\)/g)].map((match) => match[1] as string);
const DELEGATES = MODELS.map((model) => model[0]?.toLowerCase() + model.slice(1));

const OPERATIONS =
  'findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findMany|create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy';

/** Each rule: what it finds, and what to do instead. */
const BOUNDARY_RULES: readonly { readonly pattern: RegExp; readonly instead: string }[] = [
  {
    pattern: /from ['"](@prisma\/client|@prisma\/adapter-pg|[^'"]*generated\/prisma[^'"]*)['"]/,
    instead: 'import types and functions from @vfx/database/{views,commands,jobs,auth}',
  },
  {
    pattern: new RegExp(`\\.(${DELEGATES.join('|')})\\s*\\.\\s*(${OPERATIONS})\\s*\\(`),
    instead: 'read through a view function (@vfx/database/views) or a command',
  },
  {
    pattern: /\.\$(queryRaw|queryRawUnsafe|executeRaw|executeRawUnsafe|transaction)\b/,
    instead: 'put the query in the database package and call it',
  },
  {
    pattern: new RegExp(`\\b(FROM|JOIN|INTO|UPDATE|TABLE)\\s+"?(${TABLES.join('|')})\\b`, 'i'),
    instead: 'put the SQL in the database package',
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['node_modules', '.next', 'testing', 'coverage'].includes(entry.name)
        ? []
        : sourceFiles(path);
    }
    return /\.(ts|tsx)$/.test(entry.name) && !/\.(test|e2e)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function boundaryViolations(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) =>
        BOUNDARY_RULES.filter((rule) => rule.pattern.test(line)).map(
          (rule) => `${relative(ROOT, file)}:${index + 1}: ${line.trim()} (${rule.instead})`,
        ),
      ),
  );
}

describe("the database package's boundary", () => {
  const appSources = readdirSync(APPS).flatMap((app) => sourceFiles(join(APPS, app, 'src')));

  it('knows the tables it guards', () => {
    expect(MODELS).toContain('Patient');
    expect(TABLES).toContain('audit_log');
    expect(appSources.length).toBeGreaterThan(50);
  });

  it('finds no app that imports the Prisma client, calls a model, runs SQL or names a table', () => {
    expect(boundaryViolations(appSources)).toEqual([]);
  });

  it('would find each kind of violation', () => {
    const probes = [
      "import { PrismaClient } from '@prisma/client';",
      'const n = await db().patient.count({ where: {} });',
      'await db.$queryRaw`SELECT 1`;',
      "const sql = 'SELECT id FROM reminder_deliveries';",
    ];
    expect(probes.map((line, n) => BOUNDARY_RULES[n]?.pattern.test(line))).toEqual(
      probes.map(() => true),
    );
    expect(
      BOUNDARY_RULES.some((rule) =>
        rule.pattern.test('const caseload = await caseload(db(), query);'),
      ),
    ).toBe(false);
  });
});
