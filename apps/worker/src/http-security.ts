// Security headers on every answer of the worker's HTTP server (health, metrics and the queue
// board). helmet sets the standard ones; the policy fits the queue board, the only HTML served:
// its scripts are its own files, its inline <style> and style attributes need 'unsafe-inline'
// for styles (never for scripts), and it sets <base href> to its own path.
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

const DENIED_FEATURES = ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'serial'];

/** Whether the request came over HTTPS, directly or through a TLS-terminating proxy. */
function overHttps(req: Request): boolean {
  if (req.secure) return true;
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first?.toLowerCase() === 'https';
}

export function securityHeaders() {
  const standard = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    // Set below, only over HTTPS (browsers ignore it over HTTP anyway).
    strictTransportSecurity: false,
  });
  const permissions = DENIED_FEATURES.map((feature) => `${feature}=()`).join(', ');
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Permissions-Policy', permissions);
    if (overHttps(req)) {
      res.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    }
    standard(req, res, next);
  };
}
