// The written plan's PDF layout: a pure function from the domain's WrittenPlan to a pdfmake
// document definition (rendered by @vfx/documents renderPdf). It adds no words of its own beyond
// the document's frame (title, page numbers); every sentence is the plan's.
import type { PdfDocumentDefinition } from '@vfx/documents';
import type { WrittenPlan } from '@vfx/domain';

export interface WrittenPlanPdfOptions {
  /** Large print: body text 16 pt and nothing smaller (headings larger). */
  readonly largePrint: boolean;
}

/** Type sizes in points. Large print: nothing under 16 pt, the RNIB's minimum for large print. */
export const WRITTEN_PLAN_TYPE = {
  standard: { body: 12, small: 10, heading: 16, title: 22 },
  large: { body: 16, small: 16, heading: 22, title: 28 },
} as const;

/** The plan's document title, on the page and in the PDF's metadata. */
export const WRITTEN_PLAN_TITLE = 'Your plan after a broken bone in your back';

export function writtenPlanPdf(
  plan: WrittenPlan,
  { largePrint }: WrittenPlanPdfOptions,
): PdfDocumentDefinition {
  const type = largePrint ? WRITTEN_PLAN_TYPE.large : WRITTEN_PLAN_TYPE.standard;
  const gap = largePrint ? 10 : 6;
  const content: unknown[] = [
    { text: WRITTEN_PLAN_TITLE, style: 'title' },
    { text: `For ${plan.patientName}`, style: 'lead' },
    {
      text: `Made on ${plan.producedOn.words}. Your break was on ${plan.fractureDate.words}.`,
      style: 'lead',
      margin: [0, 0, 0, gap * 2],
    },
  ];
  for (const section of plan.sections) {
    const heading = {
      text: section.heading,
      style: section.id === 'get-help' ? 'urgentHeading' : 'heading',
    };
    const items = section.items.map((item) => ({
      stack: [
        ...(item.title ? [{ text: item.title, bold: true, margin: [0, 0, 0, 2] }] : []),
        { text: item.text },
      ],
      margin: [0, 0, 0, gap],
      // An item is never split across two pages.
      unbreakable: true,
    }));
    if (section.id === 'get-help') {
      // The warning box is kept whole, with its heading: never a heading alone at a page's foot.
      content.push({
        stack: [
          heading,
          {
            table: {
              widths: ['*'],
              dontBreakRows: true,
              body: [[{ stack: items, margin: [gap, gap, gap, 0] }]],
            },
            layout: {
              hLineWidth: () => 3,
              vLineWidth: () => 3,
              hLineColor: () => '#d5281b',
              vLineColor: () => '#d5281b',
            },
            margin: [0, 0, 0, gap],
          },
        ],
        unbreakable: true,
      });
    } else {
      // Each heading stays on the page of its first item.
      const [first, ...rest] = items;
      content.push({ stack: [heading, ...(first ? [first] : [])], unbreakable: true }, ...rest);
    }
  }
  return {
    info: {
      title: `${WRITTEN_PLAN_TITLE}: ${plan.patientName}`,
      subject: `Written plan, pathway ${plan.pathwayVersion}`,
    },
    pageSize: 'A4',
    pageMargins: largePrint ? [50, 56, 50, 64] : [56, 56, 56, 56],
    defaultStyle: { fontSize: type.body, lineHeight: 1.25, color: '#212b32' },
    styles: {
      title: { fontSize: type.title, bold: true, color: '#005eb8', margin: [0, 0, 0, gap] },
      lead: { fontSize: type.body },
      heading: { fontSize: type.heading, bold: true, margin: [0, gap, 0, gap] },
      urgentHeading: {
        fontSize: type.heading,
        bold: true,
        color: '#d5281b',
        margin: [0, gap, 0, gap],
      },
    },
    footer: (page: number, pages: number) => ({
      text: `${plan.patientName} · ${plan.producedOn.words} · Page ${page} of ${pages}`,
      fontSize: type.small,
      color: '#4c6272',
      alignment: 'center',
      margin: [40, largePrint ? 20 : 24, 40, 0],
    }),
    content,
  };
}
