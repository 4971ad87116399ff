import type { StepStatus } from '@vfx/domain';

// Status is always written out; the colour only repeats what the words say.
const STATUS_TEXT: Record<StepStatus, string> = {
  upcoming: 'Upcoming',
  open: 'Open',
  due: 'Due',
  overdue: 'Overdue',
  completed: 'Completed',
  'not-applicable': 'Not applicable',
  cancelled: 'Cancelled',
};

export function statusText(status: string): string {
  return STATUS_TEXT[status as StepStatus] ?? status;
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
