import {
  array,
  enum as enumOf,
  extend,
  globalRegistry,
  int,
  meta,
  nullable,
  object,
  optional,
  strictObject,
  string,
} from "zod/mini";
import { text } from "../domain/text.js";
import { BREACH_CAUSES, BREACH_STATUSES, RECALL_REASONS } from "../domain/vocabulary.js";
import { AUTH_ERRORS } from "./common.js";
import type { RouteSpec } from "./routes.js";
import { AuditEventSchema, cursor, IdParamsSchema, limit, NotificationSchema, page } from "./schemas.js";

/** The life of a disclosure after it is made: recall and the breaches it opens. */

export const RecallRequestSchema = /* @__PURE__ */ strictObject({
  reason: enumOf(RECALL_REASONS),
  note: optional(text(4000)).check(
    meta({ description: "IG's free text: kept with the notification, never in the audit trail." }),
  ),
}).register(globalRegistry, { id: "RecallRequest" });

export const RecalledNotificationSchema = /* @__PURE__ */ extend(NotificationSchema, {
  breachId: string().check(meta({ description: "The breach record the recall opened." })),
}).register(globalRegistry, { id: "RecalledNotification" });

const ActorView = /* @__PURE__ */ object({
  partnerId: nullable(string()),
  sub: nullable(string()),
  clientId: nullable(string()),
});

export const BreachSchema = /* @__PURE__ */ object({
  id: string(),
  cause: enumOf(BREACH_CAUSES),
  notificationId: string(),
  concernId: string(),
  recipientId: string(),
  subjectId: string(),
  detectedAt: string(),
  reportBy: string().check(meta({ description: "detectedAt plus 72 hours (UK GDPR Art. 33)." })),
  status: enumOf(BREACH_STATUSES).check(
    meta({
      description:
        "`open`; `overdue` once reportBy passes undecided (one deadline_missed event, target { kind: breach, id }); `reported` or `not_reportable` once decided.",
    }),
  ),
  decision: nullable(
    object({
      decision: enumOf(["reported", "not_reportable"]),
      reference: nullable(string()),
      rationale: nullable(string()),
      decidedAt: string(),
      decidedBy: ActorView,
    }),
  ),
  evidence: object({
    events: array(AuditEventSchema).check(
      meta({ description: "Every audit event of the notification: was it opened, when, by whom." }),
    ),
    checkpoint: nullable(object({ number: int(), at: string(), checkpoint: string() })).check(
      meta({
        description: "The first signed checkpoint that covers the last of those events, or null (yet).",
      }),
    ),
  }),
}).register(globalRegistry, { id: "Breach" });

export const BreachQuerySchema = /* @__PURE__ */ strictObject({
  status: optional(enumOf(BREACH_STATUSES)),
  cursor,
  limit,
});

export const BreachDecisionSchema = /* @__PURE__ */ strictObject({
  decision: enumOf(["reported", "not_reportable"]),
  reference: optional(text(200)).check(meta({ description: "The ICO's case reference, when reported." })),
  rationale: optional(text(4000)).check(
    meta({ description: "Why: kept with the breach, never in the audit trail." }),
  ),
}).register(globalRegistry, { id: "BreachDecision" });

export const lifecycleRoutes = [
  {
    operationId: "recallNotification",
    method: "POST",
    path: "/v1/notifications/{id}/recall",
    group: "audit",
    scope: "audit:review",
    summary:
      "Recall a disclosure: status recalled, payload erased, a breach opened (audited as disclosure_recalled)",
    description:
      "The recipient's GET then answers 410 `disclosure_recalled`, its inbox lists the notification as `recalled`, and a thin " +
      "`notification.recalled` push goes to its webhook. Recalling twice: 409.",
    tags: ["Information governance"],
    params: IdParamsSchema,
    body: RecallRequestSchema,
    responses: { 200: { description: "The recalled notification.", schema: RecalledNotificationSchema } },
    errors: [400, ...AUTH_ERRORS, 404, 409, 413, 415],
  },
  {
    operationId: "listBreaches",
    method: "GET",
    path: "/v1/breaches",
    group: "audit",
    scope: "audit:read",
    summary: "Personal data breaches (recalls, break glass found not justified), newest first",
    tags: ["Information governance"],
    query: BreachQuerySchema,
    responses: { 200: { description: "A page of breaches.", schema: page(BreachSchema, "BreachPage") } },
    errors: [400, ...AUTH_ERRORS],
  },
  {
    operationId: "readBreach",
    method: "GET",
    path: "/v1/breaches/{id}",
    group: "audit",
    scope: "audit:read",
    summary: "One breach with its evidence and its 72-hour clock",
    tags: ["Information governance"],
    params: IdParamsSchema,
    responses: { 200: { description: "The breach.", schema: BreachSchema } },
    errors: [...AUTH_ERRORS, 404],
  },
  {
    operationId: "decideBreach",
    method: "POST",
    path: "/v1/breaches/{id}/decision",
    group: "audit",
    scope: "audit:review",
    summary: "Decide once whether the breach was reported to the ICO (audited as breach_decided); again: 409",
    tags: ["Information governance"],
    params: IdParamsSchema,
    body: BreachDecisionSchema,
    responses: { 200: { description: "The decided breach.", schema: BreachSchema } },
    errors: [400, ...AUTH_ERRORS, 404, 409, 413, 415],
  },
] as const satisfies readonly RouteSpec[];
