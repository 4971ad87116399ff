import { listApiKeys } from '@vfx/database/views';
import type { Metadata } from 'next';
import { db } from '@/server/db';
import { ROLE_NAMES } from '@/server/navigation';
import { requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { daysFrom, formatDate, formatDateTime, relativeDays } from '@/ui/dates';
import styles from './api-keys.module.css';
import { CreateKeyForm, RevokeKeyButton } from './forms';

export const metadata: Metadata = { title: 'API keys · Fracture liaison' };

function When({ at, zone, now }: { at: Date; zone: string; now: Date }) {
  return (
    <>
      <time dateTime={at.toISOString()} title={formatDateTime(at, zone)}>
        {formatDate(at, zone)}
      </time>{' '}
      <span className="nhsuk-u-secondary-text-colour">
        ({relativeDays(daysFrom(now, at, zone))})
      </span>
    </>
  );
}

export default async function ApiKeysPage() {
  await requirePermission('apiKeys.view');
  const [{ keys, more }, zone] = await Promise.all([listApiKeys(db()), userTimeZone()]);
  const now = new Date();
  return (
    <>
      <h1 className="nhsuk-heading-l">API keys</h1>
      <p className="nhsuk-body-l">
        Keys let other systems, such as the electronic health record or a radiology alert feed, use
        the JSON API at <code>/api/v1</code>. What a key records appears as “API: key name”. The API
        is described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
      </p>

      {keys.length === 0 ? (
        <>
          <h2 className="nhsuk-heading-m">Keys</h2>
          <div className="nhsuk-inset-text">
            <p>No keys yet. Create one below for each system that connects.</p>
          </div>
        </>
      ) : (
        <div className="nhsuk-table-container">
          <table className={`nhsuk-table ${styles.keys}`}>
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">Keys</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">
                  Name
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Role
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Starts with
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Created
                </th>
                <th scope="col" className="nhsuk-table__header">
                  Last used
                </th>
                <th scope="col" className="nhsuk-table__header">
                  State
                </th>
                <th scope="col" className="nhsuk-table__header">
                  <span className="nhsuk-u-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {keys.map((key) => (
                <tr
                  key={key.id}
                  className={`nhsuk-table__row ${key.revokedAt ? styles.revoked : ''}`}
                >
                  <th scope="row" className="nhsuk-table__header">
                    {key.name}
                  </th>
                  <td className="nhsuk-table__cell">{ROLE_NAMES[key.role]}</td>
                  <td className="nhsuk-table__cell">
                    <code className={styles.prefix}>{key.prefix}…</code>
                  </td>
                  <td className="nhsuk-table__cell">
                    <When at={key.createdAt} zone={zone} now={now} />
                    <br />
                    <span className="nhsuk-u-secondary-text-colour">by {key.createdBy.name}</span>
                  </td>
                  <td className="nhsuk-table__cell">
                    {key.lastUsedAt ? (
                      <When at={key.lastUsedAt} zone={zone} now={now} />
                    ) : (
                      <span className="nhsuk-u-secondary-text-colour">Never</span>
                    )}
                  </td>
                  <td className="nhsuk-table__cell">
                    {key.revokedAt ? (
                      <>
                        <strong className="nhsuk-tag nhsuk-tag--grey">Revoked</strong>{' '}
                        <span className="nhsuk-u-secondary-text-colour">
                          <When at={key.revokedAt} zone={zone} now={now} />
                        </span>
                      </>
                    ) : (
                      <strong className="nhsuk-tag nhsuk-tag--green">Active</strong>
                    )}
                  </td>
                  <td className="nhsuk-table__cell">
                    <RevokeKeyButton
                      keyId={key.id}
                      name={key.name}
                      revoked={key.revokedAt !== null}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more ? (
        <p className="nhsuk-hint">Showing the {keys.length} most recently created keys.</p>
      ) : null}

      <div className="nhsuk-grid-row nhsuk-card-group">
        <div className="nhsuk-grid-column-one-half nhsuk-card-group__item">
          <section className="nhsuk-card" aria-labelledby="create-heading">
            <div className="nhsuk-card__content">
              <h2 id="create-heading" className="nhsuk-card__heading nhsuk-heading-m">
                Create a key
              </h2>
              <CreateKeyForm />
            </div>
          </section>
        </div>
        <div className="nhsuk-grid-column-one-half nhsuk-card-group__item">
          <section className="nhsuk-card" aria-labelledby="use-heading">
            <div className="nhsuk-card__content">
              <h2 id="use-heading" className="nhsuk-card__heading nhsuk-heading-m">
                Using a key
              </h2>
              <ul className="nhsuk-list nhsuk-list--bullet">
                <li>One key per connecting system, so each can be revoked on its own.</li>
                <li>
                  Give it the least role it needs: <strong>Nurse</strong> to enrol patients and
                  record events, <strong>Scheduler</strong> to list follow-ups.
                </li>
                <li>
                  The secret is shown once, when the key is created. Store it in the other system’s
                  secret store, never in e-mail or a ticket.
                </li>
                <li>Revoke a key as soon as a system is retired or the secret may have leaked.</li>
              </ul>
            </div>
          </section>
        </div>
      </div>
    </>
  );
}
