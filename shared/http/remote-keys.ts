import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey, errors as joseErrors } from "jose";
import { ConfigurationError } from "../config.js";

/**
 * The issuer's key set by URL, as jose's `createRemoteJWKSet` keeps it, fetched with node:https.
 * Why not jose's own: it builds a `Headers` when it is created, and touching the global
 * `Headers` or `fetch` makes Node load its bundled undici, 31-45 ms of every HTTP function's
 * cold start (0.3-0.4x the DocumentClient-only bundle), and its first fetch runs on undici
 * too. node:https is loaded already, by the AWS SDK's request handler.
 */
export interface RemoteKeyOptions {
  /** The whole exchange, connection to last byte (jose's timeoutDuration). */
  timeoutMs: number;
  /** A token with an unknown kid refetches only this long after the last fetch. */
  cooldownMs: number;
  /** The key set is refetched once it is this old. */
  cacheMaxAgeMs: number;
  maxBytes: number;
}

/**
 * The issuer's key set could not be had: a status other than 200, a body over the bound or not
 * JSON. The issuer's fault, not the token's, so the verifier answers 503, not 401. A JOSEError,
 * as jose's own remote set throws for these.
 */
export class KeySetUnavailable extends joseErrors.JOSEError {}

/** A network failure, as fetch reports it (a TypeError), which the verifier turns into a 503. */
const networkFailure = (cause: unknown) => new TypeError("fetch failed", { cause });

export const REMOTE_KEY_DEFAULTS: RemoteKeyOptions = {
  timeoutMs: 3000,
  cooldownMs: 30_000,
  cacheMaxAgeMs: 600_000,
  maxBytes: 1_000_000,
};

const LOOPBACK_NAMES = new Set(["localhost", "[::1]"]);
/** The URL parser writes every IPv4 host as four decimals (127.1 is 127.0.0.1). */
const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Plain http would let anyone on the path swap the keys: allowed only to this machine. Not
 * node:net's isIP: its first call compiles Node's IPv6 pattern, 6-8 ms of cold start.
 */
function keySetUrl(url: string): URL {
  const parsed = new URL(url);
  if (parsed.protocol === "https:") return parsed;
  const host = parsed.hostname;
  if (parsed.protocol === "http:" && (LOOPBACK_NAMES.has(host) || LOOPBACK_V4.test(host))) return parsed;
  throw new ConfigurationError("The key set URL must be https (http only to a loopback address).");
}

/** The body as JSON, refused past the bound (the issuer's key set is a few KB). */
function readJson(response: IncomingMessage, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    response.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxBytes) return void chunks.push(chunk);
      response.destroy();
      reject(new KeySetUnavailable("The JSON Web Key Set HTTP response is too large"));
    });
    // A connection reset after the headers ("aborted") is a network failure like any other.
    response.on("error", (cause) => reject(networkFailure(cause)));
    response.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch (cause) {
        reject(
          new KeySetUnavailable("Failed to parse the JSON Web Key Set HTTP response as JSON", { cause }),
        );
      }
    });
  });
}

/** One GET: 200 with JSON within the bound, or jose's errors (a timeout is JWKSTimeout). */
function fetchKeySet(url: URL, options: RemoteKeyOptions): Promise<unknown> {
  const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, {
    method: "GET",
    // A fresh connection each time (one fetch per 10 minutes): a pooled socket the issuer has
    // since closed would fail the fetch with ECONNRESET.
    agent: false,
    // Named, as jose names itself: some issuers' firewalls refuse a request with no User-Agent.
    headers: { accept: "application/json, application/jwk-set+json", "user-agent": "lantern" },
  });
  let timer: NodeJS.Timeout | undefined;
  // The whole exchange, connection to last byte, as fetch's AbortSignal.timeout bounds it.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      request.destroy();
      reject(new joseErrors.JWKSTimeout());
    }, options.timeoutMs);
  });
  const exchange = new Promise<unknown>((resolve, reject) => {
    request.on("error", (cause) => reject(networkFailure(cause)));
    request.once("response", (response) => {
      // Redirects are not followed (jose's redirect: "manual"): only 200 holds the key set.
      if (response.statusCode === 200) return resolve(readJson(response, options.maxBytes));
      response.resume();
      reject(new KeySetUnavailable("Expected 200 OK from the JSON Web Key Set HTTP response"));
    });
    request.end();
  });
  return Promise.race([exchange, timeout])
    .catch((error: unknown) => {
      request.destroy();
      throw error;
    })
    .finally(() => clearTimeout(timer));
}

export function remoteKeySet(url: string, overrides: Partial<RemoteKeyOptions> = {}): JWTVerifyGetKey {
  const target = keySetUrl(url);
  const options = { ...REMOTE_KEY_DEFAULTS, ...overrides };
  let local: JWTVerifyGetKey | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;
  const within = (ms: number) => Date.now() < fetchedAt + ms;
  // Concurrent callers share the one fetch in flight; a failed fetch leaves the old keys.
  const reload = async () => {
    pending ??= fetchKeySet(target, options)
      .then((json) => {
        local = createLocalJWKSet(json as JSONWebKeySet);
        fetchedAt = Date.now();
      })
      .finally(() => {
        pending = undefined;
      });
    await pending;
  };
  return async (protectedHeader, token) => {
    if (!local || !within(options.cacheMaxAgeMs)) await reload();
    try {
      return await (local as JWTVerifyGetKey)(protectedHeader, token);
    } catch (error) {
      // A kid we do not hold may be a rotation: refetch, but at most once per cooldown.
      if (!(error instanceof joseErrors.JWKSNoMatchingKey) || within(options.cooldownMs)) throw error;
      await reload();
      return (local as JWTVerifyGetKey)(protectedHeader, token);
    }
  };
}
