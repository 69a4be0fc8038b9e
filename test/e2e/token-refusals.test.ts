import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mintToken } from "../../infra/local/token.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * Over HTTP, a refused token's 401 says which check failed (RFC 9457 `detail`, RFC 6750
 * `error_description`), so an integrator need not guess: the likeliest first mistake with
 * oidc-provider is the audience, so that answer names the audience the hub expects.
 */
describe("401 answers over HTTP", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
  });
  afterAll(async () => {
    await hub.stop();
  });

  const mint = (options: { audience?: string; ttlSeconds?: number }) =>
    mintToken({ dataDir: hub.dataDir, clientId: "essex-police-app", scope: "concerns:read", ...options });

  it("names the expected audience when aud is wrong", async () => {
    const token = await mint({ audience: "https://lantern.example/v1" });
    const response = await call(hub, "GET", "/v1/notifications", { token });
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.json.detail).toBe(
      "The access token's audience (aud) does not include lantern, the audience this hub expects.",
    );
    expect(response.headers.get("www-authenticate")).toBe(
      `Bearer error="invalid_token", error_description="${response.json.detail}"`,
    );
  });

  it("says an expired token has expired", async () => {
    const response = await call(hub, "GET", "/v1/notifications", { token: await mint({ ttlSeconds: -120 }) });
    expect(response.status).toBe(401);
    expect(response.json.detail).toBe("The access token has expired (exp is in the past).");
    expect(response.headers.get("www-authenticate")).toContain(
      'error_description="The access token has expired',
    );
  });

  it("answers no token with a bare challenge and tampering with a signature failure", async () => {
    const none = await call(hub, "GET", "/v1/notifications");
    const good = await mint({});
    const [header, payload] = good.split(".");
    const tampered = `${header}.${payload}.${Buffer.alloc(64, 1).toString("base64url")}`;
    const forged = await call(hub, "GET", "/v1/notifications", { token: tampered });
    expect([none.status, forged.status]).toEqual([401, 401]);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect(forged.json.detail).toBe("The access token's signature does not verify.");
  });
});
