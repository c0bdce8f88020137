import type { IncomingMessage } from 'node:http';

/**
 * Whether a browser's WebSocket upgrade comes from our own pages. Browsers send the session cookie
 * with any site's upgrade (cross-site WebSocket hijacking), and only the Origin header tells them
 * apart. Clients that send no Origin (scripts, mobile apps) authenticate with a key or token anyway.
 */
export function isAllowedOrigin(req: IncomingMessage, publicUrl: string | undefined): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  if (host === req.headers.host) return true;
  return publicUrl !== undefined && host === new URL(publicUrl).host;
}
