import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Router } from 'express';
import { methodNotAllowed } from '../error-handler.js';
import { apiOperations } from './api-operations.js';
import { openApiDocument } from './openapi-document.js';

// Swagger UI's files come from the installed package, not a CDN: the page works offline.
const swaggerUiFolder = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const swaggerUiAssets = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

/** `GET /openapi.json`, the API's OpenAPI document, and `GET /api-docs`, a page to read and try it. */
export function apiDocsRouter(): Router {
  const document = openApiDocument(apiOperations);
  const router = Router();

  router
    .route('/openapi.json')
    .get((_request, response) => {
      response.json(document);
    })
    .all(methodNotAllowed('GET'));

  router
    .route('/api-docs')
    .get((_request, response) => {
      response.type('html').send(apiDocsPage);
    })
    .all(methodNotAllowed('GET'));

  router.get('/api-docs/:asset', (request, response, next) => {
    const { asset } = request.params;
    if (!swaggerUiAssets.has(asset)) {
      next();
      return;
    }
    response.sendFile(asset, { root: swaggerUiFolder, maxAge: '1h' });
  });

  return router;
}

const apiDocsPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Order service API</title>
    <link rel="stylesheet" href="/api-docs/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/api-docs/favicon-32x32.png" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api-docs/swagger-ui-bundle.js"></script>
    <script>
      window.ui = SwaggerUIBundle({
        url: '/openapi.json',
        dom_id: '#swagger-ui',
        layout: 'BaseLayout',
        tryItOutEnabled: true,
        displayRequestDuration: true,
      });
    </script>
  </body>
</html>
`;
