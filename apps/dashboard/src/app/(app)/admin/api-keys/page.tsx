import { listApiKeys } from '@vfx/database/views';
import type { Metadata } from 'next';
import { db } from '@/server/db';
import { ROLE_NAMES } from '@/server/navigation';
import { requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { daysFrom, formatDate, formatDateTime, relativeDays } from '@/ui/dates';
import { Tag } from '@/ui/status';
import styles from './api-keys.module.css';
import { CreateKeyForm, RevokeKeyButton } from './forms';

export const metadata: Metadata = { title: 'API keys · Fracture liaison' };

function When({ at, zone, now }: { at: Date; zone: string; now: Date }) {
  return (
    <>
      <time dateTime={at.toISOString()} title={formatDateTime(at, zone)}>
        {formatDate(at, zone)}
      </time>{' '}
      <span className="muted">({relativeDays(daysFrom(now, at, zone))})</span>
    </>
  );
}

export default async function ApiKeysPage() {
  await requirePermission('apiKeys.view');
  const [{ keys, more }, zone] = await Promise.all([listApiKeys(db()), userTimeZone()]);
  const now = new Date();
  return (
    <>
      <h1>API keys</h1>
      <p className="lead">
        Keys let other systems, such as the electronic health record or a radiology alert feed, use
        the JSON API at <code>/api/v1</code>. What a key records appears as “API: key name”. The API
        is described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
      </p>

      <h2 id="keys-heading">Keys</h2>
      {keys.length === 0 ? (
        <p className="notice">No keys yet. Create one below for each system that connects.</p>
      ) : (
        <div className="table-wrap">
          <table className={`data ${styles.keys}`} aria-labelledby="keys-heading">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} className={key.revokedAt ? styles.revoked : undefined}>
                  <th scope="row">{key.name}</th>
                  <td>{ROLE_NAMES[key.role]}</td>
                  <td>
                    <code className={styles.prefix}>{key.prefix}…</code>
                  </td>
                  <td>
                    <When at={key.createdAt} zone={zone} now={now} />
                    <br />
                    <span className="muted">by {key.createdBy.name}</span>
                  </td>
                  <td>
                    {key.lastUsedAt ? (
                      <When at={key.lastUsedAt} zone={zone} now={now} />
                    ) : (
                      <span className="muted">Never</span>
                    )}
                  </td>
                  <td>
                    {key.revokedAt ? (
                      <>
                        <Tag tone="warn">Revoked</Tag>{' '}
                        <span className="muted">
                          <When at={key.revokedAt} zone={zone} now={now} />
                        </span>
                      </>
                    ) : (
                      <Tag tone="info">Active</Tag>
                    )}
                  </td>
                  <td>
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
      {more ? <p className="hint">Showing the {keys.length} most recently created keys.</p> : null}

      <div className={`grid-2 ${styles.layout}`}>
        <section className="card" aria-labelledby="create-heading">
          <h2 id="create-heading">Create a key</h2>
          <CreateKeyForm />
        </section>
        <section className="card" aria-labelledby="use-heading">
          <h2 id="use-heading">Using a key</h2>
          <ul>
            <li>One key per connecting system, so each can be revoked on its own.</li>
            <li>
              Give it the least role it needs: <strong>Nurse</strong> to enrol patients and record
              events, <strong>Scheduler</strong> to list follow-ups.
            </li>
            <li>
              The secret is shown once, when the key is created. Store it in the other system’s
              secret store, never in e-mail or a ticket.
            </li>
            <li>Revoke a key as soon as a system is retired or the secret may have leaked.</li>
          </ul>
        </section>
      </div>
    </>
  );
}
