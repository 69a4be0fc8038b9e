import { decodeCursor, encodeCursor } from "../shared/adapters/dynamodb/cursor.js";
import { auditGroup } from "../shared/api/groups/audit.js";
import {
  assertRange,
  type ExportPosition,
  exportEvents,
  queryEvents,
  subjectReport,
  subjectReportCsv,
} from "../shared/app/audit.js";
import { decideBreach, listBreaches, readBreach, recallNotification } from "../shared/app/breaches.js";
import { checkpointNow, listCheckpoints, verifyTrail } from "../shared/app/checkpoints.js";
import { listReviews, readReview, recordFinding } from "../shared/app/reviews.js";
import { timelinessFigures } from "../shared/app/timeliness.js";
import { createHttpHandler } from "../shared/http/lambda.js";
import { requestCheckpointsWith, signCheckpointsWith, wired } from "./wiring.js";

// Loaded on first use (a checkpoint's keys, a verification, a checkpoint request), not at init.
signCheckpointsWith(() => import("../shared/adapters/signing/kms-signer.js"));
requestCheckpointsWith(() => import("../shared/adapters/lambda/checkpoint-requester.js"));
const w = wired();
const isExportPosition = (v: unknown): v is ExportPosition =>
  Number.isInteger((v as ExportPosition | null)?.shard) &&
  Number.isInteger((v as ExportPosition | null)?.seq);
const utc = (at: string | undefined) => (at === undefined ? undefined : new Date(at).toISOString());

/** Lambda entry point for information governance: query, export and verify the audit trail. */
export const handler = createHttpHandler(
  auditGroup,
  {
    async recallNotification({ caller, params, body }) {
      return { status: 200, body: await recallNotification(w, caller, params.id, body.reason, body.note) };
    },
    async listBreaches({ query }) {
      return { status: 200, body: await listBreaches(w, query.status, query.cursor, query.limit ?? 25) };
    },
    async readBreach({ params }) {
      return { status: 200, body: await readBreach(w, params.id) };
    },
    async decideBreach({ caller, params, body }) {
      return {
        status: 200,
        body: await decideBreach(w, caller, params.id, body.decision, body.reference, body.rationale),
      };
    },
    async queryAuditEvents({ caller, query }) {
      const { cursor, limit, from, to, ...filter } = query;
      return {
        status: 200,
        body: await queryEvents(w, caller, { ...filter, from: utc(from), to: utc(to) }, cursor, limit ?? 50),
      };
    },
    async exportAudit({ caller, query, sealCursor }) {
      const format = query.format ?? "json";
      const contentType = format === "fhir" ? "application/fhir+ndjson" : "application/x-ndjson";
      const from = decodeCursor(query.cursor, isExportPosition);
      const page = await exportEvents(w, caller, format, from);
      const headers: Record<string, string> = {};
      if (page.next) {
        // The next page's query is this one's, so its cursor opens there.
        const cursor = await sealCursor(encodeCursor(page.next));
        const formatParam = query.format ? `format=${query.format}&` : "";
        headers.Link = `</v1/audit/export?${formatParam}cursor=${cursor}>; rel="next"`;
        headers["X-Next-Cursor"] = cursor;
      }
      return { status: 200, text: { contentType, body: page.text }, headers };
    },
    async verifyAudit({ query }) {
      return { status: 200, body: await verifyTrail(w, query.since) };
    },
    async listCheckpoints({ query }) {
      return { status: 200, body: await listCheckpoints(w, query.cursor, query.limit ?? 100) };
    },
    async createCheckpoint() {
      // The checkpointer writes it (the only writer of checkpoint rows); this function asks.
      return { status: 201, body: await checkpointNow(w.checkpointRequester) };
    },
    async checkpointKeys() {
      return {
        status: 200,
        body: await w.signer.publicKeys(),
        headers: { "Cache-Control": "public, max-age=300" },
      };
    },
    async subjectReport({ caller, params, headers }) {
      const report = await subjectReport(w, caller, params.subjectId);
      if ((headers.accept ?? "").toLowerCase().includes("text/csv")) {
        return {
          status: 200,
          text: { contentType: "text/csv; charset=utf-8", body: subjectReportCsv(report) },
        };
      }
      return { status: 200, body: report };
    },
    async timelinessFigures({ query }) {
      assertRange(query.from, query.to);
      const figures = await timelinessFigures(w, utc(query.from) as string, utc(query.to) as string);
      return { status: 200, body: figures };
    },
    async listReviews({ query }) {
      return { status: 200, body: await listReviews(w, query.status, query.cursor, query.limit ?? 25) };
    },
    async readReview({ params }) {
      return { status: 200, body: await readReview(w, params.id) };
    },
    async recordReviewFinding({ caller, params, body }) {
      return { status: 200, body: await recordFinding(w, caller, params.id, body.finding, body.note) };
    },
  },
  w.http,
);
