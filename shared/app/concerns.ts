import type { ResponseBody } from "../api/operations.js";
import { notFound } from "../errors.js";
import type { ConcernStore, NotificationRecord } from "../ports.js";
import type { Caller } from "./context.js";
import { pick } from "./views.js";

/** Where one notification stands, as the receipt and the concern view both show it. */
export function notificationSummary(n: NotificationRecord) {
  return pick(n, ["id", "recipientId", "agreement", "dataCategories", "dueBy", "status", "breakGlass"]);
}

/**
 * A concern as its discloser sees it: what was submitted, and where each notification stands
 * now (overdue ones included), so the force can chase a partner that has not responded.
 */
export async function readConcern(
  store: ConcernStore,
  caller: Caller,
  id: string,
): Promise<ResponseBody<"readConcern", 200>> {
  const concern = await store.getConcern(id);
  if (!concern || concern.discloserId !== caller.partner.id) throw notFound("No such concern.");
  const notifications = await store.getNotifications(concern.notificationIds);
  const byId = new Map(notifications.map((n) => [n.id, n]));
  return {
    ...pick(concern, [
      "id",
      "subjectId",
      "receivedAt",
      "submittedBy",
      "concernType",
      "riskRating",
      "area",
      "occurredAt",
    ]),
    concern: concern.body,
    breakGlass: concern.breakGlass,
    eraseAfter: concern.eraseAfter ?? null,
    erasedAt: concern.erasedAt ?? null,
    notifications: concern.notificationIds.flatMap((nid) => {
      const n = byId.get(nid);
      if (!n) return [];
      return [
        {
          ...notificationSummary(n),
          acknowledgedAt: n.acknowledgedAt,
          outcome: n.outcome ? { outcome: n.outcome.outcome, recordedAt: n.outcome.recordedAt } : null,
        },
      ];
    }),
    refusals: concern.refusals,
    withheld: concern.withheld ?? [],
    unresolvedRoutes: concern.unresolvedRoutes,
  };
}
