// Observations from the recorded assessments: pain scores, DXA T-scores, fracture risk, falls
// risk, the psychological screen, the laboratory screen and later clinical findings.
//
// One Observation per standing entry chain (and per measurement where an entry holds several),
// its id the first entry's (so a correction amends it): status 'final', 'amended' once corrected,
// 'entered-in-error' when withdrawn (then with the withdrawn values, as FHIR expects). Entries
// superseded by a correction are not output: the amended resource replaces them.
//
// Codes: LOINC 72514-3 "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
// (https://loinc.org/72514-3, as used by HL7 Belgium's patient-monitoring IG ValueSet pain-scale
// and the ANS "mesures de santé" IG's pain profile) for both pain scores; which one is which is
// in code.text. Every other value is coded as text: the LOINC DXA T-score codes found
// (80946-7, 80948-3, US Core examples) are for the left hip and femur, and the service does
// not record the side.
import type { Observation, ObservationComponent } from '@medplum/fhirtypes';
import type { ClinicalEvent, EventOf } from '@vfx/domain';
import { entryResourceId } from '../ids.js';
import type { EpisodeRecord } from '../records.js';
import { LOINC_SYSTEM, UCUM_SYSTEM } from '../systems.js';
import {
  entryNotes,
  entryStatus,
  patientReference,
  type StandingEntry,
  standingEntries,
} from './common.js';

const OBSERVATION_EVENT_TYPES = [
  'pain-assessment',
  'dxa-result',
  'fracture-risk-assessment',
  'falls-risk-assessment',
  'psychological-screen',
  'laboratory-screen',
  'clinical-findings',
] as const;

type Category = 'survey' | 'imaging' | 'laboratory' | 'exam';

const PAIN_NRS_CODE = {
  system: LOINC_SYSTEM,
  code: '72514-3',
  display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported',
};

function category(code: Category) {
  return [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }],
    },
  ];
}

function base(
  record: EpisodeRecord,
  entry: StandingEntry,
  part: string | undefined,
  what: Category | undefined,
): Omit<Observation, 'code'> & { resourceType: 'Observation' } {
  const notes = entryNotes(entry);
  return {
    resourceType: 'Observation',
    id: entryResourceId(entry.rootId, part),
    meta: { lastUpdated: entry.lastUpdated },
    status: entryStatus(entry, 'final') as Observation['status'],
    ...(what ? { category: category(what) } : {}),
    subject: patientReference(record.patientId),
    effectiveDateTime: entry.event.occurredAt,
    issued: entry.event.recordedAt,
    ...(notes ? { note: notes } : {}),
  };
}

function booleanComponent(text: string, value: boolean | undefined): ObservationComponent[] {
  return value === undefined ? [] : [{ code: { text }, valueBoolean: value }];
}

function textComponent(text: string, value: string | undefined): ObservationComponent[] {
  return value === undefined ? [] : [{ code: { text }, valueCodeableConcept: { text: value } }];
}

const tScore = (value: number) => ({
  value,
  unit: 'T-score',
  system: UCUM_SYSTEM,
  code: '{T-score}',
});
const percent = (value: number) => ({ value, unit: '%', system: UCUM_SYSTEM, code: '%' });
const score = (value: number) => ({ value, unit: 'score', system: UCUM_SYSTEM, code: '{score}' });

const LIMITATION_WORDS = { none: 'None', mild: 'Mild', moderate: 'Moderate', severe: 'Severe' };
const MOBILITY_WORDS = { independent: 'Independent', 'with-help': 'With help', unable: 'Unable' };
const RISK_CATEGORY_WORDS = {
  low: 'low',
  intermediate: 'intermediate',
  high: 'high',
  'very-high': 'very high',
};

function fromEntry(record: EpisodeRecord, entry: StandingEntry): Observation[] {
  const event = entry.event as EventOf<(typeof OBSERVATION_EVENT_TYPES)[number]>;
  switch (event.type) {
    case 'pain-assessment': {
      const context = [
        ...textComponent('Functional limitation', LIMITATION_WORDS[event.functionalLimitation]),
        ...textComponent('Mobility', event.mobility && MOBILITY_WORDS[event.mobility]),
        ...booleanComponent('On analgesia', event.onAnalgesia),
        ...booleanComponent('Difficulty with dressing or self-care', event.selfCareDifficulty),
      ];
      return [
        ['rest', 'Pain at rest (0-10 numeric rating scale)', event.nrsAtRest] as const,
        ['activity', 'Pain on activity (0-10 numeric rating scale)', event.nrsOnActivity] as const,
      ].map(([part, text, value]) => ({
        ...base(record, entry, part, 'survey'),
        code: { coding: [PAIN_NRS_CODE], text },
        valueQuantity: score(value),
        ...(context.length > 0 ? { component: context } : {}),
      }));
    }
    case 'dxa-result': {
      const sites = [
        ['lumbar-spine', 'DXA lumbar spine T-score', event.lumbarSpineTScore],
        ['total-hip', 'DXA total hip T-score', event.totalHipTScore],
        ['femoral-neck', 'DXA femoral neck T-score', event.femoralNeckTScore],
      ] as const;
      return sites.flatMap(([part, text, value]) =>
        value === undefined
          ? []
          : [
              {
                ...base(record, entry, part, 'imaging'),
                code: { text },
                valueQuantity: tScore(value),
                ...(event.vertebralFractureAssessment !== undefined
                  ? {
                      component: booleanComponent(
                        'Vertebral fracture assessment done',
                        event.vertebralFractureAssessment,
                      ),
                    }
                  : {}),
              },
            ],
      );
    }
    case 'fracture-risk-assessment': {
      const interpretation = [
        { text: `Risk category (clinician): ${RISK_CATEGORY_WORDS[event.category]}` },
      ];
      return [
        {
          ...base(record, entry, 'major', 'survey'),
          code: {
            text: `${event.tool}: 10-year probability of a major osteoporotic fracture`,
          },
          valueQuantity: percent(event.majorOsteoporoticFractureRisk),
          interpretation,
        },
        ...(event.hipFractureRisk === undefined
          ? []
          : [
              {
                ...base(record, entry, 'hip', 'survey'),
                code: { text: `${event.tool}: 10-year probability of hip fracture` },
                valueQuantity: percent(event.hipFractureRisk),
                interpretation,
              },
            ]),
      ];
    }
    case 'falls-risk-assessment':
      return [
        {
          ...base(record, entry, undefined, 'survey'),
          code: { text: 'Falls risk assessment' },
          valueCodeableConcept: {
            text: event.result === 'at-risk' ? 'At risk of falls' : 'Not at risk of falls',
          },
          component: [
            { code: { text: 'Falls in the last year' }, valueInteger: event.fallsInLastYear },
            ...booleanComponent('Presented with a fall', event.presentedWithFall),
            ...booleanComponent('Gait or balance difficulty', event.gaitOrBalanceDifficulty),
          ],
        },
      ];
    case 'psychological-screen':
      return [
        {
          ...base(record, entry, undefined, 'survey'),
          code: { text: 'Psychological screen' },
          ...(event.tools ? { method: { text: event.tools } } : {}),
          component: [
            ...booleanComponent('Anxiety or low mood', event.anxietyOrLowMood),
            ...booleanComponent('Pain catastrophising', event.painCatastrophising),
            ...booleanComponent('Fear of falling', event.fearOfFalling),
          ],
        },
      ];
    case 'laboratory-screen':
      return [
        {
          ...base(record, entry, undefined, 'laboratory'),
          code: { text: 'Laboratory screen for secondary causes of osteoporosis' },
          valueCodeableConcept: {
            text: event.secondaryCauseFound ? 'Secondary cause found' : 'No secondary cause found',
          },
        },
      ];
    case 'clinical-findings':
      return [
        {
          ...base(record, entry, undefined, 'exam'),
          code: { text: 'Clinical findings after enrolment' },
          component: [
            ...booleanComponent('Neurological deficit', event.neurologicalDeficit),
            ...booleanComponent('Suspected malignancy', event.suspectedMalignancy),
            ...textComponent(
              'Vertebral column involvement',
              event.columnInvolvement === undefined
                ? undefined
                : event.columnInvolvement === 'anterior-only'
                  ? 'Anterior column only'
                  : 'More than one column',
            ),
            ...textComponent(
              'Bone marrow oedema on MRI',
              event.mriOedema === undefined
                ? undefined
                : { present: 'Present', absent: 'Absent', 'not-imaged': 'Not imaged' }[
                    event.mriOedema
                  ],
            ),
          ],
        },
      ];
  }
}

/** Every Observation of an episode's recorded assessments, in the order they were first recorded. */
export function observationResources(record: EpisodeRecord): Observation[] {
  return standingEntries(
    record.events as readonly ClinicalEvent[],
    OBSERVATION_EVENT_TYPES,
  ).flatMap((entry) => fromEntry(record, entry));
}
