import { Router } from 'express';
import { buildOpenApiDocument } from '../openapi/document.ts';
import { DOCS_STYLESHEET, renderDocsPage } from '../openapi/docs-page.ts';

/** GET /api/openapi.json and its human page GET /api/docs (with docs.css); both built once, on first request. */
export function openApiRoutes(): Router {
  let document: Record<string, unknown> | undefined;
  let page: string | undefined;
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json((document ??= buildOpenApiDocument()));
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send((page ??= renderDocsPage((document ??= buildOpenApiDocument()))));
  });
  router.get('/docs.css', (_req, res) => {
    res.type('css').send(DOCS_STYLESHEET);
  });
  return router;
}
