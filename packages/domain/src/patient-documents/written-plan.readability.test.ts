import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';
import { describe, expect, it } from 'vitest';
import { CURRENT_PATHWAY_VERSION, findPathway } from '../pathway/registry.js';
import { ROS_2022_V3 } from '../pathway/versions/ros-2022.3.js';
import { patientFacingTexts } from './written-plan.js';

// The written plan is for a reading age of about 9 to 11 years (issue 17). The measure: the
// Flesch-Kincaid grade level (wooorm's `flesch-kincaid`, syllables counted by wooorm's
// `syllable`), a US school grade. A UK reading age is the US grade plus 5 (grade 1 is the year a
// child turns 6 or 7), so a reading age of 11 or under is a grade of 6 or under. It is measured
// over all of a version's patient-facing text together (the plan is read as one document), and
// each piece of 8 words or more separately must stay at grade 8 or under (reading age 13), so one
// hard passage cannot hide in the average (the formula swings too widely on a heading of two or
// three words for a per-piece limit to mean anything; headings count in the overall grade). Sentences stay at 25 words or fewer.
//
// Placeholders ({due} and so on) become a date as the plan writes it ("Monday 12 April 2027"),
// and contact details (the helpline number, the e-mail address, the website) are left out of the
// count: they are read, not parsed as words.

const MAX_GRADE_OVERALL = 6;
const MAX_GRADE_EACH = 8;
const MAX_SENTENCE_WORDS = 25;

type Counts = {
  readonly sentence: number;
  readonly word: number;
  readonly syllable: number;
};

function prepare(text: string): string {
  return text
    .replace(/\{[a-zA-Z]+\}/g, 'Monday 12 April 2027')
    .replace(/\S+@\S+/g, '')
    .replace(/\b\d{4} \d{3} \d{4}\b/g, '')
    .replace(/\btheros\.org\.uk\b/g, '');
}

const sentencesOf = (text: string) =>
  prepare(text)
    .split(/(?<=[.!?:])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[A-Za-z]/.test(s));

const wordsOf = (sentence: string) => sentence.match(/[A-Za-z0-9][A-Za-z0-9'’&-]*/g) ?? [];

function counts(texts: readonly string[]): Counts {
  const sentences = texts.flatMap(sentencesOf);
  const words = sentences.flatMap(wordsOf);
  return {
    sentence: sentences.length,
    word: words.length,
    syllable: words.reduce((sum, word) => sum + Math.max(1, syllable(word)), 0),
  };
}

/** Flesch-Kincaid grade of some text; its UK reading age is this plus 5. */
function grade(texts: readonly string[]): number {
  return fleschKincaid(counts(texts));
}

describe('readability of the patient wording', () => {
  const texts = patientFacingTexts(ROS_2022_V3);

  it('the current version has patient wording to measure', () => {
    expect(findPathway(CURRENT_PATHWAY_VERSION)?.patientInformation).toBeDefined();
    expect(texts.length).toBeGreaterThan(40);
  });

  it(`reads at Flesch-Kincaid grade ${MAX_GRADE_OVERALL} or under overall (reading age 11 or under)`, () => {
    const overall = grade(texts);
    console.info(
      `patient wording of ${ROS_2022_V3.version}: Flesch-Kincaid grade ${overall.toFixed(1)}`,
    );
    expect(overall).toBeLessThanOrEqual(MAX_GRADE_OVERALL);
  });

  it(`each piece reads at grade ${MAX_GRADE_EACH} or under`, () => {
    const hard = texts
      .filter((text) => sentencesOf(text).flatMap(wordsOf).length >= 8)
      .map((text) => ({ text, grade: Math.round(grade([text]) * 10) / 10 }))
      .filter((t) => t.grade > MAX_GRADE_EACH);
    expect(hard).toEqual([]);
  });

  it(`has no sentence longer than ${MAX_SENTENCE_WORDS} words`, () => {
    const long = texts.flatMap(sentencesOf).filter((s) => wordsOf(s).length > MAX_SENTENCE_WORDS);
    expect(long).toEqual([]);
  });

  it('fails on clinical wording: the measure tells plain words from hard ones', () => {
    const clinical =
      'Temporarily avoid heavy physical exertion, lifting, or activities that exacerbate pain for twelve weeks following fracture, with individualised analgesic escalation according to therapeutic response.';
    expect(grade([clinical])).toBeGreaterThan(MAX_GRADE_EACH);
    expect(grade([...texts, clinical, clinical, clinical, clinical])).toBeGreaterThan(grade(texts));
    expect(grade(['The pain gets better. You can do more.'])).toBeLessThan(3);
  });
});
