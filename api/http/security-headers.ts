import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers for every answer of the Express app (API, web app, docs page), via helmet.
 *
 * The Content-Security-Policy allows scripts from this origin only (the built app is module
 * scripts, nothing inline), no framing anywhere, and no plugins. Styles come from this origin too:
 * Vue's style bindings set `element.style` through the CSSOM, which CSP does not govern, and the
 * build extracts every component's CSS into files, so no 'unsafe-inline' is needed.
 * Images and fonts may also be data: URLs (daisyUI draws its icons so). HSTS and upgrading requests
 * to https only make sense where the app is served over https, which is production.
 */
export function securityHeaders(production: boolean): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'script-src-attr': ["'none'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'object-src': ["'none'"],
          'base-uri': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          ...(production ? { 'upgrade-insecure-requests': [] } : {}),
        },
      },
      strictTransportSecurity: production ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true } : false,
      // Links in emails carry tokens in their path (/respond/:token): never send them to another site.
      referrerPolicy: { policy: 'same-origin' },
    }),
    permissionsPolicy,
  ];
}

/** The app uses no device or payment feature; helmet leaves this header to us. */
const PERMISSIONS_POLICY = ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'serial', 'midi'].map((feature) => `${feature}=()`).join(', ');

const permissionsPolicy: RequestHandler = (_req, res, next) => {
  res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
  next();
};
