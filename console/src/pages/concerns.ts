import { awaitingAcknowledgement } from "../../../shared/domain/vocabulary.js";
import { api, apiAll } from "../api.js";
import { type Child, h, heading, link, para, table, tag } from "../dom.js";
import type { Page } from "../page.js";
import {
  CONCERN_TYPE_NAMES,
  name,
  REFUSAL_NAMES,
  statusWords,
  timeLeft,
  UNRESOLVED_NAMES,
  when,
} from "../words.js";

/** The officer's receipt, the force's concerns and its escalations. */

interface Receipt {
  id: string;
  subjectId: string;
  receivedAt: string;
  concernType?: string;
  notifications: {
    id: string;
    recipientId: string;
    dataCategories: string[];
    dueBy: string;
    status: string;
    breakGlass: boolean;
    acknowledgedAt?: string | null;
  }[];
  refusals: { recipientId: string; reason: string }[];
  unresolvedRoutes: { ruleId: string; reason: string }[];
  withheld?: { recipientId: string }[];
}

/** Concerns submitted in this sitting, newest first: the API has no list of a force's concerns. */
const submitted = new Map<string, Receipt>();

export function rememberReceipt(receipt: { id: string }): void {
  submitted.set(receipt.id, receipt as Receipt);
}

function told(r: Receipt): Child {
  if (r.notifications.length === 0) return para("Nobody was told.");
  return table(
    "Who was told",
    ["Partner", "What they were told", "Due", "Status"],
    r.notifications.map((n) => {
      const [text, colour] = statusWords(n.status);
      return [
        [n.recipientId, n.breakGlass ? " (break glass)" : ""],
        n.dataCategories.join(", ").replace(/_/g, " "),
        awaitingAcknowledgement(n.status)
          ? `${when(n.dueBy)} (${timeLeft(n.dueBy).toLowerCase()})`
          : when(n.dueBy),
        tag(text, colour),
      ];
    }),
  );
}

function notTold(r: Receipt): Child {
  return [
    r.refusals.length > 0
      ? [
          h("h2", { class: "govuk-heading-m" }, "Who was not told, and why"),
          h(
            "ul",
            { class: "govuk-list govuk-list--bullet" },
            r.refusals.map((x) =>
              h("li", {}, h("strong", {}, x.recipientId), `: ${name(REFUSAL_NAMES, x.reason)}.`),
            ),
          ),
          para(
            "If they must hear now and there is no agreement, submit again with break glass: information governance reviews it.",
          ),
        ]
      : null,
    (r.withheld ?? []).length > 0
      ? [
          h("h2", { class: "govuk-heading-m" }, "Withheld by you"),
          h(
            "ul",
            { class: "govuk-list govuk-list--bullet" },
            (r.withheld ?? []).map((x) => h("li", {}, x.recipientId)),
          ),
        ]
      : null,
    r.unresolvedRoutes.length > 0
      ? [
          h(
            "div",
            { class: "govuk-warning-text" },
            h("span", { class: "govuk-warning-text__icon", "aria-hidden": "true" }, "!"),
            h(
              "strong",
              { class: "govuk-warning-text__text" },
              h("span", { class: "govuk-visually-hidden" }, "Warning"),
              "Some partners could not be reached through Lantern: phone them.",
            ),
          ),
          h(
            "ul",
            { class: "govuk-list govuk-list--bullet" },
            r.unresolvedRoutes.map((u) =>
              h("li", {}, `Rule ${u.ruleId}: ${name(UNRESOLVED_NAMES, u.reason)}.`),
            ),
          ),
        ]
      : null,
  ];
}

export const concernStatus: Page = async ({ params }) => {
  const id = params.id ?? "";
  const fresh = submitted.get(id);
  const receipt = fresh ?? (await api<Receipt>("GET", `/v1/concerns/${encodeURIComponent(id)}`));
  return {
    title: fresh ? "Concern submitted" : "Concern",
    content: [
      fresh
        ? h(
            "div",
            { class: "govuk-panel govuk-panel--confirmation" },
            h("h1", { class: "govuk-panel__title" }, "Concern submitted"),
            h(
              "div",
              { class: "govuk-panel__body" },
              "Your reference",
              h("br"),
              h("strong", { class: "lantern-wrap" }, receipt.id),
            ),
          )
        : heading(
            receipt.concernType ? name(CONCERN_TYPE_NAMES, receipt.concernType) : "Concern",
            receipt.id,
          ),
      para(
        `Received ${when(receipt.receivedAt)}. Lantern's id for the child: `,
        h("code", {}, receipt.subjectId),
        ".",
      ),
      told(receipt),
      notTold(receipt),
      para(link("/concerns/new", "Submit another concern")),
    ],
  };
};

export const concernList: Page = async ({ navigate }) => {
  const form = h(
    "form",
    { novalidate: true },
    h(
      "div",
      { class: "govuk-form-group" },
      h("label", { class: "govuk-label govuk-label--s", for: "reference" }, "Concern reference"),
      h("div", { class: "govuk-hint", id: "reference-hint" }, "For example, con_..."),
      h("input", {
        class: "govuk-input govuk-input--width-30",
        id: "reference",
        name: "reference",
        "aria-describedby": "reference-hint",
        spellcheck: false,
      }),
    ),
    h("button", { type: "submit", class: "govuk-button govuk-button--secondary" }, "Find concern"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const reference = String(new FormData(form).get("reference") ?? "").trim();
    if (reference) navigate(`/concerns/${encodeURIComponent(reference)}`);
  });
  const mine = [...submitted.values()].reverse();
  return {
    title: "Concerns",
    content: [
      heading("Concerns"),
      mine.length > 0
        ? table(
            "Submitted since you signed in",
            ["Reference", "Received", "Told"],
            mine.map((r) => [
              link(`/concerns/${r.id}`, r.id),
              when(r.receivedAt),
              String(r.notifications.length),
            ]),
          )
        : para("You have submitted nothing since you signed in."),
      form,
    ],
  };
};

interface Escalation {
  id: string;
  kind: string;
  notificationId: string;
  concernId: string;
  recipientId: string;
  dueBy: string;
  at: string;
}

export const escalations: Page = async () => {
  const items = await apiAll<Escalation>("/v1/escalations");
  return {
    title: "Escalations",
    content: [
      heading("Escalations"),
      para(
        "Notifications a partner did not acknowledge in time, or whose push delivery is failing. Phone the partner.",
      ),
      items.length === 0
        ? para("There are no escalations.")
        : table(
            "Escalations",
            ["Partner", "What", "Due", "Concern"],
            items.map((e) => [
              e.recipientId,
              e.kind === "deadline_missed" ? "Not acknowledged in time" : "Delivery failing",
              when(e.dueBy),
              link(`/concerns/${e.concernId}`, e.concernId),
            ]),
          ),
    ],
  };
};
