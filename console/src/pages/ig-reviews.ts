import { ApiProblem, api, apiAll } from "../api.js";
import { button, h, heading, link, para, summary, table } from "../dom.js";
import type { Page } from "../page.js";
import { guard } from "../shell.js";
import { when } from "../words.js";

/** Information governance: the review queue of break-glass and withheld decisions. */

interface Review {
  id: string;
  concernId: string;
  recipientId: string;
  disclosedAt: string;
  disclosedBy: { sub?: string | null } | null;
  dataCategories: string[];
  justification: string;
  status: string;
  finding: string | null;
}

export const reviews: Page = async () => {
  const items = await apiAll<Review>("/v1/audit/reviews?status=pending");
  return {
    title: "Reviews",
    content: [
      heading("Decisions to review", "Information governance"),
      para(
        "Every break-glass disclosure and every withheld disclosure is reviewed once, by someone other than the officer who made it.",
      ),
      items.length === 0
        ? para("Nothing is waiting for review.")
        : table(
            "Waiting for review",
            ["When", "Partner", "Data", ""],
            items.map((r) => [
              when(r.disclosedAt),
              r.recipientId,
              r.dataCategories.join(", "),
              link(`/ig/reviews/${r.id}`, "Review"),
            ]),
          ),
    ],
  };
};

const FINDINGS: [string, string][] = [
  ["justified", "Justified"],
  ["not_justified", "Not justified (opens a breach record)"],
  ["needs_follow_up", "Needs follow-up"],
];

export const reviewPage: Page = async ({ params, session, navigate }) => {
  const r = await api<Review>("GET", `/v1/audit/reviews/${encodeURIComponent(params.id ?? "")}`);
  const error = h("p", { class: "govuk-error-message", id: "finding-error", hidden: true });
  const form = h(
    "form",
    { novalidate: true },
    h(
      "div",
      { class: "govuk-form-group" },
      h(
        "fieldset",
        { class: "govuk-fieldset", "aria-describedby": "finding-error" },
        h("legend", { class: "govuk-fieldset__legend govuk-fieldset__legend--m" }, "Your finding"),
        error,
        h(
          "div",
          { class: "govuk-radios" },
          FINDINGS.map(([code, text]) =>
            h(
              "div",
              { class: "govuk-radios__item" },
              h("input", {
                class: "govuk-radios__input",
                type: "radio",
                name: "finding",
                id: `finding-${code}`,
                value: code,
              }),
              h("label", { class: "govuk-label govuk-radios__label", for: `finding-${code}` }, text),
            ),
          ),
        ),
      ),
    ),
    h(
      "div",
      { class: "govuk-form-group" },
      h("label", { class: "govuk-label", for: "review-note" }, "Note (optional)"),
      h("textarea", { class: "govuk-textarea", id: "review-note", name: "note", rows: 3 }),
    ),
    button("Record finding"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const note = String(data.get("note") ?? "").trim();
    void guard(session, async () => {
      try {
        await api("POST", `/v1/audit/reviews/${encodeURIComponent(r.id)}`, {
          body: { finding: data.get("finding") ?? "", ...(note ? { note } : {}) },
        });
        navigate("/ig/reviews");
      } catch (problem: unknown) {
        if (
          !(problem instanceof ApiProblem) ||
          (problem.status !== 400 && problem.status !== 403 && problem.status !== 409)
        )
          throw problem;
        error.hidden = false;
        error.replaceChildren(
          h("span", { class: "govuk-visually-hidden" }, "Error: "),
          problem.status === 400 ? "Choose a finding." : problem.detail || problem.title,
        );
      }
    });
  });
  return {
    title: "Review",
    content: [
      heading("Review a decision", "Information governance"),
      summary([
        ["Partner", r.recipientId],
        ["When", when(r.disclosedAt)],
        ["By", r.disclosedBy?.sub ?? ""],
        ["Data", r.dataCategories.join(", ")],
        ["Justification", r.justification],
        ["Concern", r.concernId],
      ]),
      r.status === "pending" ? form : para(`Reviewed: ${r.finding ?? ""}.`),
    ],
  };
};
