import { ApiProblem, api, apiText } from "../api.js";
import { type Child, h, heading, link, para, table } from "../dom.js";
import type { Page } from "../page.js";
import { guard } from "../shell.js";
import { when } from "../words.js";

/** Information governance: the start page, subject access and verification of the trail. */

export const igHome: Page = async () => ({
  title: "Information governance",
  content: [
    heading("Information governance"),
    h(
      "ul",
      { class: "govuk-list" },
      (
        [
          ["/ig/subject-access", "Subject access: every disclosure about one child"],
          ["/ig/verify", "Verify the audit trail"],
          ["/ig/coverage", "Coverage: where sharing has a lawful footing"],
          ["/ig/agreements", "Data-sharing agreements"],
          ["/ig/reviews", "Break-glass and withheld decisions to review"],
          ["/ig/breaches", "Breaches"],
          ["/ig/routing", "Routing rules and calendars"],
          ["/ig/timeliness", "Timeliness by partner"],
        ] as const
      ).map(([href, text]) => h("li", {}, link(href, text))),
    ),
  ],
});

interface ReportEntry {
  at: string;
  action: string;
  recipientId: string | null;
  dataCategories: string[] | null;
  agreement: { id: string; version: number } | null;
  reason: string | null;
  concernId: string | null;
}

interface Report {
  subjectId: string;
  generatedAt: string;
  disclosures: ReportEntry[];
  refusals: ReportEntry[];
  accesses: ReportEntry[];
  reviews: ReportEntry[];
}

/** A concern reference finds its child through the trail; anything else is the child's id. */
async function subjectOf(reference: string): Promise<string | null> {
  if (!reference.startsWith("con_")) return reference;
  const page = await api<{ items: { subjectId?: string | null }[] }>(
    "GET",
    `/v1/audit/events?concernId=${encodeURIComponent(reference)}`,
  );
  return page.items.find((e) => e.subjectId)?.subjectId ?? null;
}

function entries(caption: string, rows: ReportEntry[]): Child {
  if (rows.length === 0) return null;
  return table(
    caption,
    ["When", "To whom", "What", "Under"],
    rows.map((e) => [
      when(e.at),
      e.recipientId ?? "",
      [
        e.action.replace(/_/g, " "),
        e.dataCategories ? `: ${e.dataCategories.join(", ")}` : "",
        e.reason ? ` (${e.reason.replace(/_/g, " ")})` : "",
      ],
      e.agreement ? `${e.agreement.id} v${e.agreement.version}` : "no agreement",
    ]),
  );
}

async function report(subjectId: string, result: HTMLElement): Promise<void> {
  const r = await api<Report>("GET", `/v1/audit/subjects/${encodeURIComponent(subjectId)}`);
  const csv = h(
    "button",
    { type: "button", class: "govuk-button govuk-button--secondary" },
    "Download as CSV",
  );
  csv.addEventListener("click", () => {
    void apiText(`/v1/audit/subjects/${encodeURIComponent(subjectId)}`, "text/csv").then((text) => {
      const a = h("a", {
        href: URL.createObjectURL(new Blob([text], { type: "text/csv" })),
        download: `subject-access-${subjectId}.csv`,
      });
      a.click();
      URL.revokeObjectURL(a.href);
    });
  });
  result.replaceChildren(
    ...[
      h("h2", { class: "govuk-heading-m" }, "Report"),
      para(
        "Child ",
        h("code", {}, r.subjectId),
        `, generated ${when(r.generatedAt)}. This report is itself recorded in the audit trail.`,
      ),
      r.disclosures.length === 0
        ? para("Nothing has been disclosed about this child.")
        : entries("Disclosures", r.disclosures),
      entries("Refusals", r.refusals),
      entries("Openings", r.accesses),
      entries("Reviews", r.reviews),
      csv,
    ]
      .flat(3)
      .filter((c): c is Node => c instanceof Node),
  );
}

export const subjectAccess: Page = async ({ session }) => {
  const result = h("div", { "aria-live": "polite" });
  const error = h("p", { class: "govuk-error-message", id: "reference-error", hidden: true });
  const group = h(
    "div",
    { class: "govuk-form-group" },
    h(
      "label",
      { class: "govuk-label govuk-label--s", for: "reference" },
      "Concern reference or Lantern's id for the child",
    ),
    h(
      "div",
      { class: "govuk-hint", id: "reference-hint" },
      "A concern reference (con_...) finds the child it is about.",
    ),
    error,
    h("input", {
      class: "govuk-input govuk-input--width-30",
      id: "reference",
      name: "reference",
      spellcheck: false,
      "aria-describedby": "reference-hint reference-error",
    }),
  );
  const form = h(
    "form",
    { novalidate: true },
    group,
    h("button", { type: "submit", class: "govuk-button" }, "Find the child"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const reference = String(new FormData(form).get("reference") ?? "").trim();
    void guard(session, async () => {
      const fail = (message: string) => {
        group.classList.add("govuk-form-group--error");
        error.hidden = false;
        error.replaceChildren(h("span", { class: "govuk-visually-hidden" }, "Error: "), message);
        result.replaceChildren();
      };
      try {
        const subjectId = reference ? await subjectOf(reference) : null;
        if (!subjectId) return fail("Enter a concern reference or a child's id that Lantern knows.");
        group.classList.remove("govuk-form-group--error");
        error.hidden = true;
        await report(subjectId, result);
      } catch (problem: unknown) {
        if (problem instanceof ApiProblem && problem.status === 400)
          return fail(problem.errors[0]?.message ?? problem.title);
        throw problem;
      }
    });
  });
  return {
    title: "Subject access",
    content: [heading("Subject access", "Information governance"), form, result],
  };
};

interface Verification {
  valid: boolean;
  eventsChecked: number;
  checkpointsChecked: number;
  problems: { shard: number; seq: number; problem: string; detail: string }[];
}

export const verification: Page = async ({ session }) => {
  const result = h("div", { "aria-live": "polite" });
  const run = h("button", { type: "button", class: "govuk-button" }, "Verify the audit trail");
  run.addEventListener("click", () => {
    result.replaceChildren(para("Checking every event and checkpoint..."));
    void guard(session, async () => {
      const v = await api<Verification>("GET", "/v1/audit/verify");
      result.replaceChildren(
        v.valid
          ? h(
              "div",
              { class: "govuk-panel govuk-panel--confirmation" },
              h("h2", { class: "govuk-panel__title" }, "The audit trail is valid"),
              h(
                "div",
                { class: "govuk-panel__body" },
                `${v.eventsChecked} events and ${v.checkpointsChecked} checkpoints checked`,
              ),
            )
          : h(
              "div",
              {},
              h("h2", { class: "govuk-heading-m lantern-invalid" }, "The audit trail is NOT valid"),
              para(
                `${v.eventsChecked} events and ${v.checkpointsChecked} checkpoints checked. Tell your data protection officer.`,
              ),
              table(
                "Problems found",
                ["Shard", "Event", "Problem"],
                v.problems.map((p) => [String(p.shard), String(p.seq), `${p.problem}: ${p.detail}`]),
              ),
            ),
      );
    });
  });
  return {
    title: "Verify the audit trail",
    content: [
      heading("Verify the audit trail", "Information governance"),
      para(
        "Checks every event's hash and link and every signed checkpoint. An auditor can do the same offline with the export.",
      ),
      run,
      result,
    ],
  };
};
