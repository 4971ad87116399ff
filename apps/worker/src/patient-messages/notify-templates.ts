// The Notify templates a service creates for patient reminders, and their ids from
// configuration (NOTIFY_TEMPLATE_IDS). One template per template key (the pathway's patient
// reminders) and channel; letters are sent precompiled (a PDF the worker renders), so they need
// no template. The product sends the personalisation fields only: the wording is the template's.
import { PUBLISHED_PATHWAYS } from '@vfx/domain';
import { z } from 'zod';

export const TEMPLATE_CHANNELS = ['sms', 'email'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];
export type NotifyTemplates = Readonly<Record<string, Readonly<Record<TemplateChannel, string>>>>;

/** Every template a service must create: key, channels and personalisation fields. */
export function requiredNotifyTemplates(): readonly {
  readonly templateKey: string;
  readonly kinds: readonly string[];
  readonly fields: readonly string[];
}[] {
  const byKey = new Map<string, { kinds: string[]; fields: Set<string> }>();
  for (const version of PUBLISHED_PATHWAYS.versions()) {
    for (const reminder of PUBLISHED_PATHWAYS.find(version)?.patientReminders ?? []) {
      const entry = byKey.get(reminder.templateKey) ?? { kinds: [], fields: new Set<string>() };
      if (!entry.kinds.includes(reminder.kind)) entry.kinds.push(reminder.kind);
      for (const field of reminder.personalisation) entry.fields.add(field);
      byKey.set(reminder.templateKey, entry);
    }
  }
  return [...byKey].map(([templateKey, e]) => ({
    templateKey,
    kinds: e.kinds,
    fields: [...e.fields],
  }));
}

const TemplateIds = z.record(
  z.string(),
  z.strictObject({
    sms: z.uuid({ error: 'must be a Notify template id (a UUID)' }),
    email: z.uuid({ error: 'must be a Notify template id (a UUID)' }),
  }),
);

/** Reads NOTIFY_TEMPLATE_IDS; with an API key every required template must have its ids. */
export function parseNotifyTemplates(
  apiKey: string | undefined,
  json: string | undefined,
): { ok: true; value: NotifyTemplates } | { ok: false; problems: string[] } {
  if (!apiKey) return { ok: true, value: {} };
  const example = `{"${requiredNotifyTemplates()[0]?.templateKey ?? 'key'}":{"sms":"<template id>","email":"<template id>"}}`;
  if (!json) {
    return {
      ok: false,
      problems: [`is required with NOTIFY_API_KEY: the template ids as JSON, e.g. ${example}`],
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, problems: [`is not JSON; write it as ${example}`] };
  }
  const parsed = TemplateIds.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    };
  }
  const missing = requiredNotifyTemplates()
    .map((t) => t.templateKey)
    .filter((key) => !parsed.data[key]);
  if (missing.length > 0) {
    return {
      ok: false,
      problems: [`has no template ids for ${missing.join(', ')} (each needs "sms" and "email")`],
    };
  }
  return { ok: true, value: parsed.data };
}
