import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Checks answers against a platform's own OpenAPI 3.0 file (../shared/specs), so a dialect's
 * responses are held to the document itself rather than to shapes copied by hand.
 * `mount` is where contactd serves the file's paths (e.g. '/8x8', '/zoom/v2').
 */
export interface SpecResponses {
  /** Asserts that this status is one the operation declares, and the body fits its schema. */
  assertResponse(method: string, url: string, status: number, body: unknown): void;
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

export function specResponses(specPath: string, mount: string): SpecResponses {
  const document = toJsonSchemaDialect(JSON.parse(readFileSync(specPath, 'utf8'))) as {
    paths: Record<string, Record<string, Operation['responses'] extends infer R ? { responses: R } : never>>;
  };
  const ajv = new Ajv.default({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...(document as object), $id: 'spec' });

  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    // Literal segments beat parameters: /contacts/blacklist/{msisdn} before /contacts/{id}/...
    const pattern = new RegExp(`^${escapeRegExp(mount + template).replace(/\\\{[^}]+\\\}/g, '[^/]+')}$`);
    for (const [method, operation] of Object.entries(methods)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) operations.push({ method: method.toUpperCase(), template, pattern, responses: operation.responses });
    }
  }
  operations.sort((a, b) => paramCount(a.template) - paramCount(b.template));
  const compiled = new Map<string, ValidateFunction>();

  return {
    assertResponse(method, url, status, body) {
      const path = url.split('?')[0]!;
      const operation = operations.find((op) => op.method === method.toUpperCase() && op.pattern.test(path));
      assert.ok(operation, `${method} ${path} is not an operation of ${specPath}`);
      const declared = operation.responses[String(status)] ? String(status) : operation.responses.default ? 'default' : undefined;
      assert.ok(declared, `${method} ${operation.template} does not declare status ${status} (declares ${Object.keys(operation.responses).join(', ')})`);
      const content = operation.responses[declared]!.content;
      const mediaType = content && Object.keys(content).find((type) => type.includes('json'));
      if (!mediaType || content[mediaType]!.schema === undefined) return;
      const key = `${operation.method} ${operation.template} ${declared}`;
      let validate = compiled.get(key);
      if (!validate) {
        const pointer = ['paths', operation.template, operation.method.toLowerCase(), 'responses', declared, 'content', mediaType, 'schema'].map(escapePointer).join('/');
        validate = ajv.compile({ $ref: `spec#/${pointer}` });
        compiled.set(key, validate);
      }
      assert.ok(validate(body), `${key}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
    },
  };
}

/** OpenAPI 3.0 says `nullable: true`; JSON Schema says type ["x", "null"]. */
function toJsonSchemaDialect(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchemaDialect);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = toJsonSchemaDialect(value);
  if (out.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

function paramCount(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function escapePointer(part: string): string {
  return encodeURIComponent(part.replace(/~/g, '~0').replace(/\//g, '~1'));
}
