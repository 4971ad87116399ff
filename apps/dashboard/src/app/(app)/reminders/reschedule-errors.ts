import type { InputIssue } from '@vfx/domain';

export interface RescheduleFieldErrors {
  readonly remindOn?: string;
  readonly reason?: string;
}

/**
 * Puts the domain's issues about a step-rescheduled entry beside the form's fields, as sentences:
 * `event.remindOn` under the date, `event.reason` under the reason, anything else (the step
 * itself can no longer be moved) above the form.
 */
export function rescheduleErrors(issues: readonly InputIssue[]): {
  fieldErrors?: RescheduleFieldErrors;
  error?: string;
} {
  const fieldErrors: { remindOn?: string; reason?: string } = {};
  const other: string[] = [];
  for (const { path, message } of issues) {
    if (path === 'event.remindOn') fieldErrors.remindOn ??= `That day ${message}.`;
    else if (path === 'event.reason') fieldErrors.reason ??= `The reason ${message}.`;
    else other.push(stepSentence(message));
  }
  return {
    ...(Object.keys(fieldErrors).length > 0 ? { fieldErrors } : {}),
    ...(other.length > 0 ? { error: `This reminder cannot be moved: ${other.join(' ')}` } : {}),
  };
}

/** 'names "DXA scan", which is already completed; ...' reads as '"DXA scan" is already ...'. */
function stepSentence(message: string): string {
  const named = /^names ("[^"]*"), which (.*)$/.exec(message);
  const sentence = named ? `${named[1]} ${named[2]}` : `the step ${message}`;
  return `${sentence}.`;
}
