import { redirect } from 'next/navigation';
import { homeOf } from '@/server/navigation';
import { requireSignedIn } from '@/server/session';

export default async function Home() {
  const user = await requireSignedIn();
  redirect(homeOf(user));
}
