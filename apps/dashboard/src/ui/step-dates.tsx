// The date language of a step as markup: each labelled date in a <time>, so pages show the same
// words the CSV exports and tests read from dates.ts (docs/ui.md, "Dates").
import {
  type DatePhrase,
  type GuidelineEdge,
  guidelinePhrase,
  reminderPhrase,
  type StepWindowDates,
  stepWhen,
} from './dates';

/** One labelled date: "Due <time>Mon 9 Nov 2026</time> (in 3 days)". */
export function DateText({ phrase }: { phrase: DatePhrase }) {
  return (
    <span className="date-phrase">
      {phrase.label} <time dateTime={phrase.dateTime}>{phrase.text}</time>
      {phrase.relative ? ` (${phrase.relative})` : ''}
    </span>
  );
}

/** A guideline date of a step ("Opens", "Due", "Overdue from") with its relative days. */
export function GuidelineDate(props: {
  window: StepWindowDates;
  edge: GuidelineEdge;
  now: Date;
  zone: string;
  relative?: boolean;
}) {
  return (
    <DateText
      phrase={guidelinePhrase(props.window, props.edge, props.now, props.zone, {
        relative: props.relative,
      })}
    />
  );
}

/** A reminder ("Reminder", "Escalation"), with its time. */
export function ReminderDate(props: {
  kind: 'due' | 'overdue';
  at: Date | string;
  zone: string;
  sent?: boolean;
}) {
  return <DateText phrase={reminderPhrase(props.kind, props.at, props.zone, props)} />;
}

/** What a list shows about when an active step needs doing (stepWhen): one line per date. */
export function StepWhen(props: {
  status: string;
  window: StepWindowDates | undefined;
  now: Date;
  zone: string;
}) {
  const phrases = stepWhen(props.status, props.window, props.now, props.zone);
  if (phrases.length === 0) return null;
  const [first, ...rest] = phrases as [DatePhrase, ...DatePhrase[]];
  return (
    <>
      <DateText phrase={first} />
      {rest.map((phrase) => (
        <div key={phrase.label} className="nhsuk-body-s nhsuk-u-margin-bottom-0 muted">
          <DateText phrase={phrase} />
        </div>
      ))}
    </>
  );
}
