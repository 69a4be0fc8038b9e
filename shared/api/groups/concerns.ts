import { concernRoutes } from "../concern-routes.js";
import type { RouteGroup } from "../routes.js";
import { escalationRoutes } from "../timeliness-routes.js";

/** The police's function: submit, read, escalations. */
export const concernsGroup = {
  group: "concerns",
  routes: [...concernRoutes, ...escalationRoutes],
} as const satisfies RouteGroup;
