import { z } from 'zod';

// The dashboard's configuration, read from the environment once. Every problem is reported
// together, each naming the variable to set. Exported for deploy/, whose test holds the compose
// file's variables to this list.
export const DashboardEnvSchema = z.object({
  DATABASE_URL: z
    .string({
      error: 'must be set to the PostgreSQL URL, e.g. postgresql://user@127.0.0.1:5432/fls',
    })
    .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgresql:// connection URL' }),
  /**
   * How many reverse proxies in front of the dashboard append to X-Forwarded-For: the client
   * address for per-client sign-in limits is the entry the outermost of them appended (see
   * clientAddress in @vfx/database/auth). 0: no proxy, the address Next.js takes from the socket.
   */
  TRUSTED_PROXY_COUNT: z.coerce
    .number({ error: 'must be a whole number from 0 to 10 (the reverse proxies in front)' })
    .int({ error: 'must be a whole number from 0 to 10 (the reverse proxies in front)' })
    .min(0, { error: 'must be a whole number from 0 to 10 (the reverse proxies in front)' })
    .max(10, { error: 'must be a whole number from 0 to 10 (the reverse proxies in front)' })
    .default(0),
  /** Replaced by TRUSTED_PROXY_COUNT; refused, so an old setting is not silently ignored. */
  TRUST_PROXY: z
    .undefined({
      error:
        'was replaced by TRUSTED_PROXY_COUNT: unset it, and set TRUSTED_PROXY_COUNT to the number of reverse proxies in front of the dashboard (1 for TRUST_PROXY=true)',
    })
    .optional(),
  /** Secure cookies need HTTPS; off only for plain-HTTP development on localhost. */
  SECURE_COOKIES: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((value) =>
      value === undefined ? process.env.NODE_ENV === 'production' : value === 'true',
    ),
  /**
   * The worker's HTTP address as this server reaches it (e.g. http://127.0.0.1:3100), for the
   * queue counts on /admin/queues. Unset: the page shows the database's figures only.
   */
  WORKER_URL: z
    .url({ protocol: /^https?$/, error: 'must be a URL such as http://127.0.0.1:3100' })
    .optional(),
  /**
   * The worker's address as administrators' browsers reach it, for the link to its queue
   * inspection UI, when that differs from WORKER_URL (a reverse proxy). Defaults to WORKER_URL.
   */
  WORKER_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be a URL such as https://fls-worker.example.nhs.uk' })
    .optional(),
  /**
   * The bearer token GOV.UK Notify sends with each delivery receipt (set the same value as the
   * callback's "bearer token" in Notify's API integration settings). Unset: the callback route
   * answers 503 and Notify's receipts are not recorded.
   */
  NOTIFY_CALLBACK_TOKEN: z
    .string()
    .min(32, {
      error:
        'must be at least 32 characters (a random secret, e.g. `openssl rand -hex 32`); Notify sends it as "Authorization: Bearer <token>"',
    })
    .optional(),
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

/**
 * The worker's addresses without a trailing slash: `internal` for this server's requests,
 * `public` for links in pages. Undefined when the worker's address is not configured.
 */
export function workerLinks(
  settings: DashboardConfig,
): { readonly internal: string; readonly public: string } | undefined {
  const internal = settings.WORKER_URL;
  if (!internal) return undefined;
  const trim = (url: string) => url.replace(/\/+$/, '');
  return { internal: trim(internal), public: trim(settings.WORKER_PUBLIC_URL ?? internal) };
}
