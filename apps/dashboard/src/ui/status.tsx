import { type StepStatus, statusWords } from '@vfx/domain';

// Status is always written out, in the domain's words (the preview uses the same); the colour
// only repeats what the words say.
export function statusText(status: string): string {
  // Statuses from stored rows are plain strings; an unknown one is shown as it is.
  return statusWords(status as StepStatus) ?? status;
}

export function StatusBadge({ status, urgent }: { status: string; urgent?: boolean }) {
  return (
    <span className={`badge status-${status}`}>
      {statusText(status)}
      {urgent ? ' · urgent' : ''}
    </span>
  );
}

/** A neutral or warning label ("Acute", "Red flag"). */
export function Tag({ children, tone }: { children: React.ReactNode; tone?: 'warn' | 'info' }) {
  return <span className={`badge ${tone ? `tone-${tone}` : ''}`}>{children}</span>;
}
