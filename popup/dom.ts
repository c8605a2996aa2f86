/**
 * A small element builder. Text always goes in as text nodes (never parsed as HTML), so
 * certificate names and log descriptions, which are untrusted, are safe to pass.
 */
export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | readonly Child[])[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: (Child | readonly Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
}

/** Replaces an element's content. */
export function replace(parent: Element, ...children: (Child | readonly Child[])[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node as T;
}

/** A term/definition list from pairs; pairs whose value is null or undefined are left out. */
export function dl(
  rows: readonly (readonly [string, Child | readonly Child[]])[],
  className = 'fields',
): HTMLDListElement {
  const list = h('dl', { class: className });
  for (const [term, value] of rows) {
    if (value === null || value === undefined || value === false) continue;
    list.append(h('dt', {}, term), h('dd', {}, value));
  }
  return list;
}

/** A button that shows a section and says so (aria-expanded). */
export function toggleButton(
  label: string,
  section: HTMLElement,
  open = false,
  onToggle?: (open: boolean) => void,
): HTMLButtonElement {
  if (!section.id) throw new Error('a toggled section needs an id');
  section.hidden = !open;
  const button = h('button', { type: 'button', 'aria-expanded': String(open), 'aria-controls': section.id }, label);
  button.addEventListener('click', () => {
    section.hidden = !section.hidden;
    button.setAttribute('aria-expanded', String(!section.hidden));
    onToggle?.(!section.hidden);
  });
  return button;
}
