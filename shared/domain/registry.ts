import { z } from "zod";
import { ukMobile } from "./alerts.js";
import { dateTime, requiredText, slug, text } from "./text.js";
import { MAX_DURATION_MS, parseDuration } from "./time.js";
import { AGREEMENT_STATUSES, CONCERN_TYPES, DATA_CATEGORIES, PARTNER_TYPES } from "./vocabulary.js";

/** The partner registry, data-sharing agreements and routing rules: Lantern's policy, as data. */

const clientId = /* @__PURE__ */ z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, "must be an OAuth client id (letters, digits, . _ : -)");

/**
 * Only http(s) URLs are taken (checkWebhook), and a deployed hub takes https only; the pattern
 * tells a client so before it asks.
 */
const webhookUrl = /* @__PURE__ */ z.url().meta({
  pattern: "^[Hh][Tt][Tt][Pp][Ss]?://",
  description: "An https URL (http is accepted only by a local hub run without LANTERN_WEBHOOK_HTTPS_ONLY).",
});

const hhmmText = /* @__PURE__ */ z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM");

export const KeyAdultSchema = /* @__PURE__ */ z
  .object({
    sub: requiredText(255).meta({ description: "The `sub` of this person's access tokens." }),
    name: requiredText(200),
    email: z.email("must be an email address").max(254).optional().meta({
      description: "Where the hub emails this Key Adult when a notification arrives (GOV.UK Notify).",
    }),
    mobile: text(32)
      .refine((m) => ukMobile(m) !== null, "must be a UK mobile number (07..., +447...)")
      .overwrite((m) => ukMobile(m) ?? m)
      .optional()
      .meta({
        // A subset of what ukMobile takes (it also takes 0044, (0) and dashes), so a client
        // that follows the document is never refused.
        pattern: "^(?:\\+447|07)\\d{3} ?\\d{6}$",
        description:
          "A UK mobile number (07700 900123 or +447700900123; spaces, dashes, 0044 and (0) are also taken), stored in E.164 (+447...): texted once, 30 minutes before the school's day starts, while a notification is unopened.",
      }),
  })
  .strict()
  .meta({
    id: "KeyAdult",
    description: "A trained member of a school's staff who receives Operation Encompass notifications.",
  });

/**
 * Key Adults with an email or mobile: each is an alert written in the submission's one
 * transaction (DynamoDB allows 100 writes in one), so a school names at most this many.
 */
export const MAX_ALERTED_KEY_ADULTS = 5;

/** Members only an education setting has. */
const SCHOOL_ONLY = ["schoolDayStartsAt", "closures", "keyAdults"] as const;

export const PartnerSchema = /* @__PURE__ */ z
  .object({
    id: slug,
    name: requiredText(200),
    type: z.enum(PARTNER_TYPES),
    areas: z.array(slug).max(100),
    clientIds: z.array(clientId).max(20),
    governance: z.boolean().optional().meta({
      description:
        "Information governance: only clients of such a partner are honoured the management and audit scopes (default false).",
    }),
    webhook: z.object({ url: webhookUrl }).strict().nullable().optional(),
    escalationContact: z
      .object({
        name: requiredText(200),
        phone: text(32).optional(),
        email: text(254).optional(),
        webhook: z.object({ url: webhookUrl }).strict().optional(),
      })
      .strict()
      .nullable()
      .optional()
      .meta({
        description:
          "Who hears when a notification to this partner is overdue; pushed notification.overdue if it has a webhook.",
      }),
    schoolDayStartsAt: hhmmText.optional().meta({
      description:
        "A school's own start of the school day (HH:MM, Europe/London): `next_school_day` routes to it fall due then instead of at the rule's `at`.",
    }),
    closures: z.array(z.iso.date()).max(100).optional().meta({
      description:
        "Dates (YYYY-MM-DD) a school is closed though the area's schools are open (INSET days): not school days for its notifications.",
    }),
    keyAdults: z
      .array(KeyAdultSchema)
      .max(50)
      .refine(
        (adults) => adults.filter((k) => k.email || k.mobile).length <= MAX_ALERTED_KEY_ADULTS,
        `at most ${MAX_ALERTED_KEY_ADULTS} Key Adults may have an email or mobile`,
      )
      .optional()
      .meta({
        description:
          "A school's trained Key Adults, by their token `sub`. When listed, only they may open, acknowledge or record an outcome on the school's notifications (others: 403 `not_a_key_adult`). With GOV.UK Notify configured, each with an `email` is emailed when a notification arrives and each with a `mobile` texted before the school's day while it is unopened (at most 5 with either). Their `email` and `mobile` are shown only to governance partners and the school itself.",
      }),
  })
  .strict()
  .superRefine((partner, ctx) => {
    for (const member of SCHOOL_ONLY) {
      if (partner[member] !== undefined && partner.type !== "school") {
        ctx.addIssue({ code: "custom", path: [member], message: "is for school partners only" });
      }
    }
  })
  .meta({
    id: "Partner",
    description: "`schoolDayStartsAt`, `closures` and `keyAdults` are for partners of type `school` only.",
  });
export type Partner = z.infer<typeof PartnerSchema>;

export const AgeRangeSchema = /* @__PURE__ */ z
  .object({ min: z.int().min(0).max(24), max: z.int().min(0).max(24) })
  .strict()
  .refine((r) => r.min <= r.max, { message: "min must not exceed max", path: ["max"] })
  .meta({
    id: "AgeRange",
    description: "Whole years of age at the time of disclosure, inclusive; `min` at most `max`.",
  });

const agreementTermsShape = {
  title: requiredText(200),
  purposes: z.array(requiredText(100)).min(1).max(20),
  lawfulBasis: z.array(requiredText(200)).min(1).max(20),
  concernTypes: z.array(z.enum(CONCERN_TYPES)).min(1),
  dataCategories: z.array(z.enum(DATA_CATEGORIES)).min(1),
  ageRange: AgeRangeSchema,
  areas: z.array(slug).min(1).max(100),
  validFrom: dateTime,
  validTo: dateTime.meta({ description: "After `validFrom`." }),
  retentionDays: z.int().min(1).max(36_500),
};

const validityInOrder = {
  check: (t: { validFrom: string; validTo: string }) => Date.parse(t.validTo) > Date.parse(t.validFrom),
  message: { message: "validTo must be after validFrom", path: ["validTo"] },
};

export const AgreementTermsSchema = /* @__PURE__ */ z
  .object(agreementTermsShape)
  .strict()
  .refine(validityInOrder.check, validityInOrder.message)
  .meta({ id: "AgreementTerms", description: "The terms of one version of a data-sharing agreement." });
export type AgreementTerms = z.infer<typeof AgreementTermsSchema>;

/** A draft's terms may be changed member by member; the result is validated whole. */
export const AgreementTermsPatchSchema = /* @__PURE__ */ z
  .object(agreementTermsShape)
  .partial()
  .strict()
  .meta({ id: "AgreementTermsPatch" });

export const AgreementCreateSchema = /* @__PURE__ */ z
  .object({
    id: slug,
    discloserId: slug.meta({ description: "A registered partner's id." }),
    recipientId: slug.meta({ description: "A registered partner's id." }),
    ...agreementTermsShape,
  })
  .strict()
  .refine(validityInOrder.check, validityInOrder.message)
  .meta({ id: "AgreementCreate" });
export type AgreementCreate = z.infer<typeof AgreementCreateSchema>;

export const AgreementVersionSchema = /* @__PURE__ */ z
  .object({
    version: z.int().min(1),
    status: z.enum(AGREEMENT_STATUSES),
    title: z.string().optional(),
    purposes: z.array(z.string()),
    lawfulBasis: z.array(z.string()),
    concernTypes: z.array(z.enum(CONCERN_TYPES)),
    dataCategories: z.array(z.enum(DATA_CATEGORIES)),
    ageRange: z.object({ min: z.int(), max: z.int() }),
    areas: z.array(z.string()),
    validFrom: z.string(),
    validTo: z.string(),
    retentionDays: z.int(),
    createdAt: z.string(),
    statusChangedAt: z.string(),
  })
  .meta({ id: "AgreementVersion" });
export type AgreementVersion = z.infer<typeof AgreementVersionSchema>;

export const AgreementSchema = /* @__PURE__ */ z
  .object({
    id: slug,
    title: z.string(),
    discloserId: slug,
    recipientId: slug,
    versions: z.array(AgreementVersionSchema),
  })
  .meta({ id: "Agreement" });
export type Agreement = z.infer<typeof AgreementSchema>;

const isoDuration = /* @__PURE__ */ z
  .string()
  .max(32)
  .refine(
    (d) => parseDuration(d) !== null && (parseDuration(d) ?? 0) > 0,
    "must be a positive ISO 8601 duration",
  )
  .refine((d) => (parseDuration(d) ?? 0) <= MAX_DURATION_MS, "must be at most 366 days (P366D)")
  .meta({
    description:
      "ISO 8601 duration in weeks, days, hours, minutes, seconds (no years or months: their length varies), above zero; its parts together at most 366 days (P366D).",
    // The syntax parseDuration reads, with some part above zero.
    pattern:
      "^P(?=\\d|T\\d)(?=.*[1-9])(?:\\d+W)?(?:\\d+D)?(?:T(?=\\d)(?:\\d+H)?(?:\\d+M)?(?:\\d+(?:\\.\\d+)?S)?)?$",
  });

const workingHoursFlag = /* @__PURE__ */ z.boolean().optional().meta({
  description: "Count the duration in the area's working hours (default 08:00-18:00 Mon-Fri, no holidays).",
});

const hhmm = /* @__PURE__ */ z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM");
const isoDay = /* @__PURE__ */ z.iso.date();

export const CalendarSchema = /* @__PURE__ */ z
  .object({
    holidays: z
      .array(isoDay)
      .max(400)
      .meta({ description: "Bank holidays: neither school days nor working days." }),
    schoolHolidays: z
      .array(isoDay)
      .max(1000)
      .meta({ description: "Half terms, INSET days: not school days." }),
    workingHours: z
      .object({ start: hhmm, end: hhmm })
      .strict()
      .refine((w) => w.start < w.end, { message: "end must be after start", path: ["end"] })
      .meta({ description: "`end` after `start`." }),
  })
  .strict()
  .meta({ id: "Calendar" });

export const DueRuleSchema = /* @__PURE__ */ z
  .discriminatedUnion("kind", [
    z
      .object({
        kind: z.literal("next_school_day"),
        at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM"),
      })
      .strict(),
    z
      .object({
        kind: z.literal("by_risk"),
        red: isoDuration,
        amber: isoDuration,
        green: isoDuration,
        workingHours: workingHoursFlag,
      })
      .strict(),
    z.object({ kind: z.literal("after"), duration: isoDuration, workingHours: workingHoursFlag }).strict(),
  ])
  .meta({ id: "DueRule" });
export type DueRule = z.infer<typeof DueRuleSchema>;

export const RecipientSelectorSchema = /* @__PURE__ */ z
  .union([
    z.object({ resolve: z.literal("subject_school") }).strict(),
    z.object({ resolve: z.literal("area"), type: z.enum(PARTNER_TYPES) }).strict(),
    z.object({ partnerId: slug }).strict(),
  ])
  .meta({ id: "RecipientSelector" });
export type RecipientSelector = z.infer<typeof RecipientSelectorSchema>;

export const RoutingRuleSchema = /* @__PURE__ */ z
  .object({
    id: slug,
    // Rule validation refuses a concern type listed twice; the document says so too.
    concernTypes: z.array(z.enum(CONCERN_TYPES)).min(1).meta({ uniqueItems: true }),
    conditions: z
      .object({ ageRange: AgeRangeSchema.optional(), lookedAfter: z.boolean().optional() })
      .strict()
      .optional(),
    recipient: RecipientSelectorSchema,
    dataCategories: z.array(z.enum(DATA_CATEGORIES)).min(1),
    due: DueRuleSchema,
    purpose: text(100).optional().meta({ description: "Defaults to `safeguarding`." }),
  })
  .strict()
  .meta({ id: "RoutingRule" });
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;
