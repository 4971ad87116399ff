/**
 * The clinical documents the pathway cites (../shared/seeds). Every rule names its document,
 * the section, and a short quotation that a test finds in the document's text, so a citation
 * cannot silently drift from what the source says.
 */
export const SOURCE_DOCUMENTS = {
  ros2022: {
    file: '004_530e6981250197c6.txt',
    title:
      'Royal Osteoporosis Society: Guidance for the management of symptomatic vertebral fragility fractures (April 2022)',
    short: 'ROS 2022',
    weight: 'primary',
  },
  bmjBestPractice: {
    file: '000_d0a9342d23c958d2.txt',
    title: 'BMJ Best Practice: treatment algorithm for osteoporotic spinal compression fracture',
    short: 'BMJ Best Practice',
    weight: 'secondary',
  },
  qaAcuteManagement: {
    file: '001_8b927ae1016afbc2.txt',
    title:
      'Clinical Q&A summary (US-leaning, AAOS): management of osteoporotic compression fractures',
    short: 'Clinical Q&A (AAOS)',
    weight: 'secondary',
  },
  qaRedFlags: {
    file: '002_b483352434d8474f.txt',
    title:
      'Clinical Q&A summary: treatment of vertebral compression fractures (assessment, red flags)',
    short: 'Clinical Q&A (red flags)',
    weight: 'secondary',
  },
  qaConservativeCare: {
    file: '003_e9767fd8cb9b57b7.txt',
    title: 'Clinical Q&A summary: osteoporosis with lumbar compression fracture',
    short: 'Clinical Q&A (conservative care)',
    weight: 'secondary',
  },
} as const;

export type SourceDocumentId = keyof typeof SOURCE_DOCUMENTS;

export interface SourceRef {
  readonly document: SourceDocumentId;
  readonly section: string;
  /** Words from the document, verbatim apart from line breaks. */
  readonly quote: string;
}

/**
 * Where a step's timing comes from. Some intervals are written in the guidance; others are the
 * service's own standard (for example FLS audit intervals, or what "promptly" means here). The
 * plan shows which, so a nurse never mistakes a local standard for a guideline.
 */
export type TimingBasis =
  | { readonly kind: 'guideline'; readonly source: SourceRef }
  | {
      readonly kind: 'service-standard';
      readonly explanation: string;
      readonly source?: SourceRef;
    };

export function describeSource(ref: SourceRef): string {
  const doc = SOURCE_DOCUMENTS[ref.document];
  return `${doc.short} (${doc.file}), ${ref.section}`;
}
