import { type EncompassFigure, encompassFigure } from "../domain/encompass.js";
import { isDiscloser } from "../domain/recipients.js";
import type { NotificationRecord } from "../ports.js";
import type { TimelinessDeps } from "./timeliness.js";

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

/** Per partner and concern type: how many, acknowledged in time, overdue, and how fast. */
export async function timelinessFigures(deps: TimelinessDeps, from: string, to: string) {
  const partners = (await deps.registry.listPartners()).filter((p) => !isDiscloser(p));
  const rows = [];
  const encompass: EncompassFigure[] = [];
  for (const partner of partners) {
    const created = await deps.timeliness.notificationsCreated(partner.id, from, to);
    if (partner.type === "school") encompass.push(encompassFigure(partner.id, created));
    const byType = new Map<string, NotificationRecord[]>();
    for (const n of created) byType.set(n.concernType, [...(byType.get(n.concernType) ?? []), n]);
    for (const [concernType, list] of byType) {
      const ackSeconds = list
        .filter((n) => n.acknowledgedAt)
        .map((n) => (Date.parse(n.acknowledgedAt as string) - Date.parse(n.createdAt)) / 1000)
        .sort((a, b) => a - b);
      rows.push({
        recipientId: partner.id,
        concernType,
        notifications: list.length,
        acknowledgedInTime: list.filter((n) => n.acknowledgedAt && n.acknowledgedAt <= n.dueBy).length,
        acknowledgedLate: list.filter((n) => n.acknowledgedAt && n.acknowledgedAt > n.dueBy).length,
        overdue: list.filter((n) => n.status === "overdue").length,
        medianSecondsToAcknowledge: percentile(ackSeconds, 50),
        p90SecondsToAcknowledge: percentile(ackSeconds, 90),
      });
    }
  }
  return { from, to, items: rows, encompass };
}
