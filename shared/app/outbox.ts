import { ACCEPTED } from "../domain/vocabulary.js";
import { nextAttemptAt } from "../domain/webhook.js";
import type { Delivery, DeliveryAttempt } from "../ports.js";

/**
 * The outbox's one retry rule, for webhooks and alerts alike: a message sent and accepted is done; a
 * permanent failure ends it; any other failure is tried again on the schedule, measured from
 * the first attempt, until the schedule runs out.
 */
export function settle(
  claimed: Delivery,
  attempts: DeliveryAttempt[],
  outcome: "sent" | "retry" | "permanent",
  schedule: readonly number[] | undefined,
  now: Date,
): Delivery {
  const tried = { ...claimed, attempts };
  if (outcome === "sent") return { ...tried, status: ACCEPTED, nextAttemptAt: null };
  if (outcome === "permanent") return { ...tried, status: "failed", nextAttemptAt: null };
  const retries = claimed.retries + 1;
  const first = new Date(attempts[0]?.at ?? now.toISOString());
  const next = nextAttemptAt(first, retries, schedule);
  return {
    ...tried,
    retries,
    status: next ? "pending" : "failed",
    nextAttemptAt: next?.toISOString() ?? null,
  };
}
