import { z } from "zod";
import { isValidNhsNumber, normaliseNhsNumber } from "./subject.js";
import { calendarDate, dateTime, justification, requiredText, slug, text } from "./text.js";
import { CONCERN_TYPES, RISK_RATINGS } from "./vocabulary.js";

/** Where a child is a registered pupil, if anywhere (Domestic Abuse Act 2021 s49A). */
export const EDUCATION_STATUSES = ["on_roll", "home_educated", "not_on_roll"] as const;
export type EducationStatus = (typeof EDUCATION_STATUSES)[number];

/** The consistent identifier (Children Act 2004 s16LC): spaces allowed, stored without them. */
export const NhsNumberSchema = /* @__PURE__ */ z
  .string()
  .max(16)
  .refine(isValidNhsNumber, "must be a 10-digit NHS number with a valid Modulus 11 check digit")
  .transform(normaliseNhsNumber)
  .meta({
    // Not a JSON Schema format: no pattern can state a check digit, so the format names it.
    format: "nhs-number",
    description:
      "NHS number, the consistent identifier of Children Act 2004 s16LC: ten digits (spaces allowed and removed) with a valid Modulus 11 check digit. Part of `identity`.",
    examples: ["9434765919"],
  });

/**
 * The body a police force submits. Every member is validated and unknown members are refused
 * (`.strict()`), because whatever is accepted here may be disclosed to a partner.
 */
export const AddressSchema = /* @__PURE__ */ z
  .object({
    line1: requiredText(200),
    line2: text(200).optional(),
    town: text(100).optional(),
    postcode: requiredText(16),
    confidential: z.boolean().optional().meta({
      description:
        "A refuge or safe address: disclosed only under `confidential_address`, never under `contact`.",
    }),
  })
  .strict()
  .meta({ id: "Address" });

export const SpecialCategorySchema = /* @__PURE__ */ z
  .object({
    ethnicity: text(200).optional(),
    religion: text(200).optional(),
    health: text(2000).optional(),
  })
  .strict()
  .meta({ id: "SpecialCategory", description: "UK GDPR Art. 9 special category data." });

export const SubjectSchema = /* @__PURE__ */ z
  .object({
    givenName: requiredText(100),
    familyName: requiredText(100),
    dateOfBirth: calendarDate.meta({
      description:
        "Not in the future, and the child at most 24 years old on the day of submission (checked on the hub's clock).",
    }),
    nhsNumber: NhsNumberSchema.optional(),
    address: AddressSchema.optional(),
    schoolId: slug.optional().meta({ description: "The partner id of the child's school, if known." }),
    educationStatus: z.enum(EDUCATION_STATUSES).optional().meta({
      description:
        "`on_roll` (the default when `schoolId` is given), `home_educated` or `not_on_roll`. Encompass routes (`subject_school`) for a home-educated child, one not on a roll, or one with no `schoolId` go to the area's `local_authority` instead.",
    }),
    lookedAfter: z.boolean().optional(),
    specialCategory: SpecialCategorySchema.optional(),
  })
  .strict()
  .meta({ id: "Subject", description: "The child or young person the concern is about." });

export const IncidentSchema = /* @__PURE__ */ z
  .object({
    summary: requiredText(4000),
    location: text(500).optional(),
    crimeReference: text(64).optional(),
    offences: z.array(requiredText(200)).max(50).optional(),
  })
  .strict()
  .meta({ id: "Incident" });

export const VoiceOfChildSchema = /* @__PURE__ */ z
  .object({
    seen: z.boolean(),
    spokenTo: z.boolean(),
    reasonNotSpokenTo: text(500).optional(),
    views: text(4000).optional(),
  })
  .strict()
  .superRefine((voice, ctx) => {
    if (!voice.spokenTo && (voice.reasonNotSpokenTo === undefined || voice.reasonNotSpokenTo.trim() === "")) {
      ctx.addIssue({
        code: "custom",
        path: ["reasonNotSpokenTo"],
        message: "is required when the child was not spoken to",
      });
    }
  })
  .meta({
    id: "VoiceOfChild",
    description:
      "Was the child seen and spoken to, and what did they say or show? Required on every concern. When `spokenTo` is false, `reasonNotSpokenTo` is required and not blank.",
    if: { properties: { spokenTo: { const: false } }, required: ["spokenTo"] },
    // biome-ignore lint/suspicious/noThenProperty: `then` is JSON Schema's if/then keyword, not a thenable.
    then: { required: ["reasonNotSpokenTo"], properties: { reasonNotSpokenTo: { pattern: "\\S" } } },
  });

export const OfficerSchema = /* @__PURE__ */ z
  .object({
    name: requiredText(200),
    collarNumber: text(32).optional(),
    phone: text(32).optional(),
    email: text(254).optional(),
  })
  .strict()
  .meta({ id: "Officer", description: "Who the partner calls back." });

export const BreakGlassSchema = /* @__PURE__ */ z
  .object({
    justification: justification(
      30,
      2000,
      "must be at least 30 characters: say why the child is at immediate risk",
    ),
  })
  .strict()
  .meta({
    id: "BreakGlass",
    description: "Share with routed recipients that have no authorising agreement.",
  });

export const WithholdSchema = /* @__PURE__ */ z
  .object({
    recipientId: slug,
    justification: justification(
      30,
      2000,
      "must be at least 30 characters: say why telling this recipient would be more detrimental to the child",
    ),
  })
  .strict()
  .meta({
    id: "Withhold",
    description:
      "A decision not to tell a routed recipient: sharing would be more detrimental to the child than not sharing (Children Act 2004 s16LA). Audited as `disclosure_withheld` (reason `more_detrimental`, without the justification) and listed for IG review.",
  });

export const ConcernSubmissionSchema = /* @__PURE__ */ z
  .object({
    concernType: z.enum(CONCERN_TYPES),
    riskRating: z.enum(RISK_RATINGS),
    occurredAt: dateTime.meta({ description: "Not in the future (checked on the hub's clock)." }),
    area: slug.meta({ description: "Local authority area code, e.g. `essex`." }),
    subject: SubjectSchema,
    incident: IncidentSchema.optional(),
    riskFactors: z.array(requiredText(200)).max(50).optional(),
    voiceOfChild: VoiceOfChildSchema,
    officer: OfficerSchema.optional(),
    breakGlass: BreakGlassSchema.optional(),
    withhold: z.array(WithholdSchema).max(20).optional().meta({
      description: "Each `recipientId` must be a recipient this concern routes to.",
    }),
  })
  .strict()
  .meta({ id: "ConcernSubmission" });

export type ConcernSubmission = z.infer<typeof ConcernSubmissionSchema>;
export type Subject = z.infer<typeof SubjectSchema>;
