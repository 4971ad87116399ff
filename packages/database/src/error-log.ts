// What may be logged about an error. A database error's message quotes what it failed on: the
// value that broke a unique key ("Key (email)=(jane@…) already exists"), the text that was not a
// number, and Prisma's multi-line messages reprint the call with its arguments. So logs get the
// error's class, its codes and a short description chosen here from those codes, never the
// message itself, and stack frames without the message lines that head a stack.
import { sqlState } from './errors.js';

export interface LoggableError {
  /** The error's class, e.g. PrismaClientKnownRequestError, DriverAdapterError, TypeError. */
  readonly errorClass: string;
  /** Prisma's code (P2002), Node's (ECONNREFUSED) or the library's own, when it has one. */
  readonly code?: string;
  /** PostgreSQL's SQLSTATE, e.g. 23505. */
  readonly sqlState?: string;
  /** The driver adapter's kind of failure, e.g. UniqueConstraintViolation. */
  readonly kind?: string;
  /** A short description made from the codes; it cannot carry patient data. */
  readonly message: string;
  /** Where it was thrown: the stack's "at …" frames only. */
  readonly frames: readonly string[];
  /** The error it wraps, described the same way. */
  readonly cause?: LoggableError;
}

/** SQLSTATEs worth naming (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const SQLSTATES: Record<string, string> = {
  '22001': 'value too long for its column',
  '22003': 'number out of range',
  '22007': 'invalid date or time format',
  '22008': 'date or time out of range',
  '22021': 'character not in the database encoding',
  '22P02': 'invalid text representation',
  '22P05': 'character that cannot be converted (such as NUL)',
  '23502': 'not-null constraint violated',
  '23503': 'foreign key constraint violated',
  '23505': 'unique constraint violated',
  '23514': 'check constraint violated',
  '23P01': 'exclusion constraint violated',
  '25P02': 'statement in a transaction that has already failed',
  '40001': 'serialization failure',
  '40P01': 'deadlock detected',
  '42501': 'insufficient privilege',
  '42703': 'undefined column',
  '42P01': 'undefined table',
  '53300': 'too many connections',
  '55P03': 'lock not available',
  '57014': 'statement cancelled (timeout)',
  '57P01': 'database server shutting down',
  P0001: 'raised by a trigger or function',
};

const SQLSTATE_CLASSES: Record<string, string> = {
  '08': 'connection failure',
  '22': 'invalid data',
  '23': 'integrity constraint violated',
  '25': 'invalid transaction state',
  '40': 'transaction rolled back',
  '42': 'SQL syntax or access rule violated',
  '53': 'database out of resources',
  '54': 'program limit exceeded',
  '55': 'object not in prerequisite state',
  '57': 'operator intervention',
  '58': 'system error in the database server',
  XX: 'internal error in the database server',
};

/** Prisma's codes (https://www.prisma.io/docs/orm/reference/error-reference). */
const PRISMA_CODES: Record<string, string> = {
  P1001: 'cannot reach the database server',
  P1002: 'database server timed out',
  P1008: 'operation timed out',
  P1017: 'database server closed the connection',
  P2000: 'value too long for its column',
  P2002: 'unique constraint violated',
  P2003: 'foreign key constraint violated',
  P2010: 'raw query failed',
  P2011: 'null constraint violated',
  P2024: 'timed out waiting for a database connection',
  P2025: 'record not found',
  P2028: 'transaction failed (closed or timed out)',
  P2034: 'transaction write conflict or deadlock',
};

/** Node's system error codes worth naming. */
const SYSTEM_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EPIPE: 'broken pipe',
  EADDRINUSE: 'address already in use',
};

const CODE_SHAPE = /^[A-Za-z0-9_.-]{1,40}$/;
/** A stack frame as V8 writes it: "at fn (file:line:col)" or "at file:line:col". */
const FRAME =
  /^\s+at (?:async )?(?:\S+ \[as \S+\] |\S+ )?\(?\S+:\d+:\d+\)?$|^\s+at .+ \(<anonymous>\)$/;
const MAX_FRAMES = 12;
const MAX_CAUSES = 3;

function field(error: object, name: string): string | undefined {
  const value = (error as Record<string, unknown>)[name];
  return typeof value === 'string' && CODE_SHAPE.test(value) ? value : undefined;
}

function adapterKind(error: object): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } }).meta;
  const kind =
    meta?.driverAdapterError?.cause?.kind ??
    ((error as Error).name === 'DriverAdapterError'
      ? (error as { cause?: { kind?: unknown } }).cause?.kind
      : undefined);
  return typeof kind === 'string' && CODE_SHAPE.test(kind) ? kind : undefined;
}

function describe(
  errorClass: string,
  code: string | undefined,
  state: string | undefined,
  kind: string | undefined,
) {
  const parts: string[] = [];
  if (state) {
    const words = SQLSTATES[state] ?? SQLSTATE_CLASSES[state.slice(0, 2)];
    parts.push(words ? `${words} (SQLSTATE ${state})` : `database error (SQLSTATE ${state})`);
  } else if (code && PRISMA_CODES[code]) {
    parts.push(`${PRISMA_CODES[code]} (${code})`);
  } else if (code && SYSTEM_CODES[code]) {
    parts.push(`${SYSTEM_CODES[code]} (${code})`);
  } else if (kind) {
    parts.push(`database adapter failure (${kind})`);
  }
  if (parts.length === 0) {
    parts.push(`${errorClass}${code ? ` (${code})` : ''}; its message is not logged`);
  }
  return parts.join('; ');
}

/**
 * An error as logs may show it: class, codes, a description made from the codes, and stack
 * frames. Never the error's own message, which for a database error can quote patient data.
 */
export function loggableError(error: unknown, depth = 0): LoggableError {
  if (typeof error !== 'object' || error === null) {
    return { errorClass: typeof error, message: `a thrown ${typeof error}`, frames: [] };
  }
  const errorClass =
    (error as Error).constructor?.name && (error as Error).constructor.name !== 'Object'
      ? (error as Error).constructor.name
      : typeof (error as Error).name === 'string'
        ? (error as Error).name
        : 'Object';
  const rawState = sqlState(error);
  const isPrisma = errorClass.startsWith('PrismaClient');
  const code = field(error, 'code');
  // pg's DatabaseError carries the SQLSTATE as `code`; Prisma's `code` is its own (P2002).
  const state =
    rawState && /^[0-9A-Z]{5}$/.test(rawState) && !(isPrisma && rawState === code)
      ? rawState
      : undefined;
  const kind = adapterKind(error);
  const stack = typeof (error as Error).stack === 'string' ? (error as Error).stack : '';
  const frames = (stack ?? '')
    .split('\n')
    .filter((line) => FRAME.test(line))
    .slice(0, MAX_FRAMES)
    .map((line) => line.trim());
  const cause = (error as { cause?: unknown }).cause;
  return {
    errorClass,
    ...(code && code !== state ? { code } : {}),
    ...(state ? { sqlState: state } : {}),
    ...(kind ? { kind } : {}),
    message: describe(errorClass, code, state, kind),
    frames,
    ...(cause !== undefined && depth < MAX_CAUSES && typeof cause === 'object' && cause !== null
      ? { cause: loggableError(cause, depth + 1) }
      : {}),
  };
}

/** The same, as one line of text for a plain console log. */
export function loggableErrorLine(error: unknown): string {
  const described = loggableError(error);
  const codes = [
    described.code,
    described.sqlState && `SQLSTATE ${described.sqlState}`,
    described.kind,
  ].filter(Boolean);
  return `${described.errorClass}${codes.length ? ` [${codes.join(', ')}]` : ''}: ${described.message}${
    described.frames.length ? `\n    ${described.frames.join('\n    ')}` : ''
  }`;
}
