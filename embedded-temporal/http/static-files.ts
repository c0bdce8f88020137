/**
 * Serves the built UI: its files, and for any other path index.html, the single-page app's
 * entry, whose router shows the page (adapter-static's SPA fallback).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.gif': 'image/gif',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json',
};

async function fileAt(root: string, pathname: string): Promise<string | undefined> {
  const path = normalize(join(root, decodeURIComponent(pathname)));
  if (path !== root && !path.startsWith(root + sep)) return undefined; // no way out of the folder
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? path : undefined;
}

export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const file = (await fileAt(root, pathname)) ?? join(root, 'index.html');
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    // Hashed bundles never change; the entry page must be fetched anew to pick up a rebuild.
    'cache-control': pathname.startsWith('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}

/** What the UI port shows until the first build is done. */
export function serveBuilding(res: ServerResponse, failure: string | undefined): void {
  const body = failure
    ? `<p>The Temporal UI could not be built: <pre>${failure.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</pre></p>`
    : '<p>The Temporal UI is being built, once (about two minutes). This page reloads by itself.</p><script>setTimeout(() => location.reload(), 5000)</script>';
  res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '5' });
  res.end(`<!doctype html><title>Temporal UI</title><body style="font-family:sans-serif;margin:3rem">${body}</body>`);
}
