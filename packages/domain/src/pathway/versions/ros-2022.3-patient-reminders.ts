import type { PatientReminderDefinition } from '../../patient-messages/definition.js';
import {
  QA_DENOSUMAB_6_MONTHLY,
  QA_DENOSUMAB_STOPPING,
  ROS_DXA,
  ROS_EXERCISE_PROGRAMME,
  ROS_FLS_FOLLOW_UP,
} from './ros-2022-citations.js';

/**
 * The reminders version 3 sends to patients. The guidance says when care is due (the steps'
 * windows, with their sources) but gives no timing for reminding the patient: every offset here
 * is a service standard, with its reason, measured from a step date that has its own source.
 *
 * The DXA appointment reminder is measured from the appointment the nurse recorded on the DXA step
 * (the dxa-appointment entry), not from a step date: it is planned only while an appointment is
 * booked and the scan's result is not yet recorded, and a moved appointment gets a new message.
 */
export const PATIENT_REMINDERS: readonly PatientReminderDefinition[] = [
  {
    kind: 'denosumab-dose-before',
    title: 'Denosumab: book your injection (2 weeks before it is due)',
    stepId: 'denosumab-next-dose',
    from: 'due',
    offset: { days: -14 },
    nonWorkingDay: 'earlier',
    templateKey: 'denosumab-dose-before',
    personalisation: ['first_name', 'date'],
    text: 'Hello ((first_name)). Your next denosumab injection is due on ((date)). Please contact your GP surgery now to book it. It is important not to miss or delay it.',
    timing: {
      kind: 'service-standard',
      explanation:
        'Denosumab is given every 6 months and stopping or delaying it raises the risk of new fractures (sources). The guidance sets no reminder to the patient; this service reminds 2 weeks before the due date, on a working day (the working day before, when that day is a weekend or bank holiday), because the patient books the injection with their GP surgery, which is closed on those days and needs time to offer an appointment.',
      source: QA_DENOSUMAB_6_MONTHLY,
    },
  },
  {
    kind: 'denosumab-dose-due',
    title: 'Denosumab: your injection is due today (no dose recorded yet)',
    stepId: 'denosumab-next-dose',
    from: 'due',
    offset: { days: 0 },
    nonWorkingDay: 'later',
    templateKey: 'denosumab-dose-due',
    personalisation: ['first_name', 'date'],
    text: 'Hello ((first_name)). Your denosumab injection was due on ((date)) and we have no record of it yet. If you have not had it, please contact your GP surgery today to book it. If you have had it, you do not need to do anything.',
    timing: {
      kind: 'service-standard',
      explanation:
        'Discontinuation of denosumab raises the risk of fractures (sources). The guidance sets no reminder to the patient; this service sends a second reminder on the due date only when no dose has been recorded (a recorded dose cancels it), on a working day (the next one, when the due date is a weekend or bank holiday), so the patient can book while the surgery is open.',
      source: QA_DENOSUMAB_STOPPING,
    },
  },
  {
    kind: 'fls-follow-up-16-weeks',
    title: 'The fracture liaison service will contact you (16-week follow-up)',
    stepId: 'fls-follow-up-16-weeks',
    from: 'due',
    offset: { days: -7 },
    nonWorkingDay: 'earlier',
    templateKey: 'fls-follow-up',
    personalisation: ['first_name', 'date'],
    text: 'Hello ((first_name)). The fracture liaison service will contact you by ((date)) to check how you are and how your bone treatment is going. Please keep your treatment information to hand.',
    timing: {
      kind: 'service-standard',
      explanation:
        'The FLS follows patients up (source; the 16-week date is the step’s own). The guidance sets no notice to the patient; this service tells the patient a week before the follow-up is due, on a working day (the one before, on a weekend or bank holiday), so they expect the call and can answer it.',
      source: ROS_FLS_FOLLOW_UP,
    },
  },
  {
    kind: 'fls-follow-up-52-weeks',
    title: 'The fracture liaison service will contact you (52-week follow-up)',
    stepId: 'fls-adherence-52-weeks',
    from: 'due',
    offset: { days: -7 },
    nonWorkingDay: 'earlier',
    templateKey: 'fls-follow-up',
    personalisation: ['first_name', 'date'],
    text: 'Hello ((first_name)). The fracture liaison service will contact you by ((date)) to check how you are and how your bone treatment is going. Please keep your treatment information to hand.',
    timing: {
      kind: 'service-standard',
      explanation:
        'The FLS follows patients up (source; the 52-week date is the step’s own). The guidance sets no notice to the patient; this service tells the patient a week before the one-year follow-up is due, on a working day (the one before, on a weekend or bank holiday).',
      source: ROS_FLS_FOLLOW_UP,
    },
  },
  {
    kind: 'exercise-programme-start',
    title: 'Your exercise programme can start',
    stepId: 'exercise-programme-referral',
    from: 'opens',
    offset: { days: 0 },
    nonWorkingDay: 'later',
    templateKey: 'exercise-programme-start',
    personalisation: ['first_name', 'date'],
    text: 'Hello ((first_name)). From ((date)) you can start an exercise programme to help your back get stronger. Your fracture liaison nurse or physiotherapist will help you start it. If you have not heard from them, please contact the service.',
    timing: {
      kind: 'service-standard',
      explanation:
        'The guidance considers an individualised exercise programme from 4 weeks after the fracture (source; the step opens then). This service tells the patient on the day it opens (the next working day when that is a weekend or bank holiday, so the service can answer questions); it is sent only while no referral is recorded.',
      source: ROS_EXERCISE_PROGRAMME,
    },
  },
  {
    kind: 'dxa-appointment',
    title: 'Your DXA scan appointment (a week before it)',
    stepId: 'dxa-scan',
    from: 'appointment',
    offset: { days: -7 },
    nonWorkingDay: 'earlier',
    templateKey: 'dxa-appointment',
    // No time or place: the appointment letter gives them, and the message carries no more about
    // the patient's care than it needs (data minimisation).
    personalisation: ['first_name', 'date'],
    text: 'Hello ((first_name)). You have a bone density (DXA) scan appointment on ((date)). Your appointment letter gives the time and place. If you cannot go, please contact the hospital to change it.',
    timing: {
      kind: 'service-standard',
      explanation:
        'The guidance asks for a DXA scan with vertebral fracture assessment (source) and sets no reminder to the patient. This service reminds the patient a week before the appointment the nurse recorded, on a working day (the working day before, when that day is a weekend or bank holiday), so they can arrange transport or rebook in time. It goes no later than the day before the appointment (booked less than a week ahead, at the next sending hour), and not at all for an appointment booked only the day before (the patient heard of it at booking, and the message could arrive before the letter giving the time and place); a cancelled or moved appointment, a recorded scan result, closure or opt-out cancels it, and a moved appointment gets a message for its new date.',
      source: ROS_DXA,
    },
  },
];
