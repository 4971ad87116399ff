// Next.js 16's Proxy (the file convention that replaced middleware): runs before every request,
// in the Node.js runtime, and puts the security headers on every response. A page gets a fresh
// nonce in its Content-Security-Policy; the policy is also set on the request, which is where
// Next reads the nonce from and adds it to its own scripts (every page renders per request: the
// root layout reads cookies). See src/server/security-headers.ts for the policies and why.
import { type NextRequest, NextResponse } from 'next/server';
import {
  cameOverHttps,
  commonSecurityHeaders,
  isPagePath,
  newNonce,
  pageContentSecurityPolicy,
  RESOURCE_CONTENT_SECURITY_POLICY,
} from './server/security-headers';

export function proxy(request: NextRequest) {
  const https = cameOverHttps(request.nextUrl, request.headers.get('x-forwarded-proto'));
  const page = isPagePath(request.nextUrl.pathname);
  const policy = page
    ? pageContentSecurityPolicy(newNonce(), {
        https,
        development: process.env.NODE_ENV === 'development',
      })
    : RESOURCE_CONTENT_SECURITY_POLICY;
  const requestHeaders = new Headers(request.headers);
  if (page) requestHeaders.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  for (const [name, value] of Object.entries(commonSecurityHeaders({ https }))) {
    response.headers.set(name, value);
  }
  return response;
}

// No matcher: every request, static files and prefetches included, gets the headers.
