import type { CardEntry } from '../core/cards/card.types.ts';
import type { AddressBook } from '../core/types.ts';
import { mediaTypeOf, renderCard, type CardFormat } from './cards.ts';
import type { DavRequest } from './context.ts';
import { HOME, PRINCIPAL, SYNC_TOKEN_PREFIX } from './paths.ts';
import { carddav, cs, dav, element, escapeXml } from './xml.ts';

/** What PROPFIND asks: named properties, every property (allprop), or their names (propname). */
export type PropRequest = { kind: 'prop'; names: string[]; addressData?: CardFormat } | { kind: 'allprop' } | { kind: 'propname' };

export type Resource =
  | { kind: 'root' }
  | { kind: 'principal'; displayName: string }
  | { kind: 'home' }
  | { kind: 'book'; book: AddressBook }
  | { kind: 'card'; entry: CardEntry };

type Producer = (dav: DavRequest) => Promise<string> | string;

const href = (path: string) => element(dav('href'), escapeXml(path));
const principalProps: Record<string, Producer> = {
  [dav('current-user-principal')]: () => href(PRINCIPAL),
  [dav('principal-URL')]: () => href(PRINCIPAL),
  [carddav('addressbook-home-set')]: () => href(HOME),
};

function privileges(canWrite: boolean): string {
  const names = ['read', 'read-current-user-privilege-set', ...(canWrite ? ['write', 'write-content', 'bind', 'unbind'] : [])];
  return names.map((p) => element(dav('privilege'), element(dav(p)))).join('');
}
const privilegeSet: Producer = (r) => privileges(r.canWrite);
const REPORTS = [carddav('addressbook-multiget'), carddav('addressbook-query'), dav('sync-collection')];
const supportedReports = () => REPORTS.map((r) => element(dav('supported-report'), element(dav('report'), element(r)))).join('');
const syncToken: Producer = async (r) => `${SYNC_TOKEN_PREFIX}${await r.syncPosition()}`;

/** The properties each kind of resource has; a name absent here is a 404 in its propstat. */
function producersOf(resource: Resource): Record<string, Producer> {
  switch (resource.kind) {
    case 'root':
      return { [dav('resourcetype')]: () => element(dav('collection')), [dav('displayname')]: () => 'contactd', ...principalProps, [dav('current-user-privilege-set')]: () => privileges(false) };
    case 'principal':
      return {
        [dav('resourcetype')]: () => element(dav('collection')) + element(dav('principal')),
        [dav('displayname')]: () => escapeXml(resource.displayName),
        ...principalProps,
        [dav('current-user-privilege-set')]: () => privileges(false),
      };
    case 'home':
      return { [dav('resourcetype')]: () => element(dav('collection')), [dav('displayname')]: () => 'Address books', ...principalProps, [dav('current-user-privilege-set')]: () => privileges(false) };
    case 'book': {
      const { book } = resource;
      return {
        [dav('resourcetype')]: () => element(dav('collection')) + element(carddav('addressbook')),
        [dav('displayname')]: () => escapeXml(book.name),
        [carddav('addressbook-description')]: () => escapeXml(book.description ?? ''),
        [carddav('supported-address-data')]: () =>
          [['text/vcard', '3.0'], ['text/vcard', '4.0'], ['application/vcard+json', '4.0']]
            .map(([type, version]) => `<C:address-data-type content-type="${type}" version="${version}"/>`)
            .join(''),
        [carddav('max-resource-size')]: () => String(2 * 1024 * 1024),
        // The journal's position: it moves with every change in the account, this book's included (deletes too).
        [cs('getctag')]: syncToken,
        [dav('sync-token')]: syncToken,
        [dav('current-user-privilege-set')]: privilegeSet,
        [dav('supported-report-set')]: supportedReports,
        [dav('current-user-principal')]: () => href(PRINCIPAL),
        [dav('owner')]: () => href(PRINCIPAL),
      };
    }
    case 'card': {
      const { contact } = resource.entry;
      return {
        [dav('resourcetype')]: () => '',
        [dav('getetag')]: () => escapeXml(etagOf(contact.version)),
        [dav('getcontenttype')]: () => 'text/vcard; charset=utf-8',
        [dav('getlastmodified')]: () => new Date(contact.updated_at).toUTCString(),
      };
    }
  }
}

/** The strong ETag of a card: the contact's version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Properties allprop leaves out because they are costly (RFC 6352 §6.3.2.1: address-data never comes with allprop). */
const NOT_IN_ALLPROP = new Set([carddav('address-data')]);

/**
 * The values of the asked properties of one resource, in order; undefined for those it does not
 * have. A card's address-data is rendered in the asked format.
 */
export async function valuesOf(resource: Resource, asked: PropRequest, r: DavRequest): Promise<Map<string, string | undefined>> {
  const producers = producersOf(resource);
  const names = asked.kind === 'prop' ? asked.names : Object.keys(producers).filter((n) => !NOT_IN_ALLPROP.has(n));
  const values = new Map<string, string | undefined>();
  for (const name of names) {
    if (name === carddav('address-data') && resource.kind === 'card') {
      const format = (asked.kind === 'prop' && asked.addressData) || { type: 'vcard', version: '3.0' };
      values.set(name, escapeXml(renderCard(resource.entry, await r.cardsContext(), format)));
      continue;
    }
    const produce = producers[name] as Producer | undefined;
    values.set(name, asked.kind === 'propname' ? (produce ? '' : undefined) : produce ? await produce(r) : undefined);
  }
  return values;
}

export { mediaTypeOf };
