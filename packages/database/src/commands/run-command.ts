// The one way a change is made: one transaction, the actor loaded and checked (active, and who
// they are), the domain's permission table asked, the work done, and its audit entries written
// in the same transaction. A refusal is audited too, outside the transaction it rolled back.
import {
  type Action,
  type Actor,
  type PermissionContext,
  permission,
  type Role,
} from '@vfx/domain';
import type { Queryable, Transaction } from '../client.js';
import { type AuditInput, audit } from '../records/audit.js';
import { RecordError } from '../records/errors.js';
import { runWrite } from '../records/write-path.js';

/** A user id, or "system:<component>" for the server's own tools (the worker, the CLI, the seed). */
export type ActorId = string;

export const SYSTEM_ACTOR_PREFIX = 'system:';

/** What a command's work is handed: its transaction, who is acting, and its audit log. */
export interface CommandScope {
  readonly tx: Transaction;
  readonly actor: Actor;
  /** Appends audit entries under the actor's id, in the command's transaction. */
  audit(entries: Omit<AuditInput, 'actor'> | readonly Omit<AuditInput, 'actor'>[]): Promise<void>;
}

export interface CommandOptions {
  /**
   * What the permission depends on beyond the action (the entry's type, the target user),
   * read in the command's transaction before the check.
   */
  readonly context?: (
    tx: Transaction,
    actor: Actor,
  ) => Promise<PermissionContext> | PermissionContext;
}

/**
 * Loads who is acting. An inactive or unknown user is refused whatever the action: a
 * deactivated account's session or key must not keep working until it expires.
 */
export async function loadActor(tx: Queryable, actorId: ActorId): Promise<Actor> {
  if (actorId.startsWith(SYSTEM_ACTOR_PREFIX))
    return { id: actorId, role: 'admin', kind: 'system' };
  const user = await tx.user.findUnique({
    where: { id: actorId },
    select: { id: true, role: true, active: true, apiKey: { select: { id: true } } },
  });
  if (!user?.active) {
    throw new RecordError('forbidden', `User "${actorId}" does not exist or is not active`);
  }
  return { id: user.id, role: user.role as Role, kind: user.apiKey ? 'integration' : 'person' };
}

/**
 * Runs `work` as `actorId` doing `action`, or refuses with the permission table's reason
 * (RecordError 'forbidden'). Every command writes at least one audit entry: one that writes
 * none is a programming error, found by its first test rather than by an auditor.
 */
export async function runCommand<T>(
  db: Queryable,
  actorId: ActorId,
  action: Action,
  work: (scope: CommandScope) => Promise<T>,
  options: CommandOptions = {},
): Promise<T> {
  try {
    return await runWrite(db, async (tx) => {
      const actor = await loadActor(tx, actorId);
      const context = (await options.context?.(tx, actor)) ?? {};
      const decision = permission(actor, action, context);
      if (!decision.allowed) throw new RecordError('forbidden', decision.reason);
      let audited = 0;
      const scope: CommandScope = {
        tx,
        actor,
        audit: async (entries) => {
          const list = (Array.isArray(entries) ? entries : [entries]) as Omit<
            AuditInput,
            'actor'
          >[];
          audited += list.length;
          await audit(
            tx,
            list.map((entry) => ({ ...entry, actor: actor.id })),
          );
        },
      };
      const result = await work(scope);
      if (audited === 0) {
        throw new Error(`The command "${action}" wrote no audit entry: every command must`);
      }
      return result;
    });
  } catch (error) {
    if (error instanceof RecordError && error.code === 'forbidden') {
      await auditRefusal(db, actorId, action, error.message);
    }
    throw error;
  }
}

/**
 * The audit entry of a command that found nothing to change (a role already given, a key already
 * revoked): the attempt is on record, under one action name for every command, and the entity's
 * own history keeps only real changes.
 */
export function auditUnchanged(
  { audit }: Pick<CommandScope, 'audit'>,
  entry: { readonly entityType: string; readonly entityId: string; readonly why: string },
  action: Action,
): Promise<void> {
  return audit({
    action: 'command.unchanged',
    entityType: entry.entityType,
    entityId: entry.entityId,
    after: { command: action, why: entry.why },
  });
}

/**
 * The same check for a read that belongs to a command (its preview, which shows what the command
 * would do): the actor loaded and checked, the permission table asked with `context`, and a
 * refusal audited as 'access.refused' and thrown as RecordError 'forbidden'. Returns the actor.
 */
export async function requirePermission(
  db: Queryable,
  actorId: ActorId,
  action: Action,
  context?: (q: Queryable, actor: Actor) => Promise<PermissionContext> | PermissionContext,
): Promise<Actor> {
  try {
    const actor = await loadActor(db, actorId);
    const decision = permission(actor, action, (await context?.(db, actor)) ?? {});
    if (!decision.allowed) throw new RecordError('forbidden', decision.reason);
    return actor;
  } catch (error) {
    if (error instanceof RecordError && error.code === 'forbidden') {
      await auditRefusal(db, actorId, action, error.message);
    }
    throw error;
  }
}

/** A refused command, kept after its transaction rolled back: who tried what, and why not. */
async function auditRefusal(db: Queryable, actorId: ActorId, action: Action, reason: string) {
  await runWrite(db, (tx) =>
    audit(tx, {
      actor: actorId,
      action: 'access.refused',
      entityType: 'action',
      entityId: action,
      after: { reason },
    }),
  );
}
