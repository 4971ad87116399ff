import type { SourceRef, TimingBasis } from '../sources.js';

/**
 * The citations and timing bases of the pathway versions built on the Royal Osteoporosis Society
 * 2022 guidance, shared by every version so a quote is written once. Each quote is the source's
 * own words (see ../shared/seeds); a timing basis says whether an interval is the guidance's or a
 * service standard.
 */
// --- Citations --------------------------------------------------------------------------------

export const ros = (section: string, quote: string): SourceRef => ({
  document: 'ros2022',
  section,
  quote,
});

export const ROS_ASSESSMENT = ros(
  'Key Practice Points: Assessment',
  'All patients with vertebral fracture should have an assessment to determine the impact of the fracture (s) on pain, function and quality of life',
);
export const ROS_PAIN_ESCALATE = ros(
  'Pain assessment: Analgesics',
  'In the acute fracture phase, pain is typically most intense and therapy should be escalated quickly based on treatment response.',
);
export const ROS_ANALGESIA_TABLE = ros(
  'Pain assessment: Analgesia for vertebral fracture pain (table)',
  'This could pertain to current pain at rest or during activity.',
);
export const ROS_ACUTE_PAIN_DURATION = ros(
  'Assessment and management',
  'While pain from acute fracture may last up to three months',
);
export const ROS_48H_RULE = ros(
  'Key Practice Points: Pain; Vertebral augmentation',
  'For hospitalised patients where pain is unremitting after 48 hours and severely compromising activities of daily living and mobility in spite of initiation of therapy and acute pain management, and where there is evidence of vertebral body oedema on MRI imaging consider referral for vertebral augmentation.',
);
export const ROS_VA_MDT = ros(
  'Vertebral augmentation',
  'the decision to treat with VA, should be taken only after multidisciplinary team discussion',
);
export const ROS_VA_SIGN = ros(
  'Vertebral augmentation',
  'In Scotland, VA is currently not recommended',
);
export const ROS_EXERCISE_ADVICE = ros(
  'Key Practice Points: Exercise',
  'All patients should be given advice about exercise and physical activities of daily life and leisure. This should be provided promptly without waiting for referral to specialist services.',
);
export const ROS_SELF_MANAGEMENT = ros(
  'Key Practice Points: Self-Management',
  'All patients should receive advice, tools and support for effective self-management.',
);
export const ROS_PHYSIO_ACUTE = ros(
  'Exercise',
  'Consider referral to a physiotherapist if, in the acute setting, the patient’s pain is severe, and they are unable to mobilise and manage daily activities.',
);
export const ROS_EXERCISE_PROGRAMME = ros(
  'Key Practice Points: Exercise; Individualised exercise programme',
  'All patients should be considered for an individualised exercise programme 4-12 weeks after vertebral fracture, as tolerated, or when acute fracture-related pain has diminished',
);
export const ROS_LIFTING_12_WEEKS = ros(
  'Supporting self-management',
  'Temporarily avoid heavy physical exertion, lifting, or activities that exacerbate pain for 12 weeks following fracture.',
);
export const ROS_PERSISTENT_PAIN = ros(
  'Persistent and poorly controlled pain',
  'consider further imaging of the spine (radiographs/MRI) to exclude further fractures, fracture non-union and other possible causes of pain. Consider referral to an interdisciplinary pain management clinic',
);
export const ROS_CENTRAL_ACTING = ros(
  'Key Practice Points: Pain',
  'For persistent severe pain consider use of centrally acting therapies including tricyclic anti-depressants, and gabapentin after discussion about the potential risks and benefits.',
);
export const ROS_PAIN_TEAM = ros(
  'Key Practice Points: Pain',
  'If pain persists and remains a management problem consider referral to multidisciplinary pain management team.',
);
export const ROS_PSYCHOLOGY = ros(
  'Key Practice Points: Psychological symptoms',
  'Assess for the presence of psychological factors including anxiety, low mood and pain catastrophising which may influence the occurrence and persistence of symptoms.',
);
export const ROS_PSYCHOLOGY_ACUTE = ros(
  'Figure 1: Assessment and Management of Symptomatic Vertebral Fracture (Pain)',
  'Assessment of psychological risk factors and pain catastrophising to reduce risk of chronicity',
);
export const ROS_ANXIETY_REFERRAL = ros(
  'Psychological symptoms: Managing psychological symptoms',
  'For patients with anxiety and depression consider referral to their primary care practitioner for assessment and management.',
);
export const ROS_CATASTROPHISING = ros(
  'Pain assessment',
  'consider referral to a health professional with expertise in pain and psychological factors.',
);
export const ROS_FEAR = ros(
  'Psychological symptoms: Managing psychological symptoms',
  'For individuals with fear-related beliefs (fear of pain, fractures, falling, movement), consider:',
);
export const ROS_OT = ros(
  'Key Practice Points: Self-Management',
  'For patients with significant activity limitations, for example, difficulty dressing and self-care, consider referral to an occupational therapist.',
);
export const ROS_FALLS = ros(
  'Key Practice Points: Falls',
  'Undertake a falls risk assessment and if the patient is at risk consider referral to an appropriate falls prevention service.',
);
export const ROS_FALLS_REFERRAL = ros(
  'Falls and falls risk: Management',
  'Patients with a history of falls or who are assessed as being at significant increased risk of falls should be referred to their local falls assessment service',
);
export const ROS_FLS_FALLS_65 = ros(
  'Appendix B: Secondary fracture prevention',
  'An assessment of falls risk in people aged 65 or over.',
);
export const ROS_FRACTURE_RISK = ros(
  'Osteoporosis and secondary fracture prevention',
  'A fracture risk assessment using FRAX®* or QFracture®.',
);
export const ROS_DXA = ros(
  'Osteoporosis and secondary fracture prevention',
  'A dual energy X-ray absorptiometry (DXA) scan** including vertebral fracture assessment.',
);
export const ROS_DXA_NOT_DELAY = ros(
  'Osteoporosis and secondary fracture prevention: DXA considerations',
  'In patients with very high fracture risk therapy should not be delayed pending DXA BMD measurement.',
);
export const ROS_DXA_FRAIL = ros(
  'Osteoporosis and secondary fracture prevention: DXA considerations',
  'Measurement of BMD by DXA is not indicated where it would not alter the management of the patient- e.g. in very frail/elderly.',
);
export const ROS_LABS = ros(
  'Osteoporosis and secondary fracture prevention',
  'Relevant laboratory and imaging investigations to identify any underlying secondary causes of osteoporosis and inform treatment decisions.',
);
export const ROS_TREATMENT = ros(
  'Osteoporosis and secondary fracture prevention',
  'All eligible patients should be considered for initiation of an appropriate drug treatment to reduce bone loss and the risk of future fractures.',
);
export const ROS_FLS_FOLLOW_UP = ros(
  'Appendix B: Secondary fracture prevention',
  'Follows up patients to ensure that',
);
export const ROS_FLS_AUDIT = ros(
  'Appendix B: Secondary fracture prevention',
  'audited by the RCP Falls and Fragility Fracture Audit Programme [FLS-Database]',
);
export const ROS_FLS_TREATMENT_TAKEN = ros(
  'Appendix B: Secondary fracture prevention',
  'Treatment has been started and taken appropriately.',
);
export const ROS_FLS_FALLS_ACTIONED = ros(
  'Appendix B: Secondary fracture prevention',
  'Referral to falls reduction programmes have been actioned.',
);
export const ROS_FOLLOW_UP_OPTIMISE = ros(
  'Osteoporosis and secondary fracture prevention',
  'Follow-up to ensure optimisation of treatment',
);
export const ROS_BED_REST = ros(
  'Supporting self-management',
  'A few days of bed rest might be indicated in presence of severe pain immediately after the fracture but limit the duration of prolonged or continuous bed rest as much as possible.',
);
export const ROS_BRACING = ros(
  'Non-pharmacological therapy: Orthoses and Taping',
  'Bracing (e.g. rigid, dynamic, or soft orthoses) should not be recommended routinely for patients with osteoporotic vertebral fractures',
);
export const ROS_PARACETAMOL = ros(
  'Key Practice Points: Pain',
  'Paracetamol should be considered ahead of oral NSAIDs, cyclo-oxygenase 2 (COX-2) inhibitors or opioids.',
);
export const ROS_OPIOID_LAXATIVE = ros(
  'Pharmacological therapy: Opioids',
  'For patients taking therapy consider co-prescribing therapy to reduce the risk of constipation.',
);
export const ROS_NSAID = ros(
  'Pharmacological therapy: NSAIDs',
  'Any planned use should be for the shortest possible duration, and only given with PPI cover where clinically appropriate.',
);
export const ROS_TRAMADOL = ros(
  'Pharmacological therapy: Opioids',
  'Tramadol is not recommended as first-line opioid treatment and should only be recommended after specialist review.',
);
export const ROS_MUSCLE_RELAXANT = ros(
  'Pharmacological therapy: Adjunct therapies',
  'They should be used for the shortest time possible, and not be used in patients with mild pain (NRS<3).',
);
export const ROS_CALCITONIN = ros(
  'Calcitonin for acute vertebral fracture pain',
  'There is insufficient evidence to recommend use of calcitonin injections for pain relief. However, they may be considered in individual cases in the acute setting when other analgesic options have been exhausted.',
);
export const ROS_CALCITONIN_4_WEEKS = ros(
  'Calcitonin for acute vertebral fracture pain',
  'The limited evidence relates to use in the acute phase (within the first four weeks of fracture).',
);
export const ROS_PATHOLOGICAL_OUT_OF_SCOPE = ros(
  'Purpose of this guidance',
  'Pathological fractures and traumatic vertebral fractures are outside of the scope of this document.',
);
export const ROS_PROGRESSIVE_TRAINING = ros(
  'Key Practice Points: Exercise',
  'After the fracture has healed, all patients should initiate a progressive balance and strength training programme.',
);

export const BMJ_MULTICOLUMN: SourceRef = {
  document: 'bmjBestPractice',
  section: 'Acute: multiple column involvement',
  quote:
    'Patients are placed on strict bed rest and given analgesia while definitive treatment is planned.',
};
export const BMJ_MULTICOLUMN_SURGERY: SourceRef = {
  document: 'bmjBestPractice',
  section: 'Acute: multiple column involvement; open surgical reconstruction ± decompression',
  quote:
    'Osteoporotic compression fractures involving ≥2 columns of the spine are potentially unstable and are prone to neurological involvement.',
};
export const BMJ_BED_REST_24_48: SourceRef = {
  document: 'bmjBestPractice',
  section: 'Acute: anterior column involvement only',
  quote: 'managed with analgesia and 24-48 hours of bed rest, followed by early mobilisation',
};
export const BMJ_ORTHOSIS: SourceRef = {
  document: 'bmjBestPractice',
  section: 'Acute: early mobilisation ± orthosis',
  quote: 'An orthosis may be used temporarily as an aid to control pain',
};
export const BMJ_LAXATIVE: SourceRef = {
  document: 'bmjBestPractice',
  section: 'Acute: analgesia',
  quote:
    'If opioids are used, a laxative should also be prescribed and fluid intake encouraged to prevent constipation',
};
export const BMJ_CALCITONIN_EMA: SourceRef = {
  document: 'bmjBestPractice',
  section: 'Acute: long-term osteoporosis prophylaxis',
  quote:
    'The European Medicines Agency no longer recommends calcitonin for the treatment of osteoporosis',
};
export const BMJ_ROMOSOZUMAB: SourceRef = {
  document: 'bmjBestPractice',
  section: 'Acute: long-term osteoporosis prophylaxis',
  quote:
    'Other medications of benefit include denosumab, romosozumab, parathyroid hormone analogues (e.g., teriparatide, abaloparatide), and raloxifene.',
};
export const BMJ_PAIN_CENTRE: SourceRef = {
  document: 'bmjBestPractice',
  section: 'Consider: specialist pain centre referral',
  quote:
    'Some patients with chronic pain may benefit from referral to a multi-disciplinary pain centre.',
};
export const QA_CALCITONIN_FIRST_LINE: SourceRef = {
  document: 'qaAcuteManagement',
  section: 'Management of Osteoporotic Compression Fractures',
  quote: 'calcitonin should be administered for 4 weeks as first-line treatment',
};
export const QA_AAOS_AGAINST_VERTEBROPLASTY: SourceRef = {
  document: 'qaAcuteManagement',
  section: 'Interventional Procedures',
  quote:
    'The American Academy of Orthopaedic Surgeons (AAOS) makes a strong recommendation against vertebroplasty',
};
export const QA_DENOSUMAB_6_MONTHLY: SourceRef = {
  document: 'qaAcuteManagement',
  section: 'Long-term Management and Prevention of Additional Fractures',
  quote: 'Denosumab (60 mg subcutaneously every 6 months)',
};
export const QA_DENOSUMAB_STOPPING: SourceRef = {
  document: 'qaAcuteManagement',
  section: 'Long-term Management and Prevention of Additional Fractures',
  quote:
    'Discontinuation of denosumab is associated with significantly increased risk of subsequent fractures and mortality',
};
export const QA_CALCIUM_VITAMIN_D: SourceRef = {
  document: 'qaAcuteManagement',
  section: 'Long-term Management and Prevention of Additional Fractures',
  quote:
    'All patients should receive calcium (at least 1000 mg) and vitamin D (800-1000 IU) supplementation daily',
};
export const QA_NEURO_SURGICAL: SourceRef = {
  document: 'qaRedFlags',
  section: 'Surgical Consultation (Urgent/Emergent Indications)',
  quote: 'Immediate surgical referral is mandatory for:',
};
export const QA_NEURO_DEFICIT: SourceRef = {
  document: 'qaRedFlags',
  section: 'Surgical Consultation (Urgent/Emergent Indications)',
  quote:
    'Any neurological deficits, with initiation of corticosteroid therapy immediately and performance of surgery as soon as possible',
};
export const QA_MALIGNANCY_MRI: SourceRef = {
  document: 'qaRedFlags',
  section: 'Initial Assessment',
  quote:
    'If malignancy is suspected, obtain MRI of the complete spine without and with IV contrast',
};
export const QA_PATHOLOGICAL_ONCOLOGY: SourceRef = {
  document: 'qaRedFlags',
  section: 'Management of Pathologic Fractures (Malignancy-Related)',
  quote: 'Radiation oncology consultation or medical management is usually appropriate',
};
export const QA_AUGMENTATION_3_MONTHS: SourceRef = {
  document: 'qaRedFlags',
  section: 'Indications for Percutaneous Vertebral Augmentation',
  quote: 'Persistent severe pain after 3 weeks to 3 months of conservative management',
};
export const QA_AUGMENTATION_AFTER_3_MONTHS: SourceRef = {
  document: 'qaConservativeCare',
  section: 'Interventional Options After Failed Conservative Therapy',
  quote:
    'Consider vertebral augmentation (vertebroplasty or kyphoplasty) only after 3 months of failed conservative management',
};
export const QA_START_DRUGS: SourceRef = {
  document: 'qaConservativeCare',
  section: 'Osteoporosis Pharmacotherapy (Start Immediately)',
  quote:
    'Begin anti-osteoporosis medication immediately to prevent additional symptomatic fractures',
};
export const QA_DENOSUMAB_CC: SourceRef = {
  document: 'qaConservativeCare',
  section: 'Osteoporosis Pharmacotherapy (Start Immediately)',
  quote: 'Denosumab 60 mg subcutaneously every 6 months',
};

// --- Timing bases -----------------------------------------------------------------------------

export const PROMPTLY: TimingBasis = {
  kind: 'service-standard',
  explanation:
    'The guidance says "promptly" or "immediately" without an interval; this service expects it by the end of the next working day.',
};
export const RED_FLAG_ESCALATION: TimingBasis = {
  kind: 'service-standard',
  explanation:
    'Red flags need action at once; this service escalates any red flag not actioned within 4 hours.',
};
export const FLS_90_DAYS: TimingBasis = {
  kind: 'service-standard',
  explanation:
    'FLS audit standard (FLS-DB, which the guidance names as the audit of secondary prevention): assessment within 90 days of the fracture. The interval is not written in the guidance itself.',
  source: ROS_FLS_AUDIT,
};
export const FLS_16_WEEKS: TimingBasis = {
  kind: 'service-standard',
  explanation:
    'FLS audit standard (FLS-DB): a monitoring contact 12 to 16 weeks after the fracture. The interval is not written in the guidance itself.',
  source: ROS_FLS_AUDIT,
};
export const FLS_52_WEEKS: TimingBasis = {
  kind: 'service-standard',
  explanation:
    'FLS audit standard (FLS-DB): adherence to bone therapy checked at 52 weeks. The interval is not written in the guidance itself.',
  source: ROS_FLS_AUDIT,
};
export const REFERRAL_TWO_WEEKS: TimingBasis = {
  kind: 'service-standard',
  explanation:
    'The guidance says "consider referral" without an interval; this service expects the referral decision within 2 weeks.',
};
