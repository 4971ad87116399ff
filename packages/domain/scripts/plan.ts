/**
 * Prints the care plan for a fracture episode in the terminal.
 *
 *   npm run plan                                # the demo patients, as of now
 *   npm run plan -- --record my-patient.json       # a record: { patient, episode, events }
 *   npm run plan -- --record r.json --as-of 2025-03-01T09:00:00Z
 *   npm run plan -- --json                      # machine-readable plan(s)
 *
 * This script is an application of the domain package: it reads files and the clock, then hands
 * both to the pure planning functions.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  type ClinicalEventInput,
  computePlan,
  describeRecordedValue,
  type EpisodeInput,
  PathwayInputError,
  type PatientInput,
  type Plan,
  parseEpisodeRecord,
  serviceCalendar,
} from '../src/index.js';
import { parseInstant } from '../src/inputs/errors.js';

interface RecordInput {
  readonly label?: string;
  readonly patient: PatientInput;
  readonly episode: EpisodeInput;
  readonly events: ClinicalEventInput[];
}

const { values } = parseArgs({
  options: {
    record: { type: 'string' },
    'as-of': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('Usage: npm start [-- --record FILE.json] [--as-of ISO-INSTANT] [--json]');
  process.exit(0);
}

// Piping into `head` closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const asOf = values['as-of'] ?? new Date().toISOString();

async function main(): Promise<void> {
  const records: RecordInput[] = values.record
    ? [JSON.parse(await readFile(values.record, 'utf8')) as RecordInput]
    : demoRecords(parseInstant(asOf, 'as-of'));
  const plans: { label: string; plan: Plan }[] = [];
  for (const [index, record] of records.entries()) {
    const parsed = parseEpisodeRecord(record, { now: asOf });
    plans.push({
      label: record.label ?? `Record ${index + 1}`,
      plan: computePlan({ ...parsed, asOf }),
    });
  }
  if (values.json) {
    console.log(
      JSON.stringify(
        plans.map((p) => p.plan),
        null,
        2,
      ),
    );
    return;
  }
  for (const { label, plan } of plans) printPlan(label, plan);
}

const STATUS_ORDER = [
  'overdue',
  'due',
  'open',
  'upcoming',
  'completed',
  'cancelled',
  'not-applicable',
];
const STATUS_LABEL: Record<string, string> = {
  overdue: 'OVERDUE',
  due: 'DUE',
  open: 'open',
  upcoming: 'upcoming',
  completed: 'done',
  cancelled: 'cancelled',
  'not-applicable': 'n/a',
};

function printPlan(label: string, plan: Plan): void {
  const bar = '='.repeat(100);
  console.log(`\n${bar}\n${label}\n${bar}`);
  console.log(
    `Episode ${plan.episodeId} | pathway ${plan.pathwayVersion} | day ${plan.daysSinceFracture} after fracture (${plan.phase}) | ${plan.branch === 'red-flag' ? `RED FLAG: ${plan.redFlags.join(', ')}` : 'conservative pathway'} | as of ${plan.asOf}`,
  );
  const active = plan.steps
    .filter((s) => s.status !== 'not-applicable')
    .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  console.log('\nSteps');
  for (const step of active) {
    const urgent = step.urgent ? ' [URGENT]' : '';
    console.log(`  ${(STATUS_LABEL[step.status] ?? step.status).padEnd(9)} ${step.title}${urgent}`);
    console.log(`            ${step.reason}`);
  }
  const notApplicable = plan.steps.length - active.length;
  if (notApplicable > 0) console.log(`  (${notApplicable} further steps do not apply now)`);
  console.log('\nRecommended now');
  for (const rec of plan.recommendations) {
    console.log(`  [${rec.priority}] ${rec.title}${rec.contested ? ' (contested)' : ''}`);
    console.log(`            ${rec.text}`);
    for (const basis of rec.basedOn)
      console.log(
        `            from ${describeRecordedValue(basis)}${basis.stale ? ` [STALE: over ${basis.limitDays} days]` : ''}`,
      );
    for (const conflict of rec.conflicts)
      console.log(
        `            - ${conflict.position} (${conflict.source.file}, ${conflict.source.section})`,
      );
  }
  console.log(`\n${plan.timers.length} timed status changes scheduled.`);
}

/**
 * A few obviously fictional patients whose fractures are dated relative to `asOf`: days and hours
 * of the service's calendar (Europe/London), so "3 days ago" is day 3 at any hour.
 */
function demoRecords(asOf: number): RecordInput[] {
  const calendar = serviceCalendar();
  const today = calendar.localDate(asOf);
  const daysAgo = (days: number, hour = 10) =>
    new Date(
      calendar.atLocalTime(
        calendar.addToDate(today, { days: -days }),
        `${String(hour).padStart(2, '0')}:00`,
      ),
    );
  const iso = (d: Date) => d.toISOString();
  const date = (d: Date) => calendar.localDate(d.getTime());
  const base = (
    id: string,
    fractureDaysAgo: number,
    extra: Partial<EpisodeInput> = {},
  ): Pick<RecordInput, 'patient' | 'episode'> => ({
    patient: {
      id: `demo-${id}`,
      identifier: { kind: 'mrn', value: `DEMO-${id.toUpperCase()}` },
      dateOfBirth: '1946-03-14',
      sex: 'female',
    },
    episode: {
      id: `demo-ep-${id}`,
      patientId: `demo-${id}`,
      pathwayVersion: 'ros-2022.1',
      vertebralLevels: ['T12', 'L1'],
      fractureDate: date(daysAgo(fractureDaysAgo)),
      identifiedOn: date(daysAgo(fractureDaysAgo)),
      identification: 'symptomatic-presentation',
      careSetting: { kind: 'community' },
      columnInvolvement: 'anterior-only',
      neurologicalDeficit: false,
      suspectedMalignancy: false,
      mriOedema: 'not-imaged',
      enrolledAt: iso(daysAgo(fractureDaysAgo, 12)),
      ...extra,
    },
  });
  const event = (id: string, at: Date, body: Record<string, unknown>): ClinicalEventInput =>
    ({
      id,
      occurredAt: iso(at),
      recordedAt: iso(at),
      recordedBy: 'demo-nurse',
      ...body,
    }) as ClinicalEventInput;
  return [
    {
      label:
        'Ada Testperson (fictional): admitted 3 days ago, severe pain at the 48-hour review, MRI oedema',
      ...base('ada', 3, {
        careSetting: { kind: 'admitted', admittedAt: iso(daysAgo(3, 9)) },
        mriOedema: 'present',
      }),
      events: [
        event('a1', daysAgo(3, 13), {
          type: 'pain-assessment',
          nrsAtRest: 7,
          nrsOnActivity: 9,
          functionalLimitation: 'severe',
          mobility: 'unable',
          onAnalgesia: true,
        }),
        event('a2', daysAgo(1, 10), {
          type: 'pain-assessment',
          nrsAtRest: 8,
          nrsOnActivity: 10,
          functionalLimitation: 'severe',
          mobility: 'unable',
          onAnalgesia: true,
        }),
      ],
    },
    {
      label: 'Bea Sampleton (fictional): community, 10 weeks after fracture, pain settling',
      ...base('bea', 70),
      events: [
        event('b1', daysAgo(69), {
          type: 'pain-assessment',
          nrsAtRest: 5,
          nrsOnActivity: 7,
          functionalLimitation: 'moderate',
        }),
        event('b2', daysAgo(20), {
          type: 'pain-assessment',
          nrsAtRest: 1,
          nrsOnActivity: 3,
          functionalLimitation: 'mild',
        }),
        event('b3', daysAgo(60), {
          type: 'fracture-risk-assessment',
          tool: 'FRAX',
          majorOsteoporoticFractureRisk: 24,
          category: 'high',
        }),
      ],
    },
    {
      label: 'Cy Placeholder (fictional): on denosumab, second dose late',
      ...base('cy', 260),
      events: [
        event('c1', daysAgo(250), { type: 'bone-therapy-started', drug: 'denosumab' }),
        event('c2', daysAgo(200), {
          type: 'follow-up-contact',
          mode: 'telephone',
          treatmentStatus: 'started',
        }),
      ],
    },
  ];
}

main().catch((error: unknown) => {
  if (error instanceof PathwayInputError) {
    console.error('The record was not accepted:');
    for (const issue of error.issues) console.error(`  - ${issue.path}: ${issue.message}`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
