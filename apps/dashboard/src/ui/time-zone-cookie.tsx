'use client';

// On every page (the root layout renders this): Zod in the browser never needs eval.
import './zod-in-browser';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Tells the server the browser's time zone, so dates are rendered as the user's local dates.
 * Renders nothing; refreshes the page once when the zone was unknown or has changed.
 */
export function TimeZoneCookie({ name, current }: { name: string; current: string | undefined }) {
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === current) return;
    // Once per browser session: where cookies are blocked, refreshing again would never end.
    if (sessionStorage.getItem(name) === zone) return;
    sessionStorage.setItem(name, zone);
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser the NHS uses (Safari, Firefox).
    document.cookie = `${name}=${encodeURIComponent(zone)}; path=/; max-age=31536000; SameSite=Lax`;
    router.refresh();
  }, [name, current, router]);
  return null;
}
