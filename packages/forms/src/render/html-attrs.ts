import { ImproperlyConfigured } from '@atrium/core';

/** An HTML attribute value: true renders the bare name, false/null/undefined leave it out. */
export type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Readonly<Record<string, AttrValue>>;

/** An attribute ready for a template: `value` null means a boolean attribute (`required`). */
export interface RenderedAttr {
  readonly name: string;
  readonly value: string | null;
}

// The HTML attribute-name grammar minus anything that could close a tag or start an event handler by accident.
const ATTR_NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/;

/**
 * Check developer-given attribute names once, when a widget is declared:
 * names are not escaped the way values are, so a bad one is refused here.
 */
export function checkAttrNames(attrs: Attrs, owner: string): void {
  for (const name of Object.keys(attrs)) {
    if (!ATTR_NAME.test(name)) {
      throw new ImproperlyConfigured(`${owner} has an invalid HTML attribute name ${JSON.stringify(name)}; use letters, digits, '-', '_', ':' or '.'.`);
    }
  }
}

/**
 * Merge attribute sets (later wins) into the list templates loop over.
 * Values stay plain strings: the template's autoescape escapes them.
 * @example renderAttrs({ class: 'a' }, { required: true, hidden: false }) // [{ name: 'class', value: 'a' }, { name: 'required', value: null }]
 */
export function renderAttrs(...sets: ReadonlyArray<Attrs | undefined>): RenderedAttr[] {
  const merged = new Map<string, AttrValue>();
  for (const set of sets) {
    if (!set) continue;
    for (const [name, value] of Object.entries(set)) merged.set(name, value);
  }
  const out: RenderedAttr[] = [];
  for (const [name, value] of merged) {
    if (value === false || value === null || value === undefined) continue;
    out.push({ name, value: value === true ? null : String(value) });
  }
  return out;
}
