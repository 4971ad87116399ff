'use server';

import { RecordError } from '@vfx/database';
import {
  changeUserRole,
  createUser,
  deactivateUser,
  previewCaseloadReassignment,
  reactivateUser,
  reassignCaseload,
  resetUserPassword,
} from '@vfx/database/commands';
import { staffList } from '@vfx/database/views';
import { revalidatePath } from 'next/cache';
import { db } from '@/server/db';
import { ROLE_NAMES } from '@/server/navigation';
import { requirePermission } from '@/server/session';
import { caseloadPhrase, fromNurseIdOf } from './reassign-source';

const PAGE = '/admin/users';
const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A refusal from the database package, in words for the page; anything else is a real fault. */
function refusalMessage(error: unknown): string {
  if (!(error instanceof RecordError)) throw error;
  switch (error.code) {
    case 'invalid-input':
      return error.issues.map((issue) => `${issue.path} ${issue.message}`).join('; ');
    case 'not-found':
    case 'conflict':
    case 'forbidden':
      return error.message;
  }
}

async function nameOf(userId: string): Promise<string> {
  const { staff } = await staffList(db());
  return staff.find((member) => member.id === userId)?.name ?? userId;
}

// ---------------------------------------------------------------------------------------------
// Adding a user

type NewUserField = 'name' | 'email' | 'role' | 'password';

export interface CreateUserState {
  /** What was typed, kept when it is refused (never the password). */
  readonly values: { readonly name: string; readonly email: string; readonly role: string };
  readonly fieldErrors?: Partial<Record<NewUserField, string>>;
  readonly error?: string;
  readonly created?: string;
}

const FIELD_LABELS: Record<NewUserField, string> = {
  name: 'Name',
  email: 'E-mail address',
  role: 'Role',
  password: 'Initial password',
};

export async function createUserAction(
  _previous: CreateUserState,
  form: FormData,
): Promise<CreateUserState> {
  const admin = await requirePermission('user.create');
  const values = { name: text(form, 'name'), email: text(form, 'email'), role: text(form, 'role') };
  const password = String(form.get('password') ?? '');
  try {
    const user = await createUser(db(), { ...values, password }, admin.id);
    revalidatePath(PAGE);
    return {
      values: { name: '', email: '', role: '' },
      created: `${values.name} (${user.email}) was added as ${ROLE_NAMES[user.role].toLowerCase()}. They can sign in with the initial password you chose.`,
    };
  } catch (error) {
    if (error instanceof RecordError && error.code === 'invalid-input') {
      const fieldErrors: Partial<Record<NewUserField, string>> = {};
      for (const issue of error.issues) {
        const field = issue.path as NewUserField;
        if (field in FIELD_LABELS)
          fieldErrors[field] ??= `${FIELD_LABELS[field]} ${issue.message}.`;
      }
      if (!values.role) fieldErrors.role = 'Choose a role.';
      return { values, fieldErrors };
    }
    if (error instanceof RecordError && error.code === 'conflict') {
      return { values, fieldErrors: { email: `${error.message}.` } };
    }
    return { values, error: refusalMessage(error) };
  }
}

// ---------------------------------------------------------------------------------------------
// One user's role and whether the account is active

export interface UserChangeState {
  readonly error?: string;
  readonly done?: string;
}

export async function changeRoleAction(
  _previous: UserChangeState,
  form: FormData,
): Promise<UserChangeState> {
  const admin = await requirePermission('user.changeRole');
  const userId = text(form, 'userId');
  const role = text(form, 'role');
  try {
    const result = await changeUserRole(db(), { userId, role }, admin.id);
    revalidatePath(PAGE);
    const roleName = ROLE_NAMES[role as keyof typeof ROLE_NAMES]?.toLowerCase() ?? role;
    return {
      done: result.changed ? `Now ${roleName}.` : `Already ${roleName}: nothing changed.`,
    };
  } catch (error) {
    return { error: refusalMessage(error) };
  }
}

export async function setActiveAction(
  _previous: UserChangeState,
  form: FormData,
): Promise<UserChangeState> {
  const admin = await requirePermission(
    text(form, 'active') === 'false' ? 'user.deactivate' : 'user.reactivate',
  );
  const userId = text(form, 'userId');
  try {
    if (text(form, 'active') === 'false') {
      const result = await deactivateUser(db(), userId, admin.id);
      revalidatePath(PAGE);
      return {
        done: result.changed
          ? `Deactivated; ${plural(result.sessionsEnded, 'session')} ended.`
          : 'Already deactivated.',
      };
    }
    const result = await reactivateUser(db(), userId, admin.id);
    revalidatePath(PAGE);
    return { done: result.changed ? 'Reactivated: they can sign in again.' : 'Already active.' };
  } catch (error) {
    return { error: refusalMessage(error) };
  }
}

/**
 * An administrator's reset: a temporary password they chose (and give to the user in person or
 * by phone), every session of the user ended, and a change forced at the next sign-in.
 */
export async function resetPasswordAction(
  _previous: UserChangeState,
  form: FormData,
): Promise<UserChangeState> {
  const admin = await requirePermission('user.resetPassword');
  const userId = text(form, 'userId');
  const temporaryPassword = String(form.get('temporaryPassword') ?? '');
  if (!temporaryPassword) return { error: 'Enter a temporary password.' };
  try {
    const result = await resetUserPassword(db(), admin.id, { userId, temporaryPassword });
    revalidatePath(PAGE);
    return {
      done: `Password reset; ${plural(result.sessionsEnded, 'session')} ended. They must choose their own at their next sign-in.`,
    };
  } catch (error) {
    if (error instanceof RecordError && error.code === 'invalid-input') {
      return { error: `The temporary password ${error.issues[0]?.message ?? 'is not allowed'}.` };
    }
    return { error: refusalMessage(error) };
  }
}

// ---------------------------------------------------------------------------------------------
// Reassigning a caseload: review what moves, then confirm

export interface ReassignState {
  /** A user id, or NOBODYS_CASELOAD (reassign-source.ts). */
  readonly from: string;
  readonly to: string;
  readonly fieldErrors?: { readonly from?: string; readonly to?: string };
  readonly error?: string;
  /** Shown for confirmation: what would move now. */
  readonly review?: {
    readonly fromName: string;
    /** "Asha Khan’s caseload", or "the patients on nobody’s caseload". */
    readonly fromCaseload: string;
    readonly toName: string;
    readonly patients: number;
    readonly openReminders: number;
    readonly pendingEmails: number;
  };
  readonly done?: string;
}

export async function reassignAction(
  previous: ReassignState,
  form: FormData,
): Promise<ReassignState> {
  const admin = await requirePermission('caseload.reassign');
  const intent = text(form, 'intent');
  const from = text(form, 'from');
  const to = text(form, 'to');
  if (intent === 'cancel') return { from: previous.from, to: previous.to };

  const fieldErrors = {
    ...(from ? {} : { from: 'Choose the nurse whose patients move.' }),
    ...(to ? {} : { to: 'Choose the nurse who takes them.' }),
    ...(from && from === to
      ? { to: 'Choose a different nurse from the one whose patients move.' }
      : {}),
  };
  if (Object.keys(fieldErrors).length > 0) return { from, to, fieldErrors };
  const fromNurseId = fromNurseIdOf(from);
  const nobodyHasNone = 'No patient is on nobody’s caseload now.';

  if (intent === 'review') {
    try {
      const move = await previewCaseloadReassignment(db(), { fromNurseId }, admin.id);
      const fromName = fromNurseId === null ? 'nobody’s caseload' : await nameOf(fromNurseId);
      const toName = await nameOf(to);
      if (move.patients === 0) {
        return {
          from,
          to,
          fieldErrors: {
            from:
              fromNurseId === null
                ? nobodyHasNone
                : `${fromName} has no patients on their caseload.`,
          },
        };
      }
      const fromCaseload = caseloadPhrase(fromNurseId, fromName);
      return { from, to, review: { fromName, fromCaseload, toName, ...move } };
    } catch (error) {
      return { from, to, error: refusalMessage(error) };
    }
  }

  try {
    const result = await reassignCaseload(db(), { fromNurseId, toNurseId: to }, admin.id);
    revalidatePath(PAGE);
    const fromName = fromNurseId === null ? 'nobody’s caseload' : await nameOf(fromNurseId);
    const toName = await nameOf(to);
    return {
      from: '',
      to: '',
      done: `Moved ${plural(result.patients, 'patient')}, ${plural(result.openReminders, 'open reminder')} and ${plural(result.pendingEmails, 'unsent e-mail')} from ${fromName} to ${toName}. ${toName} now has ${plural(result.after.to, 'patient')}.`,
    };
  } catch (error) {
    if (error instanceof RecordError && error.code === 'invalid-input') {
      const issue = error.issues[0];
      const field = issue?.path === 'toNurseId' ? 'to' : 'from';
      return {
        from,
        to,
        fieldErrors: {
          [field]:
            field === 'from' && fromNurseId === null
              ? nobodyHasNone
              : `This user ${issue?.message ?? error.message}.`,
        },
      };
    }
    return { from, to, error: refusalMessage(error) };
  }
}
