import { z } from "zod";
import { DELIVERY_STATUSES } from "../domain/vocabulary.js";

/** A push message in the outbox, as `GET /v1/notifications/{id}/deliveries` lists it. */
export const DeliverySchema = /* @__PURE__ */ z
  .object({
    id: z.string().meta({ description: "The webhook-id: the same on every attempt." }),
    partnerId: z.string(),
    notificationId: z.string(),
    type: z.enum([
      "notification.created",
      "notification.overdue",
      "notification.recalled",
      "notification.reminder",
    ]),
    body: z.string().meta({
      description:
        "A webhook's JSON body; for an alert, the GOV.UK Notify personalisation as JSON (subject_line, message, discloser, due, link): nothing about the child.",
    }),
    url: z.string().meta({
      description: "Where the latest attempt went: each attempt uses its owner's URL as it is then.",
    }),
    owner: z
      .enum(["partner", "escalation_contact"])
      .optional()
      .meta({ description: "Whose webhook this message goes to, signed with that owner's own secret." }),
    createdAt: z.string(),
    status: z.enum(DELIVERY_STATUSES).meta({
      description:
        "`scheduled`: a reminder text waiting for its time (`nextAttemptAt`), or for the retry of a send that failed (so the sweep checks again that it is unopened); `cancelled` (last error `not_needed`): an alert no longer needed when its time came (a reminder for a notification already opened, acknowledged or recalled; an overdue email for one acknowledged, closed or recalled since; any alert for one recalled).",
    }),
    attempts: z.array(
      z.object({
        at: z.string(),
        status: z.int().nullable(),
        error: z.string().nullable(),
        durationMs: z.number(),
        notifyId: z.string().nullable().optional().meta({
          description: "An alert's GOV.UK Notify notification id, once Notify accepted it.",
        }),
      }),
    ),
    retries: z.int(),
    nextAttemptAt: z.string().nullable(),
    leasedUntil: z.string().optional().meta({
      description:
        "Only while a worker is sending it: when that worker's claim runs out (a redelivery leaves it alone until then).",
    }),
    dueBy: z.string(),
    alert: z
      .object({
        kind: z.enum(["created", "overdue", "reminder"]),
        channel: z.enum(["email", "sms"]),
        to: z.discriminatedUnion("kind", [
          z.object({ kind: z.literal("key_adult"), sub: z.string() }),
          z.object({ kind: z.literal("escalation_contact") }),
        ]),
      })
      .optional()
      .meta({
        description:
          "Present on an alert for a person, sent through GOV.UK Notify: whom (a Key Adult by `sub`, or the escalation contact), never their address, which each attempt reads from the registry. A reminder text's `nextAttemptAt` is 30 minutes before the school's day starts.",
      }),
  })
  .meta({
    id: "Delivery",
    description:
      "A message in the durable outbox: a webhook push, or an alert for a person (email or text through GOV.UK Notify), retried on the same schedule.",
  });
