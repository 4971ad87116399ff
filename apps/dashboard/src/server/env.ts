import { z } from 'zod';

// The dashboard's configuration, read from the environment once. Every problem is reported
// together, each naming the variable to set.
const DashboardEnvSchema = z.object({
  DATABASE_URL: z
    .string({
      error: 'must be set to the PostgreSQL URL, e.g. postgresql://user@127.0.0.1:5432/fls',
    })
    .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgresql:// connection URL' }),
  /** Behind a reverse proxy that sets X-Forwarded-For, the client address for rate limits. */
  TRUST_PROXY: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /** Secure cookies need HTTPS; off only for plain-HTTP development on localhost. */
  SECURE_COOKIES: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((value) =>
      value === undefined ? process.env.NODE_ENV === 'production' : value === 'true',
    ),
});

export type DashboardConfig = z.output<typeof DashboardEnvSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadDashboardConfig(env: Record<string, string | undefined>): DashboardConfig {
  const parsed = DashboardEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.')} ${issue.message}`,
    );
    throw new ConfigError(`The dashboard's configuration is incomplete:\n${problems.join('\n')}`);
  }
  return parsed.data;
}

let loaded: DashboardConfig | undefined;
export function config(): DashboardConfig {
  loaded ??= loadDashboardConfig(process.env);
  return loaded;
}
