import { ApiProblem, api, apiAll } from "../api.js";
import { type Child, h, heading, link, para, summary, svg, table } from "../dom.js";
import type { Page } from "../page.js";
import { CONCERN_TYPE_NAMES, duration, name, timeLeft, when } from "../words.js";

/** Information governance: routing rules, calendars, timeliness and breaches. */

interface Rule {
  id: string;
  concernTypes: string[];
  recipient: Record<string, unknown>;
  due: Record<string, unknown>;
  dataCategories: string[];
}

/** "PT4H" as "4 hours": ISO 8601 durations in words. */
function isoWords(value: unknown): string {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(String(value));
  if (!m) return String(value);
  const [, d, hh, mm] = m;
  return [d && `${d} days`, hh && `${hh} hours`, mm && `${mm} minutes`].filter(Boolean).join(" ");
}

function recipientWords(r: Record<string, unknown>): string {
  if (r.resolve === "subject_school") return "The child's school";
  if (r.resolve === "area") return `The area's ${String(r.type ?? "partner").replace(/_/g, " ")}`;
  return String(r.partnerId ?? r.id ?? Object.values(r).join(" "));
}

function dueWords(d: Record<string, unknown>): string {
  const hours = d.workingHours ? " (working hours)" : "";
  if (d.kind === "next_school_day") return `Next school day, ${String(d.at ?? "")}`;
  if (d.kind === "by_risk")
    return `Red ${isoWords(d.red)}, amber ${isoWords(d.amber)}, green ${isoWords(d.green)}${hours}`;
  if (d.kind === "after") return `${isoWords(d.duration ?? d.after)}${hours}`;
  return Object.values(d).map(String).join(" ");
}

export const routingRules: Page = async () => {
  const set = await api<{ rules: Rule[] } & Record<string, unknown>>("GET", "/v1/routing-rules");
  const rules = set.rules ?? [];
  const areas = ["essex", "southend"];
  return {
    title: "Routing rules",
    content: [
      heading("Routing rules", "Information governance"),
      table(
        "Rules in force",
        ["Rule", "Concerns", "Recipient", "Due", "Data"],
        rules.map((r) => [
          r.id,
          r.concernTypes.map((t) => name(CONCERN_TYPE_NAMES, t)).join(", "),
          recipientWords(r.recipient),
          dueWords(r.due ?? {}),
          (r.dataCategories ?? []).join(", "),
        ]),
      ),
      h("h2", { class: "govuk-heading-m" }, "Calendars"),
      h(
        "ul",
        { class: "govuk-list" },
        areas.map((a) => h("li", {}, link(`/ig/calendars/${a}`, `Calendar for ${a}`))),
      ),
    ],
  };
};

export const calendarPage: Page = async ({ params }) => {
  const c = await api<{
    area: string;
    holidays: string[];
    schoolHolidays: string[];
    workingHours: { start: string; end: string };
  }>("GET", `/v1/calendars/${encodeURIComponent(params.area ?? "")}`);
  return {
    title: `Calendar for ${c.area}`,
    content: [
      heading(`Calendar for ${c.area}`, "Information governance"),
      summary([
        ["Working hours", `${c.workingHours.start} to ${c.workingHours.end}`],
        ["Bank holidays", c.holidays.length > 0 ? c.holidays.join(", ") : "None"],
        ["School holidays", c.schoolHolidays.length > 0 ? c.schoolHolidays.join(", ") : "None"],
      ]),
      para(link("/ig/routing", "Routing rules")),
    ],
  };
};

interface TimelinessRow {
  recipientId: string;
  concernType: string;
  notifications: number;
  acknowledgedInTime: number;
  acknowledgedLate: number;
  overdue: number;
  medianSecondsToAcknowledge: number | null;
  p90SecondsToAcknowledge: number | null;
}

/** One bar per partner: in time, late, overdue, out of all its notifications. */
function chart(rows: TimelinessRow[]): Child {
  const byPartner = new Map<string, { total: number; inTime: number; late: number; overdue: number }>();
  for (const r of rows) {
    const p = byPartner.get(r.recipientId) ?? { total: 0, inTime: 0, late: 0, overdue: 0 };
    p.total += r.notifications;
    p.inTime += r.acknowledgedInTime;
    p.late += r.acknowledgedLate;
    p.overdue += r.overdue;
    byPartner.set(r.recipientId, p);
  }
  const partners = [...byPartner.entries()];
  const width = 600;
  const bar = 24;
  return svg(
    "svg",
    {
      class: "lantern-chart",
      viewBox: `0 0 ${width} ${partners.length * 56 + 10}`,
      "aria-hidden": "true",
      focusable: "false",
    },
    partners.map(([partner, p], i) => {
      const y = i * 56 + 22;
      const scale = (n: number) => (p.total === 0 ? 0 : (n / p.total) * width);
      return [
        svg("text", { x: 0, y: y - 6, "font-size": 14 }, `${partner} (${p.total})`),
        svg("rect", { class: "lantern-bar-track", x: 0, y, width, height: bar }),
        svg("rect", { class: "lantern-bar-in-time", x: 0, y, width: scale(p.inTime), height: bar }),
        svg("rect", { class: "lantern-bar-late", x: scale(p.inTime), y, width: scale(p.late), height: bar }),
        svg("rect", {
          class: "lantern-bar-overdue",
          x: scale(p.inTime + p.late),
          y,
          width: scale(p.overdue),
          height: bar,
        }),
      ];
    }),
  );
}

export const timeliness: Page = async () => {
  const to = new Date();
  const from = new Date(to.getTime() - 30 * 24 * 3600 * 1000);
  const t = await api<{ items: TimelinessRow[] }>(
    "GET",
    `/v1/metrics/timeliness?from=${from.toISOString()}&to=${to.toISOString()}`,
  );
  const legend = (cls: string, text: string) =>
    h(
      "li",
      {},
      svg(
        "svg",
        { class: "lantern-legend-swatch", viewBox: "0 0 12 12", "aria-hidden": "true" },
        svg("rect", { class: cls, width: 12, height: 12 }),
      ),
      text,
    );
  return {
    title: "Timeliness",
    content: [
      heading("Timeliness by partner", "Information governance"),
      para(
        `Notifications created in the last 30 days (${when(from.toISOString())} to ${when(to.toISOString())}).`,
      ),
      t.items.length === 0
        ? para("No notifications in this period.")
        : [
            chart(t.items),
            h(
              "ul",
              { class: "govuk-list" },
              legend("lantern-bar-in-time", "Acknowledged in time"),
              legend("lantern-bar-late", "Acknowledged late"),
              legend("lantern-bar-overdue", "Overdue"),
            ),
          ],
      table(
        "Timeliness by partner and kind of concern",
        [
          "Partner",
          "Concern",
          "Notifications",
          "In time",
          "Late",
          "Overdue",
          "Median to acknowledge",
          "90th percentile",
        ],
        t.items.map((r) => [
          r.recipientId,
          name(CONCERN_TYPE_NAMES, r.concernType),
          String(r.notifications),
          String(r.acknowledgedInTime),
          String(r.acknowledgedLate),
          String(r.overdue),
          duration(r.medianSecondsToAcknowledge),
          duration(r.p90SecondsToAcknowledge),
        ]),
      ),
    ],
  };
};

interface Breach {
  id: string;
  openedAt: string;
  decideBy?: string;
  status?: string;
  recipientId?: string;
}

export const breaches: Page = async () => {
  let items: Breach[];
  try {
    items = await apiAll<Breach>("/v1/breaches");
  } catch (error: unknown) {
    if (error instanceof ApiProblem && error.status === 404)
      return {
        title: "Breaches",
        content: [
          heading("Breaches", "Information governance"),
          para("This hub does not record breaches yet."),
        ],
      };
    throw error;
  }
  return {
    title: "Breaches",
    content: [
      heading("Breaches", "Information governance"),
      para(
        "A personal data breach must be reported to the ICO within 72 hours of becoming aware of it, unless it is unlikely to harm anyone.",
      ),
      items.length === 0
        ? para("There are no breaches.")
        : table(
            "Breaches",
            ["Opened", "Partner", "Decide by", "Status"],
            items.map((b) => [
              when(b.openedAt),
              b.recipientId ?? "",
              b.decideBy ? `${when(b.decideBy)} (${timeLeft(b.decideBy).toLowerCase()})` : "",
              b.status ?? "",
            ]),
          ),
    ],
  };
};
