import { createRequire } from 'node:module';

/** Swagger UI's prebuilt files, served from the installed package: the reference works offline. */
export const SWAGGER_UI_DIR: string = createRequire(import.meta.url)('swagger-ui-dist').getAbsoluteFSPath();

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The API reference page: Swagger UI over /api/openapi.json. Its start-up is a script file of its
 * own, not inline, so the page runs under a CSP that allows scripts from this origin only.
 */
export function renderDocsPage(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head><body><div id="api-reference"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script><script src="/api/docs/start.js"></script>
</body></html>`;
}

/** "Try it out" is on, and the key a person enters under Authorize stays for the tab's reloads. */
export const DOCS_START_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#api-reference',
  deepLinking: true,
  tryItOutEnabled: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  filter: true,
  docExpansion: 'none',
  defaultModelsExpandDepth: 0,
});
`;
