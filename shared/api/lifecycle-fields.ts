import { z } from "zod";

/** Members the life of a disclosure adds to notifications and concerns as their owners see them. */

export const NOTIFICATION_LIFE_FIELDS = {
  retainUntil: z.string().nullable().meta({
    description:
      "createdAt plus the agreement version's retentionDays (break glass: LANTERN_BREAK_GLASS_RETENTION_DAYS); within one sweep after it, payload and note are erased.",
  }),
  erasedAt: z
    .string()
    .nullable()
    .meta({ description: "When the payload and note were erased (retention or recall)." }),
  recalledAt: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()).nullable().optional().meta({
    description:
      "The minimised concern: only the members the categories the agreement grants now cover (of those it was made with); null once erased.",
  }),
};

export const CONCERN_LIFE_FIELDS = {
  concern: z.record(z.string(), z.unknown()).nullable().meta({
    description: "The concern as submitted; null once erased after LANTERN_CONCERN_RETENTION_DAYS.",
  }),
  eraseAfter: z.string().nullable(),
  erasedAt: z.string().nullable(),
};

/** The subject-access report's recalls and erasures, in the report's own entry shape. */
export const lifeReport = <T extends z.ZodType>(entry: T) => ({
  recalls: z.array(entry).meta({ description: "Disclosures IG withdrew (disclosure_recalled)." }),
  erasures: z
    .array(entry)
    .meta({ description: "Content erased at the end of its retention (content_erased)." }),
});
