import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { publicGroup } from "../../shared/api/groups/public.js";
import { createHttpHandler, type HttpDeps, type Implementations } from "../../shared/http/lambda.js";
import { jsonLogger } from "../../shared/http/log.js";
import { traced, tracingMiddlewares, tracingOn } from "../../shared/http/tracing.js";

/** What a request line may hold: today's members, ids and numbers only. */
const REQUEST_LINE_KEYS = [
  "level",
  "time",
  "message",
  "requestId",
  "method",
  "route",
  "status",
  "durationMs",
];

const AMY = { subject: { givenName: "Amy", familyName: "Example", address: { postcode: "CM1 1AA" } } };

function capture() {
  const lines: string[] = [];
  return { lines, logger: jsonLogger((line) => lines.push(line)) };
}

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("the house logger on Powertools", () => {
  it("is Powertools' logger underneath, writing today's line: level, time, message, then the fields", () => {
    // Prepare
    const { lines, logger } = capture();

    // Act
    logger.info("request", { requestId: "req-1", status: 201, partnerId: "essex-police", cached: false });
    logger.error("unhandled error", { requestId: "req-1", error: "TypeError" });

    // Assess
    expect(logger.powertools).toBeInstanceOf(PowertoolsLogger);
    const [info, error] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(info ?? {})).toEqual([
      "level",
      "time",
      "message",
      "requestId",
      "status",
      "partnerId",
      "cached",
    ]);
    expect(info).toMatchObject({ level: "info", message: "request", status: 201, partnerId: "essex-police" });
    expect(new Date(String(info?.time)).toISOString()).toBe(info?.time);
    expect(error).toMatchObject({ level: "error", message: "unhandled error", error: "TypeError" });
  });

  it("keeps the scalar-only guard at run time: an object slipped past the type is dropped, never printed", () => {
    // Prepare
    const { lines, logger } = capture();
    const body = AMY as unknown as string;

    // Act
    logger.info("request", {
      requestId: "req-2",
      body,
      error: new Error("Amy Example") as unknown as string,
    });

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/Amy|Example|CM1/);
    expect(JSON.parse(lines[0] as string)).toEqual({
      level: "info",
      time: expect.any(String),
      message: "request",
      requestId: "req-2",
    });
  });

  it("never logs the invocation event through Powertools' middy middleware, whatever the environment says", async () => {
    // Prepare
    process.env.POWERTOOLS_LOGGER_LOG_EVENT = "true";
    const { lines, logger } = capture();
    const deps: HttpDeps = {
      auth: async () => {
        throw new Error("no route here needs a token");
      },
      registry: { partnerByClientId: async () => null },
      clock: { now: () => new Date("2026-11-24T09:00:00Z") },
      log: logger,
      cursorKey: async () => new Uint8Array(32),
    };
    // The request matches no route, so no implementation is ever reached.
    const handler = createHttpHandler(publicGroup, {} as Implementations<"public">, deps);
    const event = {
      httpMethod: "POST",
      path: "/v1/no-such-route",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(AMY),
      queryStringParameters: { name: "Amy" },
      requestContext: { requestId: "req-3" },
    } as unknown as APIGatewayProxyEvent;

    // Act
    const response = await handler(event, { functionName: "lantern-test", awsRequestId: "aws-1" } as Context);

    // Assess
    expect(response.statusCode).toBe(404);
    expect(lines.join("\n")).not.toMatch(/Amy|Example|CM1|no-such-route/);
    const line = JSON.parse(lines.at(-1) as string) as Record<string, unknown>;
    expect(line).toMatchObject({ message: "request", method: "POST", route: "unmatched", status: 404 });
    for (const key of Object.keys(line)) expect(REQUEST_LINE_KEYS).toContain(key);
  });
});

describe("tracing", () => {
  it("is off outside Lambda: no tracer is loaded, clients stay as they are, the middleware does nothing", () => {
    // Prepare
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    const client = { middlewareStack: { use: () => expect.unreachable("instrumented off AWS") } };

    // Act, Assess
    expect(tracingOn()).toBe(false);
    expect(traced(client)).toBe(client);
    expect(tracingMiddlewares()).toEqual([]);
  });

  it("is on in Lambda unless the stack turns it off", () => {
    // Prepare, Act, Assess
    expect(tracingOn({ AWS_LAMBDA_FUNCTION_NAME: "lantern-concerns" })).toBe(true);
    expect(
      tracingOn({ AWS_LAMBDA_FUNCTION_NAME: "lantern-concerns", POWERTOOLS_TRACE_ENABLED: "false" }),
    ).toBe(false);
  });
});
