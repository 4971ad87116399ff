import { PASSWORD_POLICY } from '@vfx/database/auth';
import { requirePermission } from '@/server/session';
import { ChangePasswordForm } from './form';
import styles from './password.module.css';

export const metadata = { title: 'Change your password · Fracture liaison' };

export default async function ChangePasswordPage() {
  const user = await requirePermission('password.changeOwn');
  return (
    <div className={styles.narrow}>
      <h1>Change your password</h1>
      {user.mustChangePassword ? (
        <p className="alert" role="alert">
          An administrator reset your password. Choose a new one of your own before you go on:
          nothing else opens until you have.
        </p>
      ) : (
        <p className="lead">
          For {user.email}. You stay signed in here; you are signed out on every other device.
        </p>
      )}
      <div className="card">
        <ChangePasswordForm
          minLength={PASSWORD_POLICY.minLength}
          forced={user.mustChangePassword}
        />
      </div>
    </div>
  );
}
