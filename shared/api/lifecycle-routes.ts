import { z } from "zod";
import { text } from "../domain/text.js";
import { BREACH_CAUSES, BREACH_STATUSES, RECALL_REASONS } from "../domain/vocabulary.js";
import { AUTH_ERRORS } from "./common.js";
import type { RouteSpec } from "./routes.js";
import { AuditEventSchema, cursor, IdParamsSchema, limit, NotificationSchema, page } from "./schemas.js";

/** The life of a disclosure after it is made: recall and the breaches it opens. */

export const RecallRequestSchema = /* @__PURE__ */ z
  .object({
    reason: z.enum(RECALL_REASONS),
    note: text(4000)
      .optional()
      .meta({ description: "IG's free text: kept with the notification, never in the audit trail." }),
  })
  .strict()
  .meta({ id: "RecallRequest" });

export const RecalledNotificationSchema = /* @__PURE__ */ NotificationSchema.extend({
  breachId: z.string().meta({ description: "The breach record the recall opened." }),
}).meta({ id: "RecalledNotification" });

const ActorView = /* @__PURE__ */ z.object({
  partnerId: z.string().nullable(),
  sub: z.string().nullable(),
  clientId: z.string().nullable(),
});

export const BreachSchema = /* @__PURE__ */ z
  .object({
    id: z.string(),
    cause: z.enum(BREACH_CAUSES),
    notificationId: z.string(),
    concernId: z.string(),
    recipientId: z.string(),
    subjectId: z.string(),
    detectedAt: z.string(),
    reportBy: z.string().meta({ description: "detectedAt plus 72 hours (UK GDPR Art. 33)." }),
    status: z.enum(BREACH_STATUSES).meta({
      description:
        "`open`; `overdue` once reportBy passes undecided (one deadline_missed event, target { kind: breach, id }); `reported` or `not_reportable` once decided.",
    }),
    decision: z
      .object({
        decision: z.enum(["reported", "not_reportable"]),
        reference: z.string().nullable(),
        rationale: z.string().nullable(),
        decidedAt: z.string(),
        decidedBy: ActorView,
      })
      .nullable(),
    evidence: z.object({
      events: z
        .array(AuditEventSchema)
        .meta({ description: "Every audit event of the notification: was it opened, when, by whom." }),
      checkpoint: z.object({ number: z.int(), at: z.string(), checkpoint: z.string() }).nullable().meta({
        description: "The first signed checkpoint that covers the last of those events, or null (yet).",
      }),
    }),
  })
  .meta({ id: "Breach" });

export const BreachQuerySchema = /* @__PURE__ */ z
  .object({ status: z.enum(BREACH_STATUSES).optional(), cursor, limit })
  .strict();

export const BreachDecisionSchema = /* @__PURE__ */ z
  .object({
    decision: z.enum(["reported", "not_reportable"]),
    reference: text(200).optional().meta({ description: "The ICO's case reference, when reported." }),
    rationale: text(4000)
      .optional()
      .meta({ description: "Why: kept with the breach, never in the audit trail." }),
  })
  .strict()
  .meta({ id: "BreachDecision" });

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
