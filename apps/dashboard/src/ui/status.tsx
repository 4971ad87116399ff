import {
  OVERDUE_RISK_TIERS,
  type OverdueRiskTier,
  type OverdueRiskTierId,
  type StepStatus,
  statusWords,
} from '@vfx/domain';

const overdueRiskTier = (id: OverdueRiskTierId): OverdueRiskTier =>
  OVERDUE_RISK_TIERS.find((tier) => tier.id === id) ??
  (OVERDUE_RISK_TIERS.at(-1) as OverdueRiskTier);

// Status is always written out, in the domain's words (the preview uses the same); the colour
// only repeats what the words say. The colours are the NHS design system's tag colours, each a
// dark shade of the colour on a light tint of it, all above 4.5:1 (axe checks them in the
// browser tests).

export type TagColour = 'red' | 'orange' | 'blue' | 'green' | 'grey' | 'white';

/** The tag colour of each step status; an unknown status is plain white. */
export const STATUS_COLOURS: Readonly<Record<StepStatus, TagColour>> = {
  overdue: 'red',
  due: 'orange',
  open: 'blue',
  upcoming: 'white',
  completed: 'green',
  cancelled: 'grey',
  'not-applicable': 'grey',
};

export function statusText(status: string): string {
  // Statuses from stored rows are plain strings; an unknown one is shown as it is.
  return statusWords(status as StepStatus) ?? status;
}

export function statusColour(status: string): TagColour {
  return STATUS_COLOURS[status as StepStatus] ?? 'white';
}

export function StatusBadge({ status, urgent }: { status: string; urgent?: boolean }) {
  return (
    <strong className={`nhsuk-tag nhsuk-tag--${statusColour(status)} status-tag`}>
      {statusText(status)}
      {urgent ? ' · urgent' : ''}
    </strong>
  );
}

const TONES = { warn: 'red', info: 'blue' } as const satisfies Record<string, TagColour>;

/** A neutral or warning label ("Acute", "Red flag"). */
export function Tag({ children, tone }: { children: React.ReactNode; tone?: 'warn' | 'info' }) {
  return (
    <strong className={`nhsuk-tag nhsuk-tag--${tone ? TONES[tone] : 'grey'}`}>{children}</strong>
  );
}

const RISK_COLOURS: Readonly<Record<OverdueRiskTierId, TagColour>> = {
  'late-denosumab': 'red',
  urgent: 'red',
  routine: 'grey',
};

/** An overdue step's risk tier, in the domain's words ("Late denosumab dose", "Urgent", "Routine"). */
export function RiskTag({ tier }: { tier: OverdueRiskTierId }) {
  return (
    <strong className={`nhsuk-tag nhsuk-tag--${RISK_COLOURS[tier]}`}>
      {overdueRiskTier(tier).label}
    </strong>
  );
}

const number = new Intl.NumberFormat('en-GB');

/**
 * The count of overdue steps per risk tier in the words of the tags beside the rows, so the
 * summary and the rows say the same: "By risk: Late denosumab dose 6 · Urgent 0 · Routine 50".
 */
export function riskTotalsText(totals: Readonly<Record<OverdueRiskTierId, number>>): string {
  return `By risk: ${OVERDUE_RISK_TIERS.map((tier) => `${tier.label} ${number.format(totals[tier.id])}`).join(' · ')}`;
}
