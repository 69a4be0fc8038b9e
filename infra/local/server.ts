import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { type Group, matchRoute, routeGroups } from "../../shared/api/routes.js";
import { payloadTooLarge, serviceUnavailable } from "../../shared/errors.js";
import { internalProblem, problemResponse } from "../../shared/http/problem.js";
import { MAX_BODY_BYTES } from "../../shared/http/request.js";

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Bodies beyond this are refused without being read; the handler's own limit (64 KiB) answers below it. */
const READ_LIMIT = MAX_BODY_BYTES + 1;

function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > READ_LIMIT) {
        tooLarge = true;
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on("error", reject);
  });
}

/**
 * An API Gateway REST proxy event built from a Node request, as API Gateway would build it.
 * The body travels base64-encoded so the handler sees the exact bytes that were sent.
 */
export function toProxyEvent(req: IncomingMessage, body: Buffer, requestId: string): APIGatewayProxyEvent {
  const url = new URL(req.url ?? "/", "http://localhost");
  const method = (req.method ?? "GET").toUpperCase();
  const matched = matchRoute(method, url.pathname);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === "string") headers[k] = v;
    else if (Array.isArray(v)) headers[k] = v.join(", ");
  }
  return {
    httpMethod: method,
    path: url.pathname,
    resource: matched && "route" in matched ? matched.route.path : url.pathname,
    pathParameters: matched && "route" in matched ? matched.params : null,
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: null,
    headers,
    multiValueHeaders: {},
    body: body.length > 0 ? body.toString("base64") : null,
    isBase64Encoded: body.length > 0,
    stageVariables: null,
    requestContext: {
      requestId,
      httpMethod: method,
      path: url.pathname,
    } as APIGatewayProxyEvent["requestContext"],
  };
}

/**
 * Each route group's Lambda, functions/<group>.ts, found from the route table as the CDK app
 * finds it (infra/aws/esbuild-config.ts), so a new group needs no list here. A module reads
 * its configuration when first imported, as on a cold start: call this once the store is up.
 */
export async function loadGroupHandlers(): Promise<Record<Group, LambdaHandler>> {
  const loaded = await Promise.all(
    routeGroups().map(async (group) => {
      const entry = (await import(`../../functions/${group}.js`)) as { handler: LambdaHandler };
      return [group, entry.handler] as const;
    }),
  );
  return Object.fromEntries(loaded) as Record<Group, LambdaHandler>;
}

function lambdaContext(requestId: string): Context {
  return {
    awsRequestId: requestId,
    functionName: "lantern-local",
    getRemainingTimeInMillis: () => 30_000,
  } as Context;
}

/**
 * The embedded hub: every request runs the real Lambda handler of its route's group.
 * Unknown paths go to the public handler, which answers the 404 (or 405) itself. `pages`
 * (the console and the development issuer) may answer first.
 */
export function createLocalServer(
  handlers: Record<Group, LambdaHandler>,
  isReady: () => boolean,
  pages: { handle: (req: IncomingMessage, res: ServerResponse) => boolean } = { handle: () => false },
): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // The console's pages and the development issuer answer before the API sees the request.
    if (isReady() && pages.handle(req, res)) return;
    const requestId = randomUUID();
    const respond = (result: APIGatewayProxyResult) => {
      const body = result.isBase64Encoded
        ? Buffer.from(result.body, "base64")
        : Buffer.from(result.body, "utf8");
      res.writeHead(result.statusCode, {
        ...(result.headers as Record<string, string>),
        "Content-Length": body.length,
      });
      res.end(body);
    };
    readBody(req)
      .then(async ({ body, tooLarge }) => {
        if (!isReady())
          return respond(problemResponse(serviceUnavailable("The hub is starting; try again shortly.")));
        if (tooLarge) {
          res.setHeader("Connection", "close");
          return respond(problemResponse(payloadTooLarge(MAX_BODY_BYTES)));
        }
        const event = toProxyEvent(req, body, requestId);
        const matched = matchRoute(event.httpMethod, event.path);
        // A wrong method goes to the function that serves the path, which answers 405 with Allow.
        const group: Group =
          matched === null ? "public" : "route" in matched ? matched.route.group : matched.group;
        respond(await handlers[group](event, lambdaContext(requestId)));
      })
      .catch(() => respond(internalProblem(requestId)));
  });
  // Outlive clients' idle keep-alive (undici closes at 4 s), so a client never reuses a
  // socket the server is closing at that very moment ("other side closed").
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
