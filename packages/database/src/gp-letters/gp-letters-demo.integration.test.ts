// The letter to the GP for every demo patient: the demo caseload seeded into a database of its
// own, a letter drafted and signed off for each episode, and each stored PDF read back with
// poppler (pdftotext): the patient's identifiers, every heading, and every date the letter gives
// are in the text; each PDF is also turned into PNG pages (pdftoppm -r 60) to look at.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCivilDate, formatNhsNumber } from '@vfx/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../client.js';
import { seedDemo } from '../seed/demo.js';
import { openTestDatabase } from '../testing/test-database.js';
import {
  gpLettersOfEpisode,
  saveGpLetterDraft,
  signedGpLetterPdf,
  signOffGpLetter,
} from './gp-letters.js';

const NOW = new Date('2026-11-17T10:00:00Z');
const SENDER = {
  serviceName: 'Fracture Liaison Service',
  addressLines: ['Example Hospital NHS Foundation Trust', 'Example Road', 'Exampletown', 'EX1 1AA'],
  telephone: '01234 567890',
};

let db: Database;
let close: () => Promise<void>;
let nurseId: string;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase('gp_letters_demo'));
  const seeded = await seedDemo(db, { now: NOW });
  nurseId = Object.values(seeded.users)[0] as string;
}, 180_000);
afterAll(() => close?.());

/** pdftotext's text with runs of white space as one space (lines wrap anywhere). */
const textOf = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString().replace(/\s+/g, ' ');

describe('the letter to the GP of every demo patient', () => {
  it('is signed off as a PDF holding the identifiers, every heading and every date of the letter', async () => {
    const episodes = await db.episode.findMany({
      select: {
        id: true,
        patient: {
          select: {
            givenName: true,
            familyName: true,
            identifierKind: true,
            identifierValue: true,
          },
        },
      },
      orderBy: { id: 'asc' },
    });
    expect(episodes.length).toBeGreaterThanOrEqual(50);
    const pngDir = mkdtempSync(join(tmpdir(), 'gp-letter-pages-'));
    for (const [index, episode] of episodes.entries()) {
      const at = new Date(NOW.getTime() + index * 1000);
      const view = await gpLettersOfEpisode(db, episode.id, { now: at, sender: SENDER });
      if (!view) throw new Error(`no letter view for ${episode.id}`);
      const redFlag = view.draft.letter.branch === 'red-flag';
      const draft = await saveGpLetterDraft(
        db,
        {
          episodeId: episode.id,
          version: 0,
          edits: {
            recipient: 'The Health Centre\n1 High Street\nExampletown EX2 2AA',
            // A drug only for those with none started (a running course is continued).
            recommendedDrug:
              redFlag || view.draft.letter.boneTherapyInProgress.length > 0 ? '' : 'denosumab',
            clinicalSummary: `Seen by the FLS. Letter ${index + 1} of the demo caseload.`,
            additionalComments: '',
          },
        },
        { actorId: nurseId, now: at, sender: SENDER },
      );
      const fresh = await gpLettersOfEpisode(db, episode.id, { now: at, sender: SENDER });
      const signed = await signOffGpLetter(
        db,
        { letterId: draft.id, version: draft.version, episodeVersion: fresh?.episodeVersion ?? -1 },
        { actorId: nurseId, now: at, sender: SENDER },
      );
      const stored = await signedGpLetterPdf(db, signed.id, { actorId: nurseId, now: at });
      if (!stored) throw new Error('no stored PDF');
      const text = textOf(stored.pdf);
      const where = `${episode.id}`;
      const letter = signed.letter;
      expect(text, where).toContain(
        `${episode.patient.givenName} ${episode.patient.familyName.toUpperCase()}`,
      );
      expect(text, where).toContain(
        episode.patient.identifierKind === 'nhs-number'
          ? formatNhsNumber(episode.patient.identifierValue)
          : episode.patient.identifierValue,
      );
      expect(text, where).toContain(`Date: ${describeCivilDate(letter.letterDate)}`);
      expect(text, where).toContain(
        `Date of birth ${describeCivilDate(letter.patient.dateOfBirth)}`,
      );
      for (const section of letter.sections) expect(text, where).toContain(section.heading);
      const dates = letter.sections.flatMap((s) => s.items.flatMap((i) => (i.date ? [i] : [])));
      expect(dates.length, where).toBeGreaterThan(0);
      for (const item of dates) {
        expect(text, `${where}: ${item.text}`).toContain(
          `${item.dateLabel}: ${describeCivilDate(item.date as string)}`,
        );
      }
      const followUp = letter.sections
        .find((s) => s.id === 'fls-plan')
        ?.items.find((i) => i.text.startsWith('Follow-up contact at 16 weeks'));
      if (followUp?.date) expect(text).toContain(describeCivilDate(followUp.date));
      expect(text, where).toContain('Fracture Liaison Service');
      expect(text, where).toContain('Signed off electronically on');
      expect(text, where).not.toContain('DRAFT');
      // A letter cites a source by its title and section, never by an internal file name.
      expect(text, where).not.toContain('.txt');
      expect(JSON.stringify(letter), where).not.toContain('.txt');
      if (redFlag) {
        expect(text, where).toContain('left the routine conservative pathway for specialist care');
        expect(text, where).not.toContain('60 mg subcutaneously');
      } else if (letter.boneTherapyInProgress.length > 0) {
        expect(text, where).toContain('has been started: please continue it');
      } else {
        expect(text, where).toContain('The FLS recommends denosumab');
        expect(text, where).toContain('Denosumab 60 mg subcutaneously every 6 months');
      }
      const file = join(pngDir, `${String(index + 1).padStart(2, '0')}-${episode.id}.pdf`);
      writeFileSync(file, stored.pdf);
      execFileSync('pdftoppm', ['-png', '-r', '60', file, file.replace(/\.pdf$/, '')]);
    }
    // The demo as of NOW may have no red-flag patient: gp-letters.integration.test.ts signs one.
    const pages = readdirSync(pngDir).filter((name) => name.endsWith('.png'));
    expect(pages.length).toBeGreaterThanOrEqual(episodes.length);
    // Where to look at them (the test leaves them for a person to open).
    writeFileSync(join(tmpdir(), 'gp-letter-pages-latest.txt'), `${pngDir}\n`);
  }, 300_000);
});
