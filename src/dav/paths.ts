/** Where things are under /dav (RFC 6764 discovery leads clients from `/.well-known/carddav` here). */
export const ROOT = '/dav/';
export const PRINCIPAL = '/dav/principal/';
export const HOME = '/dav/books/';

export function bookHref(bookId: string): string {
  return `${HOME}${encodeURIComponent(bookId)}/`;
}

export function cardHref(bookId: string, name: string): string {
  return `${bookHref(bookId)}${encodeURIComponent(name)}.vcf`;
}

/** A sync token is a journal position under contactd's own URI (RFC 6578 §3.2: tokens are URIs). */
export const SYNC_TOKEN_PREFIX = 'http://contactd.org/sync/';

/** `name.vcf` -> `name`; null for a resource name that is not a card's. */
export function cardNameOf(segment: string): string | null {
  return segment.toLowerCase().endsWith('.vcf') && segment.length > 4 ? segment.slice(0, -4) : null;
}

/**
 * A card's name from an href of a multiget (a path or a full URL, percent-encoded), if it names a
 * card of this book; null otherwise.
 */
export function cardNameInBook(href: string, bookId: string): string | null {
  let path = href.trim();
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) path = new URL(path).pathname;
    const prefix = bookHref(bookId);
    const decodedPrefix = decodeURIComponent(prefix);
    const decoded = decodeURIComponent(path);
    if (!decoded.startsWith(decodedPrefix)) return null;
    const rest = decoded.slice(decodedPrefix.length);
    return rest.includes('/') ? null : cardNameOf(rest);
  } catch {
    return null;
  }
}
