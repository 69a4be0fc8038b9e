import { awaitingAcknowledgement, type NotificationStatus } from "../../../shared/domain/vocabulary.js";
import { ApiProblem, api, apiAll } from "../api.js";
import type { Session } from "../auth.js";
import { button, type Child, h, heading, link, para, summary, table, tag } from "../dom.js";
import type { Page } from "../page.js";
import { guard } from "../shell.js";
import { CONCERN_TYPE_NAMES, name, OUTCOME_NAMES, statusWords, timeLeft, when } from "../words.js";

/** A partner's inbox and one notification: opening it here is the audited disclosure. */

interface Notification {
  id: string;
  status: string;
  concernId: string;
  concernType: string;
  occurredAt: string;
  dueBy: string;
  dataCategories: string[];
  breakGlass: boolean;
  createdAt: string;
  acknowledgedAt: string | null;
  outcome: { outcome: string; note?: string | null; recordedAt: string } | null;
  payload?: Record<string, unknown> | null;
  erasedAt?: string | null;
}

const ORDER: Readonly<Record<string, number>> = {
  overdue: 0,
  delivered: 1,
  acknowledged: 2,
  closed: 3,
  recalled: 4,
} satisfies Record<NotificationStatus, number>;

/** Overdue first, then what is still to acknowledge by due time, then what is done. */
export function inboxOrder(a: Notification, b: Notification): number {
  return (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || Date.parse(a.dueBy) - Date.parse(b.dueBy);
}

function statusTag(status: string): HTMLElement {
  const [text, colour] = statusWords(status);
  return tag(text, colour);
}

function due(n: Notification): Child {
  if (n.status === "acknowledged" || n.status === "closed") return `Acknowledged ${when(n.acknowledgedAt)}`;
  return [
    h("strong", {}, timeLeft(n.dueBy)),
    h("br"),
    h("span", { class: "govuk-body-s" }, `by ${when(n.dueBy)}`),
  ];
}

export const inbox: Page = async () => {
  const items = (await apiAll<Notification>("/v1/notifications")).sort(inboxOrder);
  const waiting = items.filter((n) => awaitingAcknowledgement(n.status)).length;
  return {
    title: "Inbox",
    content: [
      heading("Inbox"),
      para(
        waiting === 0
          ? "Nothing is waiting for you."
          : `${waiting} notification${waiting === 1 ? " is" : "s are"} waiting to be acknowledged. Overdue and soonest due come first.`,
      ),
      items.length === 0
        ? null
        : table(
            "Notifications",
            ["Due", "Concern", "Status", ""],
            items.map((n) => [
              due(n),
              name(CONCERN_TYPE_NAMES, n.concernType),
              statusTag(n.status),
              link(`/notifications/${n.id}`, [
                "Open",
                h(
                  "span",
                  { class: "govuk-visually-hidden" },
                  ` ${name(CONCERN_TYPE_NAMES, n.concernType)}, received ${when(n.createdAt)}`,
                ),
              ]),
            ]),
          ),
    ],
  };
};

const LABELS: Record<string, string> = {
  givenName: "Given name",
  familyName: "Family name",
  dateOfBirth: "Date of birth",
  nhsNumber: "NHS number",
  schoolId: "School",
  educationStatus: "Education",
  lookedAfter: "Looked after",
  subjectId: "Lantern's id for the child",
  line1: "Address",
  postcode: "Postcode",
  summary: "What happened",
  location: "Where",
  crimeReference: "Crime reference",
  offences: "Offences",
  riskRating: "Risk",
  riskFactors: "Risk factors",
  seen: "Child seen",
  spokenTo: "Child spoken to",
  reasonNotSpokenTo: "Why not spoken to",
  views: "The child's views",
  ethnicity: "Ethnicity",
  health: "Health",
  name: "Name",
  collarNumber: "Collar number",
  phone: "Phone",
};

function value(v: unknown): Child {
  if (v === true) return "Yes";
  if (v === false) return "No";
  if (Array.isArray(v))
    return h(
      "ul",
      { class: "govuk-list govuk-list--bullet" },
      v.map((item) => h("li", {}, String(item))),
    );
  return String(v ?? "");
}

/** The payload as rows, each member under its own label: exactly what the agreement granted. */
function payloadRows(payload: Record<string, unknown>, prefix = ""): [string, Child][] {
  return Object.entries(payload).flatMap(([key, v]): [string, Child][] => {
    if (v && typeof v === "object" && !Array.isArray(v))
      return payloadRows(v as Record<string, unknown>, key);
    const label = LABELS[key] ?? key;
    return [[prefix === "officer" ? `Officer: ${label.toLowerCase()}` : label, value(v)]];
  });
}

function details(n: Notification): Child {
  return summary([
    ["Concern", name(CONCERN_TYPE_NAMES, n.concernType)],
    ["Status", statusTag(n.status)],
    ["Due", awaitingAcknowledgement(n.status) ? `${timeLeft(n.dueBy)} (by ${when(n.dueBy)})` : when(n.dueBy)],
    ["Happened", when(n.occurredAt)],
    ["Received", when(n.createdAt)],
    [
      "Shared under",
      n.breakGlass
        ? "Break glass (no agreement): reviewed by information governance"
        : n.dataCategories.join(", "),
    ],
  ]);
}

function content(n: Notification): Child {
  if (n.payload === null || n.erasedAt)
    return h(
      "div",
      { class: "govuk-inset-text" },
      `The content was erased ${when(n.erasedAt)} at the end of its retention period.`,
    );
  if (!n.payload) return null;
  return [h("h2", { class: "govuk-heading-m" }, "What you have been told"), summary(payloadRows(n.payload))];
}

function outcomeForm(
  session: Session,
  n: Notification,
  redraw: (next: Notification) => void,
): HTMLFormElement {
  const form = h(
    "form",
    { novalidate: true },
    h(
      "div",
      { class: "govuk-form-group" },
      h(
        "fieldset",
        { class: "govuk-fieldset" },
        h(
          "legend",
          { class: "govuk-fieldset__legend govuk-fieldset__legend--m" },
          h("h2", { class: "govuk-fieldset__heading" }, "Record the outcome"),
        ),
        h(
          "div",
          { class: "govuk-radios", "data-module": "govuk-radios" },
          Object.entries(OUTCOME_NAMES).map(([code, text]) =>
            h(
              "div",
              { class: "govuk-radios__item" },
              h("input", {
                class: "govuk-radios__input",
                id: `outcome-${code}`,
                name: "outcome",
                type: "radio",
                value: code,
              }),
              h("label", { class: "govuk-label govuk-radios__label", for: `outcome-${code}` }, text),
            ),
          ),
        ),
      ),
    ),
    h(
      "div",
      { class: "govuk-form-group" },
      h(
        "label",
        { class: "govuk-label", for: "outcome-note" },
        "Note (optional, stays with this notification, never in the audit trail)",
      ),
      h("textarea", { class: "govuk-textarea", id: "outcome-note", name: "note", rows: 3 }),
    ),
    button("Record outcome"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const note = String(data.get("note") ?? "").trim();
    void guard(session, async () => {
      try {
        const next = await api<Notification>("POST", `/v1/notifications/${n.id}/outcome`, {
          body: { outcome: data.get("outcome") ?? "", ...(note ? { note } : {}) },
        });
        redraw({ ...n, ...next, payload: n.payload });
      } catch (error: unknown) {
        if (!(error instanceof ApiProblem) || error.errors.length === 0) throw error;
        form.prepend(h("div", { class: "govuk-error-message", role: "alert" }, "Choose an outcome."));
      }
    });
  });
  return form;
}

function actions(session: Session, n: Notification, redraw: (next: Notification) => void): Child {
  if (awaitingAcknowledgement(n.status)) {
    const ack = button("Acknowledge", { type: "button" });
    ack.addEventListener("click", () => {
      void guard(session, async () => {
        const next = await api<Notification>("POST", `/v1/notifications/${n.id}/acknowledge`);
        // Keep the payload already shown: reading it again would be a second disclosure.
        redraw({ ...n, ...next, payload: n.payload });
      });
    });
    return [para("Acknowledge it to tell the police you have read it."), ack];
  }
  if (n.status === "acknowledged") return outcomeForm(session, n, redraw);
  if (n.outcome)
    return [
      h("h2", { class: "govuk-heading-m" }, "Outcome recorded"),
      summary([
        ["Outcome", name(OUTCOME_NAMES, n.outcome.outcome)],
        ["Recorded", when(n.outcome.recordedAt)],
      ]),
    ];
  return null;
}

function withdrawn(problem: ApiProblem): Child | null {
  if (problem.status === 410)
    return [
      heading("This notification was recalled"),
      para(
        "The police recalled this disclosure. Its content can no longer be shown. Delete any copy you made.",
      ),
    ];
  if (problem.status === 403 && problem.type.endsWith("disclosure_withdrawn"))
    return [
      heading("This notification is withdrawn"),
      para(
        "The data-sharing agreement it was shared under is no longer in force, so its content cannot be shown.",
      ),
    ];
  if (problem.status === 403 && problem.type.endsWith("not_a_key_adult"))
    return [
      heading("Only the school's Key Adults can open this"),
      para("Ask your designated safeguarding lead."),
    ];
  return null;
}

export const notificationPage: Page = async ({ params, session }) => {
  let n: Notification;
  try {
    n = await api<Notification>("GET", `/v1/notifications/${encodeURIComponent(params.id ?? "")}`);
  } catch (error: unknown) {
    const shown = error instanceof ApiProblem ? withdrawn(error) : null;
    if (shown) return { title: "Notification", content: [shown, para(link("/inbox", "Back to the inbox"))] };
    throw error;
  }
  const region = h("div", {});
  const draw = (next: Notification) => {
    region.replaceChildren(
      ...[details(next), content(next), actions(session, next, draw)]
        .flat(3)
        .filter((c): c is Node => c instanceof Node),
    );
  };
  draw(n);
  return {
    title: "Notification",
    content: [
      heading(name(CONCERN_TYPE_NAMES, n.concernType), "Notification"),
      h("div", { class: "govuk-inset-text" }, "Opening this notification is recorded in the audit trail."),
      region,
      para(link("/inbox", "Back to the inbox")),
    ],
  };
};
