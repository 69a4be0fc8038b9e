import { z } from "zod";

/** A push message in the outbox, as `GET /v1/notifications/{id}/deliveries` lists it. */
export const DeliverySchema = z
  .object({
    id: z.string().meta({ description: "The webhook-id: the same on every attempt." }),
    partnerId: z.string(),
    notificationId: z.string(),
    type: z.enum(["notification.created", "notification.overdue", "notification.recalled"]),
    body: z.string(),
    url: z.string().meta({
      description: "Where the latest attempt went: each attempt uses its owner's URL as it is then.",
    }),
    owner: z
      .enum(["partner", "escalation_contact"])
      .optional()
      .meta({ description: "Whose webhook this message goes to, signed with that owner's own secret." }),
    createdAt: z.string(),
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.array(
      z.object({
        at: z.string(),
        status: z.int().nullable(),
        error: z.string().nullable(),
        durationMs: z.number(),
      }),
    ),
    retries: z.int(),
    nextAttemptAt: z.string().nullable(),
    dueBy: z.string(),
  })
  .meta({ id: "Delivery" });
