import { describe, expect, it } from 'vitest';
import { findPathway } from '../pathway/registry.js';
import { SOURCE_DOCUMENTS } from '../pathway/sources.js';
import { QA_DENOSUMAB_STOPPING } from '../pathway/versions/ros-2022-citations.js';
import { computePlan } from '../plan/compute-plan.js';
import { type Scenario, scenario } from '../testing/scenario.js';
import {
  quotesNotInTheirSources,
  SEED_DOCUMENTS_PRESENT,
} from '../testing/seed-documents.test-support.js';
import { serviceCalendar } from '../time/settings.js';
import {
  buildGpLetter,
  EMPTY_GP_LETTER_EDITS,
  GP_LETTER_DOSES,
  GP_LETTER_TEXT_LIMITS,
  type GpLetter,
  type GpLetterEdits,
  GpLetterError,
  gpLetterOverdueItems,
  gpLetterSignOffProblems,
  parseGpLetterEdits,
  parseGpLetterSending,
  signGpLetter,
} from './gp-letter.js';

const SENDER = {
  serviceName: 'Fracture Liaison Service',
  addressLines: ['Example Hospital', 'Example Road', 'EX1 1AA'],
};
const NOW = '2025-02-03T10:00:00Z';

function letterOf(s: Scenario, edits: Partial<GpLetterEdits> = {}, now = NOW): GpLetter {
  const { patient, episode, events } = s.record(now);
  const plan = computePlan({ patient, episode, events, asOf: now });
  const pathway = findPathway(episode.pathwayVersion);
  if (!pathway) throw new Error('no pathway');
  return buildGpLetter({
    patient,
    demographics: { givenName: 'Ada', familyName: 'Lovelace' },
    episode,
    events,
    plan,
    pathway,
    sender: SENDER,
    edits: { ...EMPTY_GP_LETTER_EDITS, ...edits },
    now,
  });
}

const section = (letter: GpLetter, id: string) => {
  const found = letter.sections.find((s) => s.id === id);
  if (!found) throw new Error(`no section ${id}`);
  return found;
};
const texts = (letter: GpLetter, id: string) => section(letter, id).items.map((i) => i.text);

function planOf(s: Scenario, now = NOW) {
  const { patient, episode, events } = s.record(now);
  return computePlan({ patient, episode, events, asOf: now });
}

describe('buildGpLetter', () => {
  it('names the patient, the NHS number, the fractured levels and the letter date', () => {
    const letter = letterOf(scenario({ vertebralLevels: ['T12', 'L1'] }));
    expect(letter.patient.name).toBe('Ada LOVELACE');
    expect(letter.patient.nhsNumber).toBe('943 476 5919');
    expect(letter.patient.dateOfBirth).toBe('1950-05-17');
    expect(letter.letterDate).toBe('2025-02-03');
    expect(letter.subject).toContain('T12, L1');
    expect(texts(letter, 'diagnoses')[0]).toContain('fractures at T12, L1');
    expect(section(letter, 'diagnoses').items[0]?.date).toBe('2025-01-06');
    expect(letter.recipient).toEqual(["The patient's GP"]);
  });

  it('says Not yet done for each finding not recorded, with the plan’s date and no value', () => {
    const s = scenario();
    const plan = planOf(s);
    const letter = letterOf(s);
    const findings = section(letter, 'findings').items;
    expect(findings).toHaveLength(4);
    for (const item of findings) {
      expect(item.notYetDone).toBe(true);
      expect(item.text).toMatch(/Not yet done\.$/);
      expect(item.text).not.toMatch(/%|T-score|at risk/);
    }
    // The DXA scan is due on Sunday 6 April 2025: planned by the working day before it.
    const dxaDue = plan.steps.find((st) => st.stepId === 'dxa-scan')?.window?.due;
    expect(dxaDue).toBe('2025-04-06');
    expect(findings[1]?.date).toBe('2025-04-04');
    expect(findings[1]?.dateLabel).toBe('Planned by');
  });

  it('gives each recorded finding with its own date and values', () => {
    const s = scenario()
      .add('2025-01-10T10:00:00Z', {
        type: 'fracture-risk-assessment',
        tool: 'FRAX',
        majorOsteoporoticFractureRisk: 24,
        hipFractureRisk: 8.5,
        category: 'high',
      })
      .add('2025-01-20T10:00:00Z', {
        type: 'dxa-result',
        lumbarSpineTScore: -2.8,
        totalHipTScore: -2.1,
      })
      .add('2025-01-21T10:00:00Z', { type: 'laboratory-screen', secondaryCauseFound: false })
      .add('2025-01-22T10:00:00Z', {
        type: 'falls-risk-assessment',
        fallsInLastYear: 2,
        presentedWithFall: true,
        gaitOrBalanceDifficulty: false,
        result: 'at-risk',
      });
    const findings = section(letterOf(s), 'findings').items;
    expect(findings.map((f) => f.date)).toEqual([
      '2025-01-10',
      '2025-01-20',
      '2025-01-21',
      '2025-01-22',
    ]);
    expect(findings[0]?.text).toContain('FRAX');
    expect(findings[0]?.text).toContain('24%');
    expect(findings[0]?.text).toContain('hip fracture 8.5%');
    expect(findings[1]?.text).toContain('lumbar spine T-score -2.8');
    expect(findings[2]?.text).toContain('no secondary cause found');
    expect(findings[3]?.text).toContain('at risk of falls');
    expect(findings.every((f) => !f.notYetDone)).toBe(true);
  });

  it('reads a corrected finding, not the one it replaced', () => {
    const s = scenario()
      .add('2025-01-10T10:00:00Z', {
        type: 'fracture-risk-assessment',
        tool: 'FRAX',
        majorOsteoporoticFractureRisk: 24,
        category: 'high',
        id: 'frax1',
      })
      .add('2025-01-10T10:00:00Z', {
        type: 'fracture-risk-assessment',
        tool: 'FRAX',
        majorOsteoporoticFractureRisk: 14,
        category: 'intermediate',
        supersedes: 'frax1',
        recordedAt: '2025-01-11T10:00:00Z',
      });
    expect(texts(letterOf(s), 'findings')[0]).toContain('14%');
  });

  it('quotes denosumab’s dose from its source, prompts for contraindications and dates the GP’s action from the plan', () => {
    const s = scenario().add('2025-01-21T10:00:00Z', {
      type: 'laboratory-screen',
      secondaryCauseFound: false,
    });
    const plan = planOf(s);
    const letter = letterOf(s, { recommendedDrug: 'denosumab' });
    const bone = section(letter, 'bone-therapy').items;
    expect(bone[0]?.text).toBe('The FLS recommends denosumab (subcutaneous).');
    expect(bone[1]?.text).toContain('Denosumab 60 mg subcutaneously every 6 months');
    expect(bone[1]?.sources?.[0]).toContain(SOURCE_DOCUMENTS.qaConservativeCare.short);
    expect(bone[1]?.sources?.[0]).not.toContain('.txt');
    expect(bone[2]?.prompt).toBe(true);
    expect(bone[2]?.text).toBe(
      "Contraindications and cautions: check the BNF and the summary of product characteristics (SmPC) before prescribing denosumab; the pathway's sources do not list them.",
    );
    const start = section(letter, 'gp-actions').items.find((i) => i.text.startsWith('Start'));
    // Due on Sunday 6 April 2025 by the plan: by Friday 4 April in the letter.
    expect(plan.steps.find((st) => st.stepId === 'bone-therapy-decision')?.window?.due).toBe(
      '2025-04-06',
    );
    expect(start?.date).toBe('2025-04-04');
    expect(start?.dateLabel).toBe('By');
    // Calcium and vitamin D as the pathway gives them, from the letter date.
    const calcium = section(letter, 'gp-actions').items.find((i) => i.text.includes('calcium'));
    expect(calcium?.text).toContain('at least 1000 mg');
    expect(calcium?.date).toBe('2025-02-03');
  });

  it('asks the GP to check the BNF/SmPC for a drug whose dose the sources do not give', () => {
    const letter = letterOf(scenario(), { recommendedDrug: 'alendronic-acid' });
    const dose = section(letter, 'bone-therapy').items[1];
    expect(dose?.prompt).toBe(true);
    expect(dose?.text).toBe(
      "Dose: as the BNF and the summary of product characteristics (SmPC) give it (the pathway's sources give no dose for alendronic acid).",
    );
    expect(dose?.text).not.toMatch(/\d+ ?mg/);
  });

  it('warns that the laboratory screen is not done when a drug is recommended before it', () => {
    const letter = letterOf(scenario(), { recommendedDrug: 'denosumab' });
    expect(texts(letter, 'bone-therapy')).toContain(
      'The laboratory screen for secondary causes is not yet done: please check its results before prescribing.',
    );
  });

  it('says no recommendation yet when the nurse has chosen no drug, and asks the GP to start none', () => {
    const letter = letterOf(scenario());
    expect(section(letter, 'bone-therapy').intro).toContain(
      'not yet made a bone therapy recommendation',
    );
    expect(texts(letter, 'gp-actions').some((t) => t.startsWith('Start'))).toBe(false);
  });

  it('lists the 16- and 52-week follow-ups with the plan’s dates', () => {
    const s = scenario();
    const plan = planOf(s);
    const items = section(letterOf(s), 'fls-plan').items;
    const at16 = items.find((i) => i.text.startsWith('Follow-up contact at 16 weeks'));
    const at52 = items.find((i) => i.text.startsWith('Adherence check at 52 weeks'));
    expect(at16?.date).toBe(
      plan.steps.find((st) => st.stepId === 'fls-follow-up-16-weeks')?.window?.due,
    );
    expect(at52?.date).toBe(
      plan.steps.find((st) => st.stepId === 'fls-adherence-52-weeks')?.window?.due,
    );
    expect(at16?.date).toBe('2025-04-28');
    expect(at52?.text).toContain('Once bone therapy has started');
  });

  it('asks the GP to continue a started course and gives the next denosumab dose’s date', () => {
    const s = scenario()
      .add('2025-01-15T10:00:00Z', { type: 'bone-therapy-started', drug: 'denosumab' })
      .add('2025-01-16T10:00:00Z', { type: 'laboratory-screen', secondaryCauseFound: false });
    const plan = planOf(s);
    const letter = letterOf(s);
    expect(texts(letter, 'bone-therapy')[0]).toContain('Denosumab (subcutaneous) has been started');
    const dose = section(letter, 'gp-actions').items.find((i) =>
      i.text.includes('Denosumab dose due'),
    );
    expect(dose?.date).toBe(
      plan.steps.find((st) => st.stepId === 'denosumab-next-dose')?.window?.due,
    );
  });

  describe('a red-flag patient', () => {
    const redFlag = () => scenario({ neurologicalDeficit: true });

    it('says they left the routine pathway for specialist care and recommends nothing routine', () => {
      const letter = letterOf(redFlag(), { recommendedDrug: 'denosumab' });
      expect(letter.branch).toBe('red-flag');
      expect(section(letter, 'specialist-care').intro).toContain(
        'left the routine conservative pathway for specialist care',
      );
      expect(section(letter, 'bone-therapy').items).toEqual([]);
      expect(section(letter, 'bone-therapy').intro).toContain('No bone therapy is recommended');
      expect(section(letter, 'gp-actions').items).toEqual([]);
      const everything = JSON.stringify(letter.sections.filter((s) => s.id !== 'specialist-care'));
      expect(everything).not.toMatch(/calcium|denosumab 60|exercise programme|bed rest/i);
    });

    it('on denosumab with a dose overdue: states the treatment and the dose, to discuss with the specialist team, and recommends nothing new', () => {
      const s = redFlag().add('2025-01-15T10:00:00Z', {
        type: 'bone-therapy-started',
        drug: 'denosumab',
      });
      const later = '2025-08-20T10:00:00Z';
      const plan = planOf(s, later);
      const dueStep = plan.steps.find((st) => st.stepId === 'denosumab-next-dose');
      expect(dueStep?.status).toBe('overdue');
      const letter = letterOf(s, {}, later);
      expect(letter.branch).toBe('red-flag');
      const bone = section(letter, 'bone-therapy');
      expect(bone.intro).toContain('No new routine bone therapy is recommended');
      expect(bone.items[0]?.text).toContain('Current treatment: Denosumab (subcutaneous)');
      expect(bone.items[0]?.text).toContain('do not stop or delay denosumab without a plan');
      expect(bone.items[0]?.date).toBe('2025-01-15');
      expect(bone.items[0]?.sources?.join(' ')).toContain(QA_DENOSUMAB_STOPPING.quote);
      const actions = section(letter, 'gp-actions');
      expect(actions.intro).toBeUndefined();
      const dose = actions.items.find((i) => i.text.startsWith('Denosumab dose due'));
      expect(dose?.text).toBe(
        'Denosumab dose due (every 6 months) (overdue): discuss it with the specialist team as soon as possible, before giving or stopping it.',
      );
      expect(dose?.date).toBe(dueStep?.window?.due);
      expect(dose?.dateLabel).toBe('Overdue since');
      expect(dose?.urgent).toBe(true);
      // Still no new routine therapy: no recommendation, no dose to start, no supplements.
      const everything = JSON.stringify(letter.sections.filter((x) => x.id !== 'specialist-care'));
      expect(everything).not.toMatch(/recommends denosumab|calcium|denosumab 60|Start /i);
    });

    it('cannot be signed with a drug recommended', () => {
      const letter = letterOf(redFlag(), { recommendedDrug: 'denosumab', recipient: 'Surgery' });
      expect(gpLetterSignOffProblems(letter).map((p) => p.path)).toEqual(['edits.recommendedDrug']);
    });
  });

  it('greets a named doctor by name, and anyone else as Doctor', () => {
    const named = letterOf(scenario(), { recipient: 'Dr A Smith\nThe Health Centre\nEX2 2AA' });
    expect(named.salutation).toBe('Dear Dr A Smith,');
    expect(named.recipient[0]).toBe('Dr A Smith');
    const practice = letterOf(scenario(), { recipient: 'The Health Centre\nDr A Smith' });
    expect(practice.salutation).toBe('Dear Doctor,');
    expect(letterOf(scenario()).salutation).toBe('Dear Doctor,');
    expect(letterOf(scenario(), { recipient: 'Drummond Surgery' }).salutation).toBe('Dear Doctor,');
  });

  it('refuses a plan of another episode', () => {
    const s = scenario();
    const { patient, episode, events } = s.record(NOW);
    const other = planOf(scenario({ episodeId: 'ep2' }));
    const pathway = findPathway(episode.pathwayVersion);
    if (!pathway) throw new Error('no pathway');
    expect(() =>
      buildGpLetter({
        patient,
        demographics: { givenName: 'A', familyName: 'B' },
        episode,
        events,
        plan: other,
        pathway,
        sender: SENDER,
        edits: EMPTY_GP_LETTER_EDITS,
        now: NOW,
      }),
    ).toThrow(GpLetterError);
  });
});

describe('the dates the GP is given', () => {
  const FACT_LABELS = ['Recorded', 'Started', 'Fracture date', 'Admitted', 'Done on'];
  // Denosumab started 15 January 2025: the next dose is due 15 July 2025 (a Tuesday).
  const onDenosumab = () =>
    scenario()
      .add('2025-01-15T10:00:00Z', { type: 'bone-therapy-started', drug: 'denosumab' })
      .add('2025-01-16T10:00:00Z', { type: 'laboratory-screen', secondaryCauseFound: false });
  const doseActions = (letter: GpLetter) =>
    section(letter, 'gp-actions').items.filter((i) => /denosumab dose/i.test(i.text));

  it('a denosumab dose more than 4 weeks late is one action, overdue since its due date, asking for it as soon as possible', () => {
    const at = '2025-08-20T10:00:00Z';
    const plan = planOf(onDenosumab(), at);
    expect(plan.steps.find((st) => st.stepId === 'denosumab-next-dose')?.status).toBe('overdue');
    expect(plan.recommendations.map((r) => r.id)).toContain('denosumab-dose-late');
    const letter = letterOf(onDenosumab(), {}, at);
    const [dose, ...others] = doseActions(letter);
    expect(others).toEqual([]);
    expect(dose).toMatchObject({
      date: '2025-07-15',
      dateLabel: 'Overdue since',
      overdue: true,
      urgent: true,
    });
    expect(dose?.text).toBe(
      'Denosumab dose due (every 6 months). Overdue: please arrange it as soon as possible. Denosumab dose more than 4 weeks late: Give the overdue denosumab dose as soon as possible. Delaying or stopping denosumab is associated with rebound fractures, often multiple vertebral fractures.',
    );
    expect(dose?.sources?.join(' ')).toContain(QA_DENOSUMAB_STOPPING.quote);
    // Calcium and vitamin D stays an action of its own, from the letter date.
    expect(texts(letter, 'gp-actions').filter((t) => t.startsWith('Calcium'))).toHaveLength(1);
  });

  it('a dose past its due date but within its grace is overdue since that date, never due on a day gone', () => {
    const at = '2025-07-20T10:00:00Z';
    expect(
      planOf(onDenosumab(), at).steps.find((st) => st.stepId === 'denosumab-next-dose')?.status,
    ).toBe('due');
    const [dose, ...others] = doseActions(letterOf(onDenosumab(), {}, at));
    expect(others).toEqual([]);
    expect(dose).toMatchObject({ date: '2025-07-15', dateLabel: 'Overdue since', urgent: true });
    expect(dose?.text).toBe(
      'Denosumab dose due (every 6 months). Overdue: please arrange it as soon as possible.',
    );
  });

  it('with several steps overdue, gives one line per step and no by-date in the past', () => {
    const at = '2025-08-20T10:00:00Z';
    const letter = letterOf(onDenosumab(), {}, at);
    const dated = letter.sections.flatMap((sec) =>
      // Every date but the facts (when something happened): the deadlines the letter gives.
      sec.items.filter((i) => i.date && !FACT_LABELS.includes(i.dateLabel ?? '')),
    );
    const overdue = dated.filter((i) => i.overdue);
    // The dose, the fracture risk assessment, DXA, falls risk and the 16-week follow-up.
    expect(overdue.length).toBeGreaterThanOrEqual(5);
    for (const item of dated) {
      if ((item.date as string) < letter.letterDate) {
        expect(item.dateLabel, item.text).toBe('Overdue since');
        if (item.stepKey) expect(item.urgent, item.text).toBe(true);
        expect(item.text, item.text).toMatch(/as soon as possible|Not yet done/);
      } else if (item.dateLabel !== 'From') {
        expect(item.dateLabel, item.text).toMatch(/^(By|Planned by|Due)$/);
      }
    }
    for (const id of ['gp-actions', 'fls-plan'] as const) {
      const keys = section(letter, id).items.flatMap((i) => (i.stepKey ? [i.stepKey] : []));
      expect(new Set(keys).size, id).toBe(keys.length);
    }
    const followUp = section(letter, 'fls-plan').items.find((i) =>
      i.text.startsWith('Follow-up contact at 16 weeks'),
    );
    expect(followUp).toMatchObject({ date: '2025-04-28', dateLabel: 'Overdue since' });
    expect(followUp?.text).toContain('The FLS will make this contact as soon as possible.');
  });

  it('lists the dates already past for the nurse to check before sign-off, the GP’s actions first', () => {
    const letter = letterOf(onDenosumab(), {}, '2025-08-20T10:00:00Z');
    const overdue = gpLetterOverdueItems(letter);
    expect(overdue[0]).toMatchObject({
      section: 'gp-actions',
      heading: 'Actions for the GP',
      item: { date: '2025-07-15', dateLabel: 'Overdue since' },
    });
    const rank = ['gp-actions', 'fls-plan', 'findings'];
    const ranks = overdue.map((o) => rank.indexOf(o.section));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(overdue.filter((o) => o.section === 'fls-plan').length).toBeGreaterThanOrEqual(3);
    for (const { item } of overdue) expect(String(item.date) < letter.letterDate).toBe(true);
    // A letter written before anything is due has none.
    expect(gpLetterOverdueItems(letterOf(scenario()))).toEqual([]);
  });

  it('gives a deadline on a weekend or bank holiday as the working day before it', () => {
    // 6 April 2025 is a Sunday: the assessments due then are planned by Friday 4 April.
    const letter = letterOf(scenario(), { recommendedDrug: 'denosumab' });
    const dxa = section(letter, 'findings').items[1];
    expect(dxa).toMatchObject({ date: '2025-04-04', dateLabel: 'Planned by' });
    const fls = section(letter, 'fls-plan').items.filter((i) => i.dateLabel === 'By');
    expect(fls.length).toBeGreaterThanOrEqual(3);
    for (const item of fls) expect(item.date, item.text).toBe('2025-04-04');
    // Fracture on 26 September 2026: the assessments fall due on Christmas Day (planned by
    // Thursday 24 December), the 16-week follow-up on Saturday 16 January 2027 (by Friday 15th).
    const winter = letterOf(scenario({ fractureDate: '2026-09-26' }), {}, '2026-10-05T10:00:00Z');
    const winterPlan = planOf(scenario({ fractureDate: '2026-09-26' }), '2026-10-05T10:00:00Z');
    expect(winterPlan.steps.find((st) => st.stepId === 'dxa-scan')?.window?.due).toBe('2026-12-25');
    expect(section(winter, 'findings').items[1]).toMatchObject({
      date: '2026-12-24',
      dateLabel: 'Planned by',
    });
    const followUp = section(winter, 'fls-plan').items.find((i) =>
      i.text.startsWith('Follow-up contact at 16 weeks'),
    );
    expect(followUp).toMatchObject({ date: '2027-01-15', dateLabel: 'Due' });
    for (const item of winter.sections.flatMap((sec) => sec.items)) {
      if (!item.date || item.overdue || FACT_LABELS.includes(item.dateLabel ?? '')) continue;
      if (item.dateLabel === 'From') continue;
      expect(serviceCalendar().isWorkingDay(item.date), `${item.text} ${item.date}`).toBe(true);
    }
  });
});

describe('the nurse’s edits', () => {
  it('accepts text within the limits and an empty drug as none', () => {
    const parsed = parseGpLetterEdits({
      clinicalSummary: '  Well.\nWalking.  ',
      recommendedDrug: '',
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        recipient: '',
        clinicalSummary: 'Well.\nWalking.',
        additionalComments: '',
        recommendedDrug: null,
      },
    });
  });

  it('refuses too-long text, control characters and an unknown drug, naming each field', () => {
    const parsed = parseGpLetterEdits({
      clinicalSummary: 'x'.repeat(GP_LETTER_TEXT_LIMITS.clinicalSummary + 1),
      additionalComments: 'bad\u0000',
      recommendedDrug: 'aspirin',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((i) => i.path).sort()).toEqual([
      'edits.additionalComments',
      'edits.clinicalSummary',
      'edits.recommendedDrug',
    ]);
    expect(parsed.issues.find((i) => i.path === 'edits.clinicalSummary')?.message).toContain(
      'at most 2000 characters',
    );
  });
});

describe('sign-off', () => {
  it('needs the GP practice, and a clinical summary when a secondary cause was found', () => {
    const s = scenario().add('2025-01-21T10:00:00Z', {
      type: 'laboratory-screen',
      secondaryCauseFound: true,
    });
    expect(gpLetterSignOffProblems(letterOf(s)).map((p) => p.path)).toEqual([
      'edits.recipient',
      'edits.clinicalSummary',
    ]);
    const ready = letterOf(s, {
      recipient: 'The Surgery\n1 High St',
      clinicalSummary: 'Low vitamin D.',
    });
    expect(ready.recipient).toEqual(['The Surgery', '1 High St']);
    const signed = signGpLetter(ready, { name: 'N Nurse', role: 'FLS nurse', signedAt: NOW });
    expect(signed.signature?.name).toBe('N Nurse');
    expect(() => signGpLetter(signed, { name: 'N', role: 'r', signedAt: NOW })).toThrow(
      /already signed/,
    );
  });
});

describe('a course being taken', () => {
  it('cannot be replaced silently: sign-off is refused with another drug chosen', () => {
    const s = scenario().add('2025-01-15T10:00:00Z', {
      type: 'bone-therapy-started',
      drug: 'alendronic-acid',
    });
    const other = letterOf(s, { recipient: 'Surgery', recommendedDrug: 'denosumab' });
    expect(other.boneTherapyInProgress).toEqual(['alendronic-acid']);
    expect(texts(other, 'bone-therapy').join(' ')).not.toContain('recommends denosumab');
    expect(gpLetterSignOffProblems(other).map((p) => p.path)).toEqual(['edits.recommendedDrug']);
    const same = letterOf(s, { recipient: 'Surgery', recommendedDrug: 'alendronic-acid' });
    expect(gpLetterSignOffProblems(same)).toEqual([]);
  });
});

describe('a sending', () => {
  const signedAt = Date.parse('2026-12-07T10:15:42Z');
  const now = Date.parse('2026-12-07T11:00:00Z');
  it('may be given to the minute of the sign-off, not before it nor after now', () => {
    const at = (sentAt: string, method = 'nhsmail', detail = '') =>
      parseGpLetterSending({ method, detail, sentAt }, { now, signedAt });
    expect(at('2026-12-07T10:15:00Z').ok).toBe(true);
    expect(at('2026-12-07T10:14:59Z')).toEqual({
      ok: false,
      issues: [{ path: 'sending.sentAt', message: 'is before the letter was signed off' }],
    });
    expect(at('2026-12-07T11:01:00Z')).toEqual({
      ok: false,
      issues: [{ path: 'sending.sentAt', message: 'is in the future' }],
    });
    expect(at('2026-12-07T10:30:00Z', 'pigeon').ok).toBe(false);
  });
});

describe('the doses the letter quotes', () => {
  it.skipIf(!SEED_DOCUMENTS_PRESENT)('are found word for word in their source documents', () => {
    const doses = Object.values(GP_LETTER_DOSES).filter((ref) => ref !== undefined);
    expect(doses.length).toBeGreaterThan(0);
    expect(quotesNotInTheirSources(doses)).toEqual([]);
  });
});
