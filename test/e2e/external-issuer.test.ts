import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

const ISSUER = "https://login.example.police.uk/";

/**
 * The hub trusting an external issuer, as on AWS: its key set fetched over HTTP and cached.
 * A key-set outage lets nothing through; tokens are checked exactly as the contract says.
 */
describe("an external OAuth issuer", () => {
  let hub: Hub;
  let jwksServer: Server;
  let signingKey: CryptoKey;
  let publicJwk: JWK;
  let fetches = 0;

  const token = (claims: Record<string, unknown> = {}, kid = "key-1", key: CryptoKey = signingKey) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: "essex-police-app", scope: "concerns:submit", ...claims })
      .setProtectedHeader({ alg: "RS256", kid, typ: "at+jwt" })
      .setIssuer(ISSUER)
      .setAudience("lantern")
      .setSubject("pc-1")
      .setIssuedAt(now)
      .setNotBefore((claims.nbf as number) ?? now)
      .setExpirationTime(now + 300)
      .sign(key);
  };

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    signingKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
    jwksServer = createServer((_req, res) => {
      fetches += 1;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((r) => jwksServer.listen(0, "127.0.0.1", () => r()));
    const port = (jwksServer.address() as AddressInfo).port;
    hub = await startHub({
      LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
      LANTERN_ISSUER: ISSUER,
      LANTERN_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
    });
  });
  afterAll(async () => {
    await hub.stop();
    jwksServer.close();
  });

  it("accepts its RS256 tokens and fetches the key set once", async () => {
    const first = await call(hub, "POST", "/v1/concerns", { token: await token(), body: amyConcern() });
    const second = await call(hub, "POST", "/v1/concerns", { token: await token(), body: amyConcern() });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(fetches).toBe(1);
  });

  it("refuses a token not yet valid, one with an unknown kid, and one signed by a key not in the set", async () => {
    const { privateKey: stranger } = await generateKeyPair("RS256");
    const cases = {
      notYetValid: await token({ nbf: Math.floor(Date.now() / 1000) + 600 }),
      unknownKid: await token({}, "key-unknown"),
      notInSet: await token({}, "key-1", stranger),
    };
    for (const [name, t] of Object.entries(cases)) {
      const response = await call(hub, "POST", "/v1/concerns", { token: t, body: amyConcern() });
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
    }
    // The local development issuer's endpoint is not served when the issuer is external.
    expect((await call(hub, "GET", "/.well-known/jwks.json")).status).toBe(404);
  });

  it("lets nothing through while the key set cannot be fetched", async () => {
    await new Promise((r) => jwksServer.close(r));
    jwksServer.closeAllConnections();
    // A new kid forces a fetch, which fails: refused (503 or 401), never served.
    const response = await call(hub, "POST", "/v1/concerns", {
      token: await token({}, "key-2"),
      body: amyConcern(),
    });
    expect([401, 503]).toContain(response.status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    // The key already fetched stays trusted for its bounded cache time.
    expect(
      (await call(hub, "POST", "/v1/concerns", { token: await token(), body: amyConcern() })).status,
    ).toBe(201);
  });
});
