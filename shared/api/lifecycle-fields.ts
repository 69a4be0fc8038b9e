import { array, meta, nullable, optional, record, string, unknown, type ZodMiniType } from "zod/mini";

/** Members the life of a disclosure adds to notifications and concerns as their owners see them. */

export const NOTIFICATION_LIFE_FIELDS = {
  retainUntil: nullable(string()).check(
    meta({
      description:
        "createdAt plus the agreement version's retentionDays (break glass: LANTERN_BREAK_GLASS_RETENTION_DAYS); within one sweep after it, payload and note are erased.",
    }),
  ),
  erasedAt: nullable(string()).check(
    meta({ description: "When the payload and note were erased (retention or recall)." }),
  ),
  recalledAt: nullable(string()),
  payload: optional(nullable(record(string(), unknown()))).check(
    meta({
      description:
        "The minimised concern: only the members the categories the agreement grants now cover (of those it was made with); null once erased.",
    }),
  ),
};

export const CONCERN_LIFE_FIELDS = {
  concern: nullable(record(string(), unknown())).check(
    meta({
      description: "The concern as submitted; null once erased after LANTERN_CONCERN_RETENTION_DAYS.",
    }),
  ),
  eraseAfter: nullable(string()),
  erasedAt: nullable(string()),
};

/** The subject-access report's recalls and erasures, in the report's own entry shape. */
export const lifeReport = <T extends ZodMiniType>(entry: T) => ({
  recalls: array(entry).check(meta({ description: "Disclosures IG withdrew (disclosure_recalled)." })),
  erasures: array(entry).check(
    meta({ description: "Content erased at the end of its retention (content_erased)." }),
  ),
});
