import { describe, expect, it } from 'vitest';
import {
  cameOverHttps,
  commonSecurityHeaders,
  isPagePath,
  newNonce,
  pageContentSecurityPolicy,
  RESOURCE_CONTENT_SECURITY_POLICY,
} from './security-headers';

const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name} `));

describe('security headers', () => {
  it("a page's script policy is its nonce and 'strict-dynamic', never 'unsafe-inline'", () => {
    const policy = pageContentSecurityPolicy('abc123', { https: false });
    expect(directive(policy, 'script-src')).toBe(
      "script-src 'self' 'nonce-abc123' 'strict-dynamic'",
    );
    expect(directive(policy, 'script-src')).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(directive(policy, 'style-src')).toBe("style-src 'self' 'unsafe-inline'");
    for (const part of [
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(policy).toContain(part);
    }
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(pageContentSecurityPolicy('n', { https: true })).toContain('upgrade-insecure-requests');
    // The development server needs eval and unnonced styles; scripts still need the nonce.
    const development = pageContentSecurityPolicy('n', { https: false, development: true });
    expect(directive(development, 'script-src')).toBe(
      "script-src 'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval'",
    );
  });

  it('everything else may load nothing, and nothing may frame anything', () => {
    expect(RESOURCE_CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'/);
    expect(RESOURCE_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(isPagePath('/api/v1/follow-ups')).toBe(false);
    expect(isPagePath('/api/v1/openapi.json')).toBe(false);
    expect(isPagePath('/api/notify/delivery-receipts')).toBe(false);
    expect(isPagePath('/patient-messages')).toBe(true);
    expect(isPagePath('/fhir/R4/metadata')).toBe(false);
    expect(isPagePath('/fhir/R4/Patient/123/$everything')).toBe(false);
    expect(isPagePath('/admin/overdue/export.csv')).toBe(false);
    expect(isPagePath('/episodes/ep-1/gp-letter/draft.pdf')).toBe(false);
    expect(isPagePath('/episodes/ep-1/gp-letter/abc/letter.pdf')).toBe(false);
    expect(isPagePath('/episodes/ep-1/written-plan/abc/pdf')).toBe(false);
    expect(isPagePath('/episodes/ep-1/written-plan')).toBe(true);
    expect(isPagePath('/_next/static/chunks/main.js')).toBe(false);
    expect(isPagePath('/episodes/ep-1/steps/pain-review-48h')).toBe(true);
    expect(isPagePath('/')).toBe(true);
  });

  it('HSTS only over HTTPS, directly or forwarded by a TLS-terminating proxy', () => {
    expect(commonSecurityHeaders({ https: false })).not.toHaveProperty('Strict-Transport-Security');
    expect(commonSecurityHeaders({ https: true })['Strict-Transport-Security']).toMatch(
      /^max-age=63072000/,
    );
    expect(cameOverHttps(new URL('https://fls.example/'), null)).toBe(true);
    expect(cameOverHttps(new URL('http://fls.example/'), 'https')).toBe(true);
    expect(cameOverHttps(new URL('http://fls.example/'), 'HTTPS, http')).toBe(true);
    expect(cameOverHttps(new URL('http://fls.example/'), 'http')).toBe(false);
    expect(cameOverHttps(new URL('http://fls.example/'), null)).toBe(false);
  });

  it('the same-origin referrer policy, and a fresh nonce each time', () => {
    const headers = commonSecurityHeaders({ https: false });
    expect(headers).toMatchObject({
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    });
    expect(headers['Permissions-Policy']).toContain('camera=(), ');
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    expect([...nonces][0]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
