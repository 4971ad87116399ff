import type { PatientInformation } from '../../patient-documents/patient-information.js';
import type {
  PathwayDefinition,
  PatientStepWording,
  PatientWording,
  RecommendationDefinition,
  StepDefinition,
} from '../definition.js';
import type { SourceRef } from '../sources.js';
import { ROS_2022_V2 } from './ros-2022.2.js';
import { PATIENT_REMINDERS } from './ros-2022.3-patient-reminders.js';
import {
  BMJ_MULTICOLUMN,
  FLS_52_WEEKS,
  QA_CALCIUM_VITAMIN_D,
  QA_DENOSUMAB_STOPPING,
  ROS_BED_REST,
  ROS_DXA,
  ROS_EXERCISE_PROGRAMME,
  ROS_FALLS,
  ROS_FLS_TREATMENT_TAKEN,
  ROS_LIFTING_12_WEEKS,
  ROS_PAIN_ESCALATE,
  ROS_PROGRESSIVE_TRAINING,
  ROS_TREATMENT,
  ros,
} from './ros-2022-citations.js';

/**
 * Version 3 of the vertebral fragility fracture pathway: version 2's plan, unchanged, with what
 * the patient is told (the written plan's wording beside each step and recommendation) and the
 * reminders sent to the patient. Versions 1 and 2 stay frozen; they have neither.
 *
 * The patient wording is written for a reading age of about 9 to 11 (short sentences, everyday
 * words; `written-plan.readability.test.ts` measures it). Each piece quotes the guidance it says
 * in plain words, or is labelled as this service's own wording with the reason. None adds a
 * clinical rule: where the guidance gives no words a patient could act on, the plan says nothing.
 */

/** What changed from version 2. */
export const CHANGES: readonly string[] = [
  'Patient wording: each step and recommendation the patient needs to know about has plain-English wording for the written plan, with its source; the plan itself (steps, windows, recommendations) is version 2’s.',
  'Patient reminders: reminders sent to the patient by text message, e-mail or letter, with their kinds and timing.',
  'DXA appointments: the DXA step records the appointment booked for the patient (dxa-appointment: booked or cancelled); the step shows it and the patient is reminded a week before it. It does not complete the step: the DXA result does.',
];

const said = (text: string, source: SourceRef): PatientWording => ({ text, source });
const service = (text: string, serviceStandard: string): PatientWording => ({
  text,
  source: { serviceStandard },
});

// --- Further quotations, used only by the patient wording --------------------------------------

const ROS_STABLE = ros(
  'Supporting self-management',
  'They should be reassured that vertebral fractures are typically stable with no injury to the spinal cord, and pain will resolve over time as the fracture heals.',
);
const ROS_MOST_COMMON = ros(
  'Epidemiology',
  'Vertebral fractures are the most common osteoporotic fracture',
);
const ROS_PAIN_BETTER_3_MONTHS = ros(
  'Supporting self-management',
  'that, for most people, pain and activity tolerance will get better over time, but it may take three months or longer',
);
const ROS_PAIN_BEYOND_3_MONTHS = ros(
  'Personal impact',
  'Many patients however, experience persisting pain beyond three months.',
);
const ROS_RESUME_ADL = ros(
  'Supporting self-management',
  'Patients should be encouraged immediately to resume their normal activities of daily living using safe movement principles, as tolerated.',
);
const ROS_RESUME_USUAL = ros(
  'Supporting self-management',
  'Once acute fracture pain has diminished, they should be encouraged to resume their usual physical exercise, leisure and work activities.',
);
const ROS_WHEN_TO_RESUME = ros(
  'Supporting self-management',
  'When to resume will depend on the severity of fracture(s) and symptoms.',
);
const ROS_MOVING_SAFE = ros(
  'Appendix A: Exercise, Movements and Physical Activity (Considerations)',
  'normal moving and activities are unlikely to ‘cause’ or worsen vertebral fractures and won’t prevent healing.',
);
const ROS_BED_REST_HARM = ros(
  'Supporting self-management',
  'Explain to the patient that prolonged bed rest may lead to muscle weakness, increased pain, increased falls risk and general frailty.',
);
const ROS_SIT_30_MINUTES = ros(
  'Appendix A: Tips for moving and lifting',
  'If sitting for long periods causes pain, aim to stand up every 30 minutes if possible.',
);
const ROS_HIP_HINGE = ros(
  'Appendix A: Tips for moving and lifting',
  'For sitting and bending, bend at the hips (hip hinge), knees and ankles rather than rounding the back.',
);
const ROS_TURNING = ros(
  'Appendix A: Tips for moving and lifting',
  'Turning rather than over twisting the torso, step-to-turn so that trunk, knees and toes face the same direction.',
);
const ROS_HOLD_CLOSE = ros(
  'Appendix A: Tips for moving and lifting',
  'When holding objects in front, hold them close to the body.',
);
const ROS_PACING = ros('Supporting self-management', 'to avoid doing too much too soon');
const ROS_BRACE_MUSCLES = ros(
  'Supporting self-management',
  'Avoid the use of bracing or taping as evidence of its efficacy is limited and might result in dependence or atrophy of back extensor or abdominal muscles with prolonged use.',
);
const ROS_PARACETAMOL_REGULAR = ros(
  'Key Practice Points: Pain',
  'Consider offering paracetamol for pain; regular dosing may be required.',
);
const ROS_PARACETAMOL_INSUFFICIENT = ros(
  'Key Practice Points: Pain',
  'If paracetamol is insufficient for pain relief then the addition of opioid analgesics and NSAIDS should be considered.',
);
const QA_RED_FLAGS = {
  document: 'qaRedFlags',
  section: 'Initial Assessment',
  quote:
    'Assess for "red flags" including known malignancy, neurological symptoms, or signs of spinal instability',
} as const satisfies SourceRef;
const ROS_NURSE_SUPPORT = ros(
  'Supporting self-management: Signposting to the Royal Osteoporosis Society',
  'Specialist nurses at ROS can provide support either by email or on the free telephone helpline.',
);
const ROS_RESOURCES = ros(
  'Supporting self-management: Signposting to the Royal Osteoporosis Society',
  'ROS provides a range of printed resources, videos and information at www.theros.org.uk.',
);
const ROS_HELPLINE = ros(
  'Supporting self-management: Signposting to the Royal Osteoporosis Society',
  'Specialist Osteoporosis Nurse Helpline: 0808 800 0035',
);
const ROS_EMAIL = ros(
  'Supporting self-management: Signposting to the Royal Osteoporosis Society',
  'or email: nurses@theros.org.uk',
);
const ROS_WEBSITE = ros('About the Royal Osteoporosis Society', 'visit our website: theros.org.uk');

// --- Wording beside each step and recommendation ------------------------------------------------

const STEP_WORDING: Readonly<Record<string, PatientStepWording>> = {
  'exercise-programme-referral': {
    title: 'Your exercise programme',
    ...said(
      'Exercise will help your back get stronger. Your nurse will help you find a plan that suits you. You can start from {opens}, or when the pain has eased, if you feel able.',
      ROS_EXERCISE_PROGRAMME,
    ),
  },
  'twelve-week-review': {
    title: 'Your 12-week review',
    ...said(
      'By {due}, your nurse will check your pain and how you are getting on. They will tell you when you can start to lift things again.',
      ROS_WHEN_TO_RESUME,
    ),
  },
  'falls-risk-assessment': {
    title: 'Checking your risk of a fall',
    ...said(
      'A fall could break another bone. By {due}, we will check how likely you are to fall. If you are at risk, we can send you to a service that helps to stop falls.',
      ROS_FALLS,
    ),
  },
  'dxa-scan': {
    title: 'Your bone scan',
    ...said(
      'You should have a bone scan by {due}. It is called a DXA scan. It shows how strong your bones are, and if other bones in your back are broken.',
      ROS_DXA,
    ),
  },
  'bone-therapy-decision': {
    title: 'Medicine for your bones',
    ...said(
      'By {due}, we will talk with you about medicine to make your bones stronger. It can lower the chance of another break.',
      ROS_TREATMENT,
    ),
  },
  'fls-follow-up-16-weeks': {
    title: 'Your check-up call',
    ...said(
      'We will be in touch by {due}. We will check that your bone medicine has started and that you take it in the right way.',
      ROS_FLS_TREATMENT_TAKEN,
    ),
  },
  'fls-adherence-52-weeks': {
    title: 'Your one-year check',
    ...service(
      'We will be in touch again by {due}, about one year after the break. We will ask how your bone medicine is going.',
      FLS_52_WEEKS.kind === 'service-standard' ? FLS_52_WEEKS.explanation : 'FLS audit standard',
    ),
  },
  'denosumab-next-dose': {
    title: 'Your next denosumab injection',
    ...said(
      'Your next injection is due on {due}. Do not stop it or put it off without talking to your nurse or GP. Stopping it can make it more likely that you break a bone.',
      QA_DENOSUMAB_STOPPING,
    ),
    overdue: service(
      'Your injection is late. It was due on {due}. Ring your GP surgery today to book it. Stopping it or putting it off can make it more likely that you break a bone.',
      `A late denosumab dose is the point of highest risk: Clinical Q&A (Long-term Management and Prevention of Additional Fractures): "${QA_DENOSUMAB_STOPPING.quote}". The sources do not say how a patient books a late dose; this service tells the patient plainly that the injection is late and to ring their GP surgery to book it now, rather than wait to be contacted. The clinical lead may change it.`,
    ),
  },
};

const RECOMMENDATION_WORDING: Readonly<Record<string, PatientWording>> = {
  'analgesia-mild': said(
    'Your pain is mild. Paracetamol is the first pain killer to try. You may need to take it at set times each day.',
    ROS_PARACETAMOL_REGULAR,
  ),
  'analgesia-moderate': said(
    'Your pain is quite bad. Paracetamol is the first pain killer to try. If it is not enough, your nurse or GP may add a stronger pain killer.',
    ROS_PARACETAMOL_INSUFFICIENT,
  ),
  'analgesia-severe': said(
    'Your pain is very bad. You may need a stronger pain killer as well as paracetamol. Your nurse or GP should soon check if it helps, and change it if it does not.',
    ROS_PAIN_ESCALATE,
  ),
  'limit-bed-rest': said(
    'If the pain is very bad just after the break, a few days in bed may help. After that, try not to stay in bed for long.',
    ROS_BED_REST,
  ),
  'no-routine-bracing': said(
    'Try not to use a back brace. It may not help. Wearing one for a long time can make the muscles of your back and tummy weaker.',
    ROS_BRACE_MUSCLES,
  ),
  'lifting-restriction': said(
    'Until {restrictionEnds}, do not lift heavy things or do hard work. This means things like carrying shopping, lifting pets or children, and gardening. Also stop anything that makes the pain worse.',
    ROS_LIFTING_12_WEEKS,
  ),
  'resume-activity-progressive-training': said(
    'Your bone has had 12 weeks to heal. You can slowly go back to heavier jobs. Start exercises for balance and strength, and build them up bit by bit.',
    ROS_PROGRESSIVE_TRAINING,
  ),
  'calcium-vitamin-d': said(
    'Your bones need calcium and vitamin D to stay strong. Each day, adults need at least 1000 mg of calcium and 800 to 1000 units of vitamin D. Ask your nurse or GP if you need tablets.',
    QA_CALCIUM_VITAMIN_D,
  ),
  'strict-bed-rest-multiple-column': said(
    'Your break may not be stable. Stay in bed until your specialist team says you can get up. They will give you pain relief while they plan your care.',
    BMJ_MULTICOLUMN,
  ),
};

// --- The pathway-level wording ------------------------------------------------------------------

const PATIENT_INFORMATION: PatientInformation = {
  whatHappened: [
    said(
      'You have a broken bone in your back. This is called a spinal fracture. It is the most common kind of break when bones are weak.',
      ROS_MOST_COMMON,
    ),
    said(
      'Most breaks like this are stable. They do not harm the nerves in your back. The pain will ease as the bone heals.',
      ROS_STABLE,
    ),
    said(
      'For most people, the pain gets better over time. It may take about 3 months or longer. As the pain eases, you can slowly do more.',
      ROS_PAIN_BETTER_3_MONTHS,
    ),
    said('Some people still have pain after 3 months.', ROS_PAIN_BEYOND_3_MONTHS),
  ],
  painRelief: {
    recommendations: ['analgesia-mild', 'analgesia-moderate', 'analgesia-severe'],
    noScore: service(
      'We do not have a pain score for you yet. Ask your nurse which pain relief is right for you.',
      'The guidance chooses pain relief by the current pain score (the analgesia table); with no score recorded the plan has no pain band, so the written plan gives no pain relief advice and asks the patient to speak to the nurse.',
    ),
    staleScore: service(
      'Your last pain score was taken on {painScoreDate}. That was too long ago to go by. Ask your nurse to check your pain again before you change your pain relief.',
      'The analgesia table applies to the current pain; a score older than the pathway version’s limit gives a request to assess pain again instead of its advice (version 2’s staleness limits), so the written plan does not repeat the old advice.',
    ),
    basedOn: service(
      'This advice goes by your pain score on {painScoreDate}.',
      'The written plan names the day of the pain score its pain relief advice is read from, so an old plan is not mistaken for advice on today’s pain.',
    ),
  },
  movement: {
    general: [
      said(
        'Keep doing your normal daily tasks as much as you can. Move with care, and go at your own pace.',
        ROS_RESUME_ADL,
      ),
      said(
        'Moving in a normal way will not make the break worse. It will not stop it from healing.',
        ROS_MOVING_SAFE,
      ),
      said(
        'Staying in bed for a long time can make your muscles weak. It can make the pain worse and make you more likely to fall.',
        ROS_BED_REST_HARM,
      ),
      said(
        'If sitting for a long time hurts, try to stand up every 30 minutes.',
        ROS_SIT_30_MINUTES,
      ),
      said('When you bend, bend at your hips and knees. Try not to curl your back.', ROS_HIP_HINGE),
      said('To turn round, move your feet. Try not to twist your body.', ROS_TURNING),
      said('When you carry something, hold it close to your body.', ROS_HOLD_CLOSE),
      said('Build up what you do a little at a time. Do not do too much too soon.', ROS_PACING),
      said(
        'When the pain is less, go back to your usual exercise, hobbies and work.',
        ROS_RESUME_USUAL,
      ),
    ],
    recommendations: [
      'lifting-restriction',
      'resume-activity-progressive-training',
      'limit-bed-rest',
      'no-routine-bracing',
    ],
  },
  dates: {
    steps: [
      'exercise-programme-referral',
      'twelve-week-review',
      'falls-risk-assessment',
      'dxa-scan',
      'bone-therapy-decision',
      'fls-follow-up-16-weeks',
      'denosumab-next-dose',
      'fls-adherence-52-weeks',
    ],
    late: service(
      'This date has passed. Your nurse will be in touch about it.',
      'A step past its due day is overdue on the plan and the nurse is reminded of it; the written plan tells the patient so rather than give a date in the past as if it were still ahead.',
    ),
  },
  bones: { recommendations: ['calcium-vitamin-d'] },
  specialistCare: {
    general: [
      service(
        'A specialist team is looking after your back. Follow their advice about moving, lifting and pain relief. The usual advice for a break like yours may not be right for you now.',
        'With a red flag (a neurological deficit, suspected cancer or a fracture of more than one column of the spine) the sources send the patient to specialist care: immediate surgical referral, the oncology pathway or a spinal surgical opinion. The routine conservative steps are set aside, so the written plan gives no routine advice on movement, lifting, bed rest, bracing or pain relief that could contradict the specialist team.',
      ),
    ],
    recommendations: ['strict-bed-rest-multiple-column'],
  },
  redFlags: {
    intro: service(
      'Some signs mean that you need help at once.',
      'Introduces the warning signs below, each of which the sources treat as a red flag.',
    ),
    signs: [said('New weakness or numbness in your legs.', QA_RED_FLAGS)],
    whatToDo: [
      service(
        'If you get new weakness or numbness in your legs, get help straight away. Call 999 or go to A&E.',
        'The sources ask for immediate surgical referral for any neurological deficit (Clinical Q&A (red flags): "Immediate surgical referral is mandatory for:"); they do not say how a patient at home reaches care. This service tells the patient to use the NHS emergency route (999 or an emergency department). The clinical lead may change it.',
      ),
      said('If you have ever had cancer, call your nurse team to tell them.', QA_RED_FLAGS),
      service(
        'For other worries about your back or your plan, call your nurse.',
        'The fracture liaison service is the patient’s first contact for questions about the plan.',
      ),
    ],
  },
  signposting: {
    text: [
      said(
        'The Royal Osteoporosis Society is a charity. Its nurses know a lot about bones. You can call their free helpline or send them an email.',
        ROS_NURSE_SUPPORT,
      ),
      said(
        'They have leaflets, videos and facts about living with a spinal fracture.',
        ROS_RESOURCES,
      ),
    ],
    helpline: said('Helpline: 0808 800 0035', ROS_HELPLINE),
    email: said('Email: nurses@theros.org.uk', ROS_EMAIL),
    website: said('Website: theros.org.uk', ROS_WEBSITE),
  },
};

/** Adds the patient wording, by id; wording naming no step or recommendation is a mistake. */
function withWording<T extends { readonly id: string }, W>(
  items: readonly T[],
  wording: Readonly<Record<string, W>>,
): T[] {
  const unknown = Object.keys(wording).filter((id) => !items.some((item) => item.id === id));
  if (unknown.length > 0) throw new Error(`ros-2022.3 words unknown ids: ${unknown.join(', ')}`);
  return items.map((item) => {
    const patient = wording[item.id];
    return patient === undefined ? item : { ...item, patient };
  });
}

export const ROS_2022_V3: PathwayDefinition = {
  ...ROS_2022_V2,
  version: 'ros-2022.3',
  title: 'Vertebral fragility fracture pathway (Royal Osteoporosis Society 2022), version 3',
  publishedOn: '2026-12-07',
  steps: withWording<StepDefinition, PatientStepWording>(
    ROS_2022_V2.steps.map(
      (step): StepDefinition =>
        step.id === 'dxa-scan' ? { ...step, appointmentEntry: 'dxa-appointment' } : step,
    ),
    STEP_WORDING,
  ),
  recommendations: withWording<RecommendationDefinition, PatientWording>(
    ROS_2022_V2.recommendations,
    RECOMMENDATION_WORDING,
  ),
  patientInformation: PATIENT_INFORMATION,
  patientReminders: PATIENT_REMINDERS,
};
