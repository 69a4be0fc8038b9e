import { ApiProblem, api, apiAll } from "../api.js";
import { button, type Child, h, heading, link, para, summary, table, tag } from "../dom.js";
import type { Page } from "../page.js";
import { guard } from "../shell.js";
import { CONCERN_TYPE_NAMES, name, when } from "../words.js";

/** Information governance: agreements, coverage, reviews, routing, calendars, timeliness, breaches. */

const COVERAGE: Record<string, [string, string]> = {
  covered: ["Covered", "green"],
  expiring: ["Expiring soon", "yellow"],
  partial: ["Partly covered", "orange"],
  not_covered: ["Not covered", "red"],
};

interface Coverage {
  generatedAt: string;
  within: string;
  items: {
    ruleId: string;
    area: string;
    concernTypes: string[];
    unresolved: boolean;
    recipients: {
      recipientId: string;
      status: string;
      uncoveredConcernTypes: string[];
      expiresAt: string | null;
    }[];
  }[];
}

export const coverage: Page = async () => {
  const c = await api<Coverage>("GET", "/v1/agreements/coverage?within=P30D");
  const rows = c.items.flatMap((item) =>
    item.recipients.map((r) => {
      const [text, colour] = COVERAGE[r.status] ?? [r.status, "grey"];
      return [
        item.concernTypes.map((t) => name(CONCERN_TYPE_NAMES, t)).join(", "),
        item.area,
        r.recipientId,
        tag(text, colour),
        r.uncoveredConcernTypes.length > 0
          ? `Not covered: ${r.uncoveredConcernTypes.map((t) => name(CONCERN_TYPE_NAMES, t)).join(", ")}`
          : r.expiresAt
            ? `Expires ${when(r.expiresAt)}`
            : "",
      ] as Child[];
    }),
  );
  const gaps = c.items
    .flatMap((i) => i.recipients)
    .filter((r) => r.status === "not_covered" || r.status === "partial").length;
  return {
    title: "Coverage",
    content: [
      heading("Coverage", "Information governance"),
      para(
        gaps === 0
          ? "Every route the rules make has an agreement in force."
          : `${gaps} route${gaps === 1 ? " has" : "s have"} no agreement, or only part of one: those partners are refused unless an officer breaks glass.`,
      ),
      table(
        "Routes and their agreements, looking 30 days ahead",
        ["Concerns", "Area", "Partner", "Coverage", "Detail"],
        rows,
      ),
    ],
  };
};

interface Version {
  version: number;
  status: string;
  concernTypes: string[];
  dataCategories: string[];
  validFrom: string;
  validTo: string;
  areas: string[];
  ageRange: { min: number; max: number };
}
interface Agreement {
  id: string;
  title: string;
  discloserId: string;
  recipientId: string;
  versions: Version[];
}

const VERSION_STATUS: Record<string, string> = {
  draft: "blue",
  active: "green",
  superseded: "grey",
  suspended: "orange",
  revoked: "red",
};
const current = (a: Agreement) =>
  a.versions.find((v) => v.status === "active") ?? a.versions[a.versions.length - 1];

export const agreements: Page = async () => {
  const items = await apiAll<Agreement>("/v1/agreements");
  return {
    title: "Agreements",
    content: [
      heading("Data-sharing agreements", "Information governance"),
      table(
        "Agreements",
        ["Agreement", "Shared with", "Version in force", "Valid until"],
        items.map((a) => {
          const v = current(a);
          return [
            link(`/ig/agreements/${a.id}`, a.title),
            a.recipientId,
            v ? [`${v.version} `, tag(v.status, VERSION_STATUS[v.status])] : "",
            v ? when(v.validTo) : "",
          ];
        }),
      ),
    ],
  };
};

const MOVES: Record<string, [string, string][]> = {
  draft: [["activate", "Activate"]],
  suspended: [
    ["activate", "Activate again"],
    ["revoke", "Revoke"],
  ],
  active: [
    ["suspend", "Suspend"],
    ["revoke", "Revoke"],
  ],
};

const CONSEQUENCE: Record<string, string> = {
  activate: "Disclosures under this version start now; the version in force before it is superseded.",
  suspend: "Disclosures under this version are refused until it is activated again, even with break glass.",
  revoke: "Disclosures under this version are refused for good. This cannot be undone.",
};

function versionCard(agreementId: string, v: Version, confirm: (move: string, v: Version) => void): Child {
  return h(
    "div",
    { class: "govuk-summary-card" },
    h(
      "div",
      { class: "govuk-summary-card__title-wrapper" },
      h(
        "h2",
        { class: "govuk-summary-card__title" },
        `Version ${v.version} `,
        tag(v.status, VERSION_STATUS[v.status]),
      ),
    ),
    h(
      "div",
      { class: "govuk-summary-card__content" },
      summary([
        ["Concerns", v.concernTypes.map((t) => name(CONCERN_TYPE_NAMES, t)).join(", ")],
        ["Data", v.dataCategories.join(", ").replace(/_/g, " ")],
        ["Ages", `${v.ageRange.min} to ${v.ageRange.max}`],
        ["Areas", v.areas.join(", ")],
        ["Valid", `${when(v.validFrom)} to ${when(v.validTo)}`],
      ]),
      h(
        "div",
        { class: "govuk-button-group" },
        (MOVES[v.status] ?? []).map(([move, text]) =>
          h(
            "button",
            {
              type: "button",
              class: `govuk-button${move === "revoke" ? " govuk-button--warning" : " govuk-button--secondary"}`,
              "data-agreement": agreementId,
              onclick: () => confirm(move, v),
            },
            `${text} version ${v.version}`,
          ),
        ),
      ),
    ),
  );
}

export const agreementPage: Page = async ({ params, session }) => {
  const id = params.id ?? "";
  const region = h("div", {});
  const draw = (a: Agreement) => {
    const confirm = (move: string, v: Version) => {
      const yes = button(`Yes, ${move} version ${v.version}`, {
        type: "button",
        class: `govuk-button${move === "revoke" ? " govuk-button--warning" : ""}`,
      });
      const no = h(
        "button",
        { type: "button", class: "govuk-button govuk-button--secondary" },
        "No, go back",
      );
      yes.addEventListener("click", () => {
        void guard(session, async () => {
          try {
            draw(
              await api<Agreement>(
                "POST",
                `/v1/agreements/${encodeURIComponent(a.id)}/versions/${v.version}/${move}`,
              ),
            );
          } catch (error: unknown) {
            if (!(error instanceof ApiProblem) || error.status !== 409) throw error;
            region.prepend(
              h(
                "div",
                { class: "govuk-error-summary", role: "alert" },
                h("h2", { class: "govuk-error-summary__title" }, "That cannot be done"),
                para(error.detail || error.title),
              ),
            );
          }
        });
      });
      no.addEventListener("click", () => draw(a));
      region.replaceChildren(
        h(
          "h2",
          { class: "govuk-heading-m" },
          `Are you sure you want to ${move} version ${v.version} of ${a.title}?`,
        ),
        para(CONSEQUENCE[move] ?? ""),
        h("div", { class: "govuk-button-group" }, yes, no),
      );
      yes.focus();
    };
    region.replaceChildren(
      ...[
        para(
          `Shared by ${a.discloserId} with ${a.recipientId}. A version, once active, never changes: changes are a new draft version.`,
        ),
        [...a.versions].reverse().map((v) => versionCard(a.id, v, confirm)),
      ]
        .flat(3)
        .filter((c): c is Node => c instanceof Node),
    );
  };
  const agreement = await api<Agreement>("GET", `/v1/agreements/${encodeURIComponent(id)}`);
  draw(agreement);
  return {
    title: agreement.title,
    content: [
      heading(agreement.title, "Data-sharing agreement"),
      region,
      para(link("/ig/agreements", "All agreements")),
    ],
  };
};
