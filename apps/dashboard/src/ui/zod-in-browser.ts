import { z } from 'zod';

// Zod compiles object parsers with `new Function` unless told not to, and first probes whether
// it may. The pages' Content-Security-Policy forbids eval, and the probe alone is reported as a
// violation, so in the browser Zod parses without compiling. The server keeps the faster path.
if (typeof window !== 'undefined') z.config({ jitless: true });
