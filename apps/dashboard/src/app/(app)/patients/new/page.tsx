import { caseloadHolders } from '@vfx/database/views';
import {
  COLUMN_INVOLVEMENT,
  IDENTIFICATION_ROUTES,
  MRI_OEDEMA,
  SEXES,
  VERTEBRAL_LEVELS,
} from '@vfx/domain';
import { valueLabel } from '@/forms/event-fields';
import { db } from '@/server/db';
import { requirePermission, seesEveryCaseload } from '@/server/session';
import { EnrolForm } from './enrol-form';

export const metadata = { title: 'Enrol a patient · Fracture liaison' };

const options = (values: readonly string[]) =>
  values.map((value) => ({ value, label: valueLabel(value) }));

export default async function EnrolPage() {
  const user = await requirePermission('patient.enrol');
  const nurses = await caseloadHolders(db());
  return (
    <>
      <h1>Enrol a patient</h1>
      <p className="lead">
        A new vertebral fragility fracture episode. The plan is computed as soon as it is saved.
      </p>
      <div className="form-card wide">
        <EnrolForm
          choices={{
            sexes: options(SEXES),
            levels: VERTEBRAL_LEVELS,
            identification: options(IDENTIFICATION_ROUTES),
            column: options(COLUMN_INVOLVEMENT),
            oedema: options(MRI_OEDEMA),
            nurses: nurses.map((n) => ({ value: n.id, label: n.name })),
          }}
          // A nurse enrols onto their own caseload by default; an administrator chooses.
          initial={{
            nurseId:
              !seesEveryCaseload(user) && nurses.some((n) => n.id === user.id) ? user.id : '',
          }}
        />
      </div>
    </>
  );
}
