import type { AuditEvent } from "../domain/audit.js";
import { toFhirAuditEvent } from "../domain/fhir.js";
import type { AuditAction } from "../domain/vocabulary.js";
import { validationFailed } from "../errors.js";
import type { AuditQuery, AuditStore, Clock, Ids, NotificationStore, Page } from "../ports.js";
import { type Caller, callerEvent } from "./context.js";

export interface AuditDeps {
  clock: Clock;
  ids: Ids;
  audit: AuditStore;
  notifications: NotificationStore;
}

/**
 * Auditors' reads are audited too: every answer writes one `audit_queried` event, before the
 * read, with the filters as a query string in `reason`. The filters are ids, codes and times
 * (the schema refuses free text), so the event carries no personal data.
 */
export async function queryEvents(
  deps: AuditDeps,
  caller: Caller,
  filter: AuditQuery,
  cursor: string | undefined,
  limit: number,
): Promise<Page<AuditEvent>> {
  assertRange(filter.from, filter.to);
  await deps.notifications.audit([
    callerEvent(deps, caller, "audit_queried", { reason: filterString(filter) }),
  ]);
  return deps.audit.query(filter, cursor, limit);
}

/** The filters in a stable order, as a query string: `concernId=con_1&from=...`. */
function filterString(filter: AuditQuery): string {
  const entries = Object.entries(filter)
    .filter((e): e is [string, string] => typeof e[1] === "string")
    .sort(([a], [b]) => a.localeCompare(b));
  return new URLSearchParams(entries).toString();
}

/** A time range whose start is after its end matches nothing by mistake: say so instead. */
export function assertRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) {
    throw validationFailed([{ path: "/from", message: "must not be after `to`" }]);
  }
}

/** Reading the trail out of the hub is itself recorded, before anything is read. */
async function recordExport(
  deps: AuditDeps,
  caller: Caller,
  target: { kind: string; id: string },
  subjectId: string | null = null,
) {
  await deps.notifications.audit([callerEvent(deps, caller, "audit_exported", { subjectId, target })]);
}

/**
 * Every event in chain order, shard by shard, read a page at a time. `after(shard)` says
 * where each shard starts (the seq before the first wanted), or null to skip the shard.
 */
export async function* chainOrder(
  audit: AuditStore,
  after: (shard: number) => number | null = () => 0,
): AsyncIterable<AuditEvent> {
  for (let shard = 0; shard < audit.shardCount(); shard++) {
    const start = after(shard);
    if (start === null) continue;
    for await (const page of audit.readShard(shard, start)) yield* page;
  }
}

/** Events per export response: large trails come in pages, so memory stays flat. */
export const EXPORT_PAGE_EVENTS = 10_000;

export interface ExportPosition {
  shard: number;
  seq: number;
}

/**
 * Export the trail as JSON Lines in chain order (`json`), or the disclosures as FHIR R4
 * AuditEvent resources shaped as IHE BALP PrivacyDisclosure (`fhir`), at most
 * EXPORT_PAGE_EVENTS events a response; `next` says where the following page starts. Every
 * page is audited before it is read (a cursor cannot take the trail out unrecorded), so the
 * export holds the record of its own making.
 */
export async function exportEvents(
  deps: AuditDeps,
  caller: Caller,
  format: "json" | "fhir",
  from: ExportPosition | undefined,
  pageEvents = EXPORT_PAGE_EVENTS,
): Promise<{ text: string; next: ExportPosition | null }> {
  await recordExport(deps, caller, { kind: "audit_trail", id: format });
  const lines: string[] = [];
  let read = 0;
  const after = (shard: number) => (!from || shard > from.shard ? 0 : shard === from.shard ? from.seq : null);
  for await (const event of chainOrder(deps.audit, after)) {
    if (read === pageEvents)
      return { text: joinLines(lines), next: { shard: event.shard, seq: event.seq - 1 } };
    read += 1;
    const line = format === "json" ? event : toFhirAuditEvent(event);
    if (line) lines.push(JSON.stringify(line));
  }
  return { text: joinLines(lines), next: null };
}

const joinLines = (lines: string[]) => (lines.length > 0 ? `${lines.join("\n")}\n` : "");

/** The sections of a subject-access report, in the order the report lists them. */
const REPORT_SECTIONS = ["disclosures", "refusals", "accesses", "reviews", "recalls", "erasures"] as const;
type ReportSection = (typeof REPORT_SECTIONS)[number];

/**
 * Where each audit action goes in a subject-access report. A Record, so a new action without
 * a place here fails the type check instead of silently dropping out of the report. null: the
 * event tells nothing about what was shared about a child (registry changes, auditors' reads,
 * a breach decision, which the recall or review it follows already reports).
 */
const REPORT_SECTION: Record<AuditAction, ReportSection | null> = {
  disclosure: "disclosures",
  break_glass_disclosure: "disclosures",
  disclosure_refused: "refusals",
  disclosure_withheld: "refusals",
  notification_opened: "accesses",
  notification_acknowledged: "accesses",
  outcome_recorded: "accesses",
  deadline_missed: "accesses",
  break_glass_reviewed: "reviews",
  disclosure_recalled: "recalls",
  content_erased: "erasures",
  agreement_changed: null,
  partner_changed: null,
  routing_changed: null,
  audit_exported: null,
  audit_queried: null,
  breach_decided: null,
};

export interface SubjectReportEntry {
  at: string;
  action: AuditAction;
  recipientId: string | null;
  dataCategories: string[] | null;
  agreement: { id: string; version: number } | null;
  purpose: string | null;
  lawfulBasis: string[] | null;
  reason: string | null;
  concernId: string | null;
  notificationId: string | null;
  actorPartnerId: string | null;
  payloadSha256: string | null;
}

function entry(e: AuditEvent): SubjectReportEntry {
  return {
    at: e.at,
    action: e.action,
    recipientId: e.recipientId,
    dataCategories: e.dataCategories,
    agreement: e.agreement,
    purpose: e.purpose,
    lawfulBasis: e.lawfulBasis,
    reason: e.reason,
    concernId: e.concernId,
    notificationId: e.notificationId,
    actorPartnerId: e.actor.partnerId,
    payloadSha256: e.payloadSha256,
  };
}

/**
 * The subject-access report: who was told what about one child, when, under which agreement
 * and lawful basis; the refusals and break-glass disclosures; and every opening,
 * acknowledgement and outcome of what was told. Read through the subject index, oldest first.
 */
export async function subjectReport(deps: AuditDeps, caller: Caller, subjectId: string) {
  await recordExport(deps, caller, { kind: "subject_access_report", id: subjectId }, subjectId);
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.audit.query({ subjectId }, cursor, 100);
    events.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const sections = Object.fromEntries(REPORT_SECTIONS.map((s) => [s, [] as SubjectReportEntry[]])) as Record<
    ReportSection,
    SubjectReportEntry[]
  >;
  for (const e of events) {
    const section = REPORT_SECTION[e.action];
    if (section) sections[section].push(entry(e));
  }
  return { subjectId, generatedAt: deps.clock.now().toISOString(), ...sections };
}

const CSV_COLUMNS: (keyof SubjectReportEntry)[] = [
  "at",
  "action",
  "recipientId",
  "dataCategories",
  "agreement",
  "purpose",
  "lawfulBasis",
  "reason",
  "concernId",
  "notificationId",
  "actorPartnerId",
  "payloadSha256",
];

/** One CSV cell: lists joined with "; ", quoted, and formula-like text defused for spreadsheets. */
function cell(value: SubjectReportEntry[keyof SubjectReportEntry]): string {
  let text = "";
  if (Array.isArray(value)) text = value.join("; ");
  else if (value && typeof value === "object") text = `${value.id} v${value.version}`;
  else if (value !== null) text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export function subjectReportCsv(report: Awaited<ReturnType<typeof subjectReport>>): string {
  const rows = REPORT_SECTIONS.flatMap((section) => report[section]).sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : 0,
  );
  const lines = [CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
