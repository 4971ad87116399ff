import { labelledPatientWordings } from '../patient-documents/written-plan.js';
import { describeOffset } from '../time/offset.js';
import type {
  PathwayDefinition,
  StepDefinition,
  StepTrigger,
  WindowDefinition,
} from './definition.js';
import { DRUGS } from './drugs.js';
import { describeCondition } from './facts.js';
import { describeSource, SOURCE_DOCUMENTS, type SourceRef } from './sources.js';
import { describeLimitDays, RECORDED_VALUE_NAMES } from './staleness.js';
import { stepEntries } from './step-entries.js';

/**
 * docs/pathway.md, rendered from the definition so the document cannot drift from what the
 * engine does (a test compares the two). Regenerate with `npm run docs:pathway`.
 */
export function renderPathwayDocument(
  definition: PathwayDefinition,
  holidaysDescription: string,
): string {
  const lines: string[] = [
    `# ${definition.title}`,
    '',
    '<!-- Generated from packages/domain/src/pathway by `npm run docs:pathway`. Do not edit by hand. -->',
    '',
    `Pathway version \`${definition.version}\`, published ${definition.publishedOn}. An episode keeps the`,
    'version it was enrolled under; a new version never changes plans made under an older one.',
    '',
    '## How to read the windows',
    '',
    '- **Anchor**: what the window is measured from (fracture date, admission, a dose, an event).',
    '- **Opens / due / overdue after**: day, week, month and year offsets are calendar arithmetic on',
    '  local dates in the service time zone (default Europe/London); hour offsets are exact elapsed',
    '  time. "Overdue after 12 weeks" means overdue from the day after the 12-week date.',
    "- **Working days**: a step's status follows the guidance's own dates on every day of the week:",
    '  a day window is open from the start of its opening day, due from the start of its due day and',
    '  overdue from the start of its overdue day, weekends and bank holidays included (a step due "at',
    '  once" on Easter Monday is due on Easter Monday). Reminders go to people, so they go out at the',
    '  clinic time (default 09:00) on a working day: the due reminder on the first working day on or',
    '  after the due day, if that comes before the overdue day; otherwise on the last working day',
    '  before the due day still in the window; otherwise there is none and the overdue reminder is',
    '  the first. The overdue reminder goes out on the first working day on or after the overdue day,',
    "  never before it. The step's reason names the day a reminder goes out whenever it is not the",
    '  due (or overdue) day itself. Hour windows are exact times and never move.',
    `  Holidays: ${holidaysDescription}.`,
    "- **Rescheduling** (`step-rescheduled`, with a required reason): a scheduler may move a step's",
    "  *due* reminder to another working day inside the step's own window as its timing basis",
    '  defines it: not before the window opens, not before today, and not on or after the day the',
    '  step becomes overdue. The opening and overdue reminders stay; the overdue limit is clinical.',
    '  Steps already overdue, settled, or with windows measured in hours cannot be rescheduled. The',
    '  plan shows the move (and sets it aside, saying why, if a correction later moves the window).',
    '- **Corrected enrolment details** (`episode-details-corrected`, with a required reason): the',
    '  fracture date, levels, identification and care setting given at enrolment can be corrected',
    '  later. The plan uses the episode as the latest correction in effect leaves it, so windows',
    '  anchored on the fracture date or admission move with it and their anchors say "corrected".',
    '- **Timing basis**: *guideline* when the interval is written in the cited guidance; *service',
    '  standard* when the guidance gives no interval (for example "promptly") or the interval is an',
    '  FLS audit standard, with the explanation shown.',
    `- **Pain bands** (analgesia table): mild NRS 0-${definition.painBands.mildMax}, moderate ${definition.painBands.mildMax + 1}-${definition.painBands.moderateMax}, severe ${definition.painBands.moderateMax + 1}-10, taking the worse of rest and activity.`,
    `- **Phases**: acute until day ${definition.phases.acuteUntilDay} after the fracture, subacute until day ${definition.phases.subacuteUntilDay}, chronic after.`,
    '- **Branches**: steps marked *conservative* do not apply when a red flag is recorded; the',
    '  specialist team directs care instead.',
    ...priorTherapyText(definition),
    '',
    '## Steps',
    '',
    '| Step | Applies when | Anchor | Window (opens / due / overdue after) | Timing basis | What satisfies it | Source |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const step of definition.steps) lines.push(stepRow(step));
  lines.push(
    '',
    '## Recommendations',
    '',
    '| Recommendation | Shown when | Source | Sources disagree |',
    '| --- | --- | --- | --- |',
  );
  for (const rec of definition.recommendations) {
    const conflicts = (rec.conflicts ?? [])
      .map((c) => `${c.position} (${SOURCE_DOCUMENTS[c.source.document].short})`)
      .join('<br>');
    lines.push(
      `| ${cell(rec.title)}${rec.contested ? ' *(contested)*' : ''} | ${cell(rec.because)}<br>*Rule:* ${cell(describeCondition(rec.when))} | ${rec.sources.map(sourceCell).join('<br>')} | ${cell(conflicts) || '-'} |`,
    );
  }
  lines.push('', ...stalenessSection(definition));
  lines.push('', ...patientWordingSection(definition));
  lines.push('', '## Sources', '', '| File | Document | Weight |', '| --- | --- | --- |');
  for (const doc of Object.values(SOURCE_DOCUMENTS))
    lines.push(`| ${doc.file} | ${cell(doc.title)} | ${doc.weight} |`);
  lines.push('');
  return lines.join('\n');
}

function priorTherapyText(definition: PathwayDefinition): string[] {
  const rules = definition.priorTherapy;
  if (!rules) {
    return [
      '- **Therapy before the fracture**: not recorded in this version (`prior-bone-therapy` is refused).',
    ];
  }
  const basis =
    rules.basis.kind === 'guideline'
      ? `guideline (${describeSource(rules.basis.source)})`
      : `service standard: ${rules.basis.explanation}`;
  return [
    '- **Therapy before the fracture** (`prior-bone-therapy`): a course still taken at the fracture is',
    '  followed from its real start date (treatment reviews, course ends) and its last reported dose',
    '  (next denosumab or zoledronic acid dose); a course stopped before the fracture is history.',
    `  A fracture counts as a fracture on treatment after ${describeOffset(rules.minimumOnTreatment)} on the drug by the date of fracture: ${cell(basis)}`,
  ];
}

/** How old a recorded value may be before its advice is held back, with each limit's basis. */
function stalenessSection(definition: PathwayDefinition): string[] {
  const lines = ['## How old a recorded value may be', ''];
  const limits = Object.entries(definition.staleness ?? {});
  if (limits.length === 0) {
    lines.push(
      'This version sets no limits: advice is given from the latest entry of any age. The plan',
      'states the date and age of each entry a recommendation is read from.',
    );
    return lines;
  }
  lines.push(
    'Every recommendation read from a recorded entry states that entry’s date and age. An entry',
    'older than its limit (in days on the service calendar, from the day it was recorded) is',
    'flagged stale: its advice is held back and the plan asks for a new assessment instead.',
    '',
    '| Recorded entry | Stale when | Instead of its advice | Basis | Source |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const [kind, limit] of limits) {
    const basis =
      limit.basis.kind === 'guideline'
        ? 'guideline'
        : `service standard: ${limit.basis.explanation}`;
    const source = limit.basis.source ? sourceCell(limit.basis.source) : '-';
    lines.push(
      `| ${RECORDED_VALUE_NAMES[kind as keyof typeof RECORDED_VALUE_NAMES]} | ${cell(describeLimitDays(limit))} | ${cell(`${limit.reassess}: ${limit.action}`)} | ${cell(basis)} | ${source} |`,
    );
  }
  return lines;
}

function stepRow(step: StepDefinition): string {
  const applies = [
    step.branch === 'conservative' ? 'no red flag (conservative branch)' : '',
    step.appliesWhen
      ? `${step.appliesOnlyWhen ?? ''} (rule: ${describeCondition(step.appliesWhen)})`
      : '',
    triggerCondition(step.trigger),
  ]
    .filter(Boolean)
    .join('; ');
  const completed = satisfiedBy(step);
  const basis =
    step.window.timing.kind === 'guideline'
      ? 'guideline'
      : `service standard: ${step.window.timing.explanation}`;
  const urgency =
    step.urgency === 'urgent'
      ? ' **urgent**'
      : step.urgency === 'urgent-when-overdue'
        ? ' **urgent when overdue**'
        : '';
  const notes = (step.notes ?? [])
    .map((n) => `<br>*When ${cell(describeCondition(n.when))}:* ${cell(n.text)}`)
    .join('');
  return `| **${cell(step.title)}**${urgency}<br>\`${step.id}\`${notes} | ${cell(applies) || 'all patients'} | ${anchorText(step.trigger)} | ${windowText(step.window)} | ${cell(basis)} | ${cell(completed)} | ${step.sources.map(sourceCell).join('<br>')} |`;
}

/**
 * What satisfies the step, as the step page offers it (stepEntries): the entries that complete
 * it, the entry that ends it on purpose, the generic entry where it is allowed, and whether an
 * entry made before the window opens counts.
 */
function satisfiedBy(step: StepDefinition): string {
  const entries = stepEntries(step);
  const parts = entries.offers.map((offer) => {
    const entry = `\`${offer.event}\`${Object.keys(offer.fill).length > 0 ? ` (${Object.values(offer.fill).join(', ')})` : ''}`;
    const condition = offer.condition ? ` when ${offer.condition}` : '';
    if (offer.effect === 'completes-and-plans-next')
      return `${entry}: completes it and plans the next`;
    if (offer.effect === 'stops-therapy') return `${entry}: ends it on purpose (reason required)`;
    if (offer.effect === 'records-appointment')
      return `${entry}: records the appointment (booked or cancelled), shown on the step; completes nothing`;
    return `${entry}${condition}: completes it`;
  });
  parts.push(
    entries.generic
      ? `\`step-completed\` as ${entries.generic.outcomes.join(', ')}`
      : '`step-completed`: refused (a dose step is done only by the dose given)',
  );
  if (entries.early) parts.push(`*Early entries:* ${entries.early.says}`);
  return parts.join('<br>');
}

function triggerCondition(trigger: StepTrigger): string {
  switch (trigger.kind) {
    case 'first-event':
    case 'each-event':
      return `${trigger.kind === 'each-event' ? 'each' : 'first'} ${trigger.event}${trigger.where ? ` with ${describeCondition(trigger.where)}` : ''}`;
    case 'finding':
      return `red flag recorded (${trigger.finding})`;
    case 'therapy-course':
    case 'next-dose':
      return `a course of ${trigger.drugs.map((d) => DRUGS[d].label).join(' or ')}`;
    default:
      return '';
  }
}

function anchorText(trigger: StepTrigger): string {
  switch (trigger.kind) {
    case 'episode':
      return {
        'fracture-date': 'fracture date',
        'identified-date': 'date identified',
        enrolment: 'enrolment',
        admission: 'admission time',
      }[trigger.anchor];
    case 'finding':
      return 'when the finding was recorded';
    case 'first-event':
    case 'each-event':
      return `the ${trigger.event}`;
    case 'therapy-course':
      return `course start${trigger.onStop === 'due-when-stopped' ? ' (due at once if stopped early)' : ''}`;
    case 'next-dose':
      return 'the last dose given';
  }
}

function patientWordingSection(definition: PathwayDefinition): string[] {
  const lines = ['## What the patient is told', ''];
  const wordings = labelledPatientWordings(definition);
  if (wordings.length === 0) {
    lines.push('This version has no patient wording: no written plan is produced under it.');
    return lines;
  }
  lines.push(
    'The written plan (packages/domain/src/patient-documents/written-plan.ts) says only this, with',
    'the patient’s own dates in place of `{due}`, `{opens}`, `{restrictionEnds}` and',
    '`{painScoreDate}`. Each piece quotes its source, or is the service’s own wording with its reason.',
    '',
    '| Where | Wording | Source |',
    '| --- | --- | --- |',
  );
  for (const { where, wording } of wordings) {
    const source =
      'serviceStandard' in wording.source
        ? cell(`service standard: ${wording.source.serviceStandard}`)
        : sourceCell(wording.source);
    lines.push(`| ${cell(where)} | ${cell(wording.text)} | ${source} |`);
  }
  return lines;
}

function windowText(window: WindowDefinition): string {
  return `${describeOffset(window.opens)} / ${describeOffset(window.due)} / ${describeOffset(window.overdueAfter)}`;
}

function sourceCell(ref: SourceRef): string {
  return cell(`${describeSource(ref)}: "${ref.quote}"`);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
