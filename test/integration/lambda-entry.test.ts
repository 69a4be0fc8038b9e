import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { amyConcern } from "../support/fixtures.js";
import { freshStore } from "../support/store.js";

/**
 * The handler modules are the Lambda entry points: invoked here as Lambda would, with an
 * API Gateway proxy event, configured only by environment, with no local server.
 */
describe("the Lambda entry points", () => {
  let handler: (
    event: APIGatewayProxyEvent,
    context: Context,
  ) => Promise<{ statusCode: number; body: string }>;
  let token: string;

  beforeAll(async () => {
    const store = await freshStore();
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" };
    Object.assign(process.env, {
      LANTERN_DATA_TABLE: store.tables.data,
      LANTERN_AUDIT_TABLE: store.tables.audit,
      LANTERN_DYNAMODB_ENDPOINT: store.endpoint,
      LANTERN_SUBJECT_KEY: Buffer.alloc(32, 1).toString("base64"),
      LANTERN_ISSUER: "https://issuer.example",
      LANTERN_JWKS: JSON.stringify({ keys: [jwk] }),
    });
    token = await new SignJWT({ client_id: "essex-police-app", scope: "concerns:submit" })
      .setProtectedHeader({ alg: "RS256", kid: "k1", typ: "at+jwt" })
      .setIssuer("https://issuer.example")
      .setAudience("lantern")
      .setSubject("pc-1")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
    ({ handler } = (await import("../../functions/concerns.js")) as unknown as { handler: typeof handler });
  });

  it("submits a concern from an API Gateway event with an RS256 token", async () => {
    const event = {
      httpMethod: "POST",
      path: "/v1/concerns",
      resource: "/v1/concerns",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(amyConcern()),
      isBase64Encoded: false,
      queryStringParameters: null,
      pathParameters: null,
      requestContext: { requestId: "apigw-1" },
    } as unknown as APIGatewayProxyEvent;

    const response = await handler(event, {} as Context);

    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body).notifications).toHaveLength(2);
  });
});
