// Documents that some tests need to exist before they can reach a route: a signed letter to the
// GP (its PDF and its FHIR DocumentReference and Binary) and a produced written plan (its PDF).
// Made through the same database commands the pages use, as a demo nurse.
import type { Database } from '@vfx/database';
import { produceWrittenPlan, saveGpLetterDraft, signOffGpLetter } from '@vfx/database/commands';
import { gpLettersOfEpisode } from '@vfx/database/views';
import { renderWrittenPlanPdf } from '../../src/server/written-plan/render';
import { demoUser } from './users';

// The service as the documents name it. Fixed here: the test process has no dashboard
// configuration (LETTER_SERVICE_*), which the running dashboard reads for its own documents.
const SENDER = { serviceName: 'Fracture Liaison Service', addressLines: ['Example Hospital'] };
const CONTACT = { name: SENDER.serviceName, telephone: '0113 496 0000' };

/** A signed letter to the GP of the episode: the first one, or one signed now as the demo nurse. */
export async function signedLetterOf(db: Database, episodeId: string): Promise<string> {
  const existing = await db.gpLetter.findFirst({
    where: { episodeId, status: 'signed' },
    orderBy: { signedAt: 'asc' },
  });
  if (existing) return existing.id;
  const nurse = await db.user.findUniqueOrThrow({ where: { email: demoUser('nurse').email } });
  const now = new Date();
  const open = await gpLettersOfEpisode(db, episodeId, { now, sender: SENDER });
  const draft = open?.draft.id
    ? { id: open.draft.id, version: open.draft.version }
    : await saveGpLetterDraft(
        db,
        { episodeId, version: 0, edits: { recipient: 'The Surgery' } },
        { actorId: nurse.id, now, sender: SENDER },
      );
  const signed = await signOffGpLetter(
    db,
    { letterId: draft.id, version: draft.version, episodeVersion: open?.episodeVersion ?? 0 },
    { actorId: nurse.id, now, sender: SENDER },
  );
  return signed.id;
}

/** A written plan produced for the episode (a new one each call), as the given demo user. */
export async function producedWrittenPlanOf(
  db: Database,
  episodeId: string,
  by: 'nurse' | 'nurse2' = 'nurse',
): Promise<string> {
  const user = await db.user.findUniqueOrThrow({ where: { email: demoUser(by).email } });
  const plan = await produceWrittenPlan(
    db,
    { episodeId, largePrint: false, render: renderWrittenPlanPdf, contact: CONTACT },
    { actorId: user.id },
  );
  return plan.id;
}
