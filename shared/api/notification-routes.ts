import { AUTH_ERRORS } from "./common.js";
import type { RouteSpec } from "./routes.js";
import {
  EmptyBodySchema,
  IdParamsSchema,
  InboxQuerySchema,
  NotificationSchema,
  OutcomeRequestSchema,
  page,
} from "./schemas.js";

/** Partners: the inbox, opening a notification, acknowledging it, recording its outcome. */
export const notificationRoutes = [
  {
    operationId: "listNotifications",
    method: "GET",
    path: "/v1/notifications",
    group: "notifications",
    scope: "notifications:read",
    summary: "List your partner's notifications, newest first (without payloads)",
    tags: ["Notifications"],
    query: InboxQuerySchema,
    responses: {
      200: { description: "A page of notifications.", schema: page(NotificationSchema, "NotificationPage") },
    },
    errors: [400, ...AUTH_ERRORS],
  },
  {
    operationId: "openNotification",
    method: "GET",
    path: "/v1/notifications/{id}",
    group: "notifications",
    scope: "notifications:read",
    summary: "Open a notification with its minimised payload (audited as notification_opened)",
    tags: ["Notifications"],
    params: IdParamsSchema,
    description:
      "The agreement the notification cites is checked again at every opening: the payload shows only the categories its " +
      "active version grants now. 403 `disclosure_withdrawn` (audited as disclosure_refused) while it does not; 410 " +
      "`disclosure_recalled` once recalled. A break-glass notification opens until recalled or erased.",
    responses: { 200: { description: "The notification with its payload.", schema: NotificationSchema } },
    errors: [...AUTH_ERRORS, 404, 410],
  },
  {
    operationId: "acknowledgeNotification",
    method: "POST",
    path: "/v1/notifications/{id}/acknowledge",
    group: "notifications",
    scope: "notifications:respond",
    summary: "Acknowledge a notification (idempotent)",
    tags: ["Notifications"],
    params: IdParamsSchema,
    body: EmptyBodySchema,
    bodyOptional: true,
    responses: { 200: { description: "The notification, without its payload.", schema: NotificationSchema } },
    errors: [400, ...AUTH_ERRORS, 404, 409, 413, 415],
  },
  {
    operationId: "recordOutcome",
    method: "POST",
    path: "/v1/notifications/{id}/outcome",
    group: "notifications",
    scope: "notifications:respond",
    summary: "Record what your partner did; closes the notification",
    tags: ["Notifications"],
    params: IdParamsSchema,
    body: OutcomeRequestSchema,
    responses: {
      200: { description: "The closed notification, without its payload.", schema: NotificationSchema },
    },
    errors: [400, ...AUTH_ERRORS, 404, 409, 413, 415],
  },
] as const satisfies readonly RouteSpec[];
