// A moment in the past (when an entry happened, when a patient was admitted) from a form's
// wall-clock field: whole minutes, in the user's zone. The field cannot say which of two 01:30s it
// means on the night the clocks go back, nor show the seconds of the value it was filled with, so
// a value left as shown is read back exactly as it was given.
import { instantFromLocal, localInputValue } from '@/ui/dates';

/**
 * The instant the field names. `shown` is the instant the field was filled with (the entry or
 * admission a correction starts from): left as shown, it is kept exactly. Anything typed is read as a past
 * moment: a wall-clock time that happened twice is the later reading that has passed by `now`.
 * Undefined when the text is not a date and time.
 */
export function pastInstantFromForm(
  typed: string,
  zone: string,
  now: Date,
  shown?: string,
): Date | undefined {
  if (shown !== undefined && localInputValue(shown, zone) === typed.trim()) return new Date(shown);
  return instantFromLocal(typed, zone, now);
}
