import {
  array,
  boolean,
  enum as enumOf,
  globalRegistry,
  type infer as Infer,
  maxLength,
  meta,
  optional,
  pipe,
  refine,
  strictObject,
  string,
  superRefine,
  transform,
} from "zod/mini";
import { isValidNhsNumber, normaliseNhsNumber } from "./subject.js";
import { calendarDate, dateTime, justification, requiredText, slug, text } from "./text.js";
import { CONCERN_TYPES, RISK_RATINGS } from "./vocabulary.js";

/** Where a child is a registered pupil, if anywhere (Domestic Abuse Act 2021 s49A). */
export const EDUCATION_STATUSES = ["on_roll", "home_educated", "not_on_roll"] as const;
export type EducationStatus = (typeof EDUCATION_STATUSES)[number];

/** The consistent identifier (Children Act 2004 s16LC): spaces allowed, stored without them. */
export const NhsNumberSchema = /* @__PURE__ */ pipe(
  string().check(
    maxLength(16),
    refine(isValidNhsNumber, "must be a 10-digit NHS number with a valid Modulus 11 check digit"),
  ),
  transform(normaliseNhsNumber),
).check(
  meta({
    // Not a JSON Schema format: no pattern can state a check digit, so the format names it.
    format: "nhs-number",
    description:
      "NHS number, the consistent identifier of Children Act 2004 s16LC: ten digits (spaces allowed and removed) with a valid Modulus 11 check digit. Part of `identity`.",
    examples: ["9434765919"],
  }),
);

/**
 * The body a police force submits. Every member is validated and unknown members are refused
 * (`strictObject`), because whatever is accepted here may be disclosed to a partner.
 */
export const AddressSchema = /* @__PURE__ */ strictObject({
  line1: requiredText(200),
  line2: optional(text(200)),
  town: optional(text(100)),
  postcode: requiredText(16),
  confidential: optional(boolean()).check(
    meta({
      description:
        "A refuge or safe address: disclosed only under `confidential_address`, never under `contact`.",
    }),
  ),
}).register(globalRegistry, { id: "Address" });

export const SpecialCategorySchema = /* @__PURE__ */ strictObject({
  ethnicity: optional(text(200)),
  religion: optional(text(200)),
  health: optional(text(2000)),
}).register(globalRegistry, { id: "SpecialCategory", description: "UK GDPR Art. 9 special category data." });

export const SubjectSchema = /* @__PURE__ */ strictObject({
  givenName: requiredText(100),
  familyName: requiredText(100),
  dateOfBirth: calendarDate.check(
    meta({
      description:
        "Not in the future, and the child at most 24 years old on the day of submission (checked on the hub's clock).",
    }),
  ),
  nhsNumber: optional(NhsNumberSchema),
  address: optional(AddressSchema),
  schoolId: optional(slug).check(meta({ description: "The partner id of the child's school, if known." })),
  educationStatus: optional(enumOf(EDUCATION_STATUSES)).check(
    meta({
      description:
        "`on_roll` (the default when `schoolId` is given), `home_educated` or `not_on_roll`. Encompass routes (`subject_school`) for a home-educated child, one not on a roll, or one with no `schoolId` go to the area's `local_authority` instead.",
    }),
  ),
  lookedAfter: optional(boolean()),
  specialCategory: optional(SpecialCategorySchema),
}).register(globalRegistry, {
  id: "Subject",
  description: "The child or young person the concern is about.",
});

export const IncidentSchema = /* @__PURE__ */ strictObject({
  summary: requiredText(4000),
  location: optional(text(500)),
  crimeReference: optional(text(64)),
  offences: optional(array(requiredText(200)).check(maxLength(50))),
}).register(globalRegistry, { id: "Incident" });

export const VoiceOfChildSchema = /* @__PURE__ */ strictObject({
  seen: boolean(),
  spokenTo: boolean(),
  reasonNotSpokenTo: optional(text(500)),
  views: optional(text(4000)),
})
  .check(
    superRefine((voice, ctx) => {
      if (
        !voice.spokenTo &&
        (voice.reasonNotSpokenTo === undefined || voice.reasonNotSpokenTo.trim() === "")
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["reasonNotSpokenTo"],
          message: "is required when the child was not spoken to",
        });
      }
    }),
  )
  .register(globalRegistry, {
    id: "VoiceOfChild",
    description:
      "Was the child seen and spoken to, and what did they say or show? Required on every concern. When `spokenTo` is false, `reasonNotSpokenTo` is required and not blank.",
    if: { properties: { spokenTo: { const: false } }, required: ["spokenTo"] },
    // biome-ignore lint/suspicious/noThenProperty: `then` is JSON Schema's if/then keyword, not a thenable.
    then: { required: ["reasonNotSpokenTo"], properties: { reasonNotSpokenTo: { pattern: "\\S" } } },
  });

export const OfficerSchema = /* @__PURE__ */ strictObject({
  name: requiredText(200),
  collarNumber: optional(text(32)),
  phone: optional(text(32)),
  email: optional(text(254)),
}).register(globalRegistry, { id: "Officer", description: "Who the partner calls back." });

export const BreakGlassSchema = /* @__PURE__ */ strictObject({
  justification: justification(
    30,
    2000,
    "must be at least 30 characters: say why the child is at immediate risk",
  ),
}).register(globalRegistry, {
  id: "BreakGlass",
  description: "Share with routed recipients that have no authorising agreement.",
});

export const WithholdSchema = /* @__PURE__ */ strictObject({
  recipientId: slug,
  justification: justification(
    30,
    2000,
    "must be at least 30 characters: say why telling this recipient would be more detrimental to the child",
  ),
}).register(globalRegistry, {
  id: "Withhold",
  description:
    "A decision not to tell a routed recipient: sharing would be more detrimental to the child than not sharing (Children Act 2004 s16LA). Audited as `disclosure_withheld` (reason `more_detrimental`, without the justification) and listed for IG review.",
});

export const ConcernSubmissionSchema = /* @__PURE__ */ strictObject({
  concernType: enumOf(CONCERN_TYPES),
  riskRating: enumOf(RISK_RATINGS),
  occurredAt: dateTime.check(meta({ description: "Not in the future (checked on the hub's clock)." })),
  area: slug.check(meta({ description: "Local authority area code, e.g. `essex`." })),
  subject: SubjectSchema,
  incident: optional(IncidentSchema),
  riskFactors: optional(array(requiredText(200)).check(maxLength(50))),
  voiceOfChild: VoiceOfChildSchema,
  officer: optional(OfficerSchema),
  breakGlass: optional(BreakGlassSchema),
  withhold: optional(array(WithholdSchema).check(maxLength(20))).check(
    meta({
      description: "Each `recipientId` must be a recipient this concern routes to.",
    }),
  ),
}).register(globalRegistry, { id: "ConcernSubmission" });

export type ConcernSubmission = Infer<typeof ConcernSubmissionSchema>;
export type Subject = Infer<typeof SubjectSchema>;
