/**
 * The letter to the GP laid out as a pdfmake document definition (data only: @vfx/documents
 * renderPdf turns it into bytes). An NHS letter: the service's name and address at the top right,
 * the addressee and the date, the patient's identifiers in a box, the headings in NHS blue, the
 * signature block, and on every page the patient's name and NHS number with the page number, so
 * a page that comes loose still says whose it is. A letter not signed yet says "DRAFT" across
 * each page and in its footer.
 */
import { describeCivilDate } from '../time/civil-date.js';
import type { GpLetter, GpLetterItem, GpLetterSection } from './gp-letter.js';

const NHS_BLUE = '#005eb8';
const NHS_DARK_GREY = '#425563';
const NHS_RED = '#d5281b';

type Node = Record<string, unknown> | string;

function itemNode(item: GpLetterItem): Node {
  const when = item.date
    ? `${item.dateLabel ?? 'Date'}: ${describeCivilDate(item.date)}`
    : undefined;
  const stack: Node[] = [
    {
      text: [
        ...(item.urgent ? [{ text: 'Important: ', bold: true, color: NHS_RED }] : []),
        ...(item.prompt ? [{ text: 'Please check: ', bold: true }] : []),
        item.text,
      ],
    },
  ];
  // A date already past ("Overdue since") in red, so it is not read as a deadline still ahead.
  if (when)
    stack.push({
      text: when,
      bold: true,
      fontSize: 9.5,
      color: item.overdue ? NHS_RED : NHS_DARK_GREY,
    });
  for (const source of item.sources ?? []) {
    stack.push({ text: `Source: ${source}`, fontSize: 8, color: NHS_DARK_GREY, italics: true });
  }
  // An item never splits across pages (its date would leave its words behind).
  return { stack, margin: [0, 0, 0, 4], unbreakable: true };
}

function sectionNodes(section: GpLetterSection): Node[] {
  // The heading, its introduction and its first line stay together on one page.
  const head: Node[] = [{ text: section.heading, style: 'heading' }];
  if (section.intro) head.push({ text: section.intro, margin: [0, 0, 0, 4] });
  if (section.editable) {
    const text = section.items[0]?.text;
    head.push(text ? { text, margin: [0, 0, 0, 4] } : { text: 'None.', color: NHS_DARK_GREY });
    return [{ stack: head, unbreakable: !text || text.length < 600 }];
  }
  const [first, ...rest] = section.items;
  if (first) head.push({ ul: [itemNode(first)] });
  return [
    { stack: head, unbreakable: true },
    ...(rest.length > 0 ? [{ ul: rest.map(itemNode) }] : []),
  ];
}

/** The pdfmake document definition of a letter (signed, or a draft marked as one). */
export function gpLetterPdfDefinition(letter: GpLetter): {
  content: unknown;
  [key: string]: unknown;
} {
  const draft = !letter.signature;
  const patientLine = `${letter.patient.name}, ${letter.patient.identifiers.map((i) => `${i.label} ${i.value}`).join(', ')}`;
  const senderLines = [
    letter.sender.serviceName,
    ...letter.sender.addressLines,
    ...(letter.sender.telephone ? [`Telephone: ${letter.sender.telephone}`] : []),
    ...(letter.sender.email ? [`Email: ${letter.sender.email}`] : []),
  ];
  const patientRows = [
    ['Name', letter.patient.name],
    ...letter.patient.identifiers.map((i) => [i.label, i.value]),
    ['Date of birth', describeCivilDate(letter.patient.dateOfBirth)],
    ['Sex', letter.patient.sex],
  ];
  const signature = letter.signature
    ? [
        { text: 'Yours sincerely,', margin: [0, 12, 0, 18] },
        { text: letter.signature.name, bold: true },
        { text: letter.signature.role },
        { text: letter.sender.serviceName },
        {
          text: `Signed off electronically on ${describeCivilDate(letter.signature.signedAt.slice(0, 10))}`,
          fontSize: 9,
          color: NHS_DARK_GREY,
        },
      ]
    : [
        { text: 'Yours sincerely,', margin: [0, 12, 0, 18] },
        {
          text: 'DRAFT: not signed off. This letter must not be sent.',
          bold: true,
          color: NHS_RED,
        },
      ];
  return {
    info: {
      title: `Letter to the GP: ${letter.patient.name}`,
      author: letter.sender.serviceName,
      subject: letter.subject,
    },
    pageSize: 'A4',
    pageMargins: [56, 56, 56, 64],
    defaultStyle: { fontSize: 10.5, lineHeight: 1.2 },
    styles: {
      heading: { fontSize: 12.5, bold: true, color: NHS_BLUE, margin: [0, 10, 0, 4] },
    },
    ...(draft ? { watermark: { text: 'DRAFT', color: NHS_RED, opacity: 0.12, bold: true } } : {}),
    footer: (currentPage: number, pageCount: number) => ({
      margin: [56, 16, 56, 0],
      columns: [
        { text: `${draft ? 'DRAFT. ' : ''}${patientLine}`, fontSize: 8, color: NHS_DARK_GREY },
        {
          text: `Page ${currentPage} of ${pageCount}`,
          alignment: 'right',
          fontSize: 8,
          color: NHS_DARK_GREY,
          width: 80,
        },
      ],
    }),
    content: [
      {
        columns: [
          { width: '*', text: '' },
          {
            width: 220,
            stack: senderLines.map((line, index) =>
              index === 0
                ? { text: line, bold: true, fontSize: 13, color: NHS_BLUE, alignment: 'right' }
                : { text: line, alignment: 'right', fontSize: 9.5 },
            ),
          },
        ],
      },
      {
        columns: [
          { width: '*', stack: letter.recipient.map((line) => ({ text: line })) },
          {
            width: 220,
            text: `Date: ${describeCivilDate(letter.letterDate)}`,
            alignment: 'right',
          },
        ],
        margin: [0, 18, 0, 14],
      },
      {
        table: {
          widths: [110, '*'],
          body: patientRows.map(([label, value]) => [
            { text: label, bold: true },
            { text: value, bold: label === 'NHS number' },
          ]),
        },
        layout: {
          hLineColor: () => NHS_DARK_GREY,
          vLineColor: () => NHS_DARK_GREY,
          hLineWidth: (i: number, node: { table: { body: unknown[] } }) =>
            i === 0 || i === node.table.body.length ? 1 : 0,
          vLineWidth: (i: number) => (i === 0 || i === 2 ? 1 : 0),
          paddingLeft: () => 6,
          paddingTop: () => 2,
          paddingBottom: () => 2,
        },
        margin: [0, 0, 0, 12],
      },
      { text: letter.salutation, margin: [0, 0, 0, 6] },
      { text: `Re: ${letter.subject}`, bold: true, margin: [0, 0, 0, 4] },
      ...letter.sections.flatMap(sectionNodes),
      ...signature,
      {
        text: `Pathway: ${letter.pathway.title}.`,
        fontSize: 8,
        color: NHS_DARK_GREY,
        margin: [0, 16, 0, 0],
      },
    ],
  };
}
