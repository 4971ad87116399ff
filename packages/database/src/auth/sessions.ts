// Sign-in and sessions for the dashboard (and anything else a person signs in to). The browser
// holds a random token in an HttpOnly cookie; the database holds only the token's SHA-256, so a
// leaked copy of the sessions table signs nobody in. Every attempt is recorded, and attempts are
// refused for a while after too many failures for one account or from one client address (the
// caller works out the address: see clientAddress in ./client-address.ts).
import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../client.js';
import type { Role } from '../generated/prisma/client.js';
import { audit } from '../records/audit.js';
import { hashPassword, verifyPassword } from './password.js';

export interface SessionPolicy {
  /** A session ends this long after sign-in, however active. */
  readonly absoluteMs: number;
  /** ... or after this long without a request (a shared ward computer left signed in). */
  readonly idleMs: number;
  /** lastSeenAt is written at most this often, so reading a page rarely writes. */
  readonly touchEveryMs: number;
  /** Failed attempts allowed per account, and per client address, within the window. */
  readonly maxFailuresPerAccount: number;
  readonly maxFailuresPerClient: number;
  readonly failureWindowMs: number;
}

const MINUTE = 60_000;

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  absoluteMs: 12 * 60 * MINUTE,
  idleMs: 60 * MINUTE,
  touchEveryMs: MINUTE,
  maxFailuresPerAccount: 5,
  maxFailuresPerClient: 20,
  failureWindowMs: 15 * MINUTE,
};

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  /** After an administrator's reset: nothing but choosing a new password until it is changed. */
  readonly mustChangePassword: boolean;
}

const sessionUser = (user: SessionUser): SessionUser => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  mustChangePassword: user.mustChangePassword,
});

export interface SignInInput {
  readonly email: string;
  readonly password: string;
  /** The client's address, for per-client limiting; null when unknown. */
  readonly clientIp?: string | null;
  readonly userAgent?: string | null;
}

export type SignInResult =
  | {
      readonly ok: true;
      readonly token: string;
      readonly user: SessionUser;
      readonly expiresAt: Date;
    }
  | { readonly ok: false; readonly reason: 'invalid-credentials' }
  | {
      readonly ok: false;
      readonly reason: 'too-many-attempts';
      readonly retryAfterSeconds: number;
    };

interface AuthOptions {
  readonly now?: Date;
  readonly policy?: Partial<SessionPolicy>;
}

const sessionId = (token: string) => createHash('sha256').update(token).digest('hex');
// 320 characters is the longest an e-mail address can be; anything longer is not one.
const normaliseEmail = (email: string) => email.trim().toLowerCase().slice(0, 320);

// Verifying against this when the account does not exist makes an unknown e-mail address take as
// long to refuse as a wrong password, so timing does not reveal who has an account.
let decoy: Promise<string> | undefined;
const decoyHash = () => {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
};

/**
 * When a lock from these failures (oldest first, all within the window) ends: once `max` of them
 * are in the window, until the oldest of the last `max` leaves it. 0 when not locked.
 */
function lockedUntil(failures: readonly { at: Date }[], max: number, windowMs: number): number {
  const oldestCounted = failures[failures.length - max];
  return failures.length >= max && oldestCounted ? oldestCounted.at.getTime() + windowMs : 0;
}

/** Checks the password and, if it is right and the account active, starts a session. */
export async function signIn(
  db: Database,
  input: SignInInput,
  options: AuthOptions = {},
): Promise<SignInResult> {
  const now = options.now ?? new Date();
  const policy = { ...DEFAULT_SESSION_POLICY, ...options.policy };
  const email = normaliseEmail(input.email);
  const clientIp = input.clientIp ?? null;

  // Counting the failures and recording this attempt is one step per account and per client
  // address: a transaction-scoped advisory lock on each (always the account's first, so two
  // attempts cannot wait on each other) makes parallel guesses queue, and the attempt is stored
  // as a failure before its password is checked, so each one counts against the next. Before,
  // the count came before the insert, and 4 parallel guesses after 4 serial ones were all checked.
  const since = new Date(now.getTime() - policy.failureWindowMs);
  const gate = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`sign-in:account:${email}`}, 0))`;
    if (clientIp) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`sign-in:client:${clientIp}`}, 0))`;
    }
    const failures = (where: { email: string } | { clientIp: string }) =>
      tx.signInAttempt.findMany({
        where: { ...where, succeeded: false, at: { gt: since } },
        orderBy: { at: 'asc' },
        select: { at: true },
      });
    const byAccount = await failures({ email });
    const byClient = clientIp ? await failures({ clientIp }) : [];
    const blockedUntil = Math.max(
      lockedUntil(byAccount, policy.maxFailuresPerAccount, policy.failureWindowMs),
      lockedUntil(byClient, policy.maxFailuresPerClient, policy.failureWindowMs),
    );
    // Refused attempts are not counted, so waiting is enough to be let in again.
    if (blockedUntil > now.getTime()) return { blockedUntil };
    const attempt = await tx.signInAttempt.create({
      data: { email, clientIp, succeeded: false, at: now },
      select: { id: true },
    });
    return { attemptId: attempt.id };
  });
  if (gate.blockedUntil !== undefined) {
    return {
      ok: false,
      reason: 'too-many-attempts',
      retryAfterSeconds: Math.ceil((gate.blockedUntil - now.getTime()) / 1000),
    };
  }

  const user = email
    ? await db.user.findFirst({ where: { email: { equals: email, mode: 'insensitive' } } })
    : null;
  const passwordRight = await verifyPassword(
    input.password,
    user?.passwordHash ?? (await decoyHash()),
  );
  const signedIn = user?.active && user.passwordHash && passwordRight ? user : undefined;
  const session = signedIn && {
    token: randomBytes(32).toString('base64url'),
    expiresAt: new Date(now.getTime() + policy.absoluteMs),
  };

  await db.$transaction(async (tx) => {
    if (signedIn && session) {
      await tx.signInAttempt.update({ where: { id: gate.attemptId }, data: { succeeded: true } });
      await tx.session.create({
        data: {
          id: sessionId(session.token),
          userId: signedIn.id,
          createdAt: now,
          lastSeenAt: now,
          expiresAt: session.expiresAt,
          userAgent: input.userAgent?.slice(0, 300) ?? null,
        },
      });
    }
    await audit(tx, {
      actor: signedIn?.id ?? 'anonymous',
      action: signedIn ? 'user.signed-in' : 'user.sign-in-refused',
      entityType: 'user',
      entityId: user?.id ?? email,
      after: { clientIp },
      at: now,
    });
  });
  if (!signedIn || !session) return { ok: false, reason: 'invalid-credentials' };
  return {
    ok: true,
    token: session.token,
    user: sessionUser(signedIn),
    expiresAt: session.expiresAt,
  };
}

/** The signed-in user of a session token, or undefined if it is unknown, ended or revoked. */
export async function authenticate(
  db: Database,
  token: string | undefined,
  options: AuthOptions = {},
): Promise<{ readonly user: SessionUser; readonly expiresAt: Date } | undefined> {
  if (!token) return undefined;
  const now = options.now ?? new Date();
  const policy = { ...DEFAULT_SESSION_POLICY, ...options.policy };
  const session = await db.session.findUnique({
    where: { id: sessionId(token) },
    include: { user: true },
  });
  if (
    !session ||
    session.revokedAt ||
    !session.user.active ||
    session.expiresAt.getTime() <= now.getTime() ||
    now.getTime() - session.lastSeenAt.getTime() >= policy.idleMs
  ) {
    return undefined;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= policy.touchEveryMs) {
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  return { user: sessionUser(session.user), expiresAt: session.expiresAt };
}

/** Ends one session (signing out). Unknown tokens are ignored. */
export async function signOut(db: Database, token: string | undefined, now = new Date()) {
  if (!token) return;
  await db.session.updateMany({
    where: { id: sessionId(token), revokedAt: null },
    data: { revokedAt: now },
  });
}

/**
 * Ends every session of a user (deactivation, a password change, a lost device), except the one
 * whose token is `exceptToken` (the browser that changed its own password stays signed in).
 * Takes a transaction too, so a deactivation and its revocations commit together.
 */
export async function revokeSessionsOf(
  db: Queryable,
  userId: string,
  now = new Date(),
  exceptToken?: string,
) {
  const { count } = await db.session.updateMany({
    where: {
      userId,
      revokedAt: null,
      ...(exceptToken ? { id: { not: sessionId(exceptToken) } } : {}),
    },
    data: { revokedAt: now },
  });
  return count;
}
