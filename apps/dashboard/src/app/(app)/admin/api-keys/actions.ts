'use server';

import { RecordError } from '@vfx/database';
import { createApiKey, revokeApiKey } from '@vfx/database/commands';
import { revalidatePath } from 'next/cache';
import { db } from '@/server/db';
import { requirePermission } from '@/server/session';

export interface CreateKeyState {
  readonly values: { readonly name: string; readonly role: string };
  readonly fieldErrors?: { readonly name?: string; readonly role?: string };
  readonly error?: string;
  /** The new key, secret included: shown in this one answer and never again. */
  readonly created?: {
    readonly name: string;
    readonly role: string;
    readonly prefix: string;
    readonly secret: string;
  };
}

export async function createApiKeyAction(
  _previous: CreateKeyState,
  form: FormData,
): Promise<CreateKeyState> {
  const admin = await requirePermission('apiKey.create');
  const values = { name: String(form.get('name') ?? ''), role: String(form.get('role') ?? '') };
  try {
    const key = await createApiKey(db(), values, admin.id);
    revalidatePath('/admin/api-keys');
    return {
      values: { name: '', role: '' },
      created: { name: key.name, role: key.role, prefix: key.prefix, secret: key.secret },
    };
  } catch (error) {
    if (error instanceof RecordError && error.code === 'conflict') {
      return { values, fieldErrors: { name: `${error.message}.` } };
    }
    if (error instanceof RecordError && error.code === 'invalid-input') {
      const fieldErrors: Record<string, string> = {};
      for (const issue of error.issues) {
        fieldErrors[issue.path] ??=
          issue.path === 'role' ? 'Choose a role.' : `Name ${issue.message}.`;
      }
      return { values, fieldErrors };
    }
    if (error instanceof RecordError) return { values, error: error.message };
    throw error;
  }
}

export interface RevokeKeyState {
  readonly error?: string;
  readonly revoked?: string;
}

export async function revokeApiKeyAction(
  _previous: RevokeKeyState,
  form: FormData,
): Promise<RevokeKeyState> {
  const admin = await requirePermission('apiKey.revoke');
  const keyId = String(form.get('keyId') ?? '');
  try {
    const key = await revokeApiKey(db(), keyId, admin.id);
    revalidatePath('/admin/api-keys');
    return { revoked: `"${key.name}" is revoked. Requests with it are refused from now on.` };
  } catch (error) {
    if (error instanceof RecordError) return { error: error.message };
    throw error;
  }
}
