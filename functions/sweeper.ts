import type { Context } from "aws-lambda";
import { sweepBreaches } from "../shared/app/breaches.js";
import { sweepErasures } from "../shared/app/retention.js";
import { sweepOverdue } from "../shared/app/timeliness.js";
import { METRICS } from "../shared/config.js";
import { jsonLogger } from "../shared/http/log.js";
import { emfLine } from "../shared/http/metrics.js";
import { drainOutbox, timelinessDeps } from "./deliverer.js";
import { wired } from "./wiring.js";

const log = jsonLogger();

/** Overdue notifications marked per run, as a CloudWatch metric (EMF) the stack alarms on. */
const OVERDUE_METRIC = METRICS.overdue;

export function overdueMetricLine(overdue: number, now: Date): string {
  return emfLine(OVERDUE_METRIC, overdue, now);
}

/**
 * Runs every minute (an EventBridge schedule), as the local hub's clockwork does: marks every
 * notification not acknowledged by its due time overdue (one `deadline_missed` audit event,
 * an escalation and a `notification.overdue` message each, in one transaction), then sends
 * every push message that is due: retries, and any first attempt the deliverer's stream
 * missed. The log line carries counts only. A failure throws, so the function's error alarm
 * sees it; the next minute tries again (each step is safe to repeat).
 */
export async function handler(_event: unknown, context: Context): Promise<void> {
  const deps = timelinessDeps();
  // Each step has its share of the invocation, so no backlog starves the outbox after it.
  const share = (part: number) => Date.now() + context.getRemainingTimeInMillis() * part;
  const overdue = await sweepOverdue(deps, share(1 / 4));
  // Breaches past their 72 hours undecided: one deadline_missed event each.
  const breachesOverdue = await sweepBreaches({ ...deps, breaches: wired().breaches }, share(1 / 6));
  // Content past its retention; a larger backlog is worked off over the next minutes.
  const erased = await sweepErasures(wired(), deps.clock.now(), share(1 / 3));
  const attempted = await drainOutbox(deps, () => context.getRemainingTimeInMillis());
  log.info("sweep", { overdue, breachesOverdue, erased, attempted });
  // Written as it is: EMF needs the JSON line without the runtime's log prefix.
  process.stdout.write(`${overdueMetricLine(overdue, new Date())}\n`);
}
