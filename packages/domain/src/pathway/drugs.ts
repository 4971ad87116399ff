/**
 * Bone therapies the pathway knows. The class decides which maintenance steps apply; the route is
 * shown to nurses. Source for the list: ROS 2022 (004), "Osteoporosis and secondary fracture
 * prevention" (oral and parenteral bisphosphonates, denosumab, teriparatide; romosozumab
 * regionally) and BMJ Best Practice (000), "long-term osteoporosis prophylaxis" (raloxifene).
 */
export const BONE_THERAPY_DRUGS = [
  'alendronic-acid',
  'risedronate',
  'ibandronic-acid',
  'zoledronic-acid',
  'denosumab',
  'teriparatide',
  'romosozumab',
  'raloxifene',
] as const;
export type BoneTherapyDrug = (typeof BONE_THERAPY_DRUGS)[number];

export type DrugClass =
  | 'oral-bisphosphonate'
  | 'intravenous-bisphosphonate'
  | 'denosumab'
  | 'anabolic'
  | 'serm';

export interface DrugInfo {
  readonly label: string;
  readonly drugClass: DrugClass;
  readonly route: 'oral' | 'intravenous' | 'subcutaneous';
  /** Reduces bone resorption: what must follow an anabolic course. */
  readonly antiresorptive: boolean;
}

export const DRUGS: Readonly<Record<BoneTherapyDrug, DrugInfo>> = {
  'alendronic-acid': {
    label: 'Alendronic acid',
    drugClass: 'oral-bisphosphonate',
    route: 'oral',
    antiresorptive: true,
  },
  risedronate: {
    label: 'Risedronate',
    drugClass: 'oral-bisphosphonate',
    route: 'oral',
    antiresorptive: true,
  },
  'ibandronic-acid': {
    label: 'Ibandronic acid (oral)',
    drugClass: 'oral-bisphosphonate',
    route: 'oral',
    antiresorptive: true,
  },
  'zoledronic-acid': {
    label: 'Zoledronic acid',
    drugClass: 'intravenous-bisphosphonate',
    route: 'intravenous',
    antiresorptive: true,
  },
  denosumab: {
    label: 'Denosumab',
    drugClass: 'denosumab',
    route: 'subcutaneous',
    antiresorptive: true,
  },
  teriparatide: {
    label: 'Teriparatide',
    drugClass: 'anabolic',
    route: 'subcutaneous',
    antiresorptive: false,
  },
  romosozumab: {
    label: 'Romosozumab',
    drugClass: 'anabolic',
    route: 'subcutaneous',
    antiresorptive: false,
  },
  raloxifene: { label: 'Raloxifene', drugClass: 'serm', route: 'oral', antiresorptive: true },
};
