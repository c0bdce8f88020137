import type { JsonSchema } from './json-schema.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pretty = (value: unknown) => `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;

/** The page's styles, served beside it (GET /api/docs.css): the Content-Security-Policy allows no inline style. */
export const DOCS_STYLESHEET = `body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}summary{cursor:pointer;padding:.2rem 0}
.m{display:inline-block;width:4.5rem;font-weight:bold}pre{background:#f5f5f5;padding:.75rem;overflow:auto;font-size:13px}nav a{margin-right:.75rem}`;

type Operation = JsonSchema & { summary: string; tags: string[]; parameters: unknown[]; requestBody?: unknown; responses: unknown; security: unknown };

/**
 * The document as one self-contained page: operations grouped by tag, their parameters, body and
 * responses as JSON. Nothing is fetched from elsewhere, so it works on a machine without internet.
 */
export function renderDocsPage(document: JsonSchema): string {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const tags = document.tags as Array<{ name: string; description: string }>;
  const sections = tags.map((tag) => {
    const operations = Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.tags.includes(tag.name))
        .map(([method, operation]) => {
          const details = { security: operation.security, parameters: operation.parameters, requestBody: operation.requestBody, responses: operation.responses };
          return `<details><summary><code class="m">${method.toUpperCase()}</code> <code>${escapeHtml(path)}</code> ${escapeHtml(operation.summary)}</summary>${pretty(details)}</details>`;
        }),
    );
    return `<section id="${tag.name}"><h2>${tag.name}</h2><p>${escapeHtml(tag.description)}</p>${operations.join('\n')}</section>`;
  });
  const info = document.info as { title: string; description: string };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<link rel="stylesheet" href="/api/docs.css">
</head><body><h1>${escapeHtml(info.title)}</h1><p>${escapeHtml(info.description)} The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<nav>${tags.map((tag) => `<a href="#${tag.name}">${tag.name}</a>`).join('')}</nav>
${sections.join('\n')}
<h2>Schemas</h2>${pretty(document.components)}
</body></html>`;
}
