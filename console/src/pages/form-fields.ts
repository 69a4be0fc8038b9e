import { type Child, h } from "../dom.js";

/**
 * GOV.UK form fields that know the API path they fill, so the API's own `errors[].path` lands
 * beside the right field, and the GOV.UK error summary links to it.
 */

export interface Field {
  /** The member of the request body, dotted: `subject.address.postcode`. */
  path: string;
  label: string;
  hint?: string;
  kind: "text" | "textarea" | "select" | "radios" | "checkbox" | "lines";
  options?: [string, string][];
  /** How a typed value becomes the body's value. */
  as?: "string" | "boolean" | "lines";
  autocomplete?: string;
  width?: string;
}

export const fieldId = (path: string) => `f-${path.replace(/\./g, "-")}`;

function control(field: Field, value: string): Child {
  const id = fieldId(field.path);
  const described = [field.hint ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" ");
  switch (field.kind) {
    case "text":
      return h("input", {
        class: `govuk-input${field.width ? ` govuk-input--width-${field.width}` : ""}`,
        id,
        name: field.path,
        type: "text",
        value,
        autocomplete: field.autocomplete ?? "off",
        spellcheck: false,
        "aria-describedby": described,
      });
    case "textarea":
    case "lines":
      return h(
        "textarea",
        { class: "govuk-textarea", id, name: field.path, rows: 3, "aria-describedby": described },
        value,
      );
    case "select":
      return h(
        "select",
        { class: "govuk-select", id, name: field.path, "aria-describedby": described },
        h("option", { value: "" }, "Choose"),
        (field.options ?? []).map(([code, text]) =>
          h("option", { value: code, selected: code === value }, text),
        ),
      );
    case "checkbox":
      return h(
        "div",
        { class: "govuk-checkboxes govuk-checkboxes--small" },
        h(
          "div",
          { class: "govuk-checkboxes__item" },
          h("input", {
            class: "govuk-checkboxes__input",
            id,
            name: field.path,
            type: "checkbox",
            value: "true",
            checked: value === "true",
            "aria-describedby": described,
          }),
          h("label", { class: "govuk-label govuk-checkboxes__label", for: id }, field.label),
        ),
      );
    case "radios":
      return h(
        "div",
        { class: "govuk-radios govuk-radios--inline", id },
        (field.options ?? []).map(([code, text], i) =>
          h(
            "div",
            { class: "govuk-radios__item" },
            h("input", {
              class: "govuk-radios__input",
              id: i === 0 ? `${id}-first` : `${id}-${code}`,
              name: field.path,
              type: "radio",
              value: code,
              checked: code === value,
            }),
            h(
              "label",
              { class: "govuk-label govuk-radios__label", for: i === 0 ? `${id}-first` : `${id}-${code}` },
              text,
            ),
          ),
        ),
      );
    default: {
      const never: never = field.kind;
      return never;
    }
  }
}

/** One form group: label (or legend), hint, the inline error slot, the control. */
export function formGroup(field: Field, value: string): HTMLElement {
  const id = fieldId(field.path);
  const hint = field.hint ? h("div", { class: "govuk-hint", id: `${id}-hint` }, field.hint) : null;
  const error = h("p", { class: "govuk-error-message", id: `${id}-error`, hidden: true });
  if (field.kind === "radios")
    return h(
      "div",
      { class: "govuk-form-group", "data-path": field.path },
      h(
        "fieldset",
        {
          class: "govuk-fieldset",
          "aria-describedby": [hint ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" "),
        },
        h("legend", { class: "govuk-fieldset__legend govuk-fieldset__legend--s" }, field.label),
        hint,
        error,
        control(field, value),
      ),
    );
  return h(
    "div",
    { class: "govuk-form-group", "data-path": field.path },
    field.kind === "checkbox"
      ? null
      : h("label", { class: "govuk-label govuk-label--s", for: id }, field.label),
    hint,
    error,
    control(field, value),
  );
}

/** The field's current value as typed (a draft keeps these). */
export function typed(form: HTMLFormElement, field: Field): string {
  const data = new FormData(form);
  return String(data.get(field.path) ?? "");
}

/** The field that should carry an error at `path`: itself, or the nearest enclosing member. */
export function fieldFor(fields: Field[], path: string): Field | undefined {
  const parts = path.split(".");
  while (parts.length > 0) {
    const candidate = parts.join(".");
    const exact = fields.find((f) => f.path === candidate);
    if (exact) return exact;
    const inside = fields.find((f) => f.path.startsWith(`${candidate}.`));
    if (inside) return inside;
    parts.pop();
  }
  return undefined;
}
