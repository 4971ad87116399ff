// The letter to the GP: a draft the nurse edits, signed off into a PDF stored unchanged, and its
// sending recorded. The domain builds the letter (packages/domain patient-documents/gp-letter.ts)
// and lays out its PDF; this module stores it, through runCommand (permission, one transaction,
// audit). A signed letter is final: a trigger (migration gp_letters) refuses any change to it, and
// a correction is a new letter that replaces it.
import { createHash, randomUUID } from 'node:crypto';
import {
  describeUnprintable,
  renderPdf,
  UnprintableTextError,
  unprintableCharacters,
} from '@vfx/documents';
import {
  buildGpLetter,
  computePlan,
  DEFAULT_SERVICE_SETTINGS,
  EMPTY_GP_LETTER_EDITS,
  findPathway,
  type GpLetter,
  type GpLetterEdits,
  GpLetterError,
  type GpLetterSender,
  type GpLetterSendingMethod,
  gpLetterPdfDefinition,
  gpLetterSignOffProblems,
  type InputIssue,
  parseGpLetterEdits,
  parseGpLetterSending,
  type ServiceSettings,
  signGpLetter,
} from '@vfx/domain';
import type { SignedLetterRecord } from '@vfx/fhir';
import type { Queryable, Transaction } from '../client.js';
import { runCommand } from '../commands/run-command.js';
import type { Prisma } from '../generated/prisma/client.js';
import { recordAccess } from '../records/access-audit.js';
import { RecordError } from '../records/errors.js';
import { loadEpisodeRecord } from '../records/write-path.js';

export interface GpLetterOptions {
  readonly actorId: string;
  readonly now: Date;
  /** The service's name and address for the letter's header (the dashboard's configuration). */
  readonly sender: GpLetterSender;
  readonly settings?: ServiceSettings;
}

export interface GpLetterSendingRecord {
  readonly id: string;
  readonly method: GpLetterSendingMethod;
  readonly detail: string | null;
  readonly sentAt: Date;
  readonly recordedBy: string;
  readonly recordedByName: string;
  readonly recordedAt: Date;
}

export interface SignedGpLetterSummary {
  readonly id: string;
  readonly signedAt: Date;
  readonly signedBy: string;
  readonly signedByName: string;
  readonly pdfSha256: string;
  readonly pdfSize: number;
  readonly replacesId: string | null;
  /** The letter that corrects and replaces this one, if any. */
  readonly replacedById: string | null;
  readonly content: GpLetter;
  readonly sendings: readonly GpLetterSendingRecord[];
}

export interface GpLetterDraftView {
  /** Undefined before the first save. */
  readonly id: string | undefined;
  /** 0 before the first save: the version a save or sign-off must name. */
  readonly version: number;
  readonly edits: GpLetterEdits;
  readonly replacesId: string | null;
  /** The letter as it reads now, built from the record with the saved edits. */
  readonly letter: GpLetter;
  /** What stops sign-off now, each naming its field. */
  readonly signOffProblems: ReturnType<typeof gpLetterSignOffProblems>;
  readonly updatedAt: Date | undefined;
  readonly updatedByName: string | undefined;
}

export interface GpLettersOfEpisode {
  readonly episodeId: string;
  readonly patientId: string;
  /** The episode's record version the draft's letter was built from (sign-off names it). */
  readonly episodeVersion: number;
  readonly draft: GpLetterDraftView;
  /** Signed letters, newest first. */
  readonly signed: readonly SignedGpLetterSummary[];
}

async function namesOf(db: Queryable, ids: readonly (string | null | undefined)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const users = await db.user.findMany({
    where: { id: { in: wanted } },
    select: { id: true, name: true },
  });
  const names = new Map(users.map((user) => [user.id, user.name]));
  return (id: string) => names.get(id) ?? (id.startsWith('system:') ? 'The service' : id);
}

/** The letter of an episode as it reads at `now` with `edits`, and the record version it reads. */
async function letterNow(
  db: Queryable,
  episodeId: string,
  edits: GpLetterEdits,
  { now, sender, settings = DEFAULT_SERVICE_SETTINGS }: Omit<GpLetterOptions, 'actorId'>,
) {
  const record = await loadEpisodeRecord(db, episodeId);
  if (!record) throw new RecordError('not-found', `Episode "${episodeId}" does not exist`);
  const pathway = findPathway(record.episode.pathwayVersion);
  if (!pathway) {
    throw new RecordError(
      'conflict',
      `Episode "${episodeId}" is under pathway version "${record.episode.pathwayVersion}", which this service does not know`,
    );
  }
  const plan = computePlan({
    patient: record.patient,
    episode: record.episode,
    events: record.events,
    asOf: now.getTime(),
    settings,
  });
  const letter = buildGpLetter({
    patient: record.patient,
    demographics: {
      givenName: record.row.patient.givenName,
      familyName: record.row.patient.familyName,
    },
    episode: record.episode,
    events: record.events,
    plan,
    pathway,
    sender,
    edits,
    now: now.getTime(),
    settings,
  });
  return { letter, episodeVersion: record.row.version, patientId: record.patient.id };
}

/**
 * The letters of an episode for its page: the draft as it reads now (a new one, unsaved, when
 * there is none: addressed as the latest signed letter was), and the signed letters with their
 * sendings. Reading is a read of the patient: the caller audits it (recordAccess) as for the page.
 */
export async function gpLettersOfEpisode(
  db: Queryable,
  episodeId: string,
  options: Omit<GpLetterOptions, 'actorId'>,
): Promise<GpLettersOfEpisode | undefined> {
  const exists = await db.episode.findUnique({ where: { id: episodeId }, select: { id: true } });
  if (!exists) return undefined;
  const rows = await db.gpLetter.findMany({
    where: { episodeId },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    select: {
      id: true,
      status: true,
      edits: true,
      content: true,
      version: true,
      replacesId: true,
      replacedBy: { select: { id: true, status: true } },
      updatedAt: true,
      updatedBy: true,
      signedAt: true,
      signedBy: true,
      pdfSha256: true,
      sendings: { orderBy: { sentAt: 'asc' } },
    },
  });
  const sizes = await db.$queryRaw<{ id: string; size: number }[]>`
    SELECT id, octet_length(pdf)::int AS size FROM gp_letters
    WHERE episode_id = ${episodeId} AND status = 'signed'`;
  const sizeOf = new Map(sizes.map((row) => [row.id, row.size]));
  const nameOf = await namesOf(db, [
    ...rows.flatMap((row) => [row.updatedBy, row.signedBy]),
    ...rows.flatMap((row) => row.sendings.map((s) => s.recordedBy)),
  ]);
  const draftRow = rows.find((row) => row.status === 'draft');
  const signedRows = rows.filter((row) => row.status === 'signed');
  const latestSigned = signedRows[0]?.edits as GpLetterEdits | undefined;
  const edits: GpLetterEdits = draftRow
    ? (draftRow.edits as unknown as GpLetterEdits)
    : { ...EMPTY_GP_LETTER_EDITS, recipient: latestSigned?.recipient ?? '' };
  const { letter, episodeVersion, patientId } = await letterNow(db, episodeId, edits, options);
  return {
    episodeId,
    patientId,
    episodeVersion,
    draft: {
      id: draftRow?.id,
      version: draftRow?.version ?? 0,
      edits,
      replacesId: draftRow?.replacesId ?? null,
      letter,
      signOffProblems: gpLetterSignOffProblems(letter),
      updatedAt: draftRow?.updatedAt,
      updatedByName: draftRow ? nameOf(draftRow.updatedBy) : undefined,
    },
    signed: signedRows.map((row) => ({
      id: row.id,
      signedAt: row.signedAt as Date,
      signedBy: row.signedBy as string,
      signedByName: nameOf(row.signedBy as string),
      pdfSha256: row.pdfSha256 as string,
      pdfSize: sizeOf.get(row.id) ?? 0,
      replacesId: row.replacesId,
      replacedById: row.replacedBy?.status === 'signed' ? row.replacedBy.id : null,
      content: row.content as unknown as GpLetter,
      sendings: row.sendings.map((s) => ({
        id: s.id,
        method: s.method as GpLetterSendingMethod,
        detail: s.detail,
        sentAt: s.sentAt,
        recordedBy: s.recordedBy,
        recordedByName: nameOf(s.recordedBy),
        recordedAt: s.recordedAt,
      })),
    })),
  };
}

export interface SaveGpLetterDraftInput {
  readonly episodeId: string;
  /** The draft's version as the nurse opened it: 0 for a new draft. */
  readonly version: number;
  readonly edits: unknown;
  /** For a new draft that corrects a signed letter: the letter it replaces. */
  readonly replacesId?: string | null;
}

export interface SavedGpLetterDraft {
  readonly id: string;
  readonly version: number;
  readonly letter: GpLetter;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** The nurse's text that the letter's PDF could not print as written, field by field. */
function unprintableEdits(edits: GpLetterEdits): InputIssue[] {
  return Object.entries(edits).flatMap(([field, value]) => {
    const characters = typeof value === 'string' ? unprintableCharacters(value) : [];
    return characters.length > 0
      ? [
          {
            path: `edits.${field}`,
            message: `holds ${describeUnprintable(characters)}, which the letter cannot print; write ${characters.length === 1 ? 'it' : 'them'} another way (for example "to" instead of an arrow)`,
          },
        ]
      : [];
  });
}

async function lockDraft(tx: Transaction, episodeId: string) {
  // Serialises saves and sign-offs of one episode's letters (a row lock on the episode).
  await tx.$queryRaw`SELECT id FROM episodes WHERE id = ${episodeId} FOR UPDATE`;
  return tx.gpLetter.findFirst({ where: { episodeId, status: 'draft' } });
}

/**
 * Saves the nurse's edits to the episode's draft (creating it on the first save), with the
 * letter as it reads now. Refused: text too long or with control characters ('invalid-input',
 * each issue naming its field), a version other than the draft's ('conflict': someone saved or
 * signed it since it was opened), a replaced letter that is not a signed letter of this episode.
 */
export function saveGpLetterDraft(
  db: Queryable,
  input: SaveGpLetterDraftInput,
  options: GpLetterOptions,
): Promise<SavedGpLetterDraft> {
  return runCommand(db, options.actorId, 'gpLetter.draft', async ({ tx, audit }) => {
    const parsed = parseGpLetterEdits(input.edits);
    if (!parsed.ok) throw RecordError.invalid(parsed.issues);
    const unprintable = unprintableEdits(parsed.value);
    if (unprintable.length > 0) throw RecordError.invalid(unprintable);
    const existing = await lockDraft(tx, input.episodeId);
    const { letter, patientId } = await letterNow(tx, input.episodeId, parsed.value, options);
    if (existing) {
      if (existing.version !== input.version) {
        throw new RecordError(
          'conflict',
          `The draft letter was saved by someone else since you opened it (it is at version ${existing.version}, you opened version ${input.version}): open it again to see their changes`,
        );
      }
      const saved = await tx.gpLetter.update({
        where: { id: existing.id },
        data: {
          edits: json(parsed.value),
          content: json(letter),
          version: existing.version + 1,
          updatedBy: options.actorId,
          updatedAt: options.now,
        },
      });
      await audit({
        action: 'gpLetter.draft-saved',
        entityType: 'gp-letter',
        entityId: saved.id,
        patientId,
        before: { version: existing.version, edits: existing.edits },
        after: { version: saved.version, edits: parsed.value },
        at: options.now,
      });
      return { id: saved.id, version: saved.version, letter };
    }
    if (input.version !== 0) {
      throw new RecordError(
        'conflict',
        'The draft letter you opened has since been signed off or no longer exists: open the letter page again',
      );
    }
    const replacesId = input.replacesId ?? null;
    if (replacesId) {
      const replaced = await tx.gpLetter.findUnique({
        where: { id: replacesId },
        select: { episodeId: true, status: true, replacedBy: { select: { id: true } } },
      });
      if (!replaced || replaced.episodeId !== input.episodeId || replaced.status !== 'signed') {
        throw RecordError.invalid([
          { path: 'replacesId', message: 'must be a signed letter of this episode' },
        ]);
      }
      if (replaced.replacedBy) {
        throw new RecordError('conflict', 'That letter has already been replaced by a correction');
      }
    }
    const id = randomUUID();
    await tx.gpLetter.create({
      data: {
        id,
        episodeId: input.episodeId,
        patientId,
        edits: json(parsed.value),
        content: json(letter),
        replacesId,
        createdBy: options.actorId,
        createdAt: options.now,
        updatedBy: options.actorId,
        updatedAt: options.now,
      },
    });
    await audit({
      action: 'gpLetter.draft-saved',
      entityType: 'gp-letter',
      entityId: id,
      patientId,
      after: { version: 1, edits: parsed.value, replacesId },
      at: options.now,
    });
    return { id, version: 1, letter };
  });
}

export interface SignOffGpLetterInput {
  readonly letterId: string;
  /** The draft's version the nurse previewed. */
  readonly version: number;
  /** The episode's record version the previewed letter was built from. */
  readonly episodeVersion: number;
}

export interface SignedGpLetter {
  readonly id: string;
  readonly letter: GpLetter;
  readonly pdfSha256: string;
  readonly pdfSize: number;
}

/**
 * Signs off a draft: builds the letter from the record now (which must be the record the nurse
 * previewed: same draft version, same episode version), signs it with the signer's name, renders
 * its PDF and stores content, PDF and SHA-256 together; from then on the row cannot change.
 */
export function signOffGpLetter(
  db: Queryable,
  input: SignOffGpLetterInput,
  options: GpLetterOptions,
): Promise<SignedGpLetter> {
  return runCommand(db, options.actorId, 'gpLetter.signOff', async ({ tx, audit, actor }) => {
    const row = await tx.gpLetter.findUnique({ where: { id: input.letterId } });
    if (!row) throw new RecordError('not-found', `Letter "${input.letterId}" does not exist`);
    await lockDraft(tx, row.episodeId);
    const current = await tx.gpLetter.findUniqueOrThrow({ where: { id: input.letterId } });
    if (current.status === 'signed') {
      throw new RecordError(
        'conflict',
        `This letter was already signed off on ${current.signedAt?.toISOString()} and cannot be changed: to correct it, start a correction (a new letter that replaces it)`,
      );
    }
    if (current.version !== input.version) {
      throw new RecordError(
        'conflict',
        `The draft was changed since you previewed it (it is at version ${current.version}, you previewed version ${input.version}): preview it again before signing off`,
      );
    }
    const edits = current.edits as unknown as GpLetterEdits;
    const built = await letterNow(tx, current.episodeId, edits, options);
    if (built.episodeVersion !== input.episodeVersion) {
      throw new RecordError(
        'conflict',
        "The patient's record changed since you previewed the letter (something was recorded): preview it again before signing off",
      );
    }
    const signer = await tx.user.findUnique({ where: { id: actor.id }, select: { name: true } });
    let letter: GpLetter;
    try {
      letter = signGpLetter(built.letter, {
        name: signer?.name ?? actor.id,
        role: actor.role === 'nurse' ? 'Fracture liaison nurse' : 'Fracture liaison service',
        signedAt: options.now.toISOString(),
      });
    } catch (error) {
      if (error instanceof GpLetterError) throw RecordError.invalid(error.issues);
      throw error;
    }
    const pdf = await renderPdf(gpLetterPdfDefinition(letter)).catch((error: unknown) => {
      // Text from the record (a name, say) that the PDF cannot print: refused, not garbled.
      if (error instanceof UnprintableTextError)
        throw RecordError.invalid([{ path: 'letter', message: error.message }]);
      throw error;
    });
    const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
    await tx.gpLetter.update({
      where: { id: current.id },
      data: {
        status: 'signed',
        content: json(letter),
        pdf: new Uint8Array(pdf),
        pdfSha256,
        signedBy: actor.id,
        signedAt: options.now,
        updatedBy: actor.id,
        updatedAt: options.now,
      },
    });
    await audit({
      action: 'gpLetter.signed-off',
      entityType: 'gp-letter',
      entityId: current.id,
      patientId: current.patientId,
      after: {
        pdfSha256,
        pdfSize: pdf.length,
        replacesId: current.replacesId,
        version: current.version,
      },
      at: options.now,
    });
    return { id: current.id, letter, pdfSha256, pdfSize: pdf.length };
  });
}

export interface RecordGpLetterSentInput {
  readonly letterId: string;
  readonly method: unknown;
  readonly detail?: unknown;
  /** When it was sent (ISO instant); not in the future, not before the sign-off. */
  readonly sentAt: unknown;
}

/** Records that a signed letter was sent (how, by whom, when); may be recorded more than once. */
export function recordGpLetterSent(
  db: Queryable,
  input: RecordGpLetterSentInput,
  options: Pick<GpLetterOptions, 'actorId' | 'now'>,
): Promise<GpLetterSendingRecord> {
  return runCommand(db, options.actorId, 'gpLetter.recordSent', async ({ tx, audit, actor }) => {
    const letter = await tx.gpLetter.findUnique({
      where: { id: input.letterId },
      select: { id: true, status: true, signedAt: true, patientId: true },
    });
    if (!letter) throw new RecordError('not-found', `Letter "${input.letterId}" does not exist`);
    if (letter.status !== 'signed' || !letter.signedAt) {
      throw new RecordError('conflict', 'Only a signed-off letter can be sent: sign it off first');
    }
    const parsed = parseGpLetterSending(
      { method: input.method, detail: input.detail ?? '', sentAt: input.sentAt },
      { now: options.now.getTime(), signedAt: letter.signedAt.getTime() },
    );
    if (!parsed.ok) throw RecordError.invalid(parsed.issues);
    const id = randomUUID();
    const row = await tx.gpLetterSending.create({
      data: {
        id,
        letterId: letter.id,
        method: parsed.value.method,
        detail: parsed.value.detail || null,
        sentAt: new Date(parsed.value.sentAt),
        recordedBy: actor.id,
        recordedAt: options.now,
      },
    });
    await audit({
      action: 'gpLetter.sent',
      entityType: 'gp-letter',
      entityId: letter.id,
      patientId: letter.patientId,
      after: { sendingId: id, method: row.method, detail: row.detail, sentAt: row.sentAt },
      at: options.now,
    });
    const signer = await tx.user.findUnique({ where: { id: actor.id }, select: { name: true } });
    return {
      id,
      method: row.method as GpLetterSendingMethod,
      detail: row.detail,
      sentAt: row.sentAt,
      recordedBy: actor.id,
      recordedByName: signer?.name ?? actor.id,
      recordedAt: row.recordedAt,
    };
  });
}

export interface GpLetterPdf {
  readonly id: string;
  readonly episodeId: string;
  readonly patientId: string;
  readonly pdf: Buffer;
  readonly sha256: string;
  readonly signedAt: Date;
  /** A file name without patient identifiers: "gp-letter-2026-12-07-<id8>.pdf". */
  readonly fileName: string;
}

/**
 * The stored PDF of a signed letter, exactly the bytes signed off, its download audited as a read
 * of the patient ('gpLetter.downloaded'). Undefined for an unknown or unsigned letter. The caller
 * checks 'patient.view' first, as for the patient's page.
 */
export async function signedGpLetterPdf(
  db: Queryable,
  letterId: string,
  reader: {
    readonly actorId: string;
    readonly now: Date;
    /** The episode the request names: a letter of another episode is not found (nor audited). */
    readonly episodeId?: string;
  },
): Promise<GpLetterPdf | undefined> {
  const row = await db.gpLetter.findUnique({
    where: { id: letterId },
    select: {
      id: true,
      episodeId: true,
      patientId: true,
      status: true,
      pdf: true,
      pdfSha256: true,
      signedAt: true,
    },
  });
  if (row?.status !== 'signed' || !row.pdf || !row.pdfSha256 || !row.signedAt) return undefined;
  if (reader.episodeId !== undefined && row.episodeId !== reader.episodeId) return undefined;
  await recordAccess(db, {
    actor: reader.actorId,
    action: 'gpLetter.downloaded',
    entityType: 'gp-letter',
    entityId: row.id,
    patientId: row.patientId,
    at: reader.now,
  });
  return {
    id: row.id,
    episodeId: row.episodeId,
    patientId: row.patientId,
    pdf: Buffer.from(row.pdf),
    sha256: row.pdfSha256,
    signedAt: row.signedAt,
    fileName: `gp-letter-${row.signedAt.toISOString().slice(0, 10)}-${row.id.slice(0, 8)}.pdf`,
  };
}

/** The PDF of the draft as it reads now (the preview): never stored, marked DRAFT on every page. */
export async function gpLetterDraftPdf(
  db: Queryable,
  episodeId: string,
  options: Omit<GpLetterOptions, 'actorId'>,
): Promise<{ readonly pdf: Buffer; readonly patientId: string } | undefined> {
  const view = await gpLettersOfEpisode(db, episodeId, options);
  if (!view) return undefined;
  return {
    pdf: await renderPdf(gpLetterPdfDefinition(view.draft.letter)),
    patientId: view.patientId,
  };
}

/**
 * Signed letters as FHIR reads them (packages/fhir documentReferenceResource), with their PDF
 * bytes and the SHA-1 FHIR's Attachment.hash asks for: of some patients, or by letter id.
 */
export async function fhirSignedGpLetters(
  db: Queryable,
  where: { readonly patientIds?: readonly string[]; readonly letterIds?: readonly string[] },
): Promise<SignedLetterRecord[]> {
  const rows = await db.gpLetter.findMany({
    where: {
      status: 'signed',
      ...(where.patientIds ? { patientId: { in: [...where.patientIds] } } : {}),
      ...(where.letterIds ? { id: { in: [...where.letterIds] } } : {}),
    },
    orderBy: [{ signedAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      patientId: true,
      episodeId: true,
      signedAt: true,
      signedBy: true,
      content: true,
      pdf: true,
      replacesId: true,
      replacedBy: { select: { id: true, status: true } },
    },
  });
  const nameOf = await namesOf(
    db,
    rows.map((row) => row.signedBy),
  );
  return rows.map((row) => {
    const pdf = Buffer.from(row.pdf ?? new Uint8Array());
    return {
      id: row.id,
      patientId: row.patientId,
      episodeId: row.episodeId,
      signedAt: (row.signedAt as Date).toISOString(),
      signedBy: row.signedBy as string,
      signedByName: nameOf(row.signedBy as string),
      subject: (row.content as unknown as GpLetter).subject,
      pdf,
      pdfSha1Base64: createHash('sha1').update(pdf).digest('base64'),
      replacesId: row.replacesId,
      replacedById: row.replacedBy?.status === 'signed' ? row.replacedBy.id : null,
    };
  });
}
