import {
  array,
  boolean,
  coerce,
  enum as enumOf,
  globalRegistry,
  gte,
  int,
  literal,
  lte,
  maxLength,
  meta,
  minLength,
  nullable,
  object,
  optional,
  record,
  regex,
  strictObject,
  string,
  unknown,
  type ZodMiniType,
} from "zod/mini";
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

const ActorSchema = /* @__PURE__ */ object({
  partnerId: nullable(string()),
  sub: nullable(string()),
  clientId: nullable(string()),
}).register(globalRegistry, {
  id: "Actor",
  description: "Who acted: their partner, the user (sub) and the OAuth client.",
});

const AgreementRef = /* @__PURE__ */ object({ id: string(), version: int() }).register(globalRegistry, {
  id: "AgreementRef",
});
const Category = /* @__PURE__ */ enumOf(DATA_CATEGORIES).register(globalRegistry, { id: "DataCategory" });
const UnresolvedRoute = /* @__PURE__ */ object({
  ruleId: string(),
  reason: enumOf(UNRESOLVED_REASONS),
}).register(globalRegistry, {
  id: "UnresolvedRoute",
  description: "A rule that matched but whose recipient is not registered.",
});
const Refusal = /* @__PURE__ */ object({ recipientId: string(), reason: enumOf(REFUSAL_REASONS) }).register(
  globalRegistry,
  { id: "Refusal", description: "A routed recipient that was not told, and why." },
);

/** A concern's notifications as its receipt and its view list them. */
const NOTIFICATION_SUMMARY = {
  id: string(),
  recipientId: string(),
  agreement: nullable(AgreementRef),
  dataCategories: array(Category),
  dueBy: string(),
  status: enumOf(NOTIFICATION_STATUSES),
  breakGlass: boolean(),
};

export const ConcernReceiptSchema = /* @__PURE__ */ object({
  id: string(),
  subjectId: string().check(meta({ description: "The hub's stable pseudonymous id for the child." })),
  receivedAt: string(),
  notifications: array(object(NOTIFICATION_SUMMARY)),
  refusals: array(Refusal),
  withheld: array(object({ recipientId: string(), reason: literal("more_detrimental") })).check(
    meta({
      description:
        "Routed recipients the officer decided not to tell (`withhold`): no notification, audited as `disclosure_withheld`, in IG's review queue.",
    }),
  ),
  unresolvedRoutes: array(UnresolvedRoute),
}).register(globalRegistry, { id: "ConcernReceipt" });

const OutcomeView = /* @__PURE__ */ object({
  outcome: enumOf(OUTCOMES),
  note: optional(nullable(string())),
  recordedAt: string(),
}).register(globalRegistry, { id: "OutcomeView" });

export const NotificationSchema = /* @__PURE__ */ object({
  id: string(),
  recipientId: string(),
  status: enumOf(NOTIFICATION_STATUSES),
  concernId: string(),
  concernType: enumOf(CONCERN_TYPES),
  occurredAt: string(),
  dueBy: string(),
  agreement: nullable(AgreementRef),
  dataCategories: array(Category),
  breakGlass: boolean(),
  createdAt: string(),
  acknowledgedAt: nullable(string()),
  outcome: nullable(OutcomeView),
  ...NOTIFICATION_LIFE_FIELDS,
}).register(globalRegistry, { id: "Notification" });

export const ConcernViewSchema = /* @__PURE__ */ object({
  id: string(),
  subjectId: string(),
  receivedAt: string(),
  submittedBy: ActorSchema,
  concernType: enumOf(CONCERN_TYPES),
  riskRating: enumOf(RISK_RATINGS),
  area: string(),
  occurredAt: string(),
  ...CONCERN_LIFE_FIELDS,
  breakGlass: nullable(object({ justification: string() })),
  notifications: array(
    object({
      ...NOTIFICATION_SUMMARY,
      acknowledgedAt: nullable(string()),
      outcome: nullable(object({ outcome: enumOf(OUTCOMES), recordedAt: string() })),
    }),
  ),
  refusals: array(Refusal),
  withheld: optional(array(object({ recipientId: string(), reason: literal("more_detrimental") }))),
  unresolvedRoutes: array(UnresolvedRoute),
}).register(globalRegistry, { id: "ConcernView" });

export const OutcomeRequestSchema = /* @__PURE__ */ strictObject({
  outcome: enumOf(OUTCOMES),
  note: optional(text(4000)).check(
    meta({ description: "Personal data: kept with the notification, never audited." }),
  ),
}).register(globalRegistry, { id: "OutcomeRequest" });

export const EmptyBodySchema = /* @__PURE__ */ strictObject({}).register(globalRegistry, { id: "EmptyBody" });

export const AuditEventSchema = /* @__PURE__ */ object({
  id: string(),
  shard: int(),
  seq: int(),
  at: string(),
  action: enumOf(AUDIT_ACTIONS),
  actor: ActorSchema,
  subjectId: nullable(string()),
  concernId: nullable(string()),
  notificationId: nullable(string()),
  recipientId: nullable(string()),
  agreement: nullable(AgreementRef),
  purpose: nullable(string()),
  lawfulBasis: nullable(array(string())),
  dataCategories: nullable(array(Category)),
  payloadSha256: nullable(string()),
  reason: nullable(string()),
  target: nullable(object({ kind: string(), id: string() })),
  requestId: nullable(string()),
  prevHash: string(),
  hash: string(),
}).register(globalRegistry, {
  id: "AuditEvent",
  description: "One link of the hash chain; see the contract's audit trail rules.",
});

export const VerificationSchema = /* @__PURE__ */ object({
  valid: boolean(),
  eventsChecked: int(),
  checkpointsChecked: int(),
  problems: array(object({ shard: int(), seq: int(), problem: string(), detail: string() })),
}).register(globalRegistry, { id: "Verification" });

export const ProblemSchema = /* @__PURE__ */ object({
  type: string(),
  title: string(),
  status: int(),
  detail: string(),
  instance: optional(string()),
  errors: optional(array(object({ path: string(), message: string() }))),
}).register(globalRegistry, { id: "Problem", description: "RFC 9457 problem details." });

export const HealthSchema = /* @__PURE__ */ object({ status: literal("ok"), time: string() }).register(
  globalRegistry,
  { id: "Health" },
);

export const JwksSchema = /* @__PURE__ */ object({ keys: array(record(string(), unknown())) }).register(
  globalRegistry,
  { id: "JWKS" },
);

export const page = <T extends ZodMiniType>(item: T, id: string) =>
  object({ items: array(item), nextCursor: nullable(string()) }).check(meta({ id }));

export const limit = /* @__PURE__ */ optional(coerce.number().check(int(), gte(1), lte(100))).check(
  meta({ description: "Page size, 1-100 (default 25)." }),
);
export const cursor = /* @__PURE__ */ optional(string().check(maxLength(2048)));

export const InboxQuerySchema = /* @__PURE__ */ strictObject({
  status: optional(enumOf(NOTIFICATION_STATUSES)),
  cursor,
  limit,
});

export const AuditQuerySchema = /* @__PURE__ */ strictObject({
  // Ids by their shapes only: the filters are copied into the audit_queried event, so free
  // text (a child's name typed into the wrong box) must never get that far.
  subjectId: optional(string().check(regex(/^subj_[A-Za-z0-9_-]{1,59}$/))),
  partnerId: optional(slug),
  concernId: optional(string().check(regex(/^con_[A-Za-z0-9-]{1,60}$/))),
  action: optional(enumOf(AUDIT_ACTIONS)),
  from: optional(dateTime),
  to: optional(dateTime),
  cursor,
  limit,
});

export const IdParamsSchema = /* @__PURE__ */ strictObject({
  id: string().check(minLength(1), maxLength(64)),
});

export const PartnerViewSchema = /* @__PURE__ */ object({
  id: string(),
  name: string(),
  type: string(),
  areas: array(string()),
  clientIds: array(string()),
  governance: boolean(),
  webhook: nullable(object({ url: string() })),
  escalationContact: PartnerSchema.shape.escalationContact,
  schoolDayStartsAt: PartnerSchema.shape.schoolDayStartsAt,
  closures: PartnerSchema.shape.closures,
  keyAdults: PartnerSchema.shape.keyAdults,
  createdAt: string(),
  updatedAt: string(),
  webhookSecret: optional(string()).check(
    meta({
      description:
        "Only in the response that first sets a webhook: `whsec_` + base64. Store it now; it is not shown again.",
    }),
  ),
  escalationContactWebhookSecret: optional(string()).check(
    meta({
      description:
        "Only in the response that first gives the escalation contact a webhook: its own `whsec_` secret, which signs " +
        "the messages to the contact only. Store it now; it is not shown again.",
    }),
  ),
}).register(globalRegistry, { id: "PartnerView" });

export const PartnerPatchSchema = /* @__PURE__ */ strictObject({
  name: optional(PartnerSchema.shape.name),
  areas: optional(PartnerSchema.shape.areas),
  clientIds: optional(PartnerSchema.shape.clientIds),
  governance: PartnerSchema.shape.governance,
  webhook: PartnerSchema.shape.webhook,
  escalationContact: PartnerSchema.shape.escalationContact,
  schoolDayStartsAt: nullable(PartnerSchema.shape.schoolDayStartsAt),
  closures: nullable(PartnerSchema.shape.closures),
  keyAdults: nullable(PartnerSchema.shape.keyAdults),
}).register(globalRegistry, {
  id: "PartnerPatch",
  description:
    "Members to change; `webhook: null` removes the webhook, and `null` removes a school's `schoolDayStartsAt`, `closures` or `keyAdults` (school partners only). `id` and `type` never change.",
});

export const WebhookSecretSchema = /* @__PURE__ */ object({
  webhookSecret: string(),
  previousSecretValidUntil: nullable(string()),
}).register(globalRegistry, { id: "WebhookSecretRotation" });

export const RoutingRuleSetSchema = /* @__PURE__ */ strictObject({
  rules: array(RoutingRuleSchema).check(maxLength(200)),
}).register(globalRegistry, {
  id: "RoutingRuleSet",
  description:
    "Refused whole (400) if it holds no rule (an empty set routes nobody), if two rules share an id, if a rule names an unregistered partner or a partner type nobody is registered as, or if a due time could not be computed on an area's calendar.",
});

export const CoverageSchema = /* @__PURE__ */ object({
  generatedAt: string(),
  within: string(),
  items: array(
    object({
      ruleId: string(),
      area: string(),
      concernTypes: array(string()),
      unresolved: boolean(),
      recipients: array(
        object({
          recipientId: string(),
          discloserId: string(),
          status: enumOf(["covered", "expiring", "partial", "not_covered"]),
          agreements: array(
            object({
              id: string(),
              version: int(),
              validTo: string(),
              ageRange: object({ min: int(), max: int() }),
            }),
          ),
          uncoveredConcernTypes: array(string()),
          expiresAt: nullable(string()),
        }),
      ),
    }),
  ),
}).register(globalRegistry, { id: "AgreementCoverage" });

export const CoverageQuerySchema = /* @__PURE__ */ strictObject({
  within: optional(string().check(maxLength(32))).check(
    meta({ description: "ISO 8601 duration, default P30D." }),
  ),
});

export const FINDINGS = ["justified", "not_justified", "needs_follow_up"] as const;

export const BreakGlassReviewSchema = /* @__PURE__ */ object({
  id: string().check(
    meta({
      description:
        "For a break glass, the id of the notification it created; for a withheld disclosure (no notification), the decision's own id (`wdr_...`).",
    }),
  ),
  kind: optional(enumOf(["break_glass", "withheld"])).check(
    meta({
      description:
        "`break_glass`: shared without an agreement; `withheld`: a routed recipient deliberately not told (`withhold`, Children Act 2004 s16LA).",
    }),
  ),
  concernId: string(),
  subjectId: string(),
  recipientId: string(),
  discloserId: string(),
  disclosedAt: string(),
  disclosedBy: ActorSchema,
  dataCategories: array(Category),
  overrodeReason: nullable(enumOf(REFUSAL_REASONS)).check(
    meta({ description: "The refusal a break glass overrode; null for a withheld disclosure." }),
  ),
  justification: string(),
  status: enumOf(["pending", "reviewed"]),
  finding: nullable(enumOf(FINDINGS)),
  note: nullable(string()),
  reviewedAt: nullable(string()),
  reviewedBy: nullable(
    object({
      partnerId: nullable(string()),
      sub: nullable(string()),
      clientId: nullable(string()),
    }),
  ),
}).register(globalRegistry, { id: "BreakGlassReview" });

export const FindingSchema = /* @__PURE__ */ strictObject({
  finding: enumOf(FINDINGS),
  note: optional(text(4000)),
}).register(globalRegistry, { id: "BreakGlassFinding" });

export const ReviewQuerySchema = /* @__PURE__ */ strictObject({
  status: optional(enumOf(["pending", "reviewed"])),
  cursor,
  limit,
});

export const VersionParamsSchema = /* @__PURE__ */ strictObject({
  id: slug,
  version: coerce.number().check(int(), gte(1), lte(10_000)),
});

export const SlugParamsSchema = /* @__PURE__ */ strictObject({ id: slug });

export const VerifyQuerySchema = /* @__PURE__ */ strictObject({
  since: optional(coerce.number().check(int(), gte(1))).check(
    meta({
      description: "Verify incrementally from this checkpoint number, trusted once its signature verifies.",
    }),
  ),
});

export const ExportQuerySchema = /* @__PURE__ */ strictObject({
  format: optional(enumOf(["json", "fhir"])).check(
    meta({
      description:
        "`json` (default): every event as JSON Lines. `fhir`: disclosures as FHIR R4 AuditEvent (IHE BALP PrivacyDisclosure), NDJSON.",
    }),
  ),
  cursor: optional(string().check(maxLength(200))).check(
    meta({
      description:
        'Where the next page starts: follow the `Link: <...>; rel="next"` header (10,000 events a page).',
    }),
  ),
});

export const CheckpointListSchema = /* @__PURE__ */ object({
  checkpoints: array(string().check(meta({ description: "A compact JWS (ES256)." }))),
  nextCursor: nullable(string()),
}).register(globalRegistry, { id: "CheckpointPage" });

export const CheckpointQuerySchema = /* @__PURE__ */ strictObject({ cursor, limit });

export const CheckpointCreatedSchema = /* @__PURE__ */ object({
  number: int(),
  checkpoint: string().check(meta({ description: "The compact JWS." })),
  payload: object({
    at: string(),
    heads: array(object({ shard: int(), seq: int(), hash: string() })),
    prevCheckpointSha256: string(),
  }),
}).register(globalRegistry, { id: "CheckpointCreated" });

const ReportEntry = /* @__PURE__ */ object({
  at: string(),
  action: enumOf(AUDIT_ACTIONS),
  recipientId: nullable(string()),
  dataCategories: nullable(array(string())),
  agreement: nullable(AgreementRef),
  purpose: nullable(string()),
  lawfulBasis: nullable(array(string())),
  reason: nullable(string()),
  concernId: nullable(string()),
  notificationId: nullable(string()),
  actorPartnerId: nullable(string()),
  payloadSha256: nullable(string()),
}).register(globalRegistry, { id: "SubjectReportEntry" });

export const SubjectReportSchema = /* @__PURE__ */ object({
  subjectId: string(),
  generatedAt: string(),
  disclosures: array(ReportEntry),
  refusals: array(ReportEntry),
  accesses: array(ReportEntry),
  reviews: array(ReportEntry),
  ...lifeReport(ReportEntry),
}).register(globalRegistry, { id: "SubjectAccessReport" });

export const SubjectParamsSchema = /* @__PURE__ */ strictObject({
  subjectId: string().check(minLength(1), maxLength(64)),
});

export const AreaParamsSchema = /* @__PURE__ */ strictObject({ area: slug });

export const CalendarViewSchema = /* @__PURE__ */ object({
  area: string(),
  holidays: array(string()),
  schoolHolidays: array(string()),
  workingHours: object({ start: string(), end: string() }),
}).register(globalRegistry, { id: "CalendarView" });

export const EscalationSchema = /* @__PURE__ */ object({
  id: string(),
  kind: enumOf(["deadline_missed", "delivery_failing"]),
  discloserId: string(),
  notificationId: string(),
  concernId: string(),
  recipientId: string(),
  dueBy: string(),
  at: string(),
}).register(globalRegistry, { id: "Escalation" });

export const EscalationQuerySchema = /* @__PURE__ */ strictObject({ cursor, limit });

// The outbox view lives with the other push-delivery schemas.
export { DeliverySchema } from "./delivery-schemas.js";

export const WebhookPayloadSchema = /* @__PURE__ */ object({
  type: enumOf(["notification.created", "notification.overdue", "notification.recalled"]),
  timestamp: string(),
  data: object({ notificationId: string(), dueBy: string(), href: string() }),
}).register(globalRegistry, {
  id: "WebhookPayload",
  description:
    "A thin push message: never the child's data. Fetch the notification with GET href (an audited opening).",
});
