import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import packageJson from '../../package.json' with { type: 'json' };

/** The OpenAPI document is generated from the route schemas; /docs renders it. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'contactd',
        version: packageJson.version,
        description: 'A self-hostable contact directory for contact centers: address books, contacts, custom fields, groups, duplicates, bulk work, search and screen-pop lookup. Errors are RFC 9457 problem details.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key from `contactd account create` or `contactd key create`.' },
          basic: { type: 'http', scheme: 'basic', description: 'Platform dialects (Genesys, Apptoto): the account id as user name, an API key as password.' },
          koreJwt: { type: 'apiKey', in: 'header', name: 'auth', description: 'Kore.ai: an HS256 JWT whose appId claim is an API key id, signed with that key; send the accountId header too.' },
        },
      },
      tags: [
        { name: 'Contacts', description: 'Contacts with phones, emails, messaging handles and custom values.' },
        { name: 'Lookup', description: 'Screen pop by phone or email.' },
        { name: 'Address books', description: 'Named sets of contacts with a duplicate policy.' },
        { name: 'Custom fields', description: 'Typed fields that contacts may carry.' },
        { name: 'Groups', description: 'Groups and block lists.' },
        { name: 'API keys', description: 'The caller\'s own scopes, and the account\'s keys (admin).' },
        { name: 'Service', description: 'Health, readiness and metrics.' },
      ],
    },
    // Components keep their $id as their name.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transform: ({ schema, url, route }) => {
      const scope = route.config?.scope;
      const transformed = { ...(schema ?? {}) } as Record<string, unknown>;
      if (scope) {
        transformed.security = [{ bearer: [] }];
        transformed['x-required-scope'] = scope;
      }
      // Dialect routes declare their own security schemes; the scope is shown the same way.
      const platformScope = route.config?.platformScope;
      if (platformScope) transformed['x-required-scope'] = platformScope;
      return { schema: transformed as never, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
