import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { notifySender } from "../shared/adapters/notify-sender.js";
import { deliverDue, RECEIVER_TIMEOUT_MS, type TimelinessDeps } from "../shared/app/timeliness.js";
import { jsonLogger } from "../shared/http/log.js";
import type { OutboxQueue } from "../shared/ports.js";
import { sendAlertsWith, wired } from "./wiring.js";

// This function (and the sweeper, which imports it) sends alerts: it alone bundles Notify's client.
sendAlertsWith(notifySender);

const log = jsonLogger();

/** Rounds of `deliverDue` one invocation may run before it leaves the rest to the next. */
const MAX_ROUNDS = 10;
/** Start a round only with room for a receiver that answers at the last moment, and saving. */
const ROUND_HEADROOM_MS = RECEIVER_TIMEOUT_MS + 10_000;

/** The wiring as the timeliness use cases want it (as the local hub's clockwork builds it). */
export function timelinessDeps(): TimelinessDeps {
  return wired();
}

/**
 * Send what is due in each queue, round after round, while rounds find work and time
 * remains. Each round claims up to a batch of messages by lease (conditional puts), so
 * concurrent invocations never send one message at once. Returns how many attempts were made.
 */
export async function drainOutbox(
  deps: TimelinessDeps,
  remainingMs: () => number,
  queues: readonly OutboxQueue[] = ["webhooks"],
): Promise<number> {
  let attempted = 0;
  for (const queue of queues) {
    for (let round = 0; round < MAX_ROUNDS && remainingMs() > ROUND_HEADROOM_MS; round++) {
      const sent = await deliverDue(deps, queue);
      attempted += sent;
      if (sent === 0) break;
    }
  }
  return attempted;
}

/**
 * This function is the only one that sends alerts for people (only its role may read the
 * Notify key), so it drains the alert queue too when Notify is configured.
 */
const queues = (): OutboxQueue[] => (wired().alerts ? ["webhooks", "alerts"] : ["webhooks"]);

/**
 * The push outbox's fast path: the data table's stream, filtered to INSERTs of `DELIVERY#`
 * items (keys only: no record here holds anything about a child), wakes this function so a
 * new message's first attempt goes out within seconds. The records are only a signal: the
 * function sends whatever is due in the outbox (the durable queue), not the records' items.
 * On failure it reports the batch's first record, so Lambda retries the batch and, when its
 * retries run out, puts the batch's stream positions on the SQS dead-letter queue (which
 * pages). Nothing is lost either way: the sweeper sends every due message each minute. The
 * log line carries counts only.
 */
export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  // The minute's schedule (alert retries) sends an event with no records.
  const triggers = event.Records?.length ?? 0;
  try {
    const attempted = await drainOutbox(timelinessDeps(), () => context.getRemainingTimeInMillis(), queues());
    log.info("delivery", { triggers, attempted });
    return { batchItemFailures: [] };
  } catch (error: unknown) {
    log.error("delivery failed", { triggers, error: error instanceof Error ? error.name : "unknown" });
    const first = event.Records?.[0]?.dynamodb?.SequenceNumber;
    return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
  }
}
