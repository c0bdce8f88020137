import express, { Router } from 'express';
import { buildOpenApiDocument } from '../openapi/document.ts';
import { DOCS_START_SCRIPT, SWAGGER_UI_DIR, renderDocsPage } from '../openapi/docs-page.ts';

/** GET /api/openapi.json and its reference page GET /api/docs (Swagger UI); the document is built once, on first request. */
export function openApiRoutes(): Router {
  let document: Record<string, unknown> | undefined;
  const openApiDocument = () => (document ??= buildOpenApiDocument());
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(renderDocsPage((openApiDocument().info as { title: string }).title));
  });
  router.get('/docs/start.js', (_req, res) => {
    res.type('js').send(DOCS_START_SCRIPT);
  });
  router.use('/docs/assets', express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1d' }));
  return router;
}
