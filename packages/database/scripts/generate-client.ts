// Generates the Prisma client offline. The Prisma CLI looks for a native schema engine at start-up
// and downloads one when it is missing (which fails without internet), yet `generate` never runs
// it: any existing executable satisfies the check.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const schema = fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url));

const result = spawnSync(process.execPath, [cli, 'generate', '--schema', schema], {
  stdio: process.env.CI || process.argv.includes('--verbose') ? 'inherit' : 'pipe',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY:
      process.env.PRISMA_SCHEMA_ENGINE_BINARY ??
      (existsSync('/bin/true') ? '/bin/true' : process.execPath),
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.status !== 0) {
  process.stderr.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  process.stderr.write('prisma generate failed (see above)\n');
  process.exit(result.status ?? 1);
}
