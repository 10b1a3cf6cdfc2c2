/** The operations of the OpenAPI document the app serves, as the fuzz test walks them. */

export type Schema = Record<string, any>;

export type Surface = 'service' | 'native' | 'zoom' | 'genesys' | '8x8' | 'apptoto' | 'koreai';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** The OpenAPI path, `{param}` placeholders and all. */
  path: string;
  tag: string;
  surface: Surface;
  parameters: Parameter[];
  /** The JSON body's media type and schema, when the operation takes one. */
  body?: { type: string; schema: Schema };
  /** Multipart upload routes: the form field names their description names (`file`, `groups`...). */
  multipartFields?: string[];
}

const SURFACES: [string, Surface][] = [
  ['/v1/', 'native'],
  ['/zoom/', 'zoom'],
  ['/genesys/', 'genesys'],
  ['/8x8/', '8x8'],
  ['/apptoto/', 'apptoto'],
  ['/agentassist/', 'koreai'],
];

/** Every operation of the document, with `$ref`s resolved. */
export function operationsOf(document: Schema): Operation[] {
  const resolve = resolverOf(document);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(document.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = ((op.parameters ?? []) as Schema[]).map((p) => ({ name: p.name, in: p.in, required: p.required === true, schema: resolve(p.schema ?? {}) }));
      const content = op.requestBody?.content as Record<string, Schema> | undefined;
      const [type, media] = Object.entries(content ?? {})[0] ?? [];
      const multipart = !content && /multipart\/form-data/.test(op.description ?? '');
      operations.push({
        method: method.toUpperCase(),
        path,
        tag: op.tags?.[0] ?? 'untagged',
        surface: SURFACES.find(([prefix]) => path.startsWith(prefix))?.[1] ?? 'service',
        parameters,
        ...(type && media ? { body: { type, schema: resolve(media.schema ?? {}) } } : {}),
        ...(multipart ? { multipartFields: [...new Set([...(op.description as string).matchAll(/`(\w+)`/g)].map((m) => m[1]!))] } : {}),
      });
    }
  }
  return operations;
}

/** Resolves local `$ref`s deeply (the document's components are not recursive). */
function resolverOf(document: Schema): (schema: Schema) => Schema {
  const resolve = (schema: unknown): any => {
    if (Array.isArray(schema)) return schema.map(resolve);
    if (schema === null || typeof schema !== 'object') return schema;
    const ref = (schema as Schema).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/')) {
      const target = ref.slice(2).split('/').reduce<any>((node, key) => node?.[key], document);
      return resolve(target ?? {});
    }
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'examples' || k === 'example' ? v : resolve(v)]));
  };
  return resolve;
}
