import {
  array,
  discriminatedUnion,
  enum as enumOf,
  globalRegistry,
  int,
  literal,
  meta,
  nullable,
  number,
  object,
  optional,
  string,
} from "zod/mini";
import { DELIVERY_STATUSES } from "../domain/vocabulary.js";

/** A push message in the outbox, as `GET /v1/notifications/{id}/deliveries` lists it. */
export const DeliverySchema = /* @__PURE__ */ object({
  id: string().check(meta({ description: "The webhook-id: the same on every attempt." })),
  partnerId: string(),
  notificationId: string(),
  type: enumOf([
    "notification.created",
    "notification.overdue",
    "notification.recalled",
    "notification.reminder",
  ]),
  body: string().check(
    meta({
      description:
        "A webhook's JSON body; for an alert, the GOV.UK Notify personalisation as JSON (subject_line, message, discloser, due, link): nothing about the child.",
    }),
  ),
  url: string().check(
    meta({
      description: "Where the latest attempt went: each attempt uses its owner's URL as it is then.",
    }),
  ),
  owner: optional(enumOf(["partner", "escalation_contact"])).check(
    meta({ description: "Whose webhook this message goes to, signed with that owner's own secret." }),
  ),
  createdAt: string(),
  status: enumOf(DELIVERY_STATUSES).check(
    meta({
      description:
        "`scheduled`: a reminder text waiting for its time (`nextAttemptAt`), or for the retry of a send that failed (so the sweep checks again that it is unopened); `cancelled` (last error `not_needed`): an alert no longer needed when its time came (a reminder for a notification already opened, acknowledged or recalled; an overdue email for one acknowledged, closed or recalled since; any alert for one recalled).",
    }),
  ),
  attempts: array(
    object({
      at: string(),
      status: nullable(int()),
      error: nullable(string()),
      durationMs: number(),
      notifyId: optional(nullable(string())).check(
        meta({ description: "An alert's GOV.UK Notify notification id, once Notify accepted it." }),
      ),
    }),
  ),
  retries: int(),
  nextAttemptAt: nullable(string()),
  leasedUntil: optional(string()).check(
    meta({
      description:
        "Only while a worker is sending it: when that worker's claim runs out (a redelivery leaves it alone until then).",
    }),
  ),
  dueBy: string(),
  alert: optional(
    object({
      kind: enumOf(["created", "overdue", "reminder"]),
      channel: enumOf(["email", "sms"]),
      to: discriminatedUnion("kind", [
        object({ kind: literal("key_adult"), sub: string() }),
        object({ kind: literal("escalation_contact") }),
      ]),
    }),
  ).check(
    meta({
      description:
        "Present on an alert for a person, sent through GOV.UK Notify: whom (a Key Adult by `sub`, or the escalation contact), never their address, which each attempt reads from the registry. A reminder text's `nextAttemptAt` is 30 minutes before the school's day starts.",
    }),
  ),
}).register(globalRegistry, {
  id: "Delivery",
  description:
    "A message in the durable outbox: a webhook push, or an alert for a person (email or text through GOV.UK Notify), retried on the same schedule.",
});
