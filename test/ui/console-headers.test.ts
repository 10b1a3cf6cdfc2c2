import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, readConfig } from '../../src/config.ts';
import { engines } from '../support/engines.ts';
import { startApi, type TestApi } from '../support/api.ts';

const STRICT = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:";

for (const engine of engines) {
  describe(`console serving and headers on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine, { CONSOLE_FRAME_ANCESTORS: 'https://desk.example.com' });
    });
    after(() => api.close());

    test('/ redirects to /ui/ with a 302', async () => {
      for (const url of ['/', '/ui']) {
        const res = await api.call('GET', url, undefined, { key: null });
        assert.equal(res.status, 302, url);
        assert.equal(res.headers.location, '/ui/');
      }
    });

    test('every /ui/* path is the same page, under a strict CSP, never framed, never stored', async () => {
      for (const url of ['/ui/', '/ui/contacts', '/ui/contacts/0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11', '/ui/api-keys?x=1']) {
        const res = await api.call('GET', url, undefined, { key: null });
        assert.equal(res.status, 200, url);
        assert.match(String(res.headers['content-type']), /^text\/html/);
        const csp = String(res.headers['content-security-policy']);
        assert.ok(csp.startsWith(STRICT), `${url}: ${csp}`);
        assert.match(csp, /frame-ancestors 'none'$/);
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        // No inline script or style for the CSP to refuse, and nothing from another origin.
        assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)|<style|style=|https?:\/\//);
        assert.match(res.body, /<script type="module" src="\/ui\/app\.js"><\/script>/);
      }
    });

    test('the screen pop may be framed by CONSOLE_FRAME_ANCESTORS, and only the pop', async () => {
      for (const url of ['/ui/pop', '/ui/pop?phone=%2B16511112222', '/ui/pop/']) {
        const res = await api.call('GET', url, undefined, { key: null });
        const csp = String(res.headers['content-security-policy']);
        assert.ok(csp.startsWith(STRICT));
        assert.match(csp, /frame-ancestors https:\/\/desk\.example\.com$/, url);
        assert.equal(res.headers['cache-control'], 'no-store');
      }
      const other = await api.call('GET', '/ui/popular', undefined, { key: null });
      assert.match(String(other.headers['content-security-policy']), /frame-ancestors 'none'$/);
    });

    test('the script and style come bundled from this origin, minified, with preact inside', async () => {
      const js = await api.call('GET', '/ui/app.js', undefined, { key: null });
      assert.equal(js.status, 200);
      assert.match(String(js.headers['content-type']), /^text\/javascript/);
      assert.equal(js.headers['cache-control'], 'no-store');
      assert.ok(js.body.length > 10_000 && js.body.split('\n').length < 20, 'one minified bundle');
      assert.ok(!/\bimport\s*\(|from\s*["'](https?:)?\/\//.test(js.body), 'imports nothing from elsewhere');
      const css = await api.call('GET', '/ui/app.css', undefined, { key: null });
      assert.match(String(css.headers['content-type']), /^text\/css/);
      assert.match(css.body, /prefers-color-scheme:\s*dark/);
      assert.doesNotMatch(css.body, /@import|url\(\s*["']?https?:/);
    });
  });
}

test('the console\'s sources render text as text: no innerHTML, no dangerouslySetInnerHTML', () => {
  const dir = fileURLToPath(new URL('../../src/ui/app/', import.meta.url));
  const sources = readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.tsx?$/.test(f));
  assert.ok(sources.length > 10);
  for (const file of sources) assert.ok(!/innerHTML|dangerouslySetInnerHTML|insertAdjacentHTML|document\.write/.test(readFileSync(join(dir, file), 'utf8')), file);
});

describe('CONSOLE_FRAME_ANCESTORS', () => {
  test("defaults to 'none'; takes CSP sources; refuses anything that could end the directive", () => {
    assert.equal(readConfig({}).consoleFrameAncestors, "'none'");
    assert.equal(readConfig({ CONSOLE_FRAME_ANCESTORS: "'self'  https://desk.example.com https://*.agents.example:8443" }).consoleFrameAncestors, "'self' https://desk.example.com https://*.agents.example:8443");
    for (const bad of ['', "https://a.example; script-src *", "'none' https://a.example", '"https://a.example"', 'javascript:alert(1)']) {
      assert.throws(() => readConfig({ CONSOLE_FRAME_ANCESTORS: bad }), ConfigError, bad);
    }
  });
});
