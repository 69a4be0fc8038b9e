/**
 * Building pages from elements, never from HTML strings: what the API answers is always text,
 * so nothing a partner or an officer typed can become markup.
 */
export type Child = Node | string | number | null | undefined | false | Child[];
type Attributes = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

const SVG = "http://www.w3.org/2000/svg";

function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

function build(element: Element, attributes: Attributes, children: Child[]): Element {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, ""), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  return build(document.createElement(tag), attributes, children) as HTMLElementTagNameMap[K];
}

export function svg(tag: string, attributes: Attributes = {}, ...children: Child[]): SVGElement {
  return build(document.createElementNS(SVG, tag), attributes, children) as SVGElement;
}

/** A link inside the console: followed without reloading, so the token in memory stays. */
export function link(href: string, text: Child, className = "govuk-link"): HTMLAnchorElement {
  return h("a", { href, class: className, "data-console": "" }, text);
}

export function heading(text: string, caption?: string): Child {
  return [
    caption ? h("span", { class: "govuk-caption-l" }, caption) : null,
    h("h1", { class: "govuk-heading-l" }, text),
  ];
}

export function para(...children: Child[]): HTMLParagraphElement {
  return h("p", { class: "govuk-body" }, ...children);
}

export function tag(text: string, colour?: string): HTMLElement {
  return h("strong", { class: `govuk-tag${colour ? ` govuk-tag--${colour}` : ""}` }, text);
}

/** A GOV.UK summary list of label → value rows. */
export function summary(rows: [string, Child][]): HTMLElement {
  return h(
    "dl",
    { class: "govuk-summary-list" },
    rows.map(([key, value]) =>
      h(
        "div",
        { class: "govuk-summary-list__row" },
        h("dt", { class: "govuk-summary-list__key" }, key),
        h("dd", { class: "govuk-summary-list__value lantern-wrap" }, value),
      ),
    ),
  );
}

/** A GOV.UK table that scrolls inside itself on a narrow screen, never the page. */
export function table(caption: string, head: string[], rows: Child[][]): HTMLElement {
  return h(
    "div",
    { class: "lantern-table-wrap", tabindex: 0, role: "region", "aria-label": caption },
    h(
      "table",
      { class: "govuk-table" },
      h("caption", { class: "govuk-table__caption govuk-table__caption--m" }, caption),
      h(
        "thead",
        { class: "govuk-table__head" },
        h(
          "tr",
          { class: "govuk-table__row" },
          head.map((cell) => h("th", { scope: "col", class: "govuk-table__header" }, cell)),
        ),
      ),
      h(
        "tbody",
        { class: "govuk-table__body" },
        rows.map((row) =>
          h(
            "tr",
            { class: "govuk-table__row" },
            row.map((cell) => h("td", { class: "govuk-table__cell lantern-wrap" }, cell)),
          ),
        ),
      ),
    ),
  );
}

export function button(text: string, attributes: Attributes = {}): HTMLButtonElement {
  return h(
    "button",
    { type: "submit", class: "govuk-button", "data-module": "govuk-button", ...attributes },
    text,
  );
}
