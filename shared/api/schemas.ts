import { z } from "zod";
import { PartnerSchema, RoutingRuleSchema } from "../domain/registry.js";
import { dateTime, slug, text } from "../domain/text.js";
import {
  AUDIT_ACTIONS,
  CONCERN_TYPES,
  DATA_CATEGORIES,
  NOTIFICATION_STATUSES,
  OUTCOMES,
  REFUSAL_REASONS,
  RISK_RATINGS,
  UNRESOLVED_REASONS,
} from "../domain/vocabulary.js";
import { CONCERN_LIFE_FIELDS, lifeReport, NOTIFICATION_LIFE_FIELDS } from "./lifecycle-fields.js";

/** Request and response shapes beyond the concern body: one source for validation and OpenAPI. */

const ActorSchema = /* @__PURE__ */ z
  .object({ partnerId: z.string().nullable(), sub: z.string().nullable(), clientId: z.string().nullable() })
  .meta({ id: "Actor", description: "Who acted: their partner, the user (sub) and the OAuth client." });

const AgreementRef = /* @__PURE__ */ z
  .object({ id: z.string(), version: z.int() })
  .meta({ id: "AgreementRef" });
const Category = /* @__PURE__ */ z.enum(DATA_CATEGORIES).meta({ id: "DataCategory" });
const UnresolvedRoute = /* @__PURE__ */ z
  .object({
    ruleId: z.string(),
    reason: z.enum(UNRESOLVED_REASONS),
  })
  .meta({ id: "UnresolvedRoute", description: "A rule that matched but whose recipient is not registered." });
const Refusal = /* @__PURE__ */ z
  .object({ recipientId: z.string(), reason: z.enum(REFUSAL_REASONS) })
  .meta({ id: "Refusal", description: "A routed recipient that was not told, and why." });

export const ConcernReceiptSchema = /* @__PURE__ */ z
  .object({
    id: z.string(),
    subjectId: z.string().meta({ description: "The hub's stable pseudonymous id for the child." }),
    receivedAt: z.string(),
    notifications: z.array(
      z.object({
        id: z.string(),
        recipientId: z.string(),
        agreement: AgreementRef.nullable(),
        dataCategories: z.array(Category),
        dueBy: z.string(),
        status: z.enum(NOTIFICATION_STATUSES),
        breakGlass: z.boolean(),
      }),
    ),
    refusals: z.array(Refusal),
    withheld: z.array(z.object({ recipientId: z.string(), reason: z.literal("more_detrimental") })).meta({
      description:
        "Routed recipients the officer decided not to tell (`withhold`): no notification, audited as `disclosure_withheld`, in IG's review queue.",
    }),
    unresolvedRoutes: z.array(UnresolvedRoute),
  })
  .meta({ id: "ConcernReceipt" });

const OutcomeView = /* @__PURE__ */ z
  .object({ outcome: z.enum(OUTCOMES), note: z.string().nullable().optional(), recordedAt: z.string() })
  .meta({ id: "OutcomeView" });

export const NotificationSchema = /* @__PURE__ */ z
  .object({
    id: z.string(),
    recipientId: z.string(),
    status: z.enum(NOTIFICATION_STATUSES),
    concernId: z.string(),
    concernType: z.enum(CONCERN_TYPES),
    occurredAt: z.string(),
    dueBy: z.string(),
    agreement: AgreementRef.nullable(),
    dataCategories: z.array(Category),
    breakGlass: z.boolean(),
    createdAt: z.string(),
    acknowledgedAt: z.string().nullable(),
    outcome: OutcomeView.nullable(),
    ...NOTIFICATION_LIFE_FIELDS,
  })
  .meta({ id: "Notification" });

export const ConcernViewSchema = /* @__PURE__ */ z
  .object({
    id: z.string(),
    subjectId: z.string(),
    receivedAt: z.string(),
    submittedBy: ActorSchema,
    concernType: z.enum(CONCERN_TYPES),
    riskRating: z.enum(RISK_RATINGS),
    area: z.string(),
    occurredAt: z.string(),
    ...CONCERN_LIFE_FIELDS,
    breakGlass: z.object({ justification: z.string() }).nullable(),
    notifications: z.array(
      z.object({
        id: z.string(),
        recipientId: z.string(),
        agreement: AgreementRef.nullable(),
        dataCategories: z.array(Category),
        dueBy: z.string(),
        status: z.enum(NOTIFICATION_STATUSES),
        breakGlass: z.boolean(),
        acknowledgedAt: z.string().nullable(),
        outcome: z.object({ outcome: z.enum(OUTCOMES), recordedAt: z.string() }).nullable(),
      }),
    ),
    refusals: z.array(Refusal),
    withheld: z
      .array(z.object({ recipientId: z.string(), reason: z.literal("more_detrimental") }))
      .optional(),
    unresolvedRoutes: z.array(UnresolvedRoute),
  })
  .meta({ id: "ConcernView" });

export const OutcomeRequestSchema = /* @__PURE__ */ z
  .object({
    outcome: z.enum(OUTCOMES),
    note: text(4000)
      .optional()
      .meta({ description: "Personal data: kept with the notification, never audited." }),
  })
  .strict()
  .meta({ id: "OutcomeRequest" });

export const EmptyBodySchema = /* @__PURE__ */ z.object({}).strict().meta({ id: "EmptyBody" });

export const AuditEventSchema = /* @__PURE__ */ z
  .object({
    id: z.string(),
    shard: z.int(),
    seq: z.int(),
    at: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    actor: ActorSchema,
    subjectId: z.string().nullable(),
    concernId: z.string().nullable(),
    notificationId: z.string().nullable(),
    recipientId: z.string().nullable(),
    agreement: AgreementRef.nullable(),
    purpose: z.string().nullable(),
    lawfulBasis: z.array(z.string()).nullable(),
    dataCategories: z.array(Category).nullable(),
    payloadSha256: z.string().nullable(),
    reason: z.string().nullable(),
    target: z.object({ kind: z.string(), id: z.string() }).nullable(),
    requestId: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({
    id: "AuditEvent",
    description: "One link of the hash chain; see the contract's audit trail rules.",
  });

export const VerificationSchema = /* @__PURE__ */ z
  .object({
    valid: z.boolean(),
    eventsChecked: z.int(),
    checkpointsChecked: z.int(),
    problems: z.array(z.object({ shard: z.int(), seq: z.int(), problem: z.string(), detail: z.string() })),
  })
  .meta({ id: "Verification" });

export const ProblemSchema = /* @__PURE__ */ z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details." });

export const HealthSchema = /* @__PURE__ */ z
  .object({ status: z.literal("ok"), time: z.string() })
  .meta({ id: "Health" });

export const JwksSchema = /* @__PURE__ */ z
  .object({ keys: z.array(z.record(z.string(), z.unknown())) })
  .meta({ id: "JWKS" });

export const page = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });

export const limit = /* @__PURE__ */ z.coerce
  .number()
  .int()
  .min(1)
  .max(100)
  .optional()
  .meta({ description: "Page size, 1-100 (default 25)." });
export const cursor = /* @__PURE__ */ z.string().max(2048).optional();

export const InboxQuerySchema = /* @__PURE__ */ z
  .object({ status: z.enum(NOTIFICATION_STATUSES).optional(), cursor, limit })
  .strict();

export const AuditQuerySchema = /* @__PURE__ */ z
  .object({
    // Ids by their shapes only: the filters are copied into the audit_queried event, so free
    // text (a child's name typed into the wrong box) must never get that far.
    subjectId: z
      .string()
      .regex(/^subj_[A-Za-z0-9_-]{1,59}$/)
      .optional(),
    partnerId: slug.optional(),
    concernId: z
      .string()
      .regex(/^con_[A-Za-z0-9-]{1,60}$/)
      .optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    from: dateTime.optional(),
    to: dateTime.optional(),
    cursor,
    limit,
  })
  .strict();

export const IdParamsSchema = /* @__PURE__ */ z.object({ id: z.string().min(1).max(64) }).strict();

export const PartnerViewSchema = /* @__PURE__ */ z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    areas: z.array(z.string()),
    clientIds: z.array(z.string()),
    governance: z.boolean(),
    webhook: z.object({ url: z.string() }).nullable(),
    escalationContact: PartnerSchema.shape.escalationContact,
    schoolDayStartsAt: PartnerSchema.shape.schoolDayStartsAt,
    closures: PartnerSchema.shape.closures,
    keyAdults: PartnerSchema.shape.keyAdults,
    createdAt: z.string(),
    updatedAt: z.string(),
    webhookSecret: z.string().optional().meta({
      description:
        "Only in the response that first sets a webhook: `whsec_` + base64. Store it now; it is not shown again.",
    }),
    escalationContactWebhookSecret: z
      .string()
      .optional()
      .meta({
        description:
          "Only in the response that first gives the escalation contact a webhook: its own `whsec_` secret, which signs " +
          "the messages to the contact only. Store it now; it is not shown again.",
      }),
  })
  .meta({ id: "PartnerView" });

export const PartnerPatchSchema = /* @__PURE__ */ z
  .object({
    name: PartnerSchema.shape.name.optional(),
    areas: PartnerSchema.shape.areas.optional(),
    clientIds: PartnerSchema.shape.clientIds.optional(),
    governance: PartnerSchema.shape.governance,
    webhook: PartnerSchema.shape.webhook,
    escalationContact: PartnerSchema.shape.escalationContact,
    schoolDayStartsAt: PartnerSchema.shape.schoolDayStartsAt.nullable(),
    closures: PartnerSchema.shape.closures.nullable(),
    keyAdults: PartnerSchema.shape.keyAdults.nullable(),
  })
  .strict()
  .meta({
    id: "PartnerPatch",
    description:
      "Members to change; `webhook: null` removes the webhook, and `null` removes a school's `schoolDayStartsAt`, `closures` or `keyAdults` (school partners only). `id` and `type` never change.",
  });

export const WebhookSecretSchema = /* @__PURE__ */ z
  .object({ webhookSecret: z.string(), previousSecretValidUntil: z.string().nullable() })
  .meta({ id: "WebhookSecretRotation" });

export const RoutingRuleSetSchema = /* @__PURE__ */ z
  .object({ rules: z.array(RoutingRuleSchema).max(200) })
  .strict()
  .meta({
    id: "RoutingRuleSet",
    description:
      "Refused whole (400) if it holds no rule (an empty set routes nobody), if two rules share an id, if a rule names an unregistered partner or a partner type nobody is registered as, or if a due time could not be computed on an area's calendar.",
  });

export const CoverageSchema = /* @__PURE__ */ z
  .object({
    generatedAt: z.string(),
    within: z.string(),
    items: z.array(
      z.object({
        ruleId: z.string(),
        area: z.string(),
        concernTypes: z.array(z.string()),
        unresolved: z.boolean(),
        recipients: z.array(
          z.object({
            recipientId: z.string(),
            discloserId: z.string(),
            status: z.enum(["covered", "expiring", "partial", "not_covered"]),
            agreements: z.array(
              z.object({
                id: z.string(),
                version: z.int(),
                validTo: z.string(),
                ageRange: z.object({ min: z.int(), max: z.int() }),
              }),
            ),
            uncoveredConcernTypes: z.array(z.string()),
            expiresAt: z.string().nullable(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: "AgreementCoverage" });

export const CoverageQuerySchema = /* @__PURE__ */ z
  .object({ within: z.string().max(32).optional().meta({ description: "ISO 8601 duration, default P30D." }) })
  .strict();

export const FINDINGS = ["justified", "not_justified", "needs_follow_up"] as const;

export const BreakGlassReviewSchema = /* @__PURE__ */ z
  .object({
    id: z.string().meta({
      description:
        "For a break glass, the id of the notification it created; for a withheld disclosure (no notification), the decision's own id (`wdr_...`).",
    }),
    kind: z.enum(["break_glass", "withheld"]).optional().meta({
      description:
        "`break_glass`: shared without an agreement; `withheld`: a routed recipient deliberately not told (`withhold`, Children Act 2004 s16LA).",
    }),
    concernId: z.string(),
    subjectId: z.string(),
    recipientId: z.string(),
    discloserId: z.string(),
    disclosedAt: z.string(),
    disclosedBy: ActorSchema,
    dataCategories: z.array(Category),
    overrodeReason: z.enum(REFUSAL_REASONS).nullable().meta({
      description: "The refusal a break glass overrode; null for a withheld disclosure.",
    }),
    justification: z.string(),
    status: z.enum(["pending", "reviewed"]),
    finding: z.enum(FINDINGS).nullable(),
    note: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    reviewedBy: z
      .object({
        partnerId: z.string().nullable(),
        sub: z.string().nullable(),
        clientId: z.string().nullable(),
      })
      .nullable(),
  })
  .meta({ id: "BreakGlassReview" });

export const FindingSchema = /* @__PURE__ */ z
  .object({ finding: z.enum(FINDINGS), note: text(4000).optional() })
  .strict()
  .meta({ id: "BreakGlassFinding" });

export const ReviewQuerySchema = /* @__PURE__ */ z
  .object({ status: z.enum(["pending", "reviewed"]).optional(), cursor, limit })
  .strict();

export const VersionParamsSchema = /* @__PURE__ */ z
  .object({ id: slug, version: z.coerce.number().int().min(1).max(10_000) })
  .strict();

export const SlugParamsSchema = /* @__PURE__ */ z.object({ id: slug }).strict();

export const VerifyQuerySchema = /* @__PURE__ */ z
  .object({
    since: z.coerce.number().int().min(1).optional().meta({
      description: "Verify incrementally from this checkpoint number, trusted once its signature verifies.",
    }),
  })
  .strict();

export const ExportQuerySchema = /* @__PURE__ */ z
  .object({
    format: z.enum(["json", "fhir"]).optional().meta({
      description:
        "`json` (default): every event as JSON Lines. `fhir`: disclosures as FHIR R4 AuditEvent (IHE BALP PrivacyDisclosure), NDJSON.",
    }),
    cursor: z.string().max(200).optional().meta({
      description:
        'Where the next page starts: follow the `Link: <...>; rel="next"` header (10,000 events a page).',
    }),
  })
  .strict();

export const CheckpointListSchema = /* @__PURE__ */ z
  .object({
    checkpoints: z.array(z.string().meta({ description: "A compact JWS (ES256)." })),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "CheckpointPage" });

export const CheckpointQuerySchema = /* @__PURE__ */ z.object({ cursor, limit }).strict();

export const CheckpointCreatedSchema = /* @__PURE__ */ z
  .object({
    number: z.int(),
    checkpoint: z.string().meta({ description: "The compact JWS." }),
    payload: z.object({
      at: z.string(),
      heads: z.array(z.object({ shard: z.int(), seq: z.int(), hash: z.string() })),
      prevCheckpointSha256: z.string(),
    }),
  })
  .meta({ id: "CheckpointCreated" });

const ReportEntry = /* @__PURE__ */ z
  .object({
    at: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    recipientId: z.string().nullable(),
    dataCategories: z.array(z.string()).nullable(),
    agreement: AgreementRef.nullable(),
    purpose: z.string().nullable(),
    lawfulBasis: z.array(z.string()).nullable(),
    reason: z.string().nullable(),
    concernId: z.string().nullable(),
    notificationId: z.string().nullable(),
    actorPartnerId: z.string().nullable(),
    payloadSha256: z.string().nullable(),
  })
  .meta({ id: "SubjectReportEntry" });

export const SubjectReportSchema = /* @__PURE__ */ z
  .object({
    subjectId: z.string(),
    generatedAt: z.string(),
    disclosures: z.array(ReportEntry),
    refusals: z.array(ReportEntry),
    accesses: z.array(ReportEntry),
    reviews: z.array(ReportEntry),
    ...lifeReport(ReportEntry),
  })
  .meta({ id: "SubjectAccessReport" });

export const SubjectParamsSchema = /* @__PURE__ */ z
  .object({ subjectId: z.string().min(1).max(64) })
  .strict();

export const AreaParamsSchema = /* @__PURE__ */ z.object({ area: slug }).strict();

export const CalendarViewSchema = /* @__PURE__ */ z
  .object({
    area: z.string(),
    holidays: z.array(z.string()),
    schoolHolidays: z.array(z.string()),
    workingHours: z.object({ start: z.string(), end: z.string() }),
  })
  .meta({ id: "CalendarView" });

export const EscalationSchema = /* @__PURE__ */ z
  .object({
    id: z.string(),
    kind: z.enum(["deadline_missed", "delivery_failing"]),
    discloserId: z.string(),
    notificationId: z.string(),
    concernId: z.string(),
    recipientId: z.string(),
    dueBy: z.string(),
    at: z.string(),
  })
  .meta({ id: "Escalation" });

export const EscalationQuerySchema = /* @__PURE__ */ z.object({ cursor, limit }).strict();

// The outbox view lives with the other push-delivery schemas.
export { DeliverySchema } from "./delivery-schemas.js";

export const WebhookPayloadSchema = /* @__PURE__ */ z
  .object({
    type: z.enum(["notification.created", "notification.overdue", "notification.recalled"]),
    timestamp: z.string(),
    data: z.object({ notificationId: z.string(), dueBy: z.string(), href: z.string() }),
  })
  .meta({
    id: "WebhookPayload",
    description:
      "A thin push message: never the child's data. Fetch the notification with GET href (an audited opening).",
  });
