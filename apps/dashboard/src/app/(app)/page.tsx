import { redirect } from 'next/navigation';
import { homeOf } from '@/server/navigation';
import { requireUser } from '@/server/session';

export default async function Home() {
  const user = await requireUser();
  redirect(homeOf(user.role));
}
