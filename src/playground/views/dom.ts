/**
 * The two element factories every view uses. Text goes in through textContent only: plugin logs,
 * headers and bodies are untrusted, and nothing here ever parses a string as HTML.
 */

/** Translates a UI string key, filling `{name}` placeholders (src/site/ui-strings.ts). */
export type { Translate } from '../../site/ui-strings.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an HTML element with a class list and optional text (set as textContent, never parsed). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Creates an SVG element in the SVG namespace with the given attributes. */
export function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** Appends children to a parent and returns the parent, so small trees read top-down. */
export function append<T extends Node>(parent: T, ...children: Array<Node | null | false>): T {
  for (const child of children) if (child) parent.appendChild(child);
  return parent;
}
