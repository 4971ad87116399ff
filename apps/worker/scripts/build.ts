// The worker's production build: one ESM bundle per entry point in dist/, runnable with plain
// `node` (Node 20 cannot run the TypeScript that the workspace packages export).
//
// - The workspace packages (@vfx/database with its generated Prisma client, @vfx/domain) are
//   inlined, since they ship TypeScript source.
// - Everything from node_modules stays external and is loaded at run time, as under tsx: Nest
//   and BullMQ load optional modules lazily and Prisma and the schema engine read their .wasm
//   files from their own packages, so bundling them would break them.
// - Decorators compile as tsx compiles them (apps/worker/tsconfig.json: experimentalDecorators,
//   no decorator metadata); every constructor parameter names its token with @Inject.
// - So the bundle's imports are the worker's own: the build fails when it imports a package that
//   apps/worker/package.json does not list in "dependencies" (a production install has only
//   those), e.g. after a workspace package starts using a new library.
// - The migrations are copied beside the bundle (dist/migrations), so the image needs dist/ and
//   node_modules only; src/migrate.ts looks there first.
import { readFileSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const workerDir = fileURLToPath(new URL('../', import.meta.url));
const outdir = fileURLToPath(new URL('../dist/', import.meta.url));
const migrations = fileURLToPath(new URL('../../../prisma/migrations/', import.meta.url));

/** Bare imports stay external, except the workspace's own packages. */
const externalNodeModules: Plugin = {
  name: 'external-node-modules',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@vfx/') ? undefined : { path: args.path, external: true },
    );
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: workerDir,
  entryPoints: {
    main: 'src/main.ts',
    migrate: 'src/migrate.ts',
    // Adds a staff account (the first administrator of a new deployment), from the image.
    'create-user': '../../packages/database/scripts/create-user.ts',
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Stack traces name the source files (run with --enable-source-maps).
  sourcesContent: false,
  logLevel: 'warning',
  metafile: true,
  plugins: [externalNodeModules],
});
const { dependencies } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { dependencies: Record<string, string> };
const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const undeclared = new Map<string, string>();
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  for (const { path: specifier, external } of output.imports) {
    if (!external || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
    const name = packageName(specifier);
    if (!(name in dependencies)) undeclared.set(name, file);
  }
}
if (undeclared.size > 0) {
  const list = [...undeclared].map(([name, file]) => `  ${name} (imported by ${file})`);
  console.error(
    `The bundle imports packages that apps/worker/package.json does not list in "dependencies",\n` +
      `so a production install would not have them. Add them (same version as the workspace\n` +
      `package that uses them):\n${list.join('\n')}`,
  );
  process.exit(1);
}

await cp(migrations, `${outdir}migrations`, { recursive: true });

const bytes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.js'))
  .map(([file, output]) => `${file} ${(output.bytes / 1024).toFixed(0)} KiB`);
console.log(`Built ${bytes.join(', ')}; migrations copied to dist/migrations.`);
