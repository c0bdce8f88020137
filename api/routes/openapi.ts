import { Router } from 'express';
import { buildOpenApiDocument } from '../openapi/document.ts';
import { renderDocsPage } from '../openapi/docs-page.ts';

/** GET /api/openapi.json and its human page GET /api/docs; both built once, on first request. */
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
  return router;
}
