import type { z } from "zod";
import { ConcernSubmissionSchema } from "../domain/concern.js";
import { MAX_IDEMPOTENCY_KEY_LENGTH } from "../http/request.js";
import { AUTH_ERRORS } from "./common.js";
import { lifecycleRoutes } from "./lifecycle-routes.js";
import { registryRoutes } from "./registry-routes.js";
import {
  AuditEventSchema,
  AuditQuerySchema,
  BreakGlassReviewSchema,
  CheckpointCreatedSchema,
  CheckpointListSchema,
  CheckpointQuerySchema,
  ConcernReceiptSchema,
  ConcernViewSchema,
  EmptyBodySchema,
  ExportQuerySchema,
  FindingSchema,
  HealthSchema,
  IdParamsSchema,
  InboxQuerySchema,
  JwksSchema,
  NotificationSchema,
  OutcomeRequestSchema,
  page,
  ReviewQuerySchema,
  SubjectParamsSchema,
  SubjectReportSchema,
  VerificationSchema,
  VerifyQuerySchema,
} from "./schemas.js";
import { timelinessRoutes } from "./timeliness-routes.js";

/**
 * The route table: the one source that the Lambda handlers, the local server, the OpenAPI
 * document and the CDK API all derive from. A route names its handler by `operationId`;
 * the implementation lives with the function of its `group` (one Lambda per group).
 */

export const SCOPES = {
  "concerns:submit": "Submit a concern as the caller's partner",
  "concerns:read": "Read concerns the caller's partner submitted, with their routing outcome",
  "notifications:read": "List and open the caller's partner's own notifications",
  "notifications:respond": "Acknowledge a notification, record its outcome",
  "agreements:read": "Read agreements (any registered partner's client)",
  "agreements:manage":
    "Create, version and change the status of agreements (governance partners' clients only)",
  "partners:read": "Read partners (any registered partner's client)",
  "partners:manage":
    "Register and change partners, their client ids and `governance` (governance partners' clients only)",
  "routing:read": "Read the routing rules and calendars (any registered partner's client)",
  "routing:manage": "Replace the routing rules (implies routing:read; governance partners' clients only)",
  "audit:read":
    "Read, export and verify the audit trail; read the break-glass review queue (governance partners' clients only)",
  "audit:review":
    "Mark a break-glass disclosure reviewed, with a finding, never one's own; recall a disclosure; decide a breach (governance partners' clients only)",
  "audit:checkpoint": "Ask for a checkpoint now (governance partners' clients only)",
} as const;
export type Scope = keyof typeof SCOPES;

export type Group = "concerns" | "notifications" | "registry" | "audit" | "public";

/** A response header the hub sets; `required` when it is on every such response. */
export interface HeaderSpec {
  description: string;
  required?: boolean;
  /** The header value's JSON Schema; a plain string unless given. */
  schema?: Record<string, unknown>;
}

/** Another representation of the same response (e.g. CSV beside JSON), chosen by the request. */
export interface MediaSpec {
  contentType: string;
  schema?: z.ZodType;
  /** For a body no zod schema of ours describes (a FHIR resource per line). */
  jsonSchema?: Record<string, unknown>;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** For a JSON Lines type, `schema` describes each line. */
  contentType?: string;
  also?: MediaSpec[];
  headers?: Record<string, HeaderSpec>;
}

// Literal (satisfies, not a type annotation), so a handler that leaves out a required header
// fails the type check (shared/api/operations.ts).
const LOCATION = {
  Location: { description: "The path of what was created.", required: true },
} as const satisfies Record<string, HeaderSpec>;
const CACHEABLE = {
  "Cache-Control": { description: "`public, max-age=300`: key sets change rarely.", required: true },
} as const satisfies Record<string, HeaderSpec>;

export interface RouteSpec {
  operationId: string;
  method: "GET" | "POST" | "PUT" | "PATCH";
  path: string;
  group: Group;
  /** null: public (health, the OpenAPI document, key sets). */
  scope: Scope | null;
  summary: string;
  description?: string;
  tags: string[];
  params?: z.ZodType;
  query?: z.ZodType;
  /** The JSON body, validated strictly. */
  body?: z.ZodType;
  /** A body that may be omitted altogether (acknowledge). */
  bodyOptional?: boolean;
  /** Request headers the route reads (strings; at most `maxLength` characters, 255 unless given). */
  headers?: { name: string; description: string; maxLength?: number }[];
  responses: Record<number, ResponseSpec>;
  /** Error statuses this route can answer, each as problem+json. */
  errors: number[];
}

export const routes = [
  {
    operationId: "submitConcern",
    method: "POST",
    path: "/v1/concerns",
    group: "concerns",
    scope: "concerns:submit",
    summary: "Submit a safeguarding concern",
    description:
      "Routes the concern, checks every disclosure against the recipient's data-sharing agreement, minimises each " +
      "payload to the granted categories, and commits the concern, its notifications and audit events atomically. " +
      "A submission that would write more than one transaction's 100 records (configuration is bounded when set, " +
      "so only two registry changes racing can cause it) is refused whole with 409 `transaction-limit`, nothing written.",
    tags: ["Concerns"],
    body: ConcernSubmissionSchema,
    headers: [
      {
        name: "Idempotency-Key",
        maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
        description:
          "Optional, up to 255 characters (a longer key is refused with 400, never cut short; an empty one is none). The same key with the same body answers the first response for 24 hours and creates nothing new; with another body, 409.",
      },
    ],
    responses: {
      201: {
        description: "The concern was received and routed.",
        schema: ConcernReceiptSchema,
        headers: LOCATION,
      },
    },
    errors: [400, ...AUTH_ERRORS, 409, 413, 415, 503],
  },
  {
    operationId: "readConcern",
    method: "GET",
    path: "/v1/concerns/{id}",
    group: "concerns",
    scope: "concerns:read",
    summary: "Read a concern your partner submitted, with where each notification stands",
    tags: ["Concerns"],
    params: IdParamsSchema,
    responses: { 200: { description: "The concern.", schema: ConcernViewSchema } },
    errors: [...AUTH_ERRORS, 404],
  },
  {
    operationId: "listNotifications",
    method: "GET",
    path: "/v1/notifications",
    group: "notifications",
    scope: "notifications:read",
    summary: "List your partner's notifications, newest first (without payloads)",
    tags: ["Notifications"],
    query: InboxQuerySchema,
    responses: {
      200: { description: "A page of notifications.", schema: page(NotificationSchema, "NotificationPage") },
    },
    errors: [400, ...AUTH_ERRORS],
  },
  {
    operationId: "openNotification",
    method: "GET",
    path: "/v1/notifications/{id}",
    group: "notifications",
    scope: "notifications:read",
    summary: "Open a notification with its minimised payload (audited as notification_opened)",
    tags: ["Notifications"],
    params: IdParamsSchema,
    description:
      "The agreement the notification cites is checked again at every opening: the payload shows only the categories its " +
      "active version grants now. 403 `disclosure_withdrawn` (audited as disclosure_refused) while it does not; 410 " +
      "`disclosure_recalled` once recalled. A break-glass notification opens until recalled or erased.",
    responses: { 200: { description: "The notification with its payload.", schema: NotificationSchema } },
    errors: [...AUTH_ERRORS, 404, 410],
  },
  {
    operationId: "acknowledgeNotification",
    method: "POST",
    path: "/v1/notifications/{id}/acknowledge",
    group: "notifications",
    scope: "notifications:respond",
    summary: "Acknowledge a notification (idempotent)",
    tags: ["Notifications"],
    params: IdParamsSchema,
    body: EmptyBodySchema,
    bodyOptional: true,
    responses: { 200: { description: "The notification, without its payload.", schema: NotificationSchema } },
    errors: [400, ...AUTH_ERRORS, 404, 409, 413, 415],
  },
  {
    operationId: "recordOutcome",
    method: "POST",
    path: "/v1/notifications/{id}/outcome",
    group: "notifications",
    scope: "notifications:respond",
    summary: "Record what your partner did; closes the notification",
    tags: ["Notifications"],
    params: IdParamsSchema,
    body: OutcomeRequestSchema,
    responses: {
      200: { description: "The closed notification, without its payload.", schema: NotificationSchema },
    },
    errors: [400, ...AUTH_ERRORS, 404, 409, 413, 415],
  },
  ...registryRoutes,
  ...timelinessRoutes,
  ...lifecycleRoutes,
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
    errors: [...AUTH_ERRORS, 503],
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
  {
    operationId: "health",
    method: "GET",
    path: "/v1/health",
    group: "public",
    scope: null,
    summary: "Answers 200 when the hub can serve",
    tags: ["Hub"],
    responses: { 200: { description: "The hub is up and its store answers.", schema: HealthSchema } },
    errors: [503],
  },
  {
    operationId: "openapi",
    method: "GET",
    path: "/v1/openapi.json",
    group: "public",
    scope: null,
    summary: "This OpenAPI 3.1 document",
    tags: ["Hub"],
    responses: { 200: { description: "The OpenAPI document.", contentType: "application/json" } },
    errors: [],
  },
  {
    operationId: "jwks",
    method: "GET",
    path: "/.well-known/jwks.json",
    group: "public",
    scope: null,
    summary: "The local development issuer's public keys (only when the hub is its own issuer)",
    tags: ["Hub"],
    responses: { 200: { description: "A JSON Web Key Set.", schema: JwksSchema, headers: CACHEABLE } },
    errors: [404],
  },
] as const satisfies readonly RouteSpec[];

export type Route = (typeof routes)[number];
export type OperationId = Route["operationId"];
export type OperationsOf<G extends Group> = Extract<Route, { group: G }>["operationId"];

/** The groups the table has routes for: one Lambda each, its entry functions/<group>.ts. */
export function routeGroups(): Group[] {
  return [...new Set(routes.map((r) => r.group))];
}

/** Match a concrete path against the table's templates: the route and its path parameters. */
export function matchRoute(
  method: string,
  path: string,
): { route: RouteSpec; params: Record<string, string> } | { allow: string[] } | null {
  const allow: string[] = [];
  for (const r of routes as readonly RouteSpec[]) {
    const params = matchPath(r.path, path);
    if (!params) continue;
    if (r.method === method) return { route: r, params };
    allow.push(r.method);
  }
  return allow.length > 0 ? { allow } : null;
}

function matchPath(template: string, path: string): Record<string, string> | null {
  const t = template.split("/");
  const p = path.split("/");
  if (t.length !== p.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const segment = t[i] as string;
    const actual = p[i] as string;
    if (segment.startsWith("{") && segment.endsWith("}")) {
      if (actual === "") return null;
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (segment !== actual) return null;
  }
  return params;
}
