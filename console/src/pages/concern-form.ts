import { CONCERN_TYPES, RISK_RATINGS } from "../../../shared/domain/vocabulary.js";
import { ApiProblem, api, type FieldError } from "../api.js";
import { button, h, heading, para } from "../dom.js";
import type { Page } from "../page.js";
import { guard } from "../shell.js";
import { CONCERN_TYPE_NAMES } from "../words.js";
import { rememberReceipt } from "./concerns.js";
import { type Field, fieldFor, fieldId, formGroup, typed } from "./form-fields.js";

/**
 * The officer's form: every field of a concern. It does not validate on its own: the API's
 * answer is the validation, shown beside each field and in the GOV.UK error summary.
 */

const YES_NO: [string, string][] = [
  ["true", "Yes"],
  ["false", "No"],
];

const SECTIONS: [string, Field[]][] = [
  [
    "The concern",
    [
      {
        path: "concernType",
        label: "Kind of concern",
        kind: "select",
        options: CONCERN_TYPES.map((t) => [t, CONCERN_TYPE_NAMES[t]]),
      },
      {
        path: "riskRating",
        label: "Risk rating",
        kind: "radios",
        options: RISK_RATINGS.map((r) => [r, r[0]?.toUpperCase() + r.slice(1)]),
      },
      {
        path: "occurredAt",
        label: "When it happened",
        hint: "Date and time in UTC, for example 2026-11-20T21:40:00Z",
        kind: "text",
        width: "20",
      },
      {
        path: "area",
        label: "Local authority area",
        hint: "For example, essex or southend",
        kind: "text",
        width: "20",
      },
    ],
  ],
  [
    "The child",
    [
      { path: "subject.givenName", label: "Given name", kind: "text", autocomplete: "off" },
      { path: "subject.familyName", label: "Family name", kind: "text" },
      {
        path: "subject.dateOfBirth",
        label: "Date of birth",
        hint: "For example, 2017-03-02",
        kind: "text",
        width: "10",
      },
      {
        path: "subject.nhsNumber",
        label: "NHS number (optional)",
        hint: "10 digits",
        kind: "text",
        width: "10",
      },
      { path: "subject.address.line1", label: "Address (optional)", kind: "text" },
      { path: "subject.address.postcode", label: "Postcode", kind: "text", width: "10" },
      {
        path: "subject.address.confidential",
        label: "This is a refuge or safe address: keep it confidential",
        kind: "checkbox",
        as: "boolean",
      },
      {
        path: "subject.schoolId",
        label: "School (optional)",
        hint: "The school's Lantern id, for example st-marys-primary",
        kind: "text",
        width: "20",
      },
      {
        path: "subject.educationStatus",
        label: "Education (optional)",
        kind: "select",
        options: [
          ["on_roll", "On a school roll"],
          ["home_educated", "Home educated"],
          ["not_on_roll", "Not on a school roll"],
        ],
      },
      {
        path: "subject.lookedAfter",
        label: "Is the child looked after?",
        kind: "radios",
        options: YES_NO,
        as: "boolean",
      },
      { path: "subject.specialCategory.ethnicity", label: "Ethnicity (optional)", kind: "text" },
      { path: "subject.specialCategory.health", label: "Health (optional)", kind: "text" },
    ],
  ],
  [
    "What happened",
    [
      { path: "incident.summary", label: "Summary", kind: "textarea" },
      { path: "incident.location", label: "Where (optional)", kind: "text" },
      { path: "incident.crimeReference", label: "Crime reference (optional)", kind: "text", width: "20" },
      {
        path: "incident.offences",
        label: "Offences (optional)",
        hint: "One a line",
        kind: "lines",
        as: "lines",
      },
      {
        path: "riskFactors",
        label: "Risk factors (optional)",
        hint: "One a line",
        kind: "lines",
        as: "lines",
      },
    ],
  ],
  [
    "The voice of the child",
    [
      {
        path: "voiceOfChild.seen",
        label: "Was the child seen?",
        kind: "radios",
        options: YES_NO,
        as: "boolean",
      },
      {
        path: "voiceOfChild.spokenTo",
        label: "Was the child spoken to?",
        kind: "radios",
        options: YES_NO,
        as: "boolean",
      },
      { path: "voiceOfChild.reasonNotSpokenTo", label: "If not, why not", kind: "text" },
      { path: "voiceOfChild.views", label: "The child's views (optional)", kind: "textarea" },
    ],
  ],
  [
    "You",
    [
      { path: "officer.name", label: "Your name", kind: "text", autocomplete: "name" },
      { path: "officer.collarNumber", label: "Collar number", kind: "text", width: "10" },
      { path: "officer.phone", label: "Phone", kind: "text", width: "20", autocomplete: "tel" },
    ],
  ],
  [
    "Break glass or withhold (rarely needed)",
    [
      {
        path: "breakGlass.justification",
        label: "Break glass: why you must share without an agreement (optional)",
        hint: "At least 30 characters. Information governance reviews every break-glass disclosure.",
        kind: "textarea",
      },
      {
        path: "withhold.0.recipientId",
        label: "Withhold from (optional)",
        hint: "A partner's Lantern id, for example st-marys-primary",
        kind: "text",
        width: "20",
      },
      {
        path: "withhold.0.justification",
        label: "Why telling them would be more harmful to the child",
        hint: "At least 30 characters.",
        kind: "textarea",
      },
    ],
  ],
];

const FIELDS = SECTIONS.flatMap(([, fields]) => fields);

function setIn(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node: Record<string, unknown> | unknown[] = target;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const key: string | number = Array.isArray(node) ? Number(part) : part;
    const record = node as Record<string | number, unknown>;
    if (last) record[key] = value;
    else {
      record[key] ??= /^\d+$/.test(parts[i + 1] ?? "") ? [] : {};
      node = record[key] as Record<string, unknown>;
    }
  });
}

/** The request body from what was typed: empty optional fields are left out, not sent empty. */
export function concernBody(values: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const raw = (values[field.path] ?? "").trim();
    if (raw === "") continue;
    const value =
      field.as === "boolean"
        ? raw === "true"
        : field.as === "lines"
          ? raw
              .split("\n")
              .map((l) => l.trim())
              .filter(Boolean)
          : raw;
    setIn(body, field.path, value);
  }
  return body;
}

/** The API names members by JSON Pointer (`/subject/dateOfBirth`); the fields by dots. */
function dotted(pointer: string): string {
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

function showErrors(form: HTMLFormElement, summaryBox: HTMLElement, errors: FieldError[]): void {
  for (const group of form.querySelectorAll(".govuk-form-group--error"))
    group.classList.remove("govuk-form-group--error");
  for (const slot of form.querySelectorAll(".govuk-error-message")) slot.setAttribute("hidden", "");
  const messages = new Map<string, string[]>();
  const items = errors.map((error) => {
    const field = fieldFor(FIELDS, dotted(error.path));
    const id = field ? fieldId(field.path) : "";
    if (field) {
      form.querySelector(`[data-path="${field.path}"]`)?.classList.add("govuk-form-group--error");
      messages.set(id, [...(messages.get(id) ?? []), error.message]);
    }
    const target = field?.kind === "radios" ? `${id}-first` : id;
    return h(
      "li",
      {},
      target ? h("a", { href: `#${target}` }, `${field?.label}: ${error.message}`) : error.message,
    );
  });
  for (const [id, said] of messages) {
    const slot = document.getElementById(`${id}-error`);
    slot?.removeAttribute("hidden");
    slot?.replaceChildren(h("span", { class: "govuk-visually-hidden" }, "Error: "), said.join(". "));
  }
  summaryBox.replaceChildren(
    h(
      "div",
      { class: "govuk-error-summary", "data-module": "govuk-error-summary", tabindex: -1 },
      h(
        "div",
        { role: "alert" },
        h("h2", { class: "govuk-error-summary__title" }, "There is a problem"),
        h(
          "div",
          { class: "govuk-error-summary__body" },
          h("ul", { class: "govuk-list govuk-error-summary__list" }, items),
        ),
      ),
    ),
  );
  summaryBox.hidden = false;
  (summaryBox.firstElementChild as HTMLElement).focus();
  document.title = "Error: New concern - Lantern";
}

export const concernForm: Page = async ({ session, navigate, keepDraft, draft }) => {
  const kept = (draft ?? {}) as Record<string, string>;
  const summaryBox = h("div", { hidden: true });
  const form = h(
    "form",
    { novalidate: true },
    SECTIONS.map(([title, fields]) =>
      h(
        "fieldset",
        { class: "govuk-fieldset" },
        h(
          "legend",
          { class: "govuk-fieldset__legend govuk-fieldset__legend--m" },
          h("h2", { class: "govuk-fieldset__heading" }, title),
        ),
        fields.map((field) => formGroup(field, kept[field.path] ?? "")),
      ),
    ),
    button("Submit concern"),
  );
  const values = () => Object.fromEntries(FIELDS.map((field) => [field.path, typed(form, field)]));
  keepDraft(values);
  let idempotencyKey = crypto.randomUUID();
  let lastBody = "";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = concernBody(values());
    // The same body keeps its key, so a retry after signing in again creates nothing twice.
    if (JSON.stringify(body) !== lastBody) idempotencyKey = crypto.randomUUID();
    lastBody = JSON.stringify(body);
    void guard(session, async () => {
      try {
        const receipt = await api<{ id: string }>("POST", "/v1/concerns", {
          body,
          headers: { "Idempotency-Key": idempotencyKey },
        });
        rememberReceipt(receipt);
        navigate(`/concerns/${receipt.id}`);
      } catch (error: unknown) {
        if (!(error instanceof ApiProblem) || error.errors.length === 0) throw error;
        showErrors(form, summaryBox, error.errors);
      }
    });
  });
  return {
    title: "New concern",
    content: [
      summaryBox,
      heading("Submit a safeguarding concern"),
      para(
        "Lantern tells the partners that must hear, under their data-sharing agreements, with a due time for each. Fill in what you know.",
      ),
      Object.keys(kept).length > 0
        ? h(
            "div",
            { class: "govuk-inset-text" },
            "You signed in again: what you had typed is back. Check it and submit.",
          )
        : null,
      form,
    ],
  };
};
