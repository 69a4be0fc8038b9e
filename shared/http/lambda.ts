import { randomUUID } from "node:crypto";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import type { Group, InputOf, OperationsOf, ResultOf, RouteOf } from "../api/operations.js";
import { matchRouteIn } from "../api/route-match.js";
import type { OperationId, RouteGroup, RouteSpec } from "../api/routes.js";
import { type Caller, honouredScopes } from "../app/context.js";
import {
  forbidden,
  insufficientScope,
  LanternError,
  methodNotAllowed,
  notFound,
  notGovernance,
} from "../errors.js";
import type { Clock, RegistryStore } from "../ports.js";
import { type AuthConfig, bearerToken, hasScope, verifyAccessToken } from "./auth.js";
import { cursorBinding, openCursor, sealCursor } from "./cursors.js";
import type { Logger } from "./log.js";
import { busyProblem, internalProblem, problemResponse } from "./problem.js";
import { headerMap, readJsonBody, validate } from "./request.js";
import { tracingMiddlewares } from "./tracing.js";

export interface RequestContext<Op extends OperationId = OperationId> extends InputOf<Op> {
  route: RouteSpec;
  requestId: string;
  headers: Record<string, string>;
  /** Present on every route that needs a scope. */
  caller: RouteOf<Op>["scope"] extends null ? null : Caller;
  /**
   * Seal a store's position as a cursor for this query and caller. A JSON body's `nextCursor`
   * is sealed without asking; a cursor sent another way (a header) goes through here.
   */
  sealCursor: (position: string) => Promise<string>;
}

/** What any handler answers, as the pipeline sees it; each handler's own is its ResultOf. */
export interface HttpResult {
  status: number;
  body?: unknown;
  /** A body sent as it is (JSON Lines, say), with its content type. */
  text?: { contentType: string; body: string };
  headers?: Record<string, string>;
}

/**
 * Exactly the operations of one group, each typed from its route: a handler left out, or one
 * the group does not have, fails the type check (it used to compile and answer 404).
 */
export type Implementations<G extends Group> = {
  [K in OperationsOf<G>]: (ctx: RequestContext<K>) => Promise<ResultOf<K>>;
};

export interface HttpDeps {
  auth: () => Promise<AuthConfig>;
  registry: Pick<RegistryStore, "partnerByClientId">;
  clock: Clock;
  log: Logger;
  /** The key that seals cursors (HMAC-SHA256), read once per process. */
  cursorKey: () => Promise<Uint8Array>;
}

interface Resolved {
  route: RouteSpec;
  params: Record<string, string>;
  requestId: string;
  caller: Caller | null;
}

function resolveRoute(
  table: readonly RouteSpec[],
  event: APIGatewayProxyEvent,
): { route: RouteSpec; params: Record<string, string> } {
  const matched = matchRouteIn(table, event.httpMethod, event.path);
  if (matched === null) throw notFound("No such route.");
  if ("allow" in matched) throw methodNotAllowed(matched.allow);
  return matched;
}

async function authenticate(
  route: RouteSpec,
  headers: Record<string, string>,
  requestId: string,
  deps: HttpDeps,
): Promise<Caller | null> {
  if (route.scope === null) return null;
  const token = bearerToken(headers.authorization);
  const identity = await verifyAccessToken(token, await deps.auth(), deps.clock.now());
  const partner = await deps.registry.partnerByClientId(identity.clientId);
  if (!partner) throw forbidden("This OAuth client is not registered to any partner.");
  const scopes = honouredScopes(partner, identity.scopes);
  if (!hasScope(scopes, route.scope)) {
    if (hasScope(identity.scopes, route.scope)) throw notGovernance(route.scope);
    throw insufficientScope(route.scope);
  }
  return { partner, sub: identity.sub, clientId: identity.clientId, scopes, requestId };
}

/**
 * Every paged route's cursors, in one place: the query's cursor is opened (400 unless this hub
 * issued it for this very query and caller) and the answer's `nextCursor` sealed. The key is
 * read only when a cursor comes or goes, so a function that never pages never reads it.
 */
async function cursorCodec(
  deps: HttpDeps,
  route: RouteSpec,
  caller: Caller | null,
  params: Record<string, unknown>,
  query: Record<string, unknown>,
) {
  const binding = cursorBinding(route, caller, params, query);
  const seal = async (position: string) => sealCursor(await deps.cursorKey(), binding, position);
  const opened =
    typeof query.cursor === "string"
      ? { ...query, cursor: openCursor(await deps.cursorKey(), binding, query.cursor) }
      : query;
  const sealed = async (result: HttpResult): Promise<HttpResult> => {
    const body = result.body as { nextCursor?: unknown } | undefined;
    if (typeof body?.nextCursor !== "string") return result;
    return { ...result, body: { ...body, nextCursor: await seal(body.nextCursor) } };
  };
  return { opened, seal, sealed };
}

function toResponse(result: HttpResult, requestId: string): APIGatewayProxyResult {
  const headers: Record<string, string> = { "X-Request-Id": requestId, ...result.headers };
  if (result.text) {
    return {
      statusCode: result.status,
      headers: { ...headers, "Content-Type": result.text.contentType },
      body: result.text.body,
    };
  }
  if (result.body === undefined) return { statusCode: result.status, headers, body: "" };
  return {
    statusCode: result.status,
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify(result.body),
  };
}

/** The body, query and path parameters, each validated strictly against the route's schemas. */
function validInputs(
  route: RouteSpec,
  event: APIGatewayProxyEvent,
  headers: Record<string, string>,
  params: Record<string, string>,
) {
  const body = route.body
    ? validate(route.body, readJsonBody(event, headers, route.bodyOptional ?? false), "body")
    : undefined;
  const query = route.query ? validate(route.query, event.queryStringParameters ?? {}, "query") : {};
  const valid = route.params ? validate(route.params, params, "path") : params;
  return { body, query: query as Record<string, unknown>, valid: valid as Record<string, unknown> };
}

/** Errors we named answer as themselves; any other is a 500 whose details stay in the log. */
function errorResponse(
  error: Error | null | undefined,
  requestId: string,
  log: Logger,
): APIGatewayProxyResult {
  const named = error instanceof LanternError ? error : busyProblem(error);
  if (named) return problemResponse(named);
  // Only the error's name: its message may echo what the caller sent.
  log.error("unhandled error", { requestId, error: error?.name ?? "unknown" });
  return internalProblem(requestId);
}

/**
 * The Lambda handler for one group of routes, the same on API Gateway and behind the local
 * server: find the route (among the group's own: shared/api/groups/), authenticate, validate strictly, run the use case, answer. Every
 * error leaves as problem+json; only errors we named reach the caller, the rest are a 500
 * whose details stay in the log.
 */
export function createHttpHandler<G extends Group>(
  { group, routes }: RouteGroup<G>,
  implementations: Implementations<G>,
  deps: HttpDeps,
) {
  const started = new WeakMap<object, number>();
  const resolved = new WeakMap<object, Resolved>();

  const base = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const requestId = event.requestContext?.requestId ?? randomUUID();
    const headers = headerMap(event);
    const { route, params } = resolveRoute(routes, event);
    resolved.set(event, { route, params, requestId, caller: null });
    const caller = await authenticate(route, headers, requestId, deps);
    resolved.set(event, { route, params, requestId, caller });
    // Another group's route is another function's (on AWS it never arrives here).
    const implementation = (
      implementations as Record<string, ((ctx: unknown) => Promise<HttpResult>) | undefined>
    )[route.operationId];
    if (route.group !== group || !implementation) throw notFound("No such route.");
    const { body, query, valid } = validInputs(route, event, headers, params);
    const cursors = await cursorCodec(deps, route, caller, valid, query);
    const result = await implementation({
      route,
      requestId,
      headers,
      caller,
      body,
      query: cursors.opened,
      params: valid,
      sealCursor: cursors.seal,
    });
    return toResponse(await cursors.sealed(result), requestId);
  };

  const pipeline = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>(base)
    // Powertools' middlewares first, so their `after` and `onError` run last: the segment
    // closes once the answer is made. The event is never logged (it holds the body).
    .use(tracingMiddlewares());
  if (deps.log.powertools) pipeline.use(injectLambdaContext(deps.log.powertools, { logEvent: false }));
  return pipeline
    .before((request) => {
      started.set(request.event, Date.now());
    })
    .after((request) => {
      const status = request.response?.statusCode ?? 0;
      logRequest(deps.log, request.event, status, resolved.get(request.event), started);
    })
    .onError((request) => {
      const known = resolved.get(request.event);
      const requestId = known?.requestId ?? request.event.requestContext?.requestId ?? "unknown";
      request.response = errorResponse(request.error, requestId, deps.log);
      request.response.headers = { ...request.response.headers, "X-Request-Id": requestId };
      logRequest(deps.log, request.event, request.response.statusCode, known, started);
    });
}

function logRequest(
  log: Logger,
  event: APIGatewayProxyEvent,
  status: number,
  known: Resolved | undefined,
  started: WeakMap<object, number>,
): void {
  log.info("request", {
    requestId: known?.requestId,
    method: event.httpMethod,
    route: known?.route.path ?? "unmatched",
    status,
    partnerId: known?.caller?.partner.id,
    durationMs: Date.now() - (started.get(event) ?? Date.now()),
  });
}
