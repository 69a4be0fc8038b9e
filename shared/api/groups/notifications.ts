import { notificationRoutes } from "../notification-routes.js";
import type { RouteGroup } from "../routes.js";
import { deliveryRoutes } from "../timeliness-routes.js";

/** The partners' inbox function: notifications and their push deliveries. */
export const notificationsGroup = {
  group: "notifications",
  routes: [...notificationRoutes, ...deliveryRoutes],
} as const satisfies RouteGroup;
