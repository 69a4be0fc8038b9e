import { publicRoutes } from "../public-routes.js";
import type { RouteGroup } from "../routes.js";

/** The function of the routes that need no token. */
export const publicGroup = {
  group: "public",
  routes: [...publicRoutes],
} as const satisfies RouteGroup;
