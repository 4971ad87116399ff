import type { PathwayDefinition, StepDefinition } from '../definition.js';
import {
  BMJ_BED_REST_24_48,
  BMJ_CALCITONIN_EMA,
  BMJ_LAXATIVE,
  BMJ_MULTICOLUMN,
  BMJ_MULTICOLUMN_SURGERY,
  BMJ_ORTHOSIS,
  BMJ_PAIN_CENTRE,
  BMJ_ROMOSOZUMAB,
  FLS_16_WEEKS,
  FLS_52_WEEKS,
  FLS_90_DAYS,
  PROMPTLY,
  QA_AAOS_AGAINST_VERTEBROPLASTY,
  QA_AUGMENTATION_3_MONTHS,
  QA_AUGMENTATION_AFTER_3_MONTHS,
  QA_CALCITONIN_FIRST_LINE,
  QA_CALCIUM_VITAMIN_D,
  QA_DENOSUMAB_6_MONTHLY,
  QA_DENOSUMAB_CC,
  QA_DENOSUMAB_STOPPING,
  QA_MALIGNANCY_MRI,
  QA_NEURO_DEFICIT,
  QA_NEURO_SURGICAL,
  QA_PATHOLOGICAL_ONCOLOGY,
  QA_START_DRUGS,
  RED_FLAG_ESCALATION,
  REFERRAL_TWO_WEEKS,
  ROS_48H_RULE,
  ROS_ACUTE_PAIN_DURATION,
  ROS_ANALGESIA_TABLE,
  ROS_ANXIETY_REFERRAL,
  ROS_ASSESSMENT,
  ROS_BED_REST,
  ROS_BRACING,
  ROS_CALCITONIN,
  ROS_CALCITONIN_4_WEEKS,
  ROS_CATASTROPHISING,
  ROS_CENTRAL_ACTING,
  ROS_DXA,
  ROS_DXA_FRAIL,
  ROS_DXA_NOT_DELAY,
  ROS_EXERCISE_ADVICE,
  ROS_EXERCISE_PROGRAMME,
  ROS_FALLS,
  ROS_FALLS_REFERRAL,
  ROS_FEAR,
  ROS_FLS_FALLS_65,
  ROS_FLS_FALLS_ACTIONED,
  ROS_FLS_FOLLOW_UP,
  ROS_FLS_TREATMENT_TAKEN,
  ROS_FOLLOW_UP_OPTIMISE,
  ROS_FRACTURE_RISK,
  ROS_LABS,
  ROS_LIFTING_12_WEEKS,
  ROS_MUSCLE_RELAXANT,
  ROS_NSAID,
  ROS_OPIOID_LAXATIVE,
  ROS_OT,
  ROS_PAIN_ESCALATE,
  ROS_PAIN_TEAM,
  ROS_PARACETAMOL,
  ROS_PATHOLOGICAL_OUT_OF_SCOPE,
  ROS_PERSISTENT_PAIN,
  ROS_PHYSIO_ACUTE,
  ROS_PROGRESSIVE_TRAINING,
  ROS_PSYCHOLOGY,
  ROS_PSYCHOLOGY_ACUTE,
  ROS_SELF_MANAGEMENT,
  ROS_TRAMADOL,
  ROS_TREATMENT,
  ROS_VA_MDT,
  ROS_VA_SIGN,
} from './ros-2022-citations.js';

/**
 * Version 1 of the vertebral fragility fracture pathway, built on the Royal Osteoporosis Society
 * 2022 guidance (primary) with the secondary sources where the ROS guidance is silent or where
 * the sources disagree. Published versions are frozen: change a copy under a new version.
 */

// --- Steps ------------------------------------------------------------------------------------

const NOT_BEFORE_ANCHOR = 'anchor' as const;

const steps: StepDefinition[] = [
  // Red flags: these patients leave the routine conservative pathway for specialist care.
  {
    id: 'red-flag-neurological-deficit',
    title: 'Immediate spinal surgical referral (neurological deficit)',
    why: 'A neurological deficit means possible cord or root compression; delay worsens neurological outcome, so the patient leaves the routine conservative pathway.',
    category: 'red-flag',
    sources: [QA_NEURO_SURGICAL, QA_NEURO_DEFICIT],
    branch: 'all',
    appliesWhen: { fact: 'neurologicalDeficit', eq: true },
    trigger: { kind: 'finding', finding: 'neurologicalDeficit' },
    window: {
      granularity: 'exact',
      opens: { hours: 0 },
      due: { hours: 0 },
      overdueAfter: { hours: 4 },
      timing: RED_FLAG_ESCALATION,
    },
    completedBy: [
      { event: 'referral', where: { fact: 'referralType', eq: 'spinal-surgery' }, from: 'episode' },
    ],
    urgency: 'urgent',
    action: 'Refer immediately to the spinal surgical team; record the referral.',
  },
  {
    id: 'red-flag-suspected-malignancy',
    title: 'MRI with contrast and oncology pathway (suspected malignancy)',
    why: 'A pathological fracture is outside the osteoporotic fracture guidance; malignancy must be confirmed or excluded by whole-spine MRI with contrast and an oncology opinion.',
    category: 'red-flag',
    sources: [QA_MALIGNANCY_MRI, QA_PATHOLOGICAL_ONCOLOGY, ROS_PATHOLOGICAL_OUT_OF_SCOPE],
    branch: 'all',
    appliesWhen: { fact: 'suspectedMalignancy', eq: true },
    trigger: { kind: 'finding', finding: 'suspectedMalignancy' },
    window: {
      granularity: 'exact',
      opens: { hours: 0 },
      due: { hours: 0 },
      overdueAfter: { hours: 4 },
      timing: RED_FLAG_ESCALATION,
    },
    completedBy: [],
    urgency: 'urgent',
    action:
      'Request whole-spine MRI with and without contrast and refer to the oncology (malignancy) pathway; record the step as done.',
  },
  {
    id: 'red-flag-multiple-column',
    title: 'Strict bed rest and spinal surgical opinion (multiple-column involvement)',
    why: 'Fractures involving more than the anterior column are potentially unstable and prone to neurological involvement.',
    category: 'red-flag',
    sources: [BMJ_MULTICOLUMN, BMJ_MULTICOLUMN_SURGERY],
    branch: 'all',
    appliesWhen: { fact: 'multipleColumnInvolvement', eq: true },
    trigger: { kind: 'finding', finding: 'multipleColumnInvolvement' },
    window: {
      granularity: 'exact',
      opens: { hours: 0 },
      due: { hours: 0 },
      overdueAfter: { hours: 4 },
      timing: RED_FLAG_ESCALATION,
    },
    completedBy: [
      { event: 'referral', where: { fact: 'referralType', eq: 'spinal-surgery' }, from: 'episode' },
    ],
    urgency: 'urgent',
    action:
      'Keep on strict bed rest with analgesia and refer for a spinal surgical opinion; record the referral.',
  },

  // Acute care.
  {
    id: 'holistic-assessment',
    title: 'Holistic assessment of pain, function and quality of life',
    why: 'Every patient needs their pain (at rest and on activity) and its impact on daily life assessed, so analgesia can be matched to the pain band.',
    category: 'holistic-assessment',
    sources: [ROS_ASSESSMENT],
    branch: 'all',
    trigger: { kind: 'episode', anchor: 'enrolment' },
    window: { granularity: 'day', opens: {}, due: {}, overdueAfter: { days: 1 }, timing: PROMPTLY },
    completedBy: [{ event: 'pain-assessment', from: 'episode' }],
    urgency: 'routine',
    action: 'Record a pain assessment: NRS at rest and on activity, and functional limitation.',
  },
  {
    id: 'self-management-advice',
    title: 'Exercise and self-management advice',
    why: 'Advice on moving, exercise and self-management should be given promptly, without waiting for referral to specialist services.',
    category: 'acute-care',
    sources: [ROS_EXERCISE_ADVICE, ROS_SELF_MANAGEMENT],
    branch: 'all',
    trigger: { kind: 'episode', anchor: 'enrolment' },
    window: { granularity: 'day', opens: {}, due: {}, overdueAfter: { days: 1 }, timing: PROMPTLY },
    completedBy: [],
    urgency: 'routine',
    action:
      'Give verbal and written advice on safe movement, pain expectations, avoiding prolonged bed rest and heavy lifting; signpost to the Royal Osteoporosis Society.',
  },
  {
    id: 'pain-review-48h',
    title: '48-hour pain review (admitted patients)',
    why: 'For admitted patients, pain that is unremitting after 48 hours and severely limits daily activities despite analgesia, with MRI oedema, is the point at which vertebral augmentation is considered.',
    category: 'acute-care',
    sources: [ROS_48H_RULE],
    branch: 'conservative',
    appliesWhen: { fact: 'careSetting', eq: 'admitted' },
    trigger: { kind: 'episode', anchor: 'admission' },
    window: {
      granularity: 'exact',
      opens: { hours: 48 },
      due: { hours: 48 },
      overdueAfter: { hours: 72 },
      timing: {
        kind: 'service-standard',
        explanation:
          'The review is at 48 hours after admission (guidance); this service allows until 72 hours before it is overdue.',
        source: ROS_48H_RULE,
      },
    },
    completedBy: [{ event: 'pain-assessment', from: 'opens' }],
    urgency: 'routine',
    action:
      'Reassess pain (NRS at rest and on activity), function, mobility and whether analgesia has been started.',
  },
  {
    id: 'severe-pain-review',
    title: 'Review analgesia while pain is severe',
    why: 'In the acute phase pain is most intense and therapy should be escalated quickly according to the response.',
    category: 'acute-care',
    sources: [ROS_PAIN_ESCALATE, ROS_ACUTE_PAIN_DURATION],
    branch: 'all',
    waitingFor: 'a pain assessment in the first 12 weeks with severe pain (NRS > 6)',
    trigger: {
      kind: 'each-event',
      event: 'pain-assessment',
      where: {
        all: [
          { fact: 'painBand', eq: 'severe' },
          { fact: 'daysAfterFracture', lte: 84 },
        ],
      },
    },
    window: {
      granularity: 'day',
      opens: {},
      due: { days: 2 },
      overdueAfter: { days: 2 },
      timing: {
        kind: 'service-standard',
        explanation:
          'The guidance says escalate "quickly"; this service reviews severe pain within 2 days.',
      },
    },
    completedBy: [{ event: 'pain-assessment', from: NOT_BEFORE_ANCHOR }],
    urgency: 'routine',
    action: 'Reassess pain and escalate analgesia according to the pain band.',
  },
  {
    id: 'vertebral-augmentation-mdt',
    title: 'Consider referral for vertebral augmentation (MDT decision)',
    why: 'Admitted patient whose pain is unremitting after 48 hours, severely limits daily activities despite analgesia, with vertebral body oedema on MRI. Sources disagree on augmentation: see the recommendation.',
    category: 'acute-care',
    sources: [ROS_48H_RULE, ROS_VA_MDT],
    branch: 'conservative',
    appliesWhen: {
      all: [
        { fact: 'careSetting', eq: 'admitted' },
        { fact: 'mriOedema', eq: 'present' },
      ],
    },
    waitingFor:
      'a pain assessment at least 48 hours after admission with severe pain, severe functional limitation and analgesia started (and MRI oedema)',
    trigger: {
      kind: 'first-event',
      event: 'pain-assessment',
      where: {
        all: [
          { fact: 'hoursAfterAdmission', gte: 48 },
          { fact: 'painBand', eq: 'severe' },
          { fact: 'functionalLimitation', eq: 'severe' },
          { fact: 'onAnalgesia', eq: true },
        ],
      },
    },
    window: { granularity: 'day', opens: {}, due: {}, overdueAfter: { days: 1 }, timing: PROMPTLY },
    completedBy: [
      {
        event: 'referral',
        where: { fact: 'referralType', eq: 'vertebral-augmentation-mdt' },
        from: 'episode',
      },
    ],
    urgency: 'routine',
    action:
      'Discuss at the spinal MDT (facility with spinal surgery); explain risks and benefits; record the referral or the decision not to refer.',
  },
  {
    id: 'physiotherapy-referral-acute',
    title: 'Physiotherapy referral (acute: severe pain, cannot mobilise)',
    why: 'In the acute phase, severe pain with inability to mobilise and manage daily activities warrants physiotherapy.',
    category: 'acute-care',
    sources: [ROS_PHYSIO_ACUTE],
    branch: 'conservative',
    waitingFor:
      'a pain assessment in the acute phase (first 6 weeks) with severe pain and unable to mobilise',
    trigger: {
      kind: 'first-event',
      event: 'pain-assessment',
      where: {
        all: [
          { fact: 'painBand', eq: 'severe' },
          { fact: 'mobility', eq: 'unable' },
          { fact: 'daysAfterFracture', lte: 42 },
        ],
      },
    },
    window: { granularity: 'day', opens: {}, due: {}, overdueAfter: { days: 1 }, timing: PROMPTLY },
    completedBy: [
      { event: 'referral', where: { fact: 'referralType', eq: 'physiotherapy' }, from: 'episode' },
    ],
    urgency: 'routine',
    action: 'Refer to physiotherapy; record the referral.',
  },
  {
    id: 'exercise-programme-referral',
    title: 'Individualised exercise programme referral',
    why: 'All patients should be considered for an individualised exercise programme 4 to 12 weeks after the fracture, or earlier once acute pain has settled.',
    category: 'rehabilitation',
    sources: [ROS_EXERCISE_PROGRAMME],
    branch: 'conservative',
    trigger: { kind: 'episode', anchor: 'fracture-date' },
    window: {
      granularity: 'day',
      opens: { weeks: 4 },
      due: { weeks: 12 },
      overdueAfter: { weeks: 12 },
      timing: { kind: 'guideline', source: ROS_EXERCISE_PROGRAMME },
    },
    completedBy: [
      {
        event: 'referral',
        where: { fact: 'referralType', eq: 'individualised-exercise-programme' },
        from: 'episode',
      },
    ],
    urgency: 'routine',
    action:
      'Refer to a physiotherapist or exercise professional for a programme targeting back extensor endurance, balance and function.',
    earlyCompletion: {
      acceptedWhen: { fact: 'latestPainBand', eq: 'mild' },
      accepted:
        'Referred before 4 weeks with acute pain settled (latest pain mild), as the guidance allows.',
      questioned:
        'Referred before 4 weeks although acute pain had not been recorded as settled; the guidance allows early referral when acute pain has diminished.',
    },
  },
  {
    id: 'twelve-week-review',
    title: '12-week review',
    why: 'By 12 weeks most fractures have healed: the lifting restriction ends, and pain that persists needs imaging to exclude a new fracture or non-union, pain-clinic referral and centrally acting therapies.',
    category: 'rehabilitation',
    sources: [ROS_LIFTING_12_WEEKS, ROS_PERSISTENT_PAIN, ROS_CENTRAL_ACTING],
    branch: 'conservative',
    trigger: { kind: 'episode', anchor: 'fracture-date' },
    window: {
      granularity: 'day',
      opens: { weeks: 12 },
      due: { weeks: 12 },
      overdueAfter: { weeks: 14 },
      timing: {
        kind: 'service-standard',
        explanation:
          'The 12-week point is from the guidance; this service allows 2 weeks before the review is overdue.',
        source: ROS_LIFTING_12_WEEKS,
      },
    },
    completedBy: [
      { event: 'pain-assessment', from: 'opens' },
      { event: 'follow-up-contact', from: 'opens' },
    ],
    urgency: 'routine',
    action:
      'Review pain and function; advise on resuming lifting and activity; if pain persists, arrange imaging, pain-clinic referral and consider centrally acting therapies.',
  },
  {
    id: 'pain-clinic-referral',
    title: 'Pain management clinic referral (persisting pain)',
    why: 'Pain that persists beyond the healing period and remains a management problem warrants an interdisciplinary pain management clinic.',
    category: 'rehabilitation',
    sources: [ROS_PERSISTENT_PAIN, ROS_PAIN_TEAM, BMJ_PAIN_CENTRE],
    branch: 'all',
    waitingFor:
      'a pain assessment 12 weeks or more after the fracture with moderate or severe pain (NRS >= 4)',
    trigger: {
      kind: 'first-event',
      event: 'pain-assessment',
      where: {
        all: [
          { fact: 'daysAfterFracture', gte: 84 },
          { fact: 'worstNrs', gte: 4 },
        ],
      },
    },
    window: {
      granularity: 'day',
      opens: {},
      due: {},
      overdueAfter: { weeks: 2 },
      timing: REFERRAL_TWO_WEEKS,
    },
    completedBy: [
      { event: 'referral', where: { fact: 'referralType', eq: 'pain-clinic' }, from: 'episode' },
    ],
    urgency: 'routine',
    action:
      'Refer to the interdisciplinary pain management clinic; record the referral or the decision not to refer.',
  },
  {
    id: 'psychological-screen',
    title: 'Psychological screen (anxiety, low mood, catastrophising, fear of falling)',
    why: 'Anxiety, low mood and pain catastrophising influence whether pain persists; assessing them in the acute phase reduces the risk of chronic pain.',
    category: 'holistic-assessment',
    sources: [ROS_PSYCHOLOGY, ROS_PSYCHOLOGY_ACUTE],
    branch: 'all',
    trigger: { kind: 'episode', anchor: 'fracture-date' },
    window: {
      granularity: 'day',
      opens: {},
      due: { weeks: 6 },
      overdueAfter: { weeks: 6 },
      timing: {
        kind: 'service-standard',
        explanation:
          'The guidance places the screen in the acute phase; this service takes the acute phase as the first 6 weeks.',
        source: ROS_PSYCHOLOGY_ACUTE,
      },
    },
    completedBy: [{ event: 'psychological-screen', from: 'episode' }],
    urgency: 'routine',
    action:
      'Screen for anxiety and low mood (e.g. HADS), pain catastrophising (e.g. PCS) and fear of falling (e.g. FES-I short form).',
  },
  {
    id: 'occupational-therapy-referral',
    title: 'Occupational therapy referral (daily activities limited)',
    why: 'Significant activity limitations, such as difficulty dressing and self-care, warrant occupational therapy.',
    category: 'rehabilitation',
    sources: [ROS_OT],
    branch: 'all',
    waitingFor:
      'a pain assessment recording severe functional limitation or difficulty with self-care',
    trigger: {
      kind: 'first-event',
      event: 'pain-assessment',
      where: {
        any: [
          { fact: 'functionalLimitation', eq: 'severe' },
          { fact: 'selfCareDifficulty', eq: true },
        ],
      },
    },
    window: {
      granularity: 'day',
      opens: {},
      due: {},
      overdueAfter: { weeks: 2 },
      timing: REFERRAL_TWO_WEEKS,
    },
    completedBy: [
      {
        event: 'referral',
        where: { fact: 'referralType', eq: 'occupational-therapy' },
        from: 'episode',
      },
    ],
    urgency: 'routine',
    action: 'Refer to occupational therapy; record the referral or the decision not to refer.',
  },

  // Secondary fracture prevention (fracture liaison service).
  {
    id: 'falls-risk-assessment',
    title: 'Falls risk assessment',
    why: 'Vertebral fracture raises the risk of falls and further fractures. The key practice points ask for it in all patients; the FLS standard names people aged 65 or over.',
    category: 'secondary-prevention',
    sources: [ROS_FALLS, ROS_FLS_FALLS_65],
    branch: 'all',
    trigger: { kind: 'episode', anchor: 'fracture-date' },
    window: {
      granularity: 'day',
      opens: {},
      due: { days: 90 },
      overdueAfter: { days: 90 },
      timing: FLS_90_DAYS,
    },
    completedBy: [{ event: 'falls-risk-assessment', from: 'episode' }],
    urgency: 'routine',
    action: 'Ask about falls in the last year, gait and balance; record the result.',
    kpi: 'Falls assessment',
    notes: [
      {
        when: { fact: 'ageAtFracture', gte: 65 },
        text: 'Aged 65 or over: falls risk assessment is part of the FLS standard (Appendix B) as well as the key practice points.',
      },
      {
        when: { fact: 'ageAtFracture', lt: 65 },
        text: 'Under 65: the FLS standard (Appendix B) names people aged 65 or over, but the key practice points ask for a falls risk assessment in every patient with a vertebral fracture, so it applies here too.',
      },
    ],
  },
  {
    id: 'falls-service-referral',
    title: 'Falls prevention service referral',
    why: 'Patients with a history of falls or at significant risk of falls should be referred to the local falls service.',
    category: 'secondary-prevention',
    sources: [ROS_FALLS_REFERRAL, ROS_FALLS],
    branch: 'all',
    waitingFor: 'a falls risk assessment showing risk or a history of falls',
    trigger: {
      kind: 'first-event',
      event: 'falls-risk-assessment',
      where: { fact: 'fallsRiskIndicated', eq: true },
    },
    window: {
      granularity: 'day',
      opens: {},
      due: {},
      overdueAfter: { weeks: 2 },
      timing: REFERRAL_TWO_WEEKS,
    },
    completedBy: [
      { event: 'referral', where: { fact: 'referralType', eq: 'falls-service' }, from: 'episode' },
    ],
    urgency: 'routine',
    action: 'Refer to the local falls prevention service; record the referral.',
  },
  {
    id: 'fracture-risk-assessment',
    title: 'Fracture risk assessment (FRAX or QFracture)',
    why: 'All patients with a vertebral fragility fracture should have a fracture risk assessment to guide treatment.',
    category: 'secondary-prevention',
    sources: [ROS_FRACTURE_RISK],
    branch: 'all',
    trigger: { kind: 'episode', anchor: 'fracture-date' },
    window: {
      granularity: 'day',
      opens: {},
      due: { days: 90 },
      overdueAfter: { days: 90 },
      timing: FLS_90_DAYS,
    },
    completedBy: [{ event: 'fracture-risk-assessment', from: 'episode' }],
    urgency: 'routine',
    action:
      'Calculate FRAX or QFracture (FRAX may underestimate risk after a vertebral fracture); record the result and category.',
    kpi: 'Fracture risk assessment within 90 days',
  },
  {
    id: 'dxa-scan',
    title: 'DXA scan with vertebral fracture assessment',
    why: 'DXA measures bone density and informs treatment; not indicated where it would not change management (e.g. very frail), and therapy is not delayed for it when risk is very high.',
    category: 'secondary-prevention',
    sources: [ROS_DXA, ROS_DXA_NOT_DELAY, ROS_DXA_FRAIL],
    branch: 'all',
    trigger: { kind: 'episode', anchor: 'fracture-date' },
    window: {
      granularity: 'day',
      opens: {},
      due: { days: 90 },
      overdueAfter: { days: 90 },
      timing: FLS_90_DAYS,
    },
    completedBy: [{ event: 'dxa-result', from: 'episode' }],
    urgency: 'routine',
    action:
      'Request DXA (with VFA unless recent spine imaging covers it); record the T-scores, or record "not indicated" with the reason.',
    kpi: 'DXA within 90 days',
  },
  {
    id: 'laboratory-screen',
    title: 'Laboratory screen for secondary causes of osteoporosis',
    why: 'Investigations identify underlying secondary causes of osteoporosis and inform treatment decisions.',
    category: 'secondary-prevention',
    sources: [ROS_LABS],
    branch: 'all',
    trigger: { kind: 'episode', anchor: 'fracture-date' },
    window: {
      granularity: 'day',
      opens: {},
      due: { days: 90 },
      overdueAfter: { days: 90 },
      timing: FLS_90_DAYS,
    },
    completedBy: [{ event: 'laboratory-screen', from: 'episode' }],
    urgency: 'routine',
    action:
      'Request the laboratory screen for secondary causes; record that it was done and whether a cause was found.',
  },
  {
    id: 'bone-therapy-decision',
    title: 'Bone therapy recommendation',
    why: 'All eligible patients should be considered for drug treatment to reduce bone loss and future fracture risk; in very high risk, therapy is not delayed for DXA.',
    category: 'secondary-prevention',
    sources: [ROS_TREATMENT, ROS_DXA_NOT_DELAY, QA_START_DRUGS],
    branch: 'all',
    trigger: { kind: 'episode', anchor: 'fracture-date' },
    window: {
      granularity: 'day',
      opens: {},
      due: { days: 90 },
      overdueAfter: { days: 90 },
      timing: FLS_90_DAYS,
    },
    completedBy: [{ event: 'bone-therapy-started', from: 'episode' }],
    urgency: 'routine',
    action:
      'Recommend bone therapy (or record why not) to the patient and GP; record the start when it begins.',
    kpi: 'Bone therapy recommended',
  },
  {
    id: 'fls-follow-up-16-weeks',
    title: 'FLS follow-up contact (treatment started? falls referral actioned?)',
    why: 'The fracture liaison service follows patients up to make sure treatment has been started and taken, and that falls referrals have been actioned.',
    category: 'secondary-prevention',
    sources: [ROS_FLS_FOLLOW_UP],
    branch: 'all',
    trigger: { kind: 'episode', anchor: 'fracture-date' },
    window: {
      granularity: 'day',
      opens: { weeks: 12 },
      due: { weeks: 16 },
      overdueAfter: { weeks: 16 },
      timing: FLS_16_WEEKS,
    },
    completedBy: [{ event: 'follow-up-contact', from: 'opens' }],
    urgency: 'routine',
    action:
      'Contact the patient: has bone therapy started and is it taken as prescribed? Was the falls referral actioned?',
    kpi: 'Follow-up contact by 16 weeks',
  },
  {
    id: 'fls-adherence-52-weeks',
    title: 'Bone therapy adherence check at 52 weeks',
    why: 'Follow-up ensures treatment is optimised and taken; adherence at one year is an FLS audit measure.',
    category: 'secondary-prevention',
    sources: [ROS_FOLLOW_UP_OPTIMISE, ROS_FLS_FOLLOW_UP],
    branch: 'all',
    appliesWhen: { fact: 'boneTherapyStarted', eq: true },
    waitingFor: 'bone therapy to be started',
    trigger: { kind: 'episode', anchor: 'fracture-date' },
    window: {
      granularity: 'day',
      opens: { weeks: 48 },
      due: { weeks: 52 },
      overdueAfter: { weeks: 52 },
      timing: FLS_52_WEEKS,
    },
    completedBy: [{ event: 'follow-up-contact', from: 'opens' }],
    urgency: 'routine',
    action:
      'Check the patient is still taking bone therapy as prescribed; address barriers to adherence.',
    kpi: 'Adherence at 52 weeks',
  },

  // Bone-therapy maintenance.
  {
    id: 'denosumab-next-dose',
    title: 'Denosumab dose due (every 6 months)',
    why: 'Denosumab is given every 6 months; stopping or delaying it is associated with rebound bone loss and multiple vertebral fractures, so a late dose is urgent.',
    category: 'bone-therapy',
    sources: [QA_DENOSUMAB_6_MONTHLY, QA_DENOSUMAB_STOPPING, QA_DENOSUMAB_CC],
    branch: 'all',
    waitingFor: 'a denosumab course to be started',
    trigger: { kind: 'next-dose', drugs: ['denosumab'] },
    window: {
      granularity: 'day',
      opens: { months: 6 },
      due: { months: 6 },
      overdueAfter: { months: 6, weeks: 4 },
      timing: {
        kind: 'service-standard',
        explanation:
          'Every 6 months from the last dose (sources); this service treats a dose more than 4 weeks late as overdue and urgent.',
        source: QA_DENOSUMAB_6_MONTHLY,
      },
    },
    completedBy: [],
    urgency: 'urgent-when-overdue',
    action:
      'Give or confirm the next denosumab dose; record the dose. Do not stop denosumab without a follow-on plan.',
  },
  {
    id: 'zoledronic-acid-next-dose',
    title: 'Zoledronic acid infusion due (yearly)',
    why: 'Zoledronic acid is given as a yearly intravenous infusion.',
    category: 'bone-therapy',
    sources: [ROS_TREATMENT],
    branch: 'all',
    waitingFor: 'a zoledronic acid course to be started',
    trigger: { kind: 'next-dose', drugs: ['zoledronic-acid'] },
    window: {
      granularity: 'day',
      opens: { years: 1 },
      due: { years: 1 },
      overdueAfter: { years: 1 },
      timing: {
        kind: 'service-standard',
        explanation:
          'Yearly dosing (product schedule); the seed documents do not state the interval.',
      },
    },
    completedBy: [],
    urgency: 'routine',
    action: 'Arrange the yearly infusion; record the dose.',
  },
  {
    id: 'oral-bisphosphonate-review',
    title: 'Oral bisphosphonate treatment review at 5 years',
    why: 'Oral bisphosphonate treatment is reviewed after 5 years to decide whether to continue or pause it.',
    category: 'bone-therapy',
    sources: [ROS_FOLLOW_UP_OPTIMISE],
    branch: 'all',
    waitingFor: 'an oral bisphosphonate course to be started',
    trigger: {
      kind: 'therapy-course',
      drugs: ['alendronic-acid', 'risedronate', 'ibandronic-acid'],
      onStop: 'cancel',
    },
    window: {
      granularity: 'day',
      opens: { years: 5 },
      due: { years: 5 },
      overdueAfter: { years: 5, weeks: 4 },
      timing: {
        kind: 'service-standard',
        explanation:
          'Treatment review at 5 years for oral bisphosphonates (national osteoporosis guidance, not in the seed documents); overdue 4 weeks later.',
      },
    },
    completedBy: [{ event: 'follow-up-contact', from: 'opens' }],
    urgency: 'routine',
    action: 'Review fracture risk and decide whether to continue or pause the bisphosphonate.',
  },
  {
    id: 'intravenous-bisphosphonate-review',
    title: 'Intravenous bisphosphonate treatment review at 3 years',
    why: 'Intravenous bisphosphonate treatment is reviewed after 3 years to decide whether to continue or pause it.',
    category: 'bone-therapy',
    sources: [ROS_FOLLOW_UP_OPTIMISE],
    branch: 'all',
    waitingFor: 'a zoledronic acid course to be started',
    trigger: { kind: 'therapy-course', drugs: ['zoledronic-acid'], onStop: 'cancel' },
    window: {
      granularity: 'day',
      opens: { years: 3 },
      due: { years: 3 },
      overdueAfter: { years: 3, weeks: 4 },
      timing: {
        kind: 'service-standard',
        explanation:
          'Treatment review at 3 years for intravenous bisphosphonates (national osteoporosis guidance, not in the seed documents); overdue 4 weeks later.',
      },
    },
    completedBy: [{ event: 'follow-up-contact', from: 'opens' }],
    urgency: 'routine',
    action: 'Review fracture risk and decide whether to continue or pause the infusions.',
  },
  {
    id: 'teriparatide-follow-on',
    title: 'Teriparatide course ends at 24 months: start a follow-on antiresorptive',
    why: 'Teriparatide is a 24-month course; the gain in bone density is kept only if an antiresorptive follows it.',
    category: 'bone-therapy',
    sources: [ROS_TREATMENT],
    branch: 'all',
    waitingFor: 'a teriparatide course to be started',
    trigger: { kind: 'therapy-course', drugs: ['teriparatide'], onStop: 'due-when-stopped' },
    window: {
      granularity: 'day',
      opens: { months: 23 },
      due: { months: 24 },
      overdueAfter: { months: 24 },
      timing: {
        kind: 'service-standard',
        explanation:
          'Course length 24 months (product licence, not in the seed documents); the step opens a month before so the follow-on is ready.',
      },
    },
    completedBy: [
      {
        event: 'bone-therapy-started',
        where: { fact: 'startsAntiresorptive', eq: true },
        from: 'anchor',
      },
    ],
    urgency: 'routine',
    action:
      'Plan and start the follow-on antiresorptive (e.g. a bisphosphonate or denosumab) as the course ends; record its start.',
  },
  {
    id: 'romosozumab-follow-on',
    title: 'Romosozumab course ends at 12 months: start a follow-on antiresorptive',
    why: 'Romosozumab is a 12-month course; an antiresorptive must follow it to keep the benefit.',
    category: 'bone-therapy',
    sources: [BMJ_ROMOSOZUMAB],
    branch: 'all',
    waitingFor: 'a romosozumab course to be started',
    trigger: { kind: 'therapy-course', drugs: ['romosozumab'], onStop: 'due-when-stopped' },
    window: {
      granularity: 'day',
      opens: { months: 11 },
      due: { months: 12 },
      overdueAfter: { months: 12 },
      timing: {
        kind: 'service-standard',
        explanation:
          'Course length 12 months (product licence, not in the seed documents); the step opens a month before so the follow-on is ready.',
      },
    },
    completedBy: [
      {
        event: 'bone-therapy-started',
        where: { fact: 'startsAntiresorptive', eq: true },
        from: 'anchor',
      },
    ],
    urgency: 'routine',
    action: 'Plan and start the follow-on antiresorptive as the course ends; record its start.',
  },
];

// --- Recommendations --------------------------------------------------------------------------

const ANALGESIA_CAUTIONS = [
  {
    text: 'Opioids: co-prescribe a laxative and encourage fluids; straining can cause further fractures.',
    source: BMJ_LAXATIVE,
  },
  {
    text: 'Opioids: consider co-prescribing therapy to reduce the risk of constipation.',
    source: ROS_OPIOID_LAXATIVE,
  },
  {
    text: 'NSAIDs: shortest possible duration, with PPI cover where clinically appropriate.',
    source: ROS_NSAID,
  },
  {
    text: 'Tramadol is not a first-line opioid; only after specialist review.',
    source: ROS_TRAMADOL,
  },
] as const;

const recommendations: PathwayDefinition['recommendations'] = [
  {
    id: 'red-flag-specialist-care',
    title: 'Red flag: specialist team directs care',
    text: 'A red flag is recorded. The routine conservative steps are set aside; act on the red-flag step now and follow the specialist team’s plan.',
    category: 'red-flag',
    priority: 'urgent',
    when: { fact: 'redFlag', eq: true },
    sources: [QA_NEURO_SURGICAL, BMJ_MULTICOLUMN_SURGERY, ROS_PATHOLOGICAL_OUT_OF_SCOPE],
  },
  {
    id: 'strict-bed-rest-multiple-column',
    title: 'Strict bed rest until the spinal surgical plan is made',
    text: 'Multiple-column involvement is potentially unstable: strict bed rest with analgesia while definitive treatment is planned.',
    category: 'red-flag',
    priority: 'urgent',
    when: { fact: 'multipleColumnInvolvement', eq: true },
    sources: [BMJ_MULTICOLUMN],
    conflicts: [
      {
        position:
          'Strict bed rest for potentially unstable multiple-column fractures while definitive treatment is planned.',
        source: BMJ_MULTICOLUMN,
      },
      {
        position: 'For (stable) osteoporotic fractures, limit bed rest to a few days at most.',
        source: ROS_BED_REST,
      },
    ],
  },
  {
    id: 'analgesia-mild',
    title: 'Analgesia for mild pain (NRS 0-3)',
    text: 'Paracetamol (regular dosing may be needed), with or without a weak opioid and/or an NSAID.',
    category: 'acute-care',
    priority: 'routine',
    when: { fact: 'latestPainBand', eq: 'mild' },
    sources: [ROS_ANALGESIA_TABLE, ROS_PARACETAMOL],
    cautions: [
      ...ANALGESIA_CAUTIONS,
      { text: 'Muscle relaxants are not for mild pain.', source: ROS_MUSCLE_RELAXANT },
    ],
  },
  {
    id: 'analgesia-moderate',
    title: 'Analgesia for moderate pain (NRS 4-6)',
    text: 'Paracetamol, with or without opioids, NSAIDs and adjunct therapy (e.g. a short course of a low-dose muscle relaxant).',
    category: 'acute-care',
    priority: 'high',
    when: { fact: 'latestPainBand', eq: 'moderate' },
    sources: [ROS_ANALGESIA_TABLE, ROS_PARACETAMOL],
    cautions: [
      ...ANALGESIA_CAUTIONS,
      { text: 'Muscle relaxants: shortest time possible.', source: ROS_MUSCLE_RELAXANT },
    ],
  },
  {
    id: 'analgesia-severe',
    title: 'Analgesia for severe pain (NRS 7-10)',
    text: 'Paracetamol and opioids, with or without NSAIDs and adjunct therapy. Escalate quickly according to the response and review within 2 days.',
    category: 'acute-care',
    priority: 'high',
    when: { fact: 'latestPainBand', eq: 'severe' },
    sources: [ROS_ANALGESIA_TABLE, ROS_PAIN_ESCALATE],
    cautions: [
      ...ANALGESIA_CAUTIONS,
      { text: 'Muscle relaxants: shortest time possible.', source: ROS_MUSCLE_RELAXANT },
    ],
  },
  {
    id: 'calcitonin-acute-phase',
    title: 'Calcitonin: only in the first 4 weeks, when other options are exhausted',
    text: 'Calcitonin may be considered in individual cases within 4 weeks of the fracture when other analgesic options have been exhausted. The evidence is insufficient and the sources disagree.',
    category: 'acute-care',
    priority: 'routine',
    when: {
      all: [
        { fact: 'daysSinceFracture', lte: 28 },
        { fact: 'latestPainBand', in: ['moderate', 'severe'] },
      ],
    },
    sources: [ROS_CALCITONIN, ROS_CALCITONIN_4_WEEKS],
    contested: true,
    conflicts: [
      {
        position:
          'Insufficient evidence; consider only in the acute phase (first 4 weeks) when other analgesic options are exhausted.',
        source: ROS_CALCITONIN,
      },
      {
        position: 'First-line treatment for 4 weeks in acute fractures.',
        source: QA_CALCITONIN_FIRST_LINE,
      },
      {
        position:
          'The European Medicines Agency no longer recommends calcitonin (cancer risk with long-term use).',
        source: BMJ_CALCITONIN_EMA,
      },
    ],
  },
  {
    id: 'vertebral-augmentation-evidence',
    title: 'Vertebral augmentation: the sources disagree',
    text: 'The 48-hour criteria are met for considering vertebral augmentation. The decision is for a multidisciplinary team after a full discussion of risks and benefits with the patient.',
    category: 'acute-care',
    priority: 'high',
    when: {
      fact: 'stepStatus',
      step: 'vertebral-augmentation-mdt',
      in: ['open', 'due', 'overdue', 'completed'],
    },
    sources: [ROS_48H_RULE, ROS_VA_MDT],
    contested: true,
    conflicts: [
      {
        position:
          'Consider referral for admitted patients with pain unremitting after 48 hours, severely limiting daily activities despite analgesia, with MRI oedema (NICE TA279, NHSE&I Best MSK).',
        source: ROS_48H_RULE,
      },
      { position: 'Not recommended in Scotland (SIGN).', source: ROS_VA_SIGN },
      {
        position:
          'Strong recommendation against vertebroplasty (AAOS); kyphoplasty only a weak recommendation.',
        source: QA_AAOS_AGAINST_VERTEBROPLASTY,
      },
      {
        position: 'Only after 3 weeks to 3 months of failed conservative management.',
        source: QA_AUGMENTATION_3_MONTHS,
      },
      {
        position: 'Only after 3 months of failed conservative management.',
        source: QA_AUGMENTATION_AFTER_3_MONTHS,
      },
    ],
  },
  {
    id: 'pain-expectation-education',
    title: 'Explain what to expect from the pain',
    text: 'Explain that the severe pain after the fracture usually settles as it heals, often over about three months, and why it may recur.',
    category: 'acute-care',
    priority: 'routine',
    when: { fact: 'daysSinceFracture', lt: 84 },
    sources: [ROS_ACUTE_PAIN_DURATION, ROS_PSYCHOLOGY],
  },
  {
    id: 'limit-bed-rest',
    title: 'Avoid prolonged bed rest',
    text: 'A few days of bed rest at most with severe pain immediately after the fracture; then mobilise gradually with regular analgesia.',
    category: 'acute-care',
    priority: 'routine',
    when: {
      all: [
        { fact: 'daysSinceFracture', lte: 42 },
        { not: { fact: 'multipleColumnInvolvement', eq: true } },
      ],
    },
    sources: [ROS_BED_REST],
    conflicts: [
      { position: 'A few days at most, limited as much as possible.', source: ROS_BED_REST },
      { position: '24-48 hours of bed rest, then early mobilisation.', source: BMJ_BED_REST_24_48 },
    ],
  },
  {
    id: 'no-routine-bracing',
    title: 'Do not use bracing routinely',
    text: 'Bracing is not recommended routinely and should be avoided in the chronic stage; if used in the acute stage, only for short periods with muscle-strengthening exercise.',
    category: 'acute-care',
    priority: 'routine',
    when: { fact: 'daysSinceFracture', lt: 84 },
    sources: [ROS_BRACING],
    conflicts: [
      { position: 'Not recommended routinely; avoid in the chronic stage.', source: ROS_BRACING },
      {
        position: 'An orthosis may be used temporarily to control pain and support mobilisation.',
        source: BMJ_ORTHOSIS,
      },
    ],
  },
  {
    id: 'lifting-restriction',
    title: 'Avoid heavy lifting until 12 weeks after the fracture',
    text: 'Temporarily avoid heavy exertion, lifting and activities that worsen the pain (carrying shopping, lifting pets or children, gardening) until 12 weeks after the fracture.',
    category: 'rehabilitation',
    priority: 'routine',
    when: { fact: 'daysSinceFracture', lt: 84 },
    sources: [ROS_LIFTING_12_WEEKS],
  },
  {
    id: 'resume-activity-progressive-training',
    title: 'Lifting restriction has ended: progressive balance and strength training',
    text: 'Twelve weeks have passed: resume heavier activities gradually, and start a progressive balance and strength training programme.',
    category: 'rehabilitation',
    priority: 'routine',
    when: { fact: 'daysSinceFracture', gte: 84 },
    sources: [ROS_LIFTING_12_WEEKS, ROS_PROGRESSIVE_TRAINING],
  },
  {
    id: 'persistent-pain-investigation',
    title:
      'Persisting pain: image to exclude a new fracture or non-union, and refer to a pain clinic',
    text: 'Pain persists beyond 12 weeks: consider further spine imaging (radiographs or MRI) to exclude new fractures, non-union and other causes, and referral to an interdisciplinary pain management clinic.',
    category: 'rehabilitation',
    priority: 'high',
    when: {
      all: [
        { fact: 'latestPainDaysAfterFracture', gte: 84 },
        { fact: 'latestPainBand', in: ['moderate', 'severe'] },
      ],
    },
    sources: [ROS_PERSISTENT_PAIN, ROS_PAIN_TEAM],
  },
  {
    id: 'centrally-acting-therapies',
    title: 'Persistent severe pain: consider centrally acting therapies',
    text: 'Consider a tricyclic antidepressant or gabapentin after discussing risks and benefits (sedation, dizziness and falls in frail patients).',
    category: 'rehabilitation',
    priority: 'high',
    when: {
      all: [
        { fact: 'latestPainDaysAfterFracture', gte: 84 },
        { fact: 'latestPainBand', eq: 'severe' },
      ],
    },
    sources: [ROS_CENTRAL_ACTING],
  },
  {
    id: 'anxiety-low-mood-support',
    title: 'Anxiety or low mood: primary care or NHS Talking Therapies',
    text: 'Acknowledge the symptoms and consider referral to the GP for assessment and management; the patient can also self-refer to NHS Talking Therapies.',
    category: 'holistic-assessment',
    priority: 'high',
    when: { fact: 'anxietyOrLowMood', eq: true },
    sources: [ROS_ANXIETY_REFERRAL],
  },
  {
    id: 'pain-catastrophising-support',
    title: 'Pain catastrophising: expertise in pain and psychological factors',
    text: 'Consider referral to a health professional with expertise in pain and psychological factors to reduce the risk of persistent pain and disability.',
    category: 'holistic-assessment',
    priority: 'high',
    when: { fact: 'painCatastrophising', eq: true },
    sources: [ROS_CATASTROPHISING],
  },
  {
    id: 'fear-of-falling-support',
    title: 'Fear of falling or movement: tailored balance exercise and education',
    text: 'Consider a tailored exercise programme focused on balance and functional training, and education on coping techniques and spine-safe movement.',
    category: 'holistic-assessment',
    priority: 'routine',
    when: { fact: 'fearOfFalling', eq: true },
    sources: [ROS_FEAR],
  },
  {
    id: 'do-not-delay-therapy-for-dxa',
    title: 'Very high fracture risk: do not wait for DXA to start therapy',
    text: 'Fracture risk is very high: start bone therapy without waiting for the DXA result.',
    category: 'secondary-prevention',
    priority: 'high',
    when: {
      all: [
        { fact: 'fractureRiskCategory', eq: 'very-high' },
        { fact: 'stepStatus', step: 'dxa-scan', in: ['upcoming', 'open', 'due', 'overdue'] },
        {
          fact: 'stepStatus',
          step: 'bone-therapy-decision',
          in: ['upcoming', 'open', 'due', 'overdue'],
        },
      ],
    },
    sources: [ROS_DXA_NOT_DELAY],
  },
  {
    id: 'calcium-vitamin-d',
    title: 'Calcium and vitamin D',
    text: 'Ensure adequate daily calcium (at least 1000 mg) and vitamin D (800-1000 IU), with supplements where intake is low.',
    category: 'secondary-prevention',
    priority: 'routine',
    when: { not: { fact: 'closed', eq: true } },
    sources: [QA_CALCIUM_VITAMIN_D],
  },
  {
    id: 'treatment-not-started-at-follow-up',
    title: 'Bone therapy not started at follow-up',
    text: 'The latest follow-up contact found bone therapy recommended but not started: find out why (access, side effects, understanding) and arrange the start with the patient and GP.',
    category: 'secondary-prevention',
    priority: 'high',
    when: {
      all: [
        { fact: 'followUpTreatmentStatus', eq: 'not-started' },
        { not: { fact: 'boneTherapyStarted', eq: true } },
      ],
    },
    sources: [ROS_FLS_TREATMENT_TAKEN],
  },
  {
    id: 'not-taking-as-prescribed',
    title: 'Bone therapy not taken as prescribed',
    text: 'The latest follow-up contact found bone therapy is not being taken as prescribed: discuss barriers to adherence and options, and review the treatment.',
    category: 'secondary-prevention',
    priority: 'high',
    when: { fact: 'followUpTakingAsPrescribed', eq: false },
    sources: [ROS_FLS_TREATMENT_TAKEN, ROS_FOLLOW_UP_OPTIMISE],
  },
  {
    id: 'falls-referral-not-actioned',
    title: 'Falls referral not actioned',
    text: 'The latest follow-up contact found the falls prevention referral has not been actioned: chase it or refer again.',
    category: 'secondary-prevention',
    priority: 'high',
    when: { fact: 'followUpFallsReferralActioned', eq: 'no' },
    sources: [ROS_FLS_FALLS_ACTIONED],
  },
  {
    id: 'denosumab-dose-late',
    title: 'Denosumab dose more than 4 weeks late',
    text: 'Give the overdue denosumab dose as soon as possible. Delaying or stopping denosumab is associated with rebound fractures, often multiple vertebral fractures.',
    category: 'bone-therapy',
    priority: 'urgent',
    when: { fact: 'stepStatus', step: 'denosumab-next-dose', eq: 'overdue' },
    sources: [QA_DENOSUMAB_STOPPING, QA_DENOSUMAB_6_MONTHLY],
  },
  {
    id: 'denosumab-stopped',
    title: 'Denosumab has been stopped',
    text: 'Stopping denosumab is associated with a significantly higher risk of fractures: make sure the decision is deliberate and that bone protection continues.',
    category: 'bone-therapy',
    priority: 'high',
    when: {
      all: [
        { fact: 'stoppedDenosumab', eq: true },
        {
          not: {
            fact: 'runningDrugClass',
            in: ['denosumab', 'oral-bisphosphonate', 'intravenous-bisphosphonate'],
          },
        },
      ],
    },
    sources: [QA_DENOSUMAB_STOPPING],
  },
  {
    id: 'follow-on-antiresorptive',
    title: 'Anabolic course ending: follow on with an antiresorptive',
    text: 'The anabolic course (teriparatide 24 months, romosozumab 12 months) is ending: start an antiresorptive so the gain is kept.',
    category: 'bone-therapy',
    priority: 'high',
    when: {
      any: [
        { fact: 'stepStatus', step: 'teriparatide-follow-on', in: ['open', 'due', 'overdue'] },
        { fact: 'stepStatus', step: 'romosozumab-follow-on', in: ['open', 'due', 'overdue'] },
      ],
    },
    sources: [BMJ_ROMOSOZUMAB, ROS_TREATMENT],
  },
];

export const ROS_2022_V1: PathwayDefinition = {
  version: 'ros-2022.1',
  title: 'Vertebral fragility fracture pathway (Royal Osteoporosis Society 2022), version 1',
  publishedOn: '2026-11-21',
  painBands: { mildMax: 3, moderateMax: 6 },
  phases: { acuteUntilDay: 42, subacuteUntilDay: 84 },
  steps,
  recommendations,
};
