import { XMLParser } from 'fast-xml-parser';

/**
 * A namespace-resolved reading of WebDAV answers, so that tests check `{DAV:}getetag` whatever
 * prefix the server chose. Elements are named `{namespace}local`.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export const DAV = 'DAV:';
export const CARDDAV = 'urn:ietf:params:xml:ns:carddav';
export const CALSERVER = 'http://calendarserver.org/ns/';

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: false, processEntities: true });

export function parseXml(xml: string): XmlElement {
  const root = (parser.parse(xml) as RawNode[]).find((node) => !Object.keys(node).some((k) => k.startsWith('?')));
  if (!root) throw new Error(`no root element in: ${xml.slice(0, 200)}`);
  return resolve(root, {});
}

type RawNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function resolve(node: RawNode, inherited: Record<string, string>): XmlElement {
  const tag = Object.keys(node).find((k) => k !== ':@')!;
  const attributes = node[':@'] ?? {};
  const scope = { ...inherited };
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'xmlns') scope[''] = value;
    else if (key.startsWith('xmlns:')) scope[key.slice(6)] = value;
  }
  const [prefix, local] = tag.includes(':') ? [tag.slice(0, tag.indexOf(':')), tag.slice(tag.indexOf(':') + 1)] : ['', tag];
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[tag] as RawNode[]) ?? []) {
    if ('#text' in child) text += String(child['#text']);
    else children.push(resolve(child, scope));
  }
  return { name: `{${scope[prefix] ?? ''}}${local}`, attributes, children, text };
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}

/** Every descendant (depth first) with this name. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((c) => [...(c.name === name ? [c] : []), ...descendants(c, name)]);
}

/** One `<response>` of a multistatus: its href, its own status if any, and each property with the status of its propstat. */
export interface DavResponse {
  href: string;
  element: XmlElement;
  status?: number;
  props: Map<string, { status: number; element: XmlElement }>;
}

export function parseMultistatus(xml: string): { responses: DavResponse[]; syncToken?: string; root: XmlElement } {
  const root = parseXml(xml);
  if (root.name !== `{${DAV}}multistatus`) throw new Error(`expected a multistatus, got ${root.name}`);
  const responses = childrenNamed(root, `{${DAV}}response`).map((response) => {
    const props = new Map<string, { status: number; element: XmlElement }>();
    for (const propstat of childrenNamed(response, `{${DAV}}propstat`)) {
      const status = statusCode(child(propstat, `{${DAV}}status`)?.text);
      for (const prop of child(propstat, `{${DAV}}prop`)?.children ?? []) props.set(prop.name, { status, element: prop });
    }
    const own = child(response, `{${DAV}}status`);
    return { href: decodeURIComponent(child(response, `{${DAV}}href`)?.text.trim() ?? ''), element: response, ...(own ? { status: statusCode(own.text) } : {}), props };
  });
  const token = child(root, `{${DAV}}sync-token`)?.text.trim();
  return { responses, root, ...(token ? { syncToken: token } : {}) };
}

function statusCode(line: string | undefined): number {
  const match = /HTTP\/1\.[01]\s+(\d{3})/.exec(line ?? '');
  return match ? Number(match[1]) : NaN;
}

/** The value of a property found with 200, or undefined. */
export function okProp(response: DavResponse, name: string): XmlElement | undefined {
  const found = response.props.get(name);
  return found && found.status === 200 ? found.element : undefined;
}

/** The local names of the privileges in a current-user-privilege-set. */
export function privileges(element: XmlElement | undefined): string[] {
  return childrenNamed(element, `{${DAV}}privilege`).flatMap((p) => p.children.map((c) => c.name));
}
