import { XMLParser } from 'fast-xml-parser';
import { DomainError } from '../core/errors.ts';

/** The namespaces CardDAV speaks; clients bind them to any prefix they like. */
export const NS = {
  dav: 'DAV:',
  carddav: 'urn:ietf:params:xml:ns:carddav',
  cs: 'http://calendarserver.org/ns/',
} as const;

/** An element with its name resolved to `{namespace}local` (Clark notation), whatever the prefix was. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export const dav = (local: string) => `{${NS.dav}}${local}`;
export const carddav = (local: string) => `{${NS.carddav}}${local}`;
export const cs = (local: string) => `{${NS.cs}}${local}`;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

type Ordered = Record<string, unknown>;

/** Parses a request body; a body that is not well-formed XML, or declares a DTD, is a 400. */
export function parseXml(body: string): XmlElement {
  // A DTD can define entities that expand without bound: no CardDAV client sends one.
  if (/<!DOCTYPE/i.test(body)) throw new DomainError('validation_failed', 'the XML body must not hold a DOCTYPE');
  let tree: Ordered[];
  try {
    tree = parser.parse(body, true) as Ordered[];
  } catch (error) {
    throw new DomainError('validation_failed', `the body is not well-formed XML: ${(error as Error).message}`);
  }
  const roots = tree.filter((n) => !('#text' in n) && !Object.keys(n).some((k) => k.startsWith('?')));
  if (roots.length !== 1) throw new DomainError('validation_failed', 'the XML body must hold exactly one root element');
  return resolve(roots[0]!, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]));
}

function resolve(node: Ordered, scope: Map<string, string>): XmlElement {
  const tag = Object.keys(node).find((k) => k !== ':@')!;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  const inner = new Map(scope);
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttrs)) {
    if (key === 'xmlns') inner.set('', value);
    else if (key.startsWith('xmlns:')) inner.set(key.slice(6), value);
    else attrs[key.includes(':') ? key.slice(key.indexOf(':') + 1) : key] = String(value);
  }
  const colon = tag.indexOf(':');
  const prefix = colon < 0 ? '' : tag.slice(0, colon);
  const local = colon < 0 ? tag : tag.slice(colon + 1);
  const namespace = inner.get(prefix);
  if (namespace === undefined && prefix !== '') throw new DomainError('validation_failed', `the XML prefix "${prefix}" is not declared`);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[tag] ?? []) as Ordered[]) {
    if ('#text' in child) text += String(child['#text']);
    else if (!Object.keys(child).some((k) => k.startsWith('?') || k === '#comment')) children.push(resolve(child, inner));
  }
  return { name: `{${namespace ?? ''}}${local}`, attrs, children, text };
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}

/** Text for XML content (quotes stay as they are: ETags read `"3"`, as clients expect). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

/** Text for an attribute value. */
export function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const PREFIXES: Record<string, string> = { [NS.dav]: 'D', [NS.carddav]: 'C', [NS.cs]: 'CS' };

/** The namespace declarations every answer's root carries, for the prefixes `tagOf` uses. */
export const ROOT_NAMESPACES = `xmlns:D="${NS.dav}" xmlns:C="${NS.carddav}" xmlns:CS="${NS.cs}"`;

/** A `{ns}local` name as a tag: a known namespace's prefix, or the element's own declaration. */
export function tagOf(name: string): { open: string; close: string } {
  const match = /^\{([^}]*)\}(.+)$/.exec(name);
  const [namespace, local] = match ? [match[1]!, match[2]!] : ['', name];
  const prefix = PREFIXES[namespace];
  if (prefix) return { open: `${prefix}:${local}`, close: `${prefix}:${local}` };
  return { open: `X:${local} xmlns:X="${escapeAttribute(namespace)}"`, close: `X:${local}` };
}

/** `<tag>content</tag>`, or `<tag/>` when there is no content. */
export function element(name: string, content = ''): string {
  const { open, close } = tagOf(name);
  return content === '' ? `<${open}/>` : `<${open}>${content}</${close}>`;
}
