import { exportEvents, queryEvents, verifyTrail } from "../shared/app/audit.js";
import { listReviews, readReview, recordFinding } from "../shared/app/reviews.js";
import { createHttpHandler } from "../shared/http/lambda.js";
import { wired } from "./wiring.js";

/** Lambda entry point for information governance: query, export and verify the audit trail. */
const w = wired();
const deps = { clock: w.clock, ids: w.ids, audit: w.audit, notifications: w.concerns, reviews: w.concerns };
const utc = (at: string | undefined) => (at === undefined ? undefined : new Date(at).toISOString());

export const handler = createHttpHandler<
  "queryAuditEvents" | "exportAudit" | "verifyAudit" | "listReviews" | "readReview" | "recordReviewFinding"
>(
  {
    async queryAuditEvents({ query }) {
      const { cursor, limit, from, to, ...filter } = query;
      return {
        status: 200,
        body: await queryEvents(deps, { ...filter, from: utc(from), to: utc(to) }, cursor, limit ?? 50),
      };
    },
    async exportAudit({ caller }) {
      return {
        status: 200,
        text: { contentType: "application/x-ndjson", body: await exportEvents(deps, caller) },
      };
    },
    async verifyAudit() {
      return { status: 200, body: await verifyTrail(deps) };
    },
    async listReviews({ query }) {
      return { status: 200, body: await listReviews(deps, query.status, query.cursor, query.limit ?? 25) };
    },
    async readReview({ params }) {
      return { status: 200, body: await readReview(deps, params.id) };
    },
    async recordReviewFinding({ caller, params, body }) {
      return { status: 200, body: await recordFinding(deps, caller, params.id, body.finding, body.note) };
    },
  },
  w.http,
);
