import type * as z from "zod/mini";
import { auditRoutes } from "./audit-routes.js";
import { concernRoutes } from "./concern-routes.js";
import { lifecycleRoutes } from "./lifecycle-routes.js";
import { notificationRoutes } from "./notification-routes.js";
import { publicRoutes } from "./public-routes.js";
import { registryRoutes } from "./registry-routes.js";
import { matchRouteIn, type RouteMatch } from "./route-match.js";
import {
  calendarRoutes,
  deliveryRoutes,
  escalationRoutes,
  timelinessFigureRoutes,
} from "./timeliness-routes.js";

/**
 * The route table: the one source that the Lambda handlers, the local server, the OpenAPI
 * document and the CDK API all derive from. A route names its handler by `operationId`;
 * the implementation lives with the function of its `group` (one Lambda per group).
 */

export const SCOPES = {
  "concerns:submit": "Submit a concern as the caller's partner",
  "concerns:read": "Read concerns the caller's partner submitted, with their routing outcome",
  "notifications:read": "List and open the caller's partner's own notifications",
  "notifications:respond": "Acknowledge a notification, record its outcome",
  "agreements:read": "Read agreements (any registered partner's client)",
  "agreements:manage":
    "Create, version and change the status of agreements (governance partners' clients only)",
  "partners:read": "Read partners (any registered partner's client)",
  "partners:manage":
    "Register and change partners, their client ids and `governance` (governance partners' clients only)",
  "routing:read": "Read the routing rules and calendars (any registered partner's client)",
  "routing:manage": "Replace the routing rules (implies routing:read; governance partners' clients only)",
  "audit:read":
    "Read, export and verify the audit trail; read the break-glass review queue (governance partners' clients only)",
  "audit:review":
    "Mark a break-glass disclosure reviewed, with a finding, never one's own; recall a disclosure; decide a breach (governance partners' clients only)",
  "audit:checkpoint": "Ask for a checkpoint now (governance partners' clients only)",
} as const;
export type Scope = keyof typeof SCOPES;

export type Group = "concerns" | "notifications" | "registry" | "audit" | "public";

/** A response header the hub sets; `required` when it is on every such response. */
export interface HeaderSpec {
  description: string;
  required?: boolean;
  /** The header value's JSON Schema; a plain string unless given. */
  schema?: Record<string, unknown>;
}

/** Another representation of the same response (e.g. CSV beside JSON), chosen by the request. */
export interface MediaSpec {
  contentType: string;
  schema?: z.ZodMiniType;
  /** For a body no zod schema of ours describes (a FHIR resource per line). */
  jsonSchema?: Record<string, unknown>;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodMiniType;
  /** For a JSON Lines type, `schema` describes each line. */
  contentType?: string;
  also?: MediaSpec[];
  headers?: Record<string, HeaderSpec>;
}

export interface RouteSpec {
  operationId: string;
  method: "GET" | "POST" | "PUT" | "PATCH";
  path: string;
  group: Group;
  /** null: public (health, the OpenAPI document, key sets). */
  scope: Scope | null;
  summary: string;
  description?: string;
  tags: string[];
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** The JSON body, validated strictly. */
  body?: z.ZodMiniType;
  /** A body that may be omitted altogether (acknowledge). */
  bodyOptional?: boolean;
  /** Request headers the route reads (strings; at most `maxLength` characters, 255 unless given). */
  headers?: { name: string; description: string; maxLength?: number }[];
  responses: Record<number, ResponseSpec>;
  /** Error statuses this route can answer, each as problem+json. */
  errors: number[];
}

export const routes = [
  ...concernRoutes,
  ...notificationRoutes,
  ...registryRoutes,
  // Timeliness: each group's part lives with its function (shared/api/groups/).
  ...calendarRoutes,
  ...escalationRoutes,
  ...deliveryRoutes,
  ...timelinessFigureRoutes,
  ...lifecycleRoutes,
  ...auditRoutes,
  ...publicRoutes,
] as const satisfies readonly RouteSpec[];

/**
 * One function's part of the table: its entry (functions/<group>.ts) imports only this, so its
 * bundle holds, and its cold start builds, only its own routes' schemas (shared/api/groups/).
 */
export interface RouteGroup<G extends Group = Group> {
  group: G;
  routes: readonly RouteSpec[];
}

export type Route = (typeof routes)[number];
export type OperationId = Route["operationId"];
export type OperationsOf<G extends Group> = Extract<Route, { group: G }>["operationId"];

/** The groups the table has routes for: one Lambda each, its entry functions/<group>.ts. */
export function routeGroups(): Group[] {
  return [...new Set(routes.map((r) => r.group))];
}

/** Match a concrete path against the whole table: the route and its path parameters. */
export function matchRoute(method: string, path: string): RouteMatch {
  return matchRouteIn(routes, method, path);
}
