import { staffList, unassignedPatientCount } from '@vfx/database/views';
import { may } from '@vfx/domain';
import Link from 'next/link';
import { db } from '@/server/db';
import { ROLE_NAMES } from '@/server/navigation';
import { requirePermission, seesEveryCaseload } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { formatDate } from '@/ui/dates';
import { CreateUserForm, ReassignForm, UserRowActions } from './forms';
import styles from './users.module.css';

export const metadata = { title: 'Users · Fracture liaison' };

export default async function UsersPage() {
  const me = await requirePermission('users.view');
  const zone = await userTimeZone();
  const { staff, more } = await staffList(db());
  const withCaseload = staff.filter((member) => member.caseload > 0);
  // Patients enrolled without a nurse (another system's enrolment may name none): on no one's
  // worklist until moved onto a nurse's caseload here (hazard HAZ-021).
  const unassigned = await unassignedPatientCount(db());
  // Who can take a caseload: active staff who work their own worklist and caseload (nurses, as
  // the permission table has it; the list an administrator expects to choose from).
  const takers = staff.filter(
    (member) =>
      member.active &&
      may({ id: member.id, role: member.role, kind: 'person' }, 'worklist.view') &&
      !seesEveryCaseload({ id: member.id, role: member.role, kind: 'person' }),
  );

  return (
    <>
      <h1 className="nhsuk-heading-l">Users</h1>
      <p className="nhsuk-body-l">
        Staff accounts, their caseloads and open reminders. A nurse with patients must hand the
        caseload to another nurse before the account can be deactivated.
      </p>

      {more ? (
        <div className="nhsuk-inset-text">
          <p>Showing the first {staff.length} accounts.</p>
        </div>
      ) : null}
      <div className="nhsuk-table-container">
        <table className={`nhsuk-table ${styles.staff}`}>
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">Staff</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">
                Name
              </th>
              <th scope="col" className="nhsuk-table__header">
                Role and account
              </th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
                Caseload
              </th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
                Open reminders
              </th>
              <th scope="col" className="nhsuk-table__header">
                Change
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {staff.map((member) => (
              <tr
                key={member.id}
                className={`nhsuk-table__row ${member.active ? '' : styles.inactive}`}
              >
                <td className="nhsuk-table__cell">
                  <strong>{member.name}</strong>
                  <br />
                  <span className={`nhsuk-body-s nhsuk-u-secondary-text-colour ${styles.email}`}>
                    {member.email}
                  </span>
                </td>
                <td className="nhsuk-table__cell">
                  {ROLE_NAMES[member.role]}{' '}
                  {member.active ? (
                    <strong className="nhsuk-tag nhsuk-tag--green">Active</strong>
                  ) : (
                    <strong className="nhsuk-tag nhsuk-tag--grey">Deactivated</strong>
                  )}
                  <br />
                  <span className="nhsuk-body-s nhsuk-u-secondary-text-colour">
                    added {formatDate(member.createdAt, zone)}
                  </span>
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {member.caseload > 0 ? (
                    <Link href={`/caseload?nurse=${encodeURIComponent(member.id)}`}>
                      {member.caseload}
                      <span className="nhsuk-u-visually-hidden"> patients of {member.name}</span>
                    </Link>
                  ) : (
                    0
                  )}
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {member.openReminders}
                </td>
                <td className="nhsuk-table__cell">
                  {member.id === me.id ? (
                    <span className="nhsuk-u-secondary-text-colour">
                      This is you. Another administrator can change your account.
                    </span>
                  ) : (
                    <UserRowActions
                      userId={member.id}
                      name={member.name}
                      role={member.role}
                      active={member.active}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="nhsuk-grid-row nhsuk-card-group">
        <div className="nhsuk-grid-column-one-half nhsuk-card-group__item">
          <section className="nhsuk-card" aria-labelledby="reassign-heading">
            <div className="nhsuk-card__content">
              <h2 id="reassign-heading" className="nhsuk-card__heading nhsuk-heading-m">
                Reassign a caseload
              </h2>
              <p className="nhsuk-hint">
                Moves every patient of one nurse to another, with their open reminders and unsent
                reminder e-mails. Patients on nobody&rsquo;s caseload (enrolled without a nurse) are
                moved onto a nurse&rsquo;s the same way. You will see what moves before anything
                changes.
              </p>
              {unassigned > 0 ? (
                <p className="nhsuk-body">
                  <strong>
                    {unassigned} {unassigned === 1 ? 'patient is' : 'patients are'} on
                    nobody&rsquo;s caseload
                  </strong>
                  : their reminders reach no nurse&rsquo;s worklist. Choose &ldquo;Nobody&rsquo;s
                  caseload&rdquo; below to move them to a nurse.
                </p>
              ) : null}
              {withCaseload.length === 0 && unassigned === 0 ? (
                <p>No one has patients on their caseload.</p>
              ) : (
                <ReassignForm
                  unassigned={unassigned}
                  from={withCaseload.map(({ id, name, caseload, active }) => ({
                    id,
                    name,
                    caseload,
                    active,
                  }))}
                  to={takers.map(({ id, name, caseload }) => ({ id, name, caseload }))}
                />
              )}
            </div>
          </section>
        </div>
        <div className="nhsuk-grid-column-one-half nhsuk-card-group__item">
          <section className="nhsuk-card" aria-labelledby="create-heading">
            <div className="nhsuk-card__content">
              <h2 id="create-heading" className="nhsuk-card__heading nhsuk-heading-m">
                Add a user
              </h2>
              <CreateUserForm />
            </div>
          </section>
        </div>
      </div>
    </>
  );
}
