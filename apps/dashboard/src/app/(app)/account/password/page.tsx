import { PASSWORD_POLICY } from '@vfx/database/auth';
import { requirePermission } from '@/server/session';
import { ChangePasswordForm } from './form';

export const metadata = { title: 'Change your password · Fracture liaison' };

export default async function ChangePasswordPage() {
  const user = await requirePermission('password.changeOwn');
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1 className="nhsuk-heading-l">Change your password</h1>
        {user.mustChangePassword ? (
          <div className="nhsuk-inset-text" role="alert">
            <p>
              An administrator reset your password. Choose a new one of your own before you go on:
              nothing else opens until you have.
            </p>
          </div>
        ) : (
          <p className="nhsuk-body-l">
            For {user.email}. You stay signed in here; you are signed out on every other device.
          </p>
        )}
        <ChangePasswordForm
          minLength={PASSWORD_POLICY.minLength}
          forced={user.mustChangePassword}
        />
      </div>
    </div>
  );
}
