import { auditRoutes } from "../audit-routes.js";
import { lifecycleRoutes } from "../lifecycle-routes.js";
import type { RouteGroup } from "../routes.js";
import { timelinessFigureRoutes } from "../timeliness-routes.js";

/** Information governance's trail function: audit, checkpoints, reviews, recalls and breaches, timeliness. */
export const auditGroup = {
  group: "audit",
  routes: [...lifecycleRoutes, ...auditRoutes, ...timelinessFigureRoutes],
} as const satisfies RouteGroup;
