// Checks docker-compose.yml, the Dockerfiles it builds and .env.example against the code, since
// nothing here can run Docker: every problem found is returned as one readable line, so a test
// can show them all at once and a deliberately broken input can be shown to fail.
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/** Read access to the repository, so tests can swap one file for a broken copy. */
export interface Repository {
  /** The file's text, or undefined when it does not exist. Paths are relative to the root. */
  read(path: string): string | undefined;
  exists(path: string): boolean;
}

/** An app's environment schema, as its own config module declares it. */
export interface AppEnvironment {
  readonly schema: z.ZodObject;
  /** The app's own loader: throws when the environment would not start the app. */
  readonly load: (env: Record<string, string | undefined>) => unknown;
}

export interface Apps {
  readonly worker: AppEnvironment;
  readonly dashboard: AppEnvironment;
}

interface ComposeService {
  build?: { context?: string; dockerfile?: string };
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string };
  deploy?: { replicas?: number };
  volumes?: string[];
}

interface Compose {
  services?: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

interface PackageJson {
  name: string;
  scripts?: Record<string, string>;
  packageManager?: string;
  engines?: { node?: string };
}

/** A Dockerfile instruction, continuation lines joined. */
interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** The services whose images this repository builds, and the app each one runs. */
const BUILT_FROM = {
  'apps/worker/Dockerfile': { app: 'worker', packageDir: 'apps/worker' },
  'apps/dashboard/Dockerfile': { app: 'dashboard', packageDir: 'apps/dashboard' },
} as const;
type Dockerfile = keyof typeof BUILT_FROM;

const SECRET_VARIABLES = ['POSTGRES_PASSWORD', 'REDIS_PASSWORD'];
/** Stands in for the secrets .env.example leaves empty, when the environment is evaluated. */
const SAMPLE_SECRET = 'sample0secret0for0checks';

// ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}; `$$` escapes a `$`.
const INTERPOLATION = /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/** Variables of the form KEY=value; quotes removed, comments and blank lines skipped. */
export function parseEnvFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match?.[1]) continue;
    const raw = (match[2] ?? '').trim();
    const quoted = /^"(.*)"$/.exec(raw) ?? /^'(.*)'$/.exec(raw);
    values.set(match[1], quoted ? (quoted[1] ?? '') : raw);
  }
  return values;
}

/** Compose's interpolation of one value with the variables of the env file. */
export function interpolate(value: string, env: ReadonlyMap<string, string>): string {
  return value
    .replace(INTERPOLATION, (_, name: string, operator?: string, operand?: string) => {
      const set = env.get(name);
      const missing = operator?.startsWith(':') ? !set : set === undefined;
      if (!missing) return set ?? '';
      if (operator?.endsWith('-')) return operand ?? '';
      return '';
    })
    .replaceAll('$$', '$');
}

function parseDockerfile(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** An exec-form (JSON array) argument list, or the shell form split on spaces. */
function execForm(args: string): string[] {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as string[];
  return trimmed.split(/\s+/);
}

function stageOf(instructions: Instruction[], index: number): string {
  for (let i = index; i >= 0; i--) {
    const instruction = instructions[i];
    if (instruction?.keyword === 'FROM') return / AS (\S+)$/i.exec(instruction.args)?.[1] ?? '';
  }
  return '';
}

/** The port in a URL, or the scheme's default. */
function portOf(url: string): number {
  const parsed = new URL(url);
  return Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
}

/** Container ports of a service's `ports` entries ("host:container", "ip:hosts:container"). */
function containerPorts(service: ComposeService, env: ReadonlyMap<string, string>): number[] {
  return (service.ports ?? []).map((entry) => {
    const parts = interpolate(entry, env).split(':');
    return Number(parts.at(-1)?.split('/')[0]);
  });
}

function packageJson(repo: Repository, dir: string): PackageJson | undefined {
  const text = repo.read(`${dir}/package.json`);
  return text === undefined ? undefined : (JSON.parse(text) as PackageJson);
}

/** Tokens of an npm script, or of a command line. */
const words = (command: string) => command.trim().split(/\s+/);

export function checkDeployment(repo: Repository, apps: Apps): string[] {
  const problems: string[] = [];
  const problem = (where: string, message: string) => problems.push(`${where}: ${message}`);

  const composeText = repo.read('docker-compose.yml');
  const envText = repo.read('.env.example');
  if (composeText === undefined) return ['docker-compose.yml: missing'];
  if (envText === undefined) return ['.env.example: missing'];
  const compose = parseYaml(composeText) as Compose;
  const envExample = parseEnvFile(envText);
  const services = compose.services ?? {};

  // --- The env file: every interpolated variable documented, nothing stale, no real secrets.
  const interpolated = new Map<string, { required: boolean; fallback?: string }>();
  for (const match of composeText.matchAll(INTERPOLATION)) {
    const [, name = '', operator, operand] = match;
    const seen = interpolated.get(name);
    interpolated.set(name, {
      required: (seen?.required ?? false) || (operator?.endsWith('?') ?? false),
      ...(operator?.endsWith('-') ? { fallback: operand ?? '' } : {}),
    });
  }
  for (const [name, { required, fallback }] of interpolated) {
    if (!envExample.has(name)) {
      problem('.env.example', `${name} is used by docker-compose.yml but not listed`);
      continue;
    }
    const example = envExample.get(name) ?? '';
    if (fallback !== undefined && fallback !== example) {
      problem(
        '.env.example',
        `${name}=${example}, but docker-compose.yml falls back to "${fallback}" when unset`,
      );
    }
    if (!required && fallback === undefined) {
      problem(
        'docker-compose.yml',
        `\${${name}} has neither a default (:-) nor a required marker (:?)`,
      );
    }
  }
  for (const name of envExample.keys()) {
    if (!interpolated.has(name)) {
      problem('.env.example', `${name} is listed but docker-compose.yml never uses it`);
    }
  }
  for (const name of SECRET_VARIABLES) {
    if (!interpolated.get(name)?.required) {
      problem('docker-compose.yml', `${name} must be required from .env (\${${name}:?...})`);
    }
    if (envExample.get(name)) {
      problem('.env.example', `${name} must be left empty: the example holds no real secret`);
    }
  }
  const evaluated = new Map(envExample);
  for (const [name, value] of evaluated) {
    if (value === '' && interpolated.get(name)?.required) evaluated.set(name, SAMPLE_SECRET);
  }

  // --- Compose: services, start order and the production settings the issue asks for.
  const environmentOf = (name: string) =>
    Object.fromEntries(
      Object.entries(services[name]?.environment ?? {}).map(([key, value]) => [
        key,
        value === null ? undefined : interpolate(String(value), evaluated),
      ]),
    ) as Record<string, string | undefined>;
  for (const required of ['postgres', 'redis', 'migrate', 'worker', 'dashboard', 'mailpit']) {
    if (!services[required]) problem('docker-compose.yml', `service "${required}" is missing`);
  }
  const hasHealthcheck = (name: string): boolean => {
    const service = services[name];
    if (service?.healthcheck?.test) return true;
    const dockerfile = service?.build?.dockerfile;
    const text = dockerfile ? repo.read(dockerfile) : undefined;
    return text !== undefined && parseDockerfile(text).some((i) => i.keyword === 'HEALTHCHECK');
  };
  for (const [name, service] of Object.entries(services)) {
    // The long form only: the short list form cannot wait for health or completion.
    if (Array.isArray(service.depends_on)) {
      problem('docker-compose.yml', `${name}: depends_on must give each dependency a condition`);
    }
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      if (!services[dependency]) {
        problem('docker-compose.yml', `${name} depends on "${dependency}", which is no service`);
      } else if (condition === 'service_healthy' && !hasHealthcheck(dependency)) {
        problem(
          'docker-compose.yml',
          `${name} waits for ${dependency} to be healthy, which has no healthcheck`,
        );
      } else if (
        condition === 'service_completed_successfully' &&
        services[dependency]?.deploy?.replicas !== undefined
      ) {
        problem(
          'docker-compose.yml',
          `${name} waits for ${dependency} to complete, which has replicas`,
        );
      }
    }
    for (const volume of service.volumes ?? []) {
      const source = volume.split(':')[0] ?? '';
      if (
        !source.startsWith('.') &&
        !source.startsWith('/') &&
        !(source in (compose.volumes ?? {}))
      ) {
        problem('docker-compose.yml', `${name} mounts volume "${source}", which is not declared`);
      }
    }
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      if (/PASSWORD|SECRET/.test(key) && typeof value === 'string' && !value.includes('${')) {
        problem('docker-compose.yml', `${name}.${key} is written in the file: take it from .env`);
      }
    }
  }
  for (const name of ['worker', 'dashboard']) {
    const dependsOn = services[name]?.depends_on ?? {};
    if (dependsOn.migrate?.condition !== 'service_completed_successfully') {
      problem('docker-compose.yml', `${name} must start after migrate completed successfully`);
    }
    if (dependsOn.postgres?.condition !== 'service_healthy') {
      problem('docker-compose.yml', `${name} must start after postgres is healthy`);
    }
  }
  if (services.worker?.deploy?.replicas !== 2) {
    problem('docker-compose.yml', 'worker must run two replicas (deploy.replicas: 2)');
  }
  const redisCommand = [services.redis?.command ?? []].flat().join(' ');
  for (const setting of ['--appendonly yes', '--maxmemory-policy noeviction']) {
    if (!redisCommand.includes(setting)) problem('docker-compose.yml', `redis lacks ${setting}`);
  }

  // --- Each app's environment: names it knows, and values it accepts.
  const checkEnvironment = (service: string, app: keyof Apps) => {
    const env = environmentOf(service);
    const known = Object.keys(apps[app].schema.shape);
    for (const key of Object.keys(env)) {
      if (!known.includes(key)) {
        problem(
          `docker-compose.yml ${service}`,
          `${key} is not a ${app} setting (known: ${known.join(', ')})`,
        );
      }
    }
    try {
      apps[app].load(env);
    } catch (error) {
      problem(
        `docker-compose.yml ${service}`,
        `the ${app} rejects its environment: ${(error as Error).message}`,
      );
    }
    return env;
  };
  const workerEnv = checkEnvironment('worker', 'worker');
  const dashboardEnv = checkEnvironment('dashboard', 'dashboard');
  const migrateEnv = environmentOf('migrate');
  if (!migrateEnv.DATABASE_URL || migrateEnv.DATABASE_URL !== workerEnv.DATABASE_URL) {
    problem('docker-compose.yml migrate', "DATABASE_URL must be the workers' database");
  }
  if (dashboardEnv.DATABASE_URL !== workerEnv.DATABASE_URL) {
    problem('docker-compose.yml dashboard', "DATABASE_URL must be the workers' database");
  }
  const workerPort = Number(workerEnv.PORT ?? apps.worker.schema.shape.PORT?.parse(undefined));
  if (workerEnv.HOST !== '0.0.0.0') {
    problem('docker-compose.yml worker', 'HOST must be 0.0.0.0, or no other container reaches it');
  }
  if (!workerEnv.REDIS_URL?.includes('@redis:')) {
    problem('docker-compose.yml worker', 'REDIS_URL must point at the redis service');
  }
  if (!workerEnv.SMTP_URL?.includes('mailpit:')) {
    problem('docker-compose.yml worker', 'SMTP_URL must default to the mailpit service');
  }
  for (const port of containerPorts(services.worker ?? {}, evaluated)) {
    if (port !== workerPort)
      problem(
        'docker-compose.yml worker',
        `publishes container port ${port}, but the worker listens on ${workerPort}`,
      );
  }
  if (dashboardEnv.WORKER_URL) {
    const url = new URL(dashboardEnv.WORKER_URL);
    if (!services[url.hostname]) {
      problem(
        'docker-compose.yml dashboard',
        `WORKER_URL names host "${url.hostname}", which is no service`,
      );
    }
    if (portOf(dashboardEnv.WORKER_URL) !== workerPort) {
      problem(
        'docker-compose.yml dashboard',
        `WORKER_URL uses port ${portOf(dashboardEnv.WORKER_URL)}, but the worker listens on ${workerPort}`,
      );
    }
  }

  // --- Dockerfiles: what they copy, run and check exists, and agrees with the compose file.
  const root = packageJson(repo, '.');
  for (const [name, service] of Object.entries(services)) {
    if (!service.build) continue;
    const dockerfile = service.build.dockerfile ?? 'Dockerfile';
    if (service.build.context !== '.') {
      problem(`docker-compose.yml ${name}`, 'build from the repository root (context: .)');
    }
    if (!(dockerfile in BUILT_FROM)) {
      problem(`docker-compose.yml ${name}`, `builds ${dockerfile}, which this check does not know`);
    }
  }
  const appPorts: Record<string, number> = { worker: workerPort };
  const dashboardStart = packageJson(repo, 'apps/dashboard')?.scripts?.start ?? '';
  appPorts.dashboard = Number(/--port\s+(\d+)/.exec(dashboardStart)?.[1] ?? 3000);
  for (const [dockerfile, { app, packageDir }] of Object.entries(BUILT_FROM) as [
    Dockerfile,
    (typeof BUILT_FROM)[Dockerfile],
  ][]) {
    const text = repo.read(dockerfile);
    if (text === undefined) {
      problem(dockerfile, 'missing');
      continue;
    }
    const at = (message: string) => problem(dockerfile, message);
    const instructions = parseDockerfile(text);
    const pkg = packageJson(repo, packageDir);
    const scripts = pkg?.scripts ?? {};
    const args = (keyword: string) =>
      instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
    const stages = args('FROM');
    if (stages.length < 2) at('must be multi-stage (a build stage and a runtime stage)');

    const pnpmVersion = root?.packageManager?.replace(/^pnpm@/, '');
    for (const run of args('RUN')) {
      const pnpmInstall = /npm install --global pnpm@(\S+)/.exec(run);
      if (pnpmInstall && pnpmInstall[1] !== pnpmVersion) {
        at(`installs pnpm ${pnpmInstall[1]}, but package.json pins ${pnpmVersion}`);
      }
      for (const [, filter, rest] of run.matchAll(/pnpm --filter "?([^"\s]+)"? (?:run )?(\S+)/g)) {
        const packageName = filter?.replace(/\.\.\.$/, '');
        if (packageName !== pkg?.name) at(`filters on ${filter}, not ${pkg?.name}`);
        if (rest && rest !== 'deploy' && rest !== 'install' && !scripts[rest]) {
          at(`runs script "${rest}", which ${packageDir}/package.json does not have`);
        }
      }
      if (/pnpm install/.test(run) && !/--frozen-lockfile/.test(run)) {
        at('installs without --frozen-lockfile');
      }
      if (/pnpm install/.test(run) && !run.includes(`--filter "${pkg?.name}..."`)) {
        at(`installs more than ${pkg?.name} and its workspace dependencies`);
      }
      if (/ deploy /.test(run) && !/--prod/.test(run)) at('deploys without --prod');
    }
    instructions.forEach((instruction, index) => {
      if (instruction.keyword !== 'COPY' || /--from=/.test(instruction.args)) return;
      const sources = instruction.args.split(/\s+/).filter((part) => !part.startsWith('--'));
      for (const source of sources.slice(0, -1)) {
        if (source !== '.' && !repo.exists(source)) {
          at(`COPY ${source} (stage ${stageOf(instructions, index)}): no such file`);
        }
      }
    });
    const lastStage = instructions.findLastIndex((i) => i.keyword === 'FROM');
    const runtime = instructions.slice(lastStage);
    const user = runtime.findLast((i) => i.keyword === 'USER')?.args;
    if (!user || user === 'root' || user === '0')
      at('the runtime stage must run as a non-root USER');
    const nodeMajor = /node:(\d+)/.exec(text)?.[1];
    const engines = /(\d+)/.exec(root?.engines?.node ?? '')?.[1];
    if (nodeMajor !== engines)
      at(`uses Node ${nodeMajor}, but package.json engines want ${engines}`);

    const port = appPorts[app];
    const exposed = runtime.filter((i) => i.keyword === 'EXPOSE').map((i) => Number(i.args));
    if (!exposed.includes(port ?? -1))
      at(`EXPOSE ${exposed.join(', ')}, but the ${app} listens on ${port}`);
    const healthcheck = runtime.find((i) => i.keyword === 'HEALTHCHECK');
    if (!healthcheck) at('has no HEALTHCHECK');
    else {
      const command = execForm(healthcheck.args.replace(/^.*?CMD\s+/, '')).join(' ');
      const url = /http:\/\/127\.0\.0\.1:[^/]*?(\/[\w/-]*)/.exec(command);
      const path = url?.[1];
      if (!path) at('HEALTHCHECK requests no http://127.0.0.1 path');
      else if (!routeExists(repo, app, path))
        at(`HEALTHCHECK requests ${path}, which the ${app} does not serve`);
      const healthPort =
        /127\.0\.0\.1:(\d+)/.exec(command)?.[1] ?? /PORT \|\| (\d+)/.exec(command)?.[1];
      if (Number(healthPort) !== port)
        at(`HEALTHCHECK uses port ${healthPort}, but the ${app} listens on ${port}`);
    }

    // The command the image runs is the package's own production script, minus pnpm.
    const cmd = runtime.findLast((i) => i.keyword === 'CMD');
    if (!cmd) at('has no CMD');
    else if (app === 'worker') {
      checkScriptCommand(at, execForm(cmd.args), scripts, 'start:prod');
      const migrate = [services.migrate?.command ?? []].flat();
      if (services.migrate?.build?.dockerfile === dockerfile) {
        checkScriptCommand(
          (message) => problem('docker-compose.yml migrate', message),
          migrate,
          scripts,
          'migrate:prod',
        );
      }
      const outputs = [scripts['start:prod'], scripts['migrate:prod']].map(
        (s) => s && words(s).at(-1),
      );
      for (const output of outputs) {
        if (output && !/^dist\//.test(output))
          at(`${output} is not in dist/, which the image copies`);
      }
      if (
        !scripts.build?.includes('scripts/build.ts') ||
        !repo.exists(`${packageDir}/scripts/build.ts`)
      ) {
        at('apps/worker has no build script producing dist/');
      }
    } else {
      const command = execForm(cmd.args);
      const nextBin = command[1] ?? '';
      const expected = words(scripts.start ?? '');
      if (expected[0] !== 'next')
        at(`the dashboard's start script is not "next start ...": ${scripts.start}`);
      if (command[0] !== 'node' || nextBin !== 'node_modules/next/dist/bin/next') {
        at(
          `CMD must run next's own bin (node node_modules/next/dist/bin/next), not ${command.join(' ')}`,
        );
      }
      const nextPackage = repo.read(`${packageDir}/node_modules/next/package.json`);
      const bin =
        nextPackage && (JSON.parse(nextPackage) as { bin?: Record<string, string> }).bin?.next;
      if (bin && `node_modules/next/${bin.replace(/^\.\//, '')}` !== nextBin) {
        at(`next's bin is ${bin}, not ${nextBin}`);
      }
      if (command.slice(2).join(' ') !== expected.slice(1).join(' ')) {
        at(
          `CMD runs "next ${command.slice(2).join(' ')}", but the start script is "${scripts.start}"`,
        );
      }
      if (!scripts.build?.startsWith('next build')) at('apps/dashboard has no "next build" script');
    }
  }
  for (const [app, port] of Object.entries(appPorts)) {
    for (const published of containerPorts(services[app] ?? {}, evaluated)) {
      if (published !== port)
        problem(
          `docker-compose.yml ${app}`,
          `publishes container port ${published}, but the ${app} listens on ${port}`,
        );
    }
  }

  const dockerignore = repo.read('.dockerignore') ?? '';
  for (const pattern of ['**/node_modules', '.env', '.git']) {
    if (!dockerignore.split('\n').includes(pattern))
      problem('.dockerignore', `must exclude ${pattern}`);
  }
  return problems;
}

function checkScriptCommand(
  at: (message: string) => void,
  command: readonly string[],
  scripts: Record<string, string>,
  scriptName: string,
) {
  const script = scripts[scriptName];
  if (!script) {
    at(`apps/worker/package.json has no "${scriptName}" script`);
  } else if (command.join(' ') !== words(script).join(' ')) {
    at(`runs "${command.join(' ')}", but the "${scriptName}" script is "${script}"`);
  }
}

/** Whether the app serves GET `path`, read from its source (Nest controllers, Next app routes). */
function routeExists(repo: Repository, app: string, path: string): boolean {
  if (app === 'dashboard') {
    const dir = `apps/dashboard/src/app${path === '/' ? '' : path}`;
    return ['page.tsx', 'route.ts'].some((file) => repo.exists(`${dir}/${file}`));
  }
  const [, controller, route] = /^\/([\w-]+)\/?([\w-]*)$/.exec(path) ?? [];
  const source = repo.read(`apps/worker/src/${controller}/${controller}.controller.ts`) ?? '';
  return (
    source.includes(`@Controller('${controller}')`) &&
    source.includes(route ? `@Get('${route}')` : '@Get()')
  );
}
