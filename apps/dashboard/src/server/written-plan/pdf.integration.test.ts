// The written plan's PDF for every demo patient: the demo seeded into a database of its own, each
// patient's plan produced and stored through produceWrittenPlan with the dashboard's layout, in
// standard and large print. Each PDF's text (pdftotext, Debian's poppler-utils) holds the
// patient's name, every section heading and every date of the plan, and every date equals the
// plan's own; its pages render to PNG (pdftoppm). KEEP_WRITTEN_PLAN_PAGES=<dir> keeps the PNGs to
// look at.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@vfx/database';
import { type ProducedWrittenPlan, produceWrittenPlan } from '@vfx/database/commands';
import { DEMO_USERS, seedDemo } from '@vfx/database/seed';
import { createTestDatabase, type TestDatabase } from '@vfx/database/testing';
import { currentPlan, readWrittenPlan } from '@vfx/database/views';
import { serviceCalendar } from '@vfx/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { writtenPlanContact } from './contact';
import { WRITTEN_PLAN_TITLE, WRITTEN_PLAN_TYPE, writtenPlanPdf } from './pdf-layout';
import { renderWrittenPlanPdf } from './render';

// A Wednesday morning in April, British Summer Time.
const NOW = new Date('2027-04-14T09:30:00Z');
let database: TestDatabase;
let client: Database;
let nurseId: string;
let episodes: { id: string; patientId: string }[];
const dir = mkdtempSync(join(tmpdir(), 'written-plan-pdf-'));

beforeAll(async () => {
  database = await createTestDatabase('written_plan_pdf');
  process.env.DATABASE_URL = database.url;
  client = db();
  await seedDemo(client, { now: NOW });
  nurseId = (await client.user.findUniqueOrThrow({ where: { email: DEMO_USERS[0].email } })).id;
  episodes = await client.episode.findMany({
    select: { id: true, patientId: true },
    orderBy: { id: 'asc' },
  });
}, 180_000);
afterAll(async () => {
  if (process.env.KEEP_WRITTEN_PLAN_PAGES)
    cpSync(dir, process.env.KEEP_WRITTEN_PLAN_PAGES, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  await client.$disconnect();
  await database.drop();
});

const words = (text: string) => text.replace(/\s+/g, ' ').trim();

function pdfText(file: string): string {
  return words(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
}

/** One page's lines of text, trimmed, without blank lines. */
function pageLines(file: string, page: number): string[] {
  const text = execFileSync(
    'pdftotext',
    ['-enc', 'UTF-8', '-f', String(page), '-l', String(page), file, '-'],
    { encoding: 'utf8' },
  );
  return text
    .split('\n')
    .map((line) => words(line))
    .filter(Boolean);
}

function pages(file: string, prefix: string): string[] {
  execFileSync('pdftoppm', ['-png', '-r', '60', file, join(dir, prefix)]);
  return readdirSync(dir).filter((name) => name.startsWith(`${prefix}-`) && name.endsWith('.png'));
}

function fontSizes(definition: unknown): number[] {
  const sizes: number[] = [];
  JSON.stringify(definition, (key, value) => {
    if (key === 'fontSize' && typeof value === 'number') sizes.push(value);
    return value;
  });
  return sizes;
}

describe('the written plan PDF', () => {
  it("produces a PDF for every demo patient holding the plan's dates and sections, with pages that render", async () => {
    expect(episodes.length).toBeGreaterThanOrEqual(50);
    const problems: string[] = [];
    for (const [index, episode] of episodes.entries()) {
      const largePrint = index % 2 === 1;
      const produced: ProducedWrittenPlan = await produceWrittenPlan(
        client,
        {
          episodeId: episode.id,
          largePrint,
          render: renderWrittenPlanPdf,
          contact: writtenPlanContact(),
        },
        { actorId: nurseId, now: NOW },
      );
      const stored = await readWrittenPlan(client, produced.id, episode.id);
      expect(Buffer.from(stored?.pdf ?? []).equals(Buffer.from(produced.pdf))).toBe(true);
      const plan = produced.content;
      const file = join(dir, `${episode.id}.pdf`);
      writeFileSync(file, produced.pdf);
      const text = pdfText(file);
      const need = [
        WRITTEN_PLAN_TITLE,
        plan.patientName,
        plan.producedOn.words,
        plan.contact.name,
        ...plan.sections.map((s) => s.heading),
        ...plan.sections.flatMap((s) => s.items.flatMap((i) => i.dates.map((d) => d.date.words))),
      ];
      for (const needle of need)
        if (!text.includes(needle)) problems.push(`${episode.id}: the PDF lacks "${needle}"`);
      // Every date equals the plan's own: the step's window, or the 12-week end of the lifting
      // restriction, as the episode's plan has them now.
      const current = await currentPlan(client, episode.id, NOW);
      for (const item of plan.sections.flatMap((s) => s.items)) {
        for (const { role, date, guideline } of item.dates) {
          if (item.from && 'stepKey' in item.from) {
            const key = item.from.stepKey;
            const step = current?.plan.steps.find((s) => s.key === key);
            const expected = step?.window?.[role as 'opens' | 'due'];
            // A deadline on a weekend or bank holiday is given as the working day before it,
            // with the plan's own date kept beside it.
            if ((guideline ?? date).iso !== expected)
              problems.push(`${episode.id}: ${key} ${role} ${date.iso}, the plan has ${expected}`);
            if (guideline && date.iso !== serviceCalendar().workingDayOnOrBefore(guideline.iso))
              problems.push(`${episode.id}: ${key} ${date.iso} is not the working day before`);
          } else if (role === 'restriction-ends' && date.iso !== plan.restrictionEnds.iso) {
            problems.push(`${episode.id}: restriction ends ${date.iso}`);
          } else if (role === 'pain-score') {
            const days = current?.plan.recommendations.flatMap((r) => r.basedOn.map((b) => b.on));
            if (!days?.includes(date.iso)) problems.push(`${episode.id}: pain score ${date.iso}`);
          }
        }
      }
      const pngs = pages(file, episode.id);
      if (pngs.length < 1) problems.push(`${episode.id}: no pages rendered`);
      // No page ends with a section heading whose content is on the next page.
      const headings = new Set(plan.sections.map((s) => s.heading));
      for (let page = 1; page <= pngs.length; page += 1) {
        const lines = pageLines(file, page).filter((line) => !line.includes(`Page ${page} of`));
        const last = lines.at(-1) ?? '';
        if (page < pngs.length && headings.has(last))
          problems.push(`${episode.id}: page ${page} ends with the heading "${last}"`);
      }
    }
    expect(problems).toEqual([]);
  }, 600_000);

  it('sets large print at 16 pt or larger throughout, and standard print smaller', async () => {
    const produced = await produceWrittenPlan(
      client,
      {
        episodeId: episodes[0]?.id ?? '',
        largePrint: true,
        render: renderWrittenPlanPdf,
        contact: writtenPlanContact(),
      },
      { actorId: nurseId, now: NOW },
    );
    const large = writtenPlanPdf(produced.content, { largePrint: true });
    const standard = writtenPlanPdf(produced.content, { largePrint: false });
    const footer = (definition: ReturnType<typeof writtenPlanPdf>) =>
      (definition.footer as (page: number, pages: number) => { fontSize: number })(1, 1).fontSize;
    expect(Math.min(...fontSizes(large), footer(large))).toBeGreaterThanOrEqual(16);
    expect(WRITTEN_PLAN_TYPE.large.body).toBeGreaterThanOrEqual(16);
    expect(Math.min(...fontSizes(standard))).toBeLessThan(16);
    // The same words take more pages in large print.
    const largeFile = join(dir, 'large.pdf');
    const standardFile = join(dir, 'standard.pdf');
    writeFileSync(largeFile, produced.pdf);
    writeFileSync(
      standardFile,
      await renderWrittenPlanPdf(produced.content, { largePrint: false }),
    );
    expect(pages(largeFile, 'large').length).toBeGreaterThan(
      pages(standardFile, 'standard').length,
    );
  }, 60_000);
});
