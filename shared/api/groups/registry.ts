import { registryRoutes } from "../registry-routes.js";
import type { RouteGroup } from "../routes.js";
import { calendarRoutes } from "../timeliness-routes.js";

/** Information governance's policy function: partners, agreements, routing rules, calendars. */
export const registryGroup = {
  group: "registry",
  routes: [...registryRoutes, ...calendarRoutes],
} as const satisfies RouteGroup;
