/**
 * Writes docs/permissions.md from the permission table. `npm run docs:permissions` runs it; a
 * test fails when the committed document differs from what this would write.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderPermissionsDocument } from '../src/access/permissions.js';

const target = fileURLToPath(new URL('../../../docs/permissions.md', import.meta.url));
await writeFile(target, renderPermissionsDocument());
console.log(`Wrote ${target}`);
