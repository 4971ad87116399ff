import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { TIME_ZONE_COOKIE } from '@/server/time-zone';
import { NhsukFrontendScript } from '@/ui/nhsuk/frontend-script';
import { TimeZoneCookie } from '@/ui/time-zone-cookie';
import './nhsuk.scss';
import './globals.css';

export const metadata: Metadata = { title: 'Fracture liaison' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const zone = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  return (
    <html lang="en-GB">
      <body>
        <NhsukFrontendScript />
        <TimeZoneCookie name={TIME_ZONE_COOKIE} current={zone} />
        {children}
      </body>
    </html>
  );
}
