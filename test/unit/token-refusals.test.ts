import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { LanternError } from "../../shared/errors.js";
import { type AuthConfig, bearerToken, localKeys, verifyAccessToken } from "../../shared/http/auth.js";

/**
 * A refused token's 401 says which check failed, in `detail` and in RFC 6750's
 * `WWW-Authenticate: Bearer error="invalid_token", error_description="..."`.
 */
const ISSUER = "https://login.example.police.uk/";
const NOW = new Date("2026-11-20T21:00:00Z");
const t = Math.floor(NOW.getTime() / 1000);
/** RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E. */
const DESCRIPTION = /^Bearer error="invalid_token", error_description="([\x20\x21\x23-\x5b\x5d-\x7e]+)"$/;

let key: CryptoKey;
let otherKey: CryptoKey;
let config: AuthConfig;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  key = pair.privateKey;
  ({ privateKey: otherKey } = await generateKeyPair("ES256"));
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" };
  config = { issuer: ISSUER, audience: "lantern", keys: localKeys({ keys: [publicJwk] }) };
});

interface Claims {
  [name: string]: unknown;
}

async function token(claims: Claims = {}, header: Record<string, unknown> = {}, signWith?: CryptoKey) {
  const body: Claims = {
    iss: ISSUER,
    aud: "lantern",
    sub: "pc-1",
    client_id: "essex-police-app",
    scope: "concerns:submit",
    iat: t,
    nbf: t,
    exp: t + 300,
    ...claims,
  };
  for (const [name, value] of Object.entries(body)) if (value === undefined) delete body[name];
  return new SignJWT(body)
    .setProtectedHeader({ alg: "ES256", kid: "k1", typ: "at+jwt", ...header } as never)
    .sign(signWith ?? key);
}

async function refusal(jwt: string): Promise<{ detail: string; description: string }> {
  try {
    await verifyAccessToken(jwt, config, NOW);
  } catch (error: unknown) {
    if (!(error instanceof LanternError) || error.status !== 401) throw error;
    const header = error.extra.headers?.["WWW-Authenticate"] ?? "";
    const match = DESCRIPTION.exec(header);
    if (!match) throw new Error(`not an RFC 6750 challenge: ${header}`);
    return { detail: error.detail, description: match[1] as string };
  }
  throw new Error("the token was accepted");
}

const unsigned = (claims: Claims) =>
  `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${Buffer.from(
    JSON.stringify({ iss: ISSUER, aud: "lantern", sub: "pc-1", client_id: "x", exp: t + 300, ...claims }),
  ).toString("base64url")}.`;

describe("why a token is refused", () => {
  it("accepts a good token (so each refusal below is the one change made)", async () => {
    await expect(verifyAccessToken(await token(), config, NOW)).resolves.toMatchObject({ sub: "pc-1" });
  });

  const cases: [string, () => Promise<string>, RegExp][] = [
    ["expired", () => token({ exp: t - 120 }), /has expired \(exp/],
    ["not yet valid", () => token({ nbf: t + 600 }), /not yet valid \(nbf/],
    ["issued in the future", () => token({ iat: t + 600 }), /issued in the future \(iat\)/],
    ["wrong issuer", () => token({ iss: "https://elsewhere.example/" }), /issuer \(iss\) is not the one/],
    [
      "wrong audience, naming the expected one",
      () => token({ aud: "https://lantern.example/v1" }),
      /audience \(aud\) does not include lantern, the audience this hub expects/,
    ],
    ["no audience", () => token({ aud: undefined }), /has no aud claim/],
    ["unknown key", () => token({}, { kid: "k2" }), /key \(kid\) the issuer's key set does not hold/],
    ["bad signature", () => token({}, {}, otherKey), /signature does not verify/],
    ["alg none", async () => unsigned({}), /alg is not allowed: only RS256 or ES256/],
    ["missing client_id", () => token({ client_id: undefined }), /has no client_id claim/],
    ["missing sub", () => token({ sub: undefined }), /has no sub claim/],
    ["missing exp", () => token({ exp: undefined }), /has no exp claim/],
    ["client_id not a string", () => token({ client_id: 42 }), /client_id claim is not a string/],
    ["wrong typ", () => token({}, { typ: "id+jwt" }), /typ header is not at\+jwt or JWT/],
    ["not a JWT", async () => "abc.def.ghi", /not a well-formed signed JWT/],
  ];
  for (const [name, make, expected] of cases) {
    it(`says so: ${name}`, async () => {
      const { detail, description } = await refusal(await make());
      expect(detail).toMatch(expected);
      expect(description).toBe(detail);
    });
  }

  it("names nothing from a forged token: its claims are not looked at before the signature", async () => {
    const forged = await token({ aud: "wrong", iss: "wrong", exp: t - 999 }, {}, otherKey);
    expect((await refusal(forged)).detail).toBe("The access token's signature does not verify.");
  });

  it("answers a request with no credentials with a bare Bearer challenge (RFC 6750 §3.1)", () => {
    const missing = (() => {
      try {
        bearerToken(undefined);
      } catch (error: unknown) {
        return error as LanternError;
      }
      throw new Error("accepted");
    })();
    expect(missing.extra.headers).toEqual({ "WWW-Authenticate": "Bearer" });
    expect(() => bearerToken("Basic dXNlcjpwYXNz")).toThrow(/not Bearer <JWT>/);
  });
});
