import {
  array,
  boolean,
  discriminatedUnion,
  email,
  enum as enumOf,
  globalRegistry,
  gte,
  type infer as Infer,
  int,
  iso,
  literal,
  lte,
  maxLength,
  meta,
  minLength,
  nullable,
  object,
  optional,
  overwrite,
  partial,
  refine,
  regex,
  strictObject,
  string,
  superRefine,
  union,
  url,
} from "zod/mini";
import { ukMobile } from "./alerts.js";
import { dateTime, requiredText, slug, text } from "./text.js";
import { MAX_DURATION_MS, parseDuration } from "./time.js";
import { AGREEMENT_STATUSES, CONCERN_TYPES, DATA_CATEGORIES, PARTNER_TYPES } from "./vocabulary.js";

/** The partner registry, data-sharing agreements and routing rules: Lantern's policy, as data. */

const clientId = /* @__PURE__ */ string().check(
  minLength(1),
  maxLength(128),
  regex(/^[A-Za-z0-9._:-]+$/, "must be an OAuth client id (letters, digits, . _ : -)"),
);

/**
 * Only http(s) URLs are taken (checkWebhook), and a deployed hub takes https only; the pattern
 * tells a client so before it asks.
 */
const webhookUrl = /* @__PURE__ */ url().check(
  meta({
    pattern: "^[Hh][Tt][Tt][Pp][Ss]?://",
    description:
      "An https URL (http is accepted only by a local hub run without LANTERN_WEBHOOK_HTTPS_ONLY).",
  }),
);

const hhmmText = /* @__PURE__ */ string().check(regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM"));

export const KeyAdultSchema = /* @__PURE__ */ strictObject({
  sub: requiredText(255).check(meta({ description: "The `sub` of this person's access tokens." })),
  name: requiredText(200),
  email: optional(email("must be an email address").check(maxLength(254))).check(
    meta({ description: "Where the hub emails this Key Adult when a notification arrives (GOV.UK Notify)." }),
  ),
  mobile: optional(
    text(32).check(
      refine((m) => ukMobile(m) !== null, "must be a UK mobile number (07..., +447...)"),
      overwrite((m) => ukMobile(m) ?? m),
    ),
  ).check(
    meta({
      // A subset of what ukMobile takes (it also takes 0044, (0) and dashes), so a client
      // that follows the document is never refused.
      pattern: "^(?:\\+447|07)\\d{3} ?\\d{6}$",
      description:
        "A UK mobile number (07700 900123 or +447700900123; spaces, dashes, 0044 and (0) are also taken), stored in E.164 (+447...): texted once, 30 minutes before the school's day starts, while a notification is unopened.",
    }),
  ),
}).register(globalRegistry, {
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

export const PartnerSchema = /* @__PURE__ */ strictObject({
  id: slug,
  name: requiredText(200),
  type: enumOf(PARTNER_TYPES),
  areas: array(slug).check(maxLength(100)),
  clientIds: array(clientId).check(maxLength(20)),
  governance: optional(boolean()).check(
    meta({
      description:
        "Information governance: only clients of such a partner are honoured the management and audit scopes (default false).",
    }),
  ),
  webhook: optional(nullable(strictObject({ url: webhookUrl }))),
  escalationContact: optional(
    nullable(
      strictObject({
        name: requiredText(200),
        phone: optional(text(32)),
        email: optional(text(254)),
        webhook: optional(strictObject({ url: webhookUrl })),
      }),
    ),
  ).check(
    meta({
      description:
        "Who hears when a notification to this partner is overdue; pushed notification.overdue if it has a webhook.",
    }),
  ),
  schoolDayStartsAt: optional(hhmmText).check(
    meta({
      description:
        "A school's own start of the school day (HH:MM, Europe/London): `next_school_day` routes to it fall due then instead of at the rule's `at`.",
    }),
  ),
  closures: optional(array(iso.date()).check(maxLength(100))).check(
    meta({
      description:
        "Dates (YYYY-MM-DD) a school is closed though the area's schools are open (INSET days): not school days for its notifications.",
    }),
  ),
  keyAdults: optional(
    array(KeyAdultSchema).check(
      maxLength(50),
      refine(
        (adults) => adults.filter((k) => k.email || k.mobile).length <= MAX_ALERTED_KEY_ADULTS,
        `at most ${MAX_ALERTED_KEY_ADULTS} Key Adults may have an email or mobile`,
      ),
    ),
  ).check(
    meta({
      description:
        "A school's trained Key Adults, by their token `sub`. When listed, only they may open, acknowledge or record an outcome on the school's notifications (others: 403 `not_a_key_adult`). With GOV.UK Notify configured, each with an `email` is emailed when a notification arrives and each with a `mobile` texted before the school's day while it is unopened (at most 5 with either). Their `email` and `mobile` are shown only to governance partners and the school itself.",
    }),
  ),
})
  .check(
    superRefine((partner, ctx) => {
      for (const member of SCHOOL_ONLY) {
        if (partner[member] !== undefined && partner.type !== "school") {
          ctx.addIssue({ code: "custom", path: [member], message: "is for school partners only" });
        }
      }
    }),
  )
  .register(globalRegistry, {
    id: "Partner",
    description: "`schoolDayStartsAt`, `closures` and `keyAdults` are for partners of type `school` only.",
  });
export type Partner = Infer<typeof PartnerSchema>;

export const AgeRangeSchema = /* @__PURE__ */ strictObject({
  min: int().check(gte(0), lte(24)),
  max: int().check(gte(0), lte(24)),
})
  .check(refine((r) => r.min <= r.max, { message: "min must not exceed max", path: ["max"] }))
  .register(globalRegistry, {
    id: "AgeRange",
    description: "Whole years of age at the time of disclosure, inclusive; `min` at most `max`.",
  });

const agreementTermsShape = {
  title: requiredText(200),
  purposes: array(requiredText(100)).check(minLength(1), maxLength(20)),
  lawfulBasis: array(requiredText(200)).check(minLength(1), maxLength(20)),
  concernTypes: array(enumOf(CONCERN_TYPES)).check(minLength(1)),
  dataCategories: array(enumOf(DATA_CATEGORIES)).check(minLength(1)),
  ageRange: AgeRangeSchema,
  areas: array(slug).check(minLength(1), maxLength(100)),
  validFrom: dateTime,
  validTo: dateTime.check(meta({ description: "After `validFrom`." })),
  retentionDays: int().check(gte(1), lte(36_500)),
};

const validityInOrder = () =>
  refine<{ validFrom: string; validTo: string }>((t) => Date.parse(t.validTo) > Date.parse(t.validFrom), {
    message: "validTo must be after validFrom",
    path: ["validTo"],
  });

export const AgreementTermsSchema = /* @__PURE__ */ strictObject(agreementTermsShape)
  .check(validityInOrder())
  .register(globalRegistry, {
    id: "AgreementTerms",
    description: "The terms of one version of a data-sharing agreement.",
  });
export type AgreementTerms = Infer<typeof AgreementTermsSchema>;

/** A draft's terms may be changed member by member; the result is validated whole. */
export const AgreementTermsPatchSchema = /* @__PURE__ */ partial(strictObject(agreementTermsShape)).register(
  globalRegistry,
  { id: "AgreementTermsPatch" },
);

export const AgreementCreateSchema = /* @__PURE__ */ strictObject({
  id: slug,
  discloserId: slug.check(meta({ description: "A registered partner's id." })),
  recipientId: slug.check(meta({ description: "A registered partner's id." })),
  ...agreementTermsShape,
})
  .check(validityInOrder())
  .register(globalRegistry, { id: "AgreementCreate" });
export type AgreementCreate = Infer<typeof AgreementCreateSchema>;

export const AgreementVersionSchema = /* @__PURE__ */ object({
  version: int().check(gte(1)),
  status: enumOf(AGREEMENT_STATUSES),
  title: optional(string()),
  purposes: array(string()),
  lawfulBasis: array(string()),
  concernTypes: array(enumOf(CONCERN_TYPES)),
  dataCategories: array(enumOf(DATA_CATEGORIES)),
  ageRange: object({ min: int(), max: int() }),
  areas: array(string()),
  validFrom: string(),
  validTo: string(),
  retentionDays: int(),
  createdAt: string(),
  statusChangedAt: string(),
}).register(globalRegistry, { id: "AgreementVersion" });
export type AgreementVersion = Infer<typeof AgreementVersionSchema>;

export const AgreementSchema = /* @__PURE__ */ object({
  id: slug,
  title: string(),
  discloserId: slug,
  recipientId: slug,
  versions: array(AgreementVersionSchema),
}).register(globalRegistry, { id: "Agreement" });
export type Agreement = Infer<typeof AgreementSchema>;

const isoDuration = /* @__PURE__ */ string().check(
  maxLength(32),
  refine(
    (d) => parseDuration(d) !== null && (parseDuration(d) ?? 0) > 0,
    "must be a positive ISO 8601 duration",
  ),
  refine((d) => (parseDuration(d) ?? 0) <= MAX_DURATION_MS, "must be at most 366 days (P366D)"),
  meta({
    description:
      "ISO 8601 duration in weeks, days, hours, minutes, seconds (no years or months: their length varies), above zero; its parts together at most 366 days (P366D).",
    // The syntax parseDuration reads, with some part above zero.
    pattern:
      "^P(?=\\d|T\\d)(?=.*[1-9])(?:\\d+W)?(?:\\d+D)?(?:T(?=\\d)(?:\\d+H)?(?:\\d+M)?(?:\\d+(?:\\.\\d+)?S)?)?$",
  }),
);

const workingHoursFlag = /* @__PURE__ */ optional(boolean()).check(
  meta({
    description: "Count the duration in the area's working hours (default 08:00-18:00 Mon-Fri, no holidays).",
  }),
);

const hhmm = /* @__PURE__ */ string().check(regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM"));
const isoDay = /* @__PURE__ */ iso.date();

export const CalendarSchema = /* @__PURE__ */ strictObject({
  holidays: array(isoDay).check(
    maxLength(400),
    meta({ description: "Bank holidays: neither school days nor working days." }),
  ),
  schoolHolidays: array(isoDay).check(
    maxLength(1000),
    meta({ description: "Half terms, INSET days: not school days." }),
  ),
  workingHours: strictObject({ start: hhmm, end: hhmm }).check(
    refine((w) => w.start < w.end, { message: "end must be after start", path: ["end"] }),
    meta({ description: "`end` after `start`." }),
  ),
}).register(globalRegistry, { id: "Calendar" });

export const DueRuleSchema = /* @__PURE__ */ discriminatedUnion("kind", [
  strictObject({
    kind: literal("next_school_day"),
    at: string().check(regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM")),
  }),
  strictObject({
    kind: literal("by_risk"),
    red: isoDuration,
    amber: isoDuration,
    green: isoDuration,
    workingHours: workingHoursFlag,
  }),
  strictObject({ kind: literal("after"), duration: isoDuration, workingHours: workingHoursFlag }),
]).register(globalRegistry, { id: "DueRule" });
export type DueRule = Infer<typeof DueRuleSchema>;

export const RecipientSelectorSchema = /* @__PURE__ */ union([
  strictObject({ resolve: literal("subject_school") }),
  strictObject({ resolve: literal("area"), type: enumOf(PARTNER_TYPES) }),
  strictObject({ partnerId: slug }),
]).register(globalRegistry, { id: "RecipientSelector" });
export type RecipientSelector = Infer<typeof RecipientSelectorSchema>;

export const RoutingRuleSchema = /* @__PURE__ */ strictObject({
  id: slug,
  // Rule validation refuses a concern type listed twice; the document says so too.
  concernTypes: array(enumOf(CONCERN_TYPES)).check(minLength(1), meta({ uniqueItems: true })),
  conditions: optional(
    strictObject({ ageRange: optional(AgeRangeSchema), lookedAfter: optional(boolean()) }),
  ),
  recipient: RecipientSelectorSchema,
  dataCategories: array(enumOf(DATA_CATEGORIES)).check(minLength(1)),
  due: DueRuleSchema,
  purpose: optional(text(100)).check(meta({ description: "Defaults to `safeguarding`." })),
}).register(globalRegistry, { id: "RoutingRule" });
export type RoutingRule = Infer<typeof RoutingRuleSchema>;
