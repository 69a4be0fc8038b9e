import { CalendarSchema } from "../domain/registry.js";
import { AUTH_ERRORS, ListQuerySchema } from "./common.js";
import type { RouteSpec } from "./routes.js";
import {
  AreaParamsSchema,
  CalendarViewSchema,
  DeliverySchema,
  EscalationQuerySchema,
  EscalationSchema,
  IdParamsSchema,
  page,
} from "./schemas.js";
import { TimelinessQuerySchema, TimelinessSchema } from "./timeliness-schemas.js";

/** Timeliness: calendars, escalations, push deliveries and the figures that show who was late. */

/** The registry function's: areas' calendars. */
export const calendarRoutes = [
  {
    operationId: "readCalendar",
    method: "GET",
    path: "/v1/calendars/{area}",
    group: "registry",
    scope: "routing:read",
    summary: "An area's calendar: bank holidays, school holidays, working hours",
    tags: ["Routing"],
    params: AreaParamsSchema,
    responses: {
      200: {
        description: "The calendar (weekends only and 08:00-18:00 until one is set).",
        schema: CalendarViewSchema,
      },
    },
    errors: [400, ...AUTH_ERRORS],
  },
  {
    operationId: "replaceCalendar",
    method: "PUT",
    path: "/v1/calendars/{area}",
    group: "registry",
    scope: "routing:manage",
    summary: "Replace an area's calendar (audited as routing_changed); later due times follow it",
    tags: ["Routing"],
    params: AreaParamsSchema,
    body: CalendarSchema,
    responses: { 200: { description: "The calendar now in force.", schema: CalendarViewSchema } },
    errors: [400, ...AUTH_ERRORS, 409, 413, 415],
  },
] as const satisfies readonly RouteSpec[];

/** The concerns function's: escalations of the police's own notifications. */
export const escalationRoutes = [
  {
    operationId: "listEscalations",
    method: "GET",
    path: "/v1/escalations",
    group: "concerns",
    scope: "concerns:read",
    summary:
      "Your force's escalations, newest first: notifications not acknowledged in time, pushes still failing near their due time",
    tags: ["Concerns"],
    query: EscalationQuerySchema,
    responses: {
      200: { description: "A page of escalations.", schema: page(EscalationSchema, "EscalationPage") },
    },
    errors: [400, ...AUTH_ERRORS],
  },
] as const satisfies readonly RouteSpec[];

/** The notifications function's: push deliveries and redelivery. */
export const deliveryRoutes = [
  {
    operationId: "listDeliveries",
    method: "GET",
    path: "/v1/notifications/{id}/deliveries",
    group: "notifications",
    scope: "notifications:read",
    summary: "Push deliveries of one of your notifications, with every attempt",
    tags: ["Notifications"],
    params: IdParamsSchema,
    query: ListQuerySchema,
    responses: { 200: { description: "The deliveries.", schema: page(DeliverySchema, "DeliveryPage") } },
    errors: [400, ...AUTH_ERRORS, 404],
  },
  {
    operationId: "redeliver",
    method: "POST",
    path: "/v1/notifications/{id}/deliveries",
    group: "notifications",
    scope: "notifications:respond",
    summary: "Send a notification's undelivered push messages again now (same webhook-id)",
    description:
      "Moves each pending or failed message to now. Left alone: one delivered or cancelled; a reminder text " +
      "(it goes only in the school's morning while the notification is unopened, which the sweep checks); and " +
      "one a worker is sending at this moment (`leasedUntil` in the future), so no message is sent twice at once.",
    tags: ["Notifications"],
    params: IdParamsSchema,
    responses: {
      202: {
        description: "Queued; the deliveries as they stand.",
        schema: page(DeliverySchema, "DeliveryPage"),
      },
    },
    errors: [...AUTH_ERRORS, 404],
  },
] as const satisfies readonly RouteSpec[];

/** The audit function's: who was late. */
export const timelinessFigureRoutes = [
  {
    operationId: "timelinessFigures",
    method: "GET",
    path: "/v1/metrics/timeliness",
    group: "audit",
    scope: "audit:read",
    summary:
      "Per partner and concern type: notifications, acknowledged in time, late, overdue, median and 90th percentile time to acknowledge",
    tags: ["Audit"],
    query: TimelinessQuerySchema,
    responses: {
      200: { description: "The figures for notifications created in [from, to].", schema: TimelinessSchema },
    },
    errors: [400, ...AUTH_ERRORS],
  },
] as const satisfies readonly RouteSpec[];
