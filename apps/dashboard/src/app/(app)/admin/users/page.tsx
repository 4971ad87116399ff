import { staffList } from '@vfx/database/views';
import { may } from '@vfx/domain';
import Link from 'next/link';
import { db } from '@/server/db';
import { ROLE_NAMES } from '@/server/navigation';
import { requirePermission, seesEveryCaseload } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { formatDate } from '@/ui/dates';
import { Tag } from '@/ui/status';
import { CreateUserForm, ReassignForm, UserRowActions } from './forms';
import styles from './users.module.css';

export const metadata = { title: 'Users · Fracture liaison' };

export default async function UsersPage() {
  const me = await requirePermission('users.view');
  const zone = await userTimeZone();
  const { staff, more } = await staffList(db());
  const withCaseload = staff.filter((member) => member.caseload > 0);
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
      <h1>Users</h1>
      <p className="lead">
        Staff accounts, their caseloads and open reminders. A nurse with patients must hand the
        caseload to another nurse before the account can be deactivated.
      </p>

      <h2 id="staff-heading">Staff</h2>
      {more ? <p className="notice">Showing the first {staff.length} accounts.</p> : null}
      <div className="table-wrap">
        <table className="data" aria-labelledby="staff-heading">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role and account</th>
              <th scope="col" className={styles.number}>
                Caseload
              </th>
              <th scope="col" className={styles.number}>
                Open reminders
              </th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((member) => (
              <tr key={member.id} className={member.active ? undefined : styles.inactive}>
                <td>
                  <span className="strong">{member.name}</span>
                  <br />
                  <span className="muted small">{member.email}</span>
                </td>
                <td>
                  {ROLE_NAMES[member.role]}{' '}
                  {member.active ? (
                    <Tag tone="info">Active</Tag>
                  ) : (
                    <Tag tone="warn">Deactivated</Tag>
                  )}
                  <br />
                  <span className={`muted small ${styles.nowrap}`}>
                    added {formatDate(member.createdAt, zone)}
                  </span>
                </td>
                <td className={styles.number}>
                  {member.caseload > 0 ? (
                    <Link href={`/caseload?nurse=${encodeURIComponent(member.id)}`}>
                      {member.caseload}
                      <span className="visually-hidden"> patients of {member.name}</span>
                    </Link>
                  ) : (
                    0
                  )}
                </td>
                <td className={styles.number}>{member.openReminders}</td>
                <td>
                  {member.id === me.id ? (
                    <span className="muted">
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

      <div className={`grid-2 ${styles.forms}`}>
        <section className="card" aria-labelledby="reassign-heading">
          <h2 id="reassign-heading">Reassign a caseload</h2>
          <p className="hint">
            Moves every patient of one nurse to another, with their open reminders and unsent
            reminder e-mails. You will see what moves before anything changes.
          </p>
          {withCaseload.length === 0 ? (
            <p>No one has patients on their caseload.</p>
          ) : (
            <ReassignForm
              from={withCaseload.map(({ id, name, caseload, active }) => ({
                id,
                name,
                caseload,
                active,
              }))}
              to={takers.map(({ id, name, caseload }) => ({ id, name, caseload }))}
            />
          )}
        </section>
        <section className="card" aria-labelledby="create-heading">
          <h2 id="create-heading">Add a user</h2>
          <CreateUserForm />
        </section>
      </div>
    </>
  );
}
