import { CACHEABLE } from "./common.js";
import type { RouteSpec } from "./routes.js";
import { HealthSchema, JwksSchema } from "./schemas.js";

/** Routes that need no token: health, the OpenAPI document, the hub's own key set. */
export const publicRoutes = [
  {
    operationId: "health",
    method: "GET",
    path: "/v1/health",
    group: "public",
    scope: null,
    summary: "Answers 200 when the hub can serve",
    tags: ["Hub"],
    responses: { 200: { description: "The hub is up and its store answers.", schema: HealthSchema } },
    errors: [503],
  },
  {
    operationId: "openapi",
    method: "GET",
    path: "/v1/openapi.json",
    group: "public",
    scope: null,
    summary: "This OpenAPI 3.1 document",
    tags: ["Hub"],
    responses: { 200: { description: "The OpenAPI document.", contentType: "application/json" } },
    errors: [],
  },
  {
    operationId: "jwks",
    method: "GET",
    path: "/.well-known/jwks.json",
    group: "public",
    scope: null,
    summary: "The local development issuer's public keys (only when the hub is its own issuer)",
    tags: ["Hub"],
    responses: { 200: { description: "A JSON Web Key Set.", schema: JwksSchema, headers: CACHEABLE } },
    errors: [404],
  },
] as const satisfies readonly RouteSpec[];
