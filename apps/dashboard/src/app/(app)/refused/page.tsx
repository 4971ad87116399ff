import Link from 'next/link';
import { homeOf } from '@/server/navigation';
import { requireUser } from '@/server/session';

export const metadata = { title: 'Not available to your role · Fracture liaison' };

export default async function Refused() {
  const user = await requireUser();
  return (
    <>
      <h1>Not available to your role</h1>
      <p className="alert" role="alert">
        Your role does not give access to that page or action. Nothing was changed.
      </p>
      <p>
        <Link href={homeOf(user.role)}>Go to your start page</Link>
      </p>
    </>
  );
}
