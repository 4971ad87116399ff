import type { PathwayDefinition } from '../definition.js';
import { ROS_2022_V2 } from './ros-2022.2.js';
import { PATIENT_REMINDERS } from './ros-2022.3-patient-reminders.js';

/**
 * Version 3 of the vertebral fragility fracture pathway: version 2's plan, unchanged, with what
 * the patient is told (the written plan's wording beside each step and recommendation) and the
 * reminders sent to the patient. Versions 1 and 2 stay frozen; they have neither.
 */

/** What changed from version 2. */
export const CHANGES: readonly string[] = [
  'Patient wording: each step and recommendation the patient needs to know about has plain-English wording for the written plan, with its source; the plan itself (steps, windows, recommendations) is version 2’s.',
  'Patient reminders: reminders sent to the patient by text message, e-mail or letter, with their kinds and timing.',
];

export const ROS_2022_V3: PathwayDefinition = {
  ...ROS_2022_V2,
  version: 'ros-2022.3',
  title: 'Vertebral fragility fracture pathway (Royal Osteoporosis Society 2022), version 3',
  publishedOn: '2026-12-07',
  patientReminders: PATIENT_REMINDERS,
};
