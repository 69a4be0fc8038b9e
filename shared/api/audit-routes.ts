import { AUTH_ERRORS, CACHEABLE } from "./common.js";
import type { RouteSpec } from "./routes.js";
import {
  AuditEventSchema,
  AuditQuerySchema,
  BreakGlassReviewSchema,
  CheckpointCreatedSchema,
  CheckpointListSchema,
  CheckpointQuerySchema,
  ExportQuerySchema,
  FindingSchema,
  IdParamsSchema,
  JwksSchema,
  page,
  ReviewQuerySchema,
  SubjectParamsSchema,
  SubjectReportSchema,
  VerificationSchema,
  VerifyQuerySchema,
} from "./schemas.js";

/** Information governance: query, export and verify the trail, checkpoints, subject reports, reviews. */
export const auditRoutes = [
  {
    operationId: "queryAuditEvents",
    method: "GET",
    path: "/v1/audit/events",
    group: "audit",
    scope: "audit:read",
    summary: "Query audit events, oldest first",
    description:
      "Filters are served by indexes, never a table scan. `partnerId` matches events whose recipient or actor is that partner. Every answer is itself audited first, as `audit_queried` with the filters as a query string in `reason`; `from` after `to` is a 400, and a time-only range is read from the trail's first day to today at most.",
    tags: ["Audit"],
    query: AuditQuerySchema,
    responses: {
      200: { description: "A page of audit events.", schema: page(AuditEventSchema, "AuditEventPage") },
    },
    errors: [400, ...AUTH_ERRORS],
  },
  {
    operationId: "exportAudit",
    method: "GET",
    path: "/v1/audit/export",
    group: "audit",
    scope: "audit:read",
    summary:
      "Export the audit trail as JSON Lines, shard by shard in seq order, 10,000 events a page (follow the Link header); audited as audit_exported",
    tags: ["Audit"],
    query: ExportQuerySchema,
    responses: {
      200: {
        description:
          "One audit event per line (`application/x-ndjson`), or with `format=fhir` one FHIR R4 AuditEvent per line " +
          "(`application/fhir+ndjson`). Each schema here describes one line.",
        contentType: "application/x-ndjson",
        schema: AuditEventSchema,
        also: [
          {
            contentType: "application/fhir+ndjson",
            jsonSchema: {
              type: "object",
              description: "A FHIR R4 AuditEvent resource (IHE BALP).",
              required: ["resourceType"],
              properties: { resourceType: { const: "AuditEvent" } },
            },
          },
        ],
        headers: {
          Link: {
            description:
              'The next page, `</v1/audit/export?format=...&cursor=...>; rel="next"`; absent on the last page.',
          },
          "X-Next-Cursor": {
            description: "The next page's cursor (the same as in Link); absent on the last page.",
          },
        },
      },
    },
    errors: [400, ...AUTH_ERRORS],
  },
  {
    operationId: "verifyAudit",
    method: "GET",
    path: "/v1/audit/verify",
    group: "audit",
    scope: "audit:read",
    summary:
      "Verify the audit trail: every event's hash and link, every checkpoint's signature and link, every checkpointed head",
    tags: ["Audit"],
    query: VerifyQuerySchema,
    responses: { 200: { description: "The verification result.", schema: VerificationSchema } },
    errors: [400, ...AUTH_ERRORS],
  },
  {
    operationId: "listCheckpoints",
    method: "GET",
    path: "/v1/audit/checkpoints",
    group: "audit",
    scope: "audit:read",
    summary: "Signed checkpoints, oldest first, every checkpoint since the first",
    tags: ["Audit"],
    query: CheckpointQuerySchema,
    responses: { 200: { description: "A page of checkpoints.", schema: CheckpointListSchema } },
    errors: [400, ...AUTH_ERRORS],
  },
  {
    operationId: "createCheckpoint",
    method: "POST",
    path: "/v1/audit/checkpoints",
    group: "audit",
    scope: "audit:checkpoint",
    summary: "Sign a checkpoint of every shard's head now",
    tags: ["Audit"],
    responses: { 201: { description: "The checkpoint.", schema: CheckpointCreatedSchema } },
    errors: AUTH_ERRORS,
  },
  {
    operationId: "checkpointKeys",
    method: "GET",
    path: "/v1/audit/keys",
    group: "audit",
    scope: null,
    summary: "The JWKS of every key that has signed a checkpoint (public, for offline verification)",
    tags: ["Audit"],
    responses: { 200: { description: "A JSON Web Key Set.", schema: JwksSchema, headers: CACHEABLE } },
    errors: [],
  },
  {
    operationId: "subjectReport",
    method: "GET",
    path: "/v1/audit/subjects/{subjectId}",
    group: "audit",
    scope: "audit:read",
    summary:
      "Subject-access report: every disclosure about one child, to whom, when, which categories, under which agreement (JSON, or CSV with Accept: text/csv)",
    tags: ["Audit"],
    params: SubjectParamsSchema,
    responses: {
      200: {
        description:
          "The report (audited as audit_exported): JSON, or CSV when the request accepts text/csv.",
        schema: SubjectReportSchema,
        also: [{ contentType: "text/csv; charset=utf-8", jsonSchema: { type: "string" } }],
      },
    },
    errors: [...AUTH_ERRORS],
  },
  {
    operationId: "listReviews",
    method: "GET",
    path: "/v1/audit/reviews",
    group: "audit",
    scope: "audit:read",
    summary: "The break-glass review queue, oldest first",
    tags: ["Audit"],
    query: ReviewQuerySchema,
    responses: {
      200: {
        description: "A page of break-glass disclosures.",
        schema: page(BreakGlassReviewSchema, "BreakGlassReviewPage"),
      },
    },
    errors: [400, ...AUTH_ERRORS],
  },
  {
    operationId: "readReview",
    method: "GET",
    path: "/v1/audit/reviews/{id}",
    group: "audit",
    scope: "audit:read",
    summary: "One break-glass disclosure and its review",
    tags: ["Audit"],
    params: IdParamsSchema,
    responses: { 200: { description: "The review.", schema: BreakGlassReviewSchema } },
    errors: [...AUTH_ERRORS, 404],
  },
  {
    operationId: "recordReviewFinding",
    method: "POST",
    path: "/v1/audit/reviews/{id}",
    group: "audit",
    scope: "audit:review",
    summary: "Mark a break-glass disclosure reviewed, with a finding (audited as break_glass_reviewed)",
    tags: ["Audit"],
    params: IdParamsSchema,
    body: FindingSchema,
    responses: { 200: { description: "The review.", schema: BreakGlassReviewSchema } },
    errors: [400, ...AUTH_ERRORS, 404, 409, 413, 415],
  },
] as const satisfies readonly RouteSpec[];
