import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { amyConcern } from "../support/fixtures.js";
import { freshStore } from "../support/store.js";

/** The Idempotency-Key header as the concerns function reads it: up to 255 characters, never cut. */
describe("the Idempotency-Key header", () => {
  let handler: (
    event: APIGatewayProxyEvent,
    context: Context,
  ) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;
  let token: string;

  beforeAll(async () => {
    const store = await freshStore();
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
    Object.assign(process.env, {
      LANTERN_DATA_TABLE: store.tables.data,
      LANTERN_AUDIT_TABLE: store.tables.audit,
      LANTERN_DYNAMODB_ENDPOINT: store.endpoint,
      LANTERN_SUBJECT_KEY: Buffer.alloc(32, 2).toString("base64"),
      LANTERN_ISSUER: "https://issuer.example",
      LANTERN_JWKS: JSON.stringify({ keys: [jwk] }),
    });
    token = await new SignJWT({ client_id: "essex-police-app", scope: "concerns:submit" })
      .setProtectedHeader({ alg: "ES256", kid: "k1", typ: "at+jwt" })
      .setIssuer("https://issuer.example")
      .setAudience("lantern")
      .setSubject("pc-1")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
    ({ handler } = (await import("../../functions/concerns.js")) as unknown as { handler: typeof handler });
  });

  const submit = (key: string, body = amyConcern()) =>
    handler(
      {
        httpMethod: "POST",
        path: "/v1/concerns",
        resource: "/v1/concerns",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
          "Idempotency-Key": key,
        },
        body: JSON.stringify(body),
        isBase64Encoded: false,
        queryStringParameters: null,
        pathParameters: null,
        requestContext: { requestId: `req-${key.length}` },
      } as unknown as APIGatewayProxyEvent,
      {} as Context,
    );

  it("refuses a key over 255 characters with 400 instead of cutting it short", async () => {
    const prefix = `k${"x".repeat(254)}`;
    const first = await submit(prefix);
    expect(first.statusCode).toBe(201);
    const firstId = JSON.parse(first.body).id as string;

    // Cut to 255 characters this key would have replayed the first submission.
    const long = await submit(`${prefix}y`, amyConcern({ concernType: "missing_child" }));
    expect(long.statusCode).toBe(400);
    expect(long.headers?.["Content-Type"] ?? long.headers?.["content-type"]).toMatch(
      /application\/problem\+json/,
    );
    const problem = JSON.parse(long.body) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual([
      { path: "/headers/Idempotency-Key", message: "must be at most 255 characters" },
    ]);

    // Exactly 255 characters is a key like any other: the same key and body replay the first answer.
    const again = await submit(prefix);
    expect(again.statusCode).toBe(201);
    expect(JSON.parse(again.body).id).toBe(firstId);
  });
});
