import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { errors, exportJWK, generateKeyPair, type JWK, type JWTVerifyGetKey, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../shared/config.js";
import { LanternError } from "../../shared/errors.js";
import { verifyAccessToken } from "../../shared/http/auth.js";
import { type RemoteKeyOptions, remoteKeySet } from "../../shared/http/remote-keys.js";

/**
 * Our key set by URL keeps jose's createRemoteJWKSet behaviour (cache, cooldown, one fetch in
 * flight, no redirects, only 200, jose's errors) against a real HTTP server on 127.0.0.1.
 */
type Serve = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let base: string;
let serve: Serve;
let requests: IncomingMessage[];
let jwkA: JWK;
let jwkB: JWK;

const json =
  (body: unknown): Serve =>
  (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
const header = (kid: string) => ({ alg: "ES256", kid });
const TOKEN = { payload: "", signature: "" };

function keys(options: Partial<RemoteKeyOptions> = {}, path = "/jwks.json"): JWTVerifyGetKey {
  return remoteKeySet(`${base}${path}`, options);
}

async function refusal(promise: unknown): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

beforeAll(async () => {
  jwkA = { ...(await exportJWK((await generateKeyPair("ES256")).publicKey)), kid: "a", alg: "ES256" };
  jwkB = { ...(await exportJWK((await generateKeyPair("ES256")).publicKey)), kid: "b", alg: "ES256" };
  server = createServer((req, res) => {
    requests.push(req);
    serve(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  requests = [];
  serve = json({ keys: [jwkA] });
});

afterEach(() => server.closeAllConnections());

afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("remote key set: caching", () => {
  it("fetches once, asking for JSON, and serves later calls from the cache", async () => {
    const getKey = keys();
    await getKey(header("a"), TOKEN);
    await getKey(header("a"), TOKEN);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe("GET");
    expect(requests[0]?.headers.accept).toBe("application/json, application/jwk-set+json");
    expect(requests[0]?.headers["user-agent"]).toBe("lantern");
  });

  it("refetches once the cached set is older than its max age", async () => {
    const getKey = keys({ cacheMaxAgeMs: 40 });
    await getKey(header("a"), TOKEN);
    await sleep(60);
    await getKey(header("a"), TOKEN);
    expect(requests).toHaveLength(2);
  });

  it("shares one fetch in flight among concurrent callers", async () => {
    serve = (req, res) => setTimeout(() => json({ keys: [jwkA] })(req, res), 50);
    const getKey = keys();
    await Promise.all(Array.from({ length: 5 }, () => getKey(header("a"), TOKEN)));
    expect(requests).toHaveLength(1);
  });
});

describe("remote key set: an unknown kid", () => {
  it("does not refetch within the cooldown, and refetches after it (a key rotation)", async () => {
    const getKey = keys({ cooldownMs: 80 });
    await getKey(header("a"), TOKEN);
    serve = json({ keys: [jwkA, jwkB] });
    expect(await refusal(getKey(header("b"), TOKEN))).toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(requests).toHaveLength(1);
    await sleep(100);
    await expect(getKey(header("b"), TOKEN)).resolves.toBeDefined();
    expect(requests).toHaveLength(2);
  });

  it("refuses a kid the refetched set still lacks", async () => {
    const getKey = keys({ cooldownMs: 0 });
    await getKey(header("a"), TOKEN);
    expect(await refusal(getKey(header("b"), TOKEN))).toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(requests).toHaveLength(2);
  });
});

describe("remote key set: what it refuses", () => {
  const expectJose = async (getKey: JWTVerifyGetKey, message: RegExp) => {
    const error = await refusal(getKey(header("a"), TOKEN));
    expect(error).toBeInstanceOf(errors.JOSEError);
    expect((error as Error).message).toMatch(message);
  };

  it("refuses any status but 200", async () => {
    serve = (_req, res) => res.writeHead(500).end(JSON.stringify({ keys: [jwkA] }));
    await expectJose(keys(), /Expected 200 OK/);
  });

  it("does not follow a redirect, even to a good key set", async () => {
    serve = (req, res) => {
      if (req.url === "/moved") return json({ keys: [jwkA] })(req, res);
      res.writeHead(302, { location: "/moved" }).end();
    };
    await expectJose(keys(), /Expected 200 OK/);
    expect(requests.map((r) => r.url)).toEqual(["/jwks.json"]);
  });

  it("refuses a body that is not JSON, and JSON that is not a key set", async () => {
    serve = (_req, res) => res.writeHead(200).end("<html>sign in</html>");
    await expectJose(keys(), /Failed to parse/);
    serve = json({ keys: "none" });
    expect(await refusal(keys()(header("a"), TOKEN))).toBeInstanceOf(errors.JWKSInvalid);
  });

  it("refuses a body over the bound without reading the rest", async () => {
    serve = (_req, res) => res.writeHead(200).end(JSON.stringify({ keys: [jwkA], pad: "x".repeat(5000) }));
    await expectJose(keys({ maxBytes: 1000 }), /too large/);
    serve = json({ keys: [jwkA] });
    await expect(keys({ maxBytes: 1000 })(header("a"), TOKEN)).resolves.toBeDefined();
  });

  it("times out a server that never answers, and one that never finishes its body", async () => {
    serve = () => {};
    const started = performance.now();
    expect(await refusal(keys({ timeoutMs: 100 })(header("a"), TOKEN))).toBeInstanceOf(errors.JWKSTimeout);
    expect(performance.now() - started).toBeLessThan(1000);
    serve = (_req, res) => res.writeHead(200).write('{"keys":[');
    expect(await refusal(keys({ timeoutMs: 100 })(header("a"), TOKEN))).toBeInstanceOf(errors.JWKSTimeout);
  });

  it("fetches again after a failed fetch, keeping nothing of it", async () => {
    serve = (_req, res) => res.writeHead(503).end();
    const getKey = keys();
    await expectJose(getKey, /Expected 200 OK/);
    serve = json({ keys: [jwkA] });
    await expect(getKey(header("a"), TOKEN)).resolves.toBeDefined();
    expect(requests).toHaveLength(2);
  });

  it("takes https anywhere, plain http only to a loopback address", () => {
    expect(() => remoteKeySet("https://login.example.police.uk/jwks")).not.toThrow();
    for (const url of ["http://127.0.0.1:9/jwks", "http://localhost:9/jwks", "http://[::1]:9/jwks"])
      expect(() => remoteKeySet(url)).not.toThrow();
    expect(remoteKeySet("http://127.1:9/jwks")).toBeTypeOf("function");
    for (const url of [
      "http://login.example.police.uk/jwks",
      "http://10.0.0.1/jwks",
      "http://127.0.0.1.example.com/jwks",
      "http://localhost.example.com/jwks",
      "file:///etc/jwks",
    ])
      expect(() => remoteKeySet(url)).toThrow(ConfigurationError);
  });
});

describe("remote key set: the verifier's answer", () => {
  const ISSUER = "https://login.example.police.uk/";

  async function verifyWith(getKey: JWTVerifyGetKey) {
    const { privateKey } = await generateKeyPair("ES256");
    const jwt = await new SignJWT({ client_id: "app" })
      .setProtectedHeader({ alg: "ES256", kid: "a", typ: "at+jwt" })
      .setIssuer(ISSUER)
      .setAudience("lantern")
      .setSubject("pc-1")
      .setExpirationTime("5m")
      .sign(privateKey);
    return refusal(verifyAccessToken(jwt, { issuer: ISSUER, audience: "lantern", keys: getKey }, new Date()));
  }

  it("is a 503, not a 401, when the issuer times out or cannot be reached", async () => {
    serve = () => {};
    const timedOut = await verifyWith(keys({ timeoutMs: 100 }));
    expect(timedOut).toBeInstanceOf(LanternError);
    expect((timedOut as LanternError).status).toBe(503);
    const unreachable = await verifyWith(remoteKeySet("http://127.0.0.1:9/jwks.json"));
    expect((unreachable as LanternError).status).toBe(503);
  });

  it("is a 503, not a 401, when the issuer answers other than 200, too much, not JSON, or not a key set", async () => {
    const answers: Serve[] = [
      (_req, res) => res.writeHead(500).end(),
      (_req, res) => res.writeHead(200).end(JSON.stringify({ keys: [], pad: "x".repeat(5000) })),
      (_req, res) => res.writeHead(200).end("<html>sign in</html>"),
      json({ keys: "none" }),
    ];
    for (const answer of answers) {
      serve = answer;
      const refused = await verifyWith(keys({ maxBytes: 1000 }));
      expect((refused as LanternError).status).toBe(503);
    }
  });

  it("is a 503 when the issuer's connection drops in the middle of the body", async () => {
    serve = (_req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write('{"keys":[');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const dropped = await refusal(keys()(header("a"), TOKEN));
    expect(dropped).toBeInstanceOf(TypeError);
    expect(((await verifyWith(keys())) as LanternError).status).toBe(503);
  });
});
