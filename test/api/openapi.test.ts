import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { createApp } from '../../api/app.ts';
import { storeDeliveryRoutes } from '../../api/routes/webhooks/store-webhooks.ts';
import { holdRequestSchema } from '../../domain/bookings/requests.ts';
import { testContext } from '../support/app.ts';

type Layer = { route?: { path: unknown; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; rawPath?: unknown };
type OpenApi = { openapi: string; info: { title: string }; paths: Record<string, Record<string, any>>; components: { schemas: object; securitySchemes: object } };

/**
 * The Express app behind createApp: it hides the app behind a plain request listener, so the
 * application prototype's init is wrapped for that one call to catch the app being made.
 */
function expressAppOf(): { listener: ReturnType<typeof createApp>; app: { router: { stack: Layer[] } } } {
  const proto = express.application as unknown as { init(this: unknown): void };
  const init = proto.init;
  let app: unknown;
  proto.init = function (this: unknown) {
    app = this;
    init.call(this);
  };
  try {
    const listener = createApp(testContext());
    return { listener, app: app as { router: { stack: Layer[] } } };
  } finally {
    proto.init = init;
  }
}

/** `METHOD /path` of every route in a router stack, with the prefixes its routers are mounted at. */
function mountedRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route && typeof layer.route.path === 'string') {
      return Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${prefix}${layer.route!.path}`);
    }
    if (layer.handle?.stack && typeof layer.rawPath === 'string') return mountedRoutes(layer.handle.stack, layer.rawPath === '/' ? prefix : prefix + layer.rawPath);
    return [];
  });
}

const documentedPart = (route: string) => /^[A-Z]+ \/(api\/v1|webhooks)\//.test(route);

describe('OpenAPI document', () => {
  let listener: ReturnType<typeof createApp>;
  let app: { router: { stack: Layer[] } };
  let document: OpenApi;

  before(async () => {
    // Made here, not at load: the test database exists only once the global setup has run.
    ({ listener, app } = expressAppOf());
    document = (await request(listener).get('/api/openapi.json').expect(200).expect('Content-Type', /json/)).body;
  });

  it('is OpenAPI 3.1 with info, paths, components and the security schemes', () => {
    expect(document.openapi).to.match(/^3\.1\./);
    expect(document.info.title).to.be.a('string');
    expect(Object.keys(document.paths)).to.not.be.empty;
    expect(document.components.schemas).to.have.property('Problem');
    expect(document.components.securitySchemes).to.include.keys('session', 'csrfHeader', 'bearerApiKey', 'bearerJwt');
  });

  it('documents every mounted route under /api/v1 and /webhooks, and only those', () => {
    // The stores' deliveries are answered before Express (see createApp).
    const mounted = new Set([...mountedRoutes(app.router.stack), ...storeDeliveryRoutes].filter(documentedPart));
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)),
    );
    const undocumented = [...mounted].filter((route) => !documented.has(route));
    const gone = [...documented].filter((route) => !mounted.has(route));
    expect(undocumented, `routes missing from api/openapi/tags/*.ts:\n  ${undocumented.join('\n  ')}\n`).to.be.empty;
    expect(gone, `documented routes that no router mounts:\n  ${gone.join('\n  ')}\n`).to.be.empty;
    expect(mounted.size).to.be.greaterThan(100);
  });

  it('gives every operation a tag, a summary and Problem Details for its 4xx answers', () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${path}`;
        expect(operation.tags, name).to.have.lengthOf(1);
        expect(operation.summary, name).to.be.a('string').and.not.be.empty;
        for (const [status, response] of Object.entries<any>(operation.responses)) {
          if (status.startsWith('4')) expect(response.content['application/problem+json'].schema, `${name} ${status}`).to.deep.equal({ $ref: '#/components/schemas/Problem' });
        }
      }
    }
  });

  it('documents the body of POST /api/v1/bookings/hold as its zod schema validates it', () => {
    const body = document.paths['/api/v1/bookings/hold'].post.requestBody.content['application/json'].schema;
    expect(body.properties).to.have.keys(Object.keys(holdRequestSchema.shape));
    // The customer's timezone is optional: without it their messages read the provider's.
    expect(body.required).to.have.members(['serviceId', 'startsAt']);
    expect(body.properties.serviceId.type).to.equal('integer');
    expect(body.properties.startsAt).to.include({ type: 'string', format: 'date-time' });
    const hold = { serviceId: 1, startsAt: '2030-01-01T10:00:00Z' };
    expect(holdRequestSchema.safeParse(hold).success).to.equal(true);
    for (const field of body.required) {
      const withoutField = Object.fromEntries(Object.entries(hold).filter(([key]) => key !== field));
      expect(holdRequestSchema.safeParse(withoutField).success, `without ${field}`).to.equal(false);
    }
  });

  it('answers every documented path with a route, never the "No route for" 404', async () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      const url = path.replace(/\{(\w+)\}/g, '999999');
      for (const method of Object.keys(methods)) {
        const res = await request(listener)[method as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
        expect(String(res.body?.detail ?? ''), `${method.toUpperCase()} ${path}`).to.not.match(/^No route for/);
      }
    }
  });

  it('serves the API reference from this server alone: Swagger UI and its start script, no outside address', async () => {
    const res = await request(listener).get('/api/docs').expect(200).expect('Content-Type', /html/);
    const sources = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources).to.have.members(['/api/docs/assets/swagger-ui.css', '/api/docs/assets/swagger-ui-bundle.js', '/api/docs/start.js']);
    expect(res.text).to.not.match(/<script>/);
    for (const source of sources) await request(listener).get(source).expect(200);
    expect((await request(listener).get('/api/docs/start.js')).text).to.contain("url: '/api/openapi.json'");
  });
});
