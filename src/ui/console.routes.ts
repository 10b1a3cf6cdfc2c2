import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.ts';
import { consoleBundle } from './bundle.ts';

/** One page for every /ui/* path: the console routes on the client. No inline script or style (the CSP forbids both). */
const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>contactd console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/app.css">
<script type="module" src="/ui/app.js"></script>
</head>
<body><div id="app"></div><noscript>The contactd console needs JavaScript.</noscript></body>
</html>
`;

/** Everything from this origin only; `frame-ancestors` is the one part that differs (the screen pop may be embedded). */
function contentSecurityPolicy(frameAncestors: string): string {
  return `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors ${frameAncestors}`;
}

/**
 * The web console (src/ui/app), an adapter beside http/: it calls the same /v1 API as anyone
 * else with the key the user signs in with, and holds no session on the server.
 */
export async function registerConsole(app: FastifyInstance, config: Pick<Config, 'consoleFrameAncestors'>): Promise<void> {
  const bundle = await consoleBundle();
  const send = (reply: FastifyReply, type: string, body: string, frameAncestors = "'none'") =>
    reply
      .header('content-type', type)
      .header('content-security-policy', contentSecurityPolicy(frameAncestors))
      // Pages show contacts; and a fresh script after an upgrade matters more than a cached one.
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('cross-origin-opener-policy', 'same-origin')
      .send(body);
  const hide = { schema: { hide: true } };

  app.get('/', hide, async (_request, reply) => reply.redirect('/ui/', 302));
  app.get('/ui', hide, async (_request, reply) => reply.redirect('/ui/', 302));
  app.get('/ui/app.js', hide, async (_request, reply) => send(reply, 'text/javascript; charset=utf-8', bundle.js));
  app.get('/ui/app.css', hide, async (_request, reply) => send(reply, 'text/css; charset=utf-8', bundle.css));
  app.get('/ui/*', hide, async (request, reply) => {
    // Agent desktops embed the screen pop; every other page refuses to be framed.
    const isPop = /^\/ui\/pop\/?(\?|$)/.test(request.url);
    return send(reply, 'text/html; charset=utf-8', INDEX_HTML, isPop ? config.consoleFrameAncestors : "'none'");
  });
}
