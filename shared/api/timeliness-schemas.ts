import { array, globalRegistry, int, meta, nullable, number, object, strictObject, string } from "zod/mini";
import { dateTime } from "../domain/text.js";

/** The timeliness figures: who heard in time, who was late, and the Encompass figure per school. */

export const TimelinessQuerySchema = /* @__PURE__ */ strictObject({ from: dateTime, to: dateTime });

export const TimelinessSchema = /* @__PURE__ */ object({
  from: string(),
  to: string(),
  items: array(
    object({
      recipientId: string(),
      concernType: string(),
      notifications: int(),
      acknowledgedInTime: int(),
      acknowledgedLate: int(),
      overdue: int(),
      medianSecondsToAcknowledge: nullable(number()),
      p90SecondsToAcknowledge: nullable(number()),
    }),
  ),
  encompass: array(
    object({
      schoolId: string(),
      notifications: int(),
      acknowledgedBeforeSchoolDay: int(),
      acknowledgedAfterSchoolDayStarted: int(),
      notAcknowledged: int(),
    }),
  ).check(
    meta({
      description:
        "Operation Encompass, per school: domestic abuse notifications created in [from, to], and how many were acknowledged before the school's day started (its `schoolDayStartsAt`, else the rule's `at`, which is the notification's `dueBy`). The figure a force reports.",
    }),
  ),
}).register(globalRegistry, { id: "TimelinessFigures" });
