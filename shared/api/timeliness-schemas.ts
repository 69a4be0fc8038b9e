import { z } from "zod";
import { dateTime } from "../domain/text.js";

/** The timeliness figures: who heard in time, who was late, and the Encompass figure per school. */

export const TimelinessQuerySchema = /* @__PURE__ */ z.object({ from: dateTime, to: dateTime }).strict();

export const TimelinessSchema = /* @__PURE__ */ z
  .object({
    from: z.string(),
    to: z.string(),
    items: z.array(
      z.object({
        recipientId: z.string(),
        concernType: z.string(),
        notifications: z.int(),
        acknowledgedInTime: z.int(),
        acknowledgedLate: z.int(),
        overdue: z.int(),
        medianSecondsToAcknowledge: z.number().nullable(),
        p90SecondsToAcknowledge: z.number().nullable(),
      }),
    ),
    encompass: z
      .array(
        z.object({
          schoolId: z.string(),
          notifications: z.int(),
          acknowledgedBeforeSchoolDay: z.int(),
          acknowledgedAfterSchoolDayStarted: z.int(),
          notAcknowledged: z.int(),
        }),
      )
      .meta({
        description:
          "Operation Encompass, per school: domestic abuse notifications created in [from, to], and how many were acknowledged before the school's day started (its `schoolDayStartsAt`, else the rule's `at`, which is the notification's `dueBy`). The figure a force reports.",
      }),
  })
  .meta({ id: "TimelinessFigures" });
