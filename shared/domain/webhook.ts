import { createHmac, randomInt } from "node:crypto";

/**
 * Push delivery as the Standard Webhooks specification has it: `webhook-id` (the same on
 * every retry), `webhook-timestamp` (Unix seconds), and `webhook-signature`: `v1,` + base64
 * HMAC-SHA256 over `{id}.{timestamp}.{body}`, keyed with the base64-decoded part of the
 * secret after `whsec_`. During a rotation both secrets sign, separated by a space.
 */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`, "utf8").digest("base64")}`;
}

export function signatureHeader(
  secrets: { current: string; previous: string | null; previousValidUntil: string | null },
  id: string,
  timestamp: number,
  body: string,
  now: Date,
): string {
  const signatures = [sign(secrets.current, id, timestamp, body)];
  if (
    secrets.previous &&
    secrets.previousValidUntil &&
    Date.parse(secrets.previousValidUntil) > now.getTime()
  ) {
    signatures.push(sign(secrets.previous, id, timestamp, body));
  }
  return signatures.join(" ");
}

/** Retries after the first attempt, as the contract lists them: about 5 s, 1 min ... 10 h. */
export const RETRY_SCHEDULE_MS = [5_000, 60_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000];

/**
 * When attempt `n` (1-based: 1 is the first retry) is due, from the first attempt, with up
 * to 10% jitter so many failing receivers do not retry in step. Null after the last.
 */
export function nextAttemptAt(
  firstAttemptAt: Date,
  retry: number,
  schedule: readonly number[] = RETRY_SCHEDULE_MS,
  jitter = (max: number) => randomInt(max + 1),
): Date | null {
  const delay = schedule[retry - 1];
  if (delay === undefined) return null;
  return new Date(firstAttemptAt.getTime() + delay + jitter(Math.floor(delay / 10)));
}

/** The thin body: what happened and where to fetch it; never the child's data. */
export function webhookBody(
  type: "notification.created" | "notification.overdue" | "notification.recalled",
  at: Date,
  notification: { id: string; dueBy: string },
): string {
  return JSON.stringify({
    type,
    timestamp: at.toISOString(),
    data: {
      notificationId: notification.id,
      dueBy: notification.dueBy,
      href: `/v1/notifications/${notification.id}`,
    },
  });
}
