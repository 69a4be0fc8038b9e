/**
 * How long the hub holds what it was told and what it told. An agreement states how long the
 * recipient keeps a disclosure; the hub keeps its copy no longer. Audit events hold no
 * personal data and are never erased.
 */

const DAY_MS = 86_400_000;

/** The contract's defaults: break glass has no agreement to say, so 90 days; concerns six years. */
export const DEFAULT_BREAK_GLASS_RETENTION_DAYS = 90;
export const DEFAULT_CONCERN_RETENTION_DAYS = 2190;

/** `createdAt` plus whole days: the moment after which the content is erased. */
export function retainUntil(createdAt: string, retentionDays: number): string {
  return new Date(Date.parse(createdAt) + retentionDays * DAY_MS).toISOString();
}

/**
 * A notification's retention: its agreement version's `retentionDays`, or, for break glass,
 * the hub's break-glass retention.
 */
export function notificationRetainUntil(
  createdAt: string,
  agreementRetentionDays: number | null,
  breakGlassRetentionDays: number,
): string {
  return retainUntil(createdAt, agreementRetentionDays ?? breakGlassRetentionDays);
}

/** UK GDPR Art. 33: a breach is reported to the ICO within 72 hours of becoming aware of it. */
export const BREACH_REPORT_HOURS = 72;

export function breachReportBy(detectedAt: string): string {
  return new Date(Date.parse(detectedAt) + BREACH_REPORT_HOURS * 3_600_000).toISOString();
}
