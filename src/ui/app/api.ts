/** The console's one way to the API: fetch with the signed-in key, problems as ApiError. */

const KEY_ITEM = 'contactd.key';

export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem the API answered with. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
  }
}

/** The key lives in sessionStorage only: gone when the tab closes, never in a URL, cookie or localStorage. */
export const session = {
  key: (): string | null => sessionStorage.getItem(KEY_ITEM),
  remember: (key: string) => sessionStorage.setItem(KEY_ITEM, key),
  forget: () => sessionStorage.removeItem(KEY_ITEM),
};

export interface Answer<T> {
  body: T;
  headers: Headers;
}

export async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, key = session.key()): Promise<Answer<T>> {
  const init: RequestInit = { method, headers: { accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(path, init);
  const type = res.headers.get('content-type') ?? '';
  const parsed = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const problem = typeof parsed === 'object' && parsed !== null ? parsed : {};
    throw new ApiError(res.status, problem.code ?? 'http_error', problem.detail ?? `${res.status} ${res.statusText}`, problem.errors ?? []);
  }
  return { body: parsed as T, headers: res.headers };
}

export const get = <T = any>(path: string) => call<T>('GET', path).then((a) => a.body);
export const post = <T = any>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}).then((a) => a.body);
export const patch = <T = any>(path: string, body: unknown, headers: Record<string, string> = {}) => call<T>('PATCH', path, body, headers).then((a) => a.body);
export const del = <T = any>(path: string) => call<T>('DELETE', path).then((a) => a.body);

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '') as [string, string][];
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}

/** Every page of a cursor-paged list (small lists only: books, groups, fields). */
export async function all<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { data: T[]; next_cursor?: string | null } = await get(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.data);
    cursor = page.next_cursor ?? null;
  } while (cursor);
  return items;
}
