// The security headers every response of the dashboard carries (src/proxy.ts sets them). Pure:
// the proxy passes in the nonce and whether the request came over HTTPS, so tests can check the
// policy without a server.

/**
 * Pages: scripts run only with this request's nonce, and what they load ('strict-dynamic': the
 * chunks Next's runtime adds). No 'unsafe-inline' for scripts, ever. Nothing may frame a page, no
 * plug-ins, no <base>, and forms post only to the dashboard itself.
 */
export function pageContentSecurityPolicy(
  nonce: string,
  options: { readonly https: boolean; readonly development?: boolean },
): string {
  const development = options.development ?? false;
  const directives = [
    "default-src 'self'",
    // 'self' is only a fallback for browsers without CSP 3, which ignore 'strict-dynamic'.
    // React's development build needs eval for its error overlays; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    // Styles: the app's own stylesheets, and inline styles, which Next's built-in pages (the
    // not-found page, the error pages) write as style attributes and a <style> element without a
    // nonce. A style cannot run script; scripts are what the nonce guards. (With a nonce in
    // style-src, browsers would ignore 'unsafe-inline'.)
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/**
 * Everything that is not a page (the JSON API, the OpenAPI document, CSV downloads, static
 * files): nothing in it may load or run anything, and nothing may frame it.
 */
export const RESOURCE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The browser features the dashboard never uses, denied to it and to anything it could embed.
 * The clipboard is left out: the API keys page copies a new key's secret.
 */
export const DENIED_FEATURES = [
  'accelerometer',
  'autoplay',
  'bluetooth',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
] as const;

/** Two years, the HSTS preload list's minimum, for the dashboard's host and its subdomains. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

/**
 * The headers every response carries besides its Content-Security-Policy.
 *
 * Referrer-Policy is same-origin, not no-referrer: with no-referrer a browser sends
 * `Origin: null` on a form's POST, and Next refuses a server action whose origin is not the
 * dashboard's own. Same-origin keeps the address (which names a patient's episode) from every
 * other site.
 */
export function commonSecurityHeaders(options: {
  readonly https: boolean;
}): Record<string, string> {
  return {
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy': DENIED_FEATURES.map((feature) => `${feature}=()`).join(', '),
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(options.https ? { 'Strict-Transport-Security': STRICT_TRANSPORT_SECURITY } : {}),
  };
}

/**
 * Whether the request reached the dashboard over HTTPS: its own URL, or the scheme a
 * TLS-terminating reverse proxy forwarded. A client that forges `X-Forwarded-Proto: https` over
 * plain HTTP gains nothing: browsers ignore Strict-Transport-Security received without TLS.
 */
export function cameOverHttps(url: URL, forwardedProto: string | null): boolean {
  if (url.protocol === 'https:') return true;
  const first = forwardedProto?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

/** Paths that are not pages: they get RESOURCE_CONTENT_SECURITY_POLICY and no nonce. */
export function isPagePath(pathname: string): boolean {
  if (pathname.startsWith('/api/') || pathname === '/api') return false;
  if (pathname.startsWith('/fhir/') || pathname === '/fhir') return false;
  if (pathname.startsWith('/_next/static/') || pathname.startsWith('/_next/image')) return false;
  // Files served beside the pages: the icon, CSV downloads (…/export.csv), the documents' PDFs
  // (…/gp-letter/draft.pdf, …/written-plan/<id>/pdf).
  if (/\/pdf$/.test(pathname)) return false;
  return !/\.(svg|ico|png|csv|txt|json|xml|webmanifest|pdf)$/.test(pathname);
}

/** A nonce for one response: 16 random bytes, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64');
}
