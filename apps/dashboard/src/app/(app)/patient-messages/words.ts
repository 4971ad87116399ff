// The words the Patient messages page writes for a message's kind, channel and state. The kinds
// and their titles are the pathway definition's (patientReminders); nothing is decided here.
import { describeChannel, type PatientChannel, PUBLISHED_PATHWAYS } from '@vfx/domain';

const TITLES = new Map<string, string>();
for (const version of PUBLISHED_PATHWAYS.versions()) {
  for (const reminder of PUBLISHED_PATHWAYS.find(version)?.patientReminders ?? []) {
    const title = (reminder as { readonly title?: string }).title;
    if (title && !TITLES.has(reminder.kind)) TITLES.set(reminder.kind, title);
  }
}

/** The kind's title from the pathway definition, or the kind itself for one it no longer lists. */
export function kindTitle(kind: string): string {
  return TITLES.get(kind) ?? kind;
}

export function channelWords(channel: string): string {
  return ['sms', 'email', 'letter', 'none'].includes(channel)
    ? describeChannel(channel as PatientChannel)
    : channel;
}

export const STATE_WORDS: Record<string, string> = {
  scheduled: 'Scheduled',
  sending: 'Sending',
  sent: 'Sent to Notify',
  delivered: 'Delivered',
  'temporary-failure': 'Temporary failure',
  'permanent-failure': 'Permanent failure',
  cancelled: 'Cancelled',
};

export const stateWords = (state: string) => STATE_WORDS[state] ?? state;
