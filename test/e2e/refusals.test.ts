import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { issuerKey, issuerSigningKey } from "../../infra/local/keys.js";
import { ProblemSchema } from "../../shared/api/schemas.js";
import { DEFAULTS } from "../../shared/config.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/** Bad tokens get 401, missing scopes 403, bad bodies 4xx problem+json: never a 5xx, never a write. */
describe("what the hub refuses", () => {
  let hub: Hub;
  let police: string;
  let auditor: string;

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
    police = await hub.token("essex-police-app", "concerns:submit concerns:read");
    auditor = await hub.token("essex-police-ig", "audit:read");
  });
  afterAll(async () => {
    await hub.stop();
  });

  async function signed(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
    const { privateJwk } = await issuerKey(hub.dataDir);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: "essex-police-app", scope: "concerns:submit", ...claims })
      .setProtectedHeader({ alg: "ES256", kid: privateJwk.kid as string, ...header })
      .setIssuer((claims.iss as string) ?? DEFAULTS.localIssuer)
      .setAudience((claims.aud as string) ?? "lantern")
      .setSubject("pc-1")
      .setIssuedAt((claims.iat as number) ?? now)
      .setExpirationTime((claims.exp as number) ?? now + 300)
      .sign(await issuerSigningKey(privateJwk));
  }

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

  it("answers 401 to every kind of bad token", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { privateKey: stranger } = await generateKeyPair("ES256");
    const { privateJwk } = await issuerKey(hub.dataDir);
    const tokens: Record<string, string | undefined> = {
      missing: undefined,
      garbage: "not-a-token",
      expired: await signed({ exp: now - 120, iat: now - 600 }),
      wrongIssuer: await signed({ iss: "https://evil.example" }),
      wrongAudience: await signed({ aud: "someone-else" }),
      futureIat: await signed({ iat: now + 600, exp: now + 900 }),
      algNone: `${b64({ alg: "none", typ: "at+jwt" })}.${b64({ iss: DEFAULTS.localIssuer, aud: "lantern", sub: "x", client_id: "essex-police-app", scope: "concerns:submit", exp: now + 300 })}.`,
      hs256: await new SignJWT({ client_id: "essex-police-app", scope: "concerns:submit" })
        .setProtectedHeader({ alg: "HS256", kid: privateJwk.kid as string })
        .setIssuer(DEFAULTS.localIssuer)
        .setAudience("lantern")
        .setSubject("x")
        .setExpirationTime(now + 300)
        .sign(new TextEncoder().encode(JSON.stringify({ x: privateJwk.x, y: privateJwk.y }))),
      otherKey: await new SignJWT({ client_id: "essex-police-app", scope: "concerns:submit" })
        .setProtectedHeader({ alg: "ES256", kid: privateJwk.kid as string })
        .setIssuer(DEFAULTS.localIssuer)
        .setAudience("lantern")
        .setSubject("x")
        .setExpirationTime(now + 300)
        .sign(stranger),
    };
    for (const [name, token] of Object.entries(tokens)) {
      const response = await call(hub, "POST", "/v1/concerns", { token, body: amyConcern() });
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      ProblemSchema.parse(response.json);
    }
  });

  it("answers 403 for a missing scope or an unregistered client", async () => {
    const noScope = await call(hub, "POST", "/v1/concerns", {
      token: await hub.token("essex-police-app", "concerns:read"),
      body: amyConcern(),
    });
    const stranger = await call(hub, "POST", "/v1/concerns", {
      token: await hub.token("unknown-client", "concerns:submit"),
      body: amyConcern(),
    });
    expect(noScope.status).toBe(403);
    expect(noScope.headers.get("www-authenticate")).toContain("insufficient_scope");
    expect(stranger.status).toBe(403);
  });

  it("answers bad bodies with 4xx problem+json and writes nothing", async () => {
    const before = await call(hub, "GET", "/v1/audit/events?action=disclosure&limit=100", { token: auditor });
    const { voiceOfChild: _omitted, ...noVoice } = amyConcern();
    const cases: { name: string; status: number; raw?: string; body?: unknown; type?: string }[] = [
      { name: "malformed JSON", status: 400, raw: '{"concernType":' },
      { name: "not an object", status: 400, raw: "[1,2,3]" },
      { name: "unknown member", status: 400, body: { ...amyConcern(), shoeSize: 5 } },
      {
        name: "unknown nested member",
        status: 400,
        body: amyConcern({ officer: { name: "PC", rank: "x" } as never }),
      },
      { name: "missing voice of the child", status: 400, body: noVoice },
      {
        name: "not spoken to, no reason",
        status: 400,
        body: amyConcern({ voiceOfChild: { seen: true, spokenTo: false } }),
      },
      { name: "lone surrogate", status: 400, raw: JSON.stringify(amyConcern()).replace("Amy", "A\\ud800my") },
      {
        name: "occurred in the future",
        status: 400,
        body: amyConcern({ occurredAt: "2099-01-01T00:00:00Z" }),
      },
      { name: "wrong type", status: 400, body: { ...amyConcern(), riskRating: 3 } },
      {
        name: "__proto__ key",
        status: 400,
        raw: JSON.stringify(amyConcern()).replace("{", '{"__proto__":{"x":1},'),
      },
      { name: "not JSON content type", status: 415, raw: JSON.stringify(amyConcern()), type: "text/plain" },
      { name: "too large", status: 413, body: amyConcern({ riskFactors: Array(40).fill("x".repeat(2000)) }) },
    ];
    for (const c of cases) {
      const response = await call(hub, "POST", "/v1/concerns", {
        token: police,
        ...(c.raw !== undefined ? { raw: c.raw } : { body: c.body }),
        headers: { "content-type": c.type ?? "application/json" },
      });
      expect({ name: c.name, status: response.status }).toEqual({ name: c.name, status: c.status });
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const problem = ProblemSchema.parse(response.json);
      expect(problem.status).toBe(c.status);
      expect(response.text).not.toMatch(/at \w+ \(|node_modules|Amy/);
    }
    const after = await call(hub, "GET", "/v1/audit/events?action=disclosure&limit=100", { token: auditor });
    expect(after.json.items).toEqual(before.json.items);
  });

  it("names each invalid member in errors[]", async () => {
    const response = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: { ...amyConcern({ voiceOfChild: { seen: true, spokenTo: false } }), colour: "blue" },
    });
    const problem = ProblemSchema.parse(response.json);
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(["", "/voiceOfChild/reasonNotSpokenTo"]);
  });

  it("answers unknown routes 404, wrong methods 405, and serves health and OpenAPI without a token", async () => {
    const unknown = await call(hub, "GET", "/v1/nothing-here");
    const wrongMethod = await call(hub, "DELETE", "/v1/concerns");
    const health = await call(hub, "GET", "/v1/health");
    const openapi = await call(hub, "GET", "/v1/openapi.json");
    const jwks = await call(hub, "GET", "/.well-known/jwks.json");
    expect(unknown.status).toBe(404);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(health.status).toBe(200);
    expect(openapi.json.openapi).toBe("3.1.0");
    expect((jwks.json.keys as { d?: string }[])[0]?.d).toBeUndefined();
  });

  it("keeps personal data out of its logs", () => {
    expect(hub.output()).not.toMatch(/Amy|Example|CM1 1AA|Asthma|eyJ/);
  });
});
