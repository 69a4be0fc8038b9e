import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from "jose";
import { serviceUnavailable, unauthorized } from "../errors.js";

/** RFC 9068 access tokens: asymmetric signatures only, so no shared secret can mint one. */
export const ALLOWED_ALGORITHMS = ["RS256", "ES256"];
export const CLOCK_SKEW_SECONDS = 60;
const ACCEPTED_TYPES = new Set(["at+jwt", "application/at+jwt", "jwt"]);

export interface AuthConfig {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
}

export interface TokenIdentity {
  sub: string;
  clientId: string;
  scopes: Set<string>;
}

/** Key sets are fetched once per process and cached, with a bounded wait on every fetch. */
export function remoteKeys(url: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), {
    timeoutDuration: 3000,
    cooldownDuration: 30_000,
    cacheMaxAge: 600_000,
  });
}

export function localKeys(jwks: { keys: object[] }): JWTVerifyGetKey {
  return createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
}

/**
 * Verify a bearer token exactly as the contract says. Every token failure is one 401 with no
 * hint of which check failed; a key set we cannot fetch is our fault (503), and lets nothing in.
 */
export async function verifyAccessToken(
  token: string,
  config: AuthConfig,
  now: Date,
): Promise<TokenIdentity> {
  let payload: Record<string, unknown>;
  let typ: string | undefined;
  try {
    const verified = await jwtVerify(token, config.keys, {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: ALLOWED_ALGORITHMS,
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: now,
      requiredClaims: ["exp", "sub", "client_id"],
    });
    payload = verified.payload;
    typ = verified.protectedHeader.typ;
  } catch (error: unknown) {
    if (error instanceof joseErrors.JWKSTimeout)
      throw serviceUnavailable("The token issuer's keys cannot be fetched.", 5);
    if (error instanceof joseErrors.JOSEError) throw unauthorized("The access token is not valid.");
    if (error instanceof TypeError) throw serviceUnavailable("The token issuer's keys cannot be fetched.", 5);
    throw error;
  }
  // jose accepts an iat in the future; the contract does not.
  const iat = payload.iat;
  if (typeof iat === "number" && iat > now.getTime() / 1000 + CLOCK_SKEW_SECONDS) {
    throw unauthorized("The access token is not valid.");
  }
  if (typ !== undefined && !ACCEPTED_TYPES.has(typ.toLowerCase()))
    throw unauthorized("The access token is not valid.");
  const { sub, client_id: clientId, scope } = payload;
  if (
    typeof sub !== "string" ||
    typeof clientId !== "string" ||
    (scope !== undefined && typeof scope !== "string")
  ) {
    throw unauthorized("The access token is not valid.");
  }
  return { sub, clientId, scopes: new Set((scope ?? "").split(" ").filter(Boolean)) };
}

/** Scopes that carry another with them, as the contract says. */
const IMPLIED: Record<string, string[]> = { "routing:manage": ["routing:read"] };

export function hasScope(scopes: ReadonlySet<string>, needed: string): boolean {
  if (scopes.has(needed)) return true;
  return Object.entries(IMPLIED).some(([holder, implied]) => scopes.has(holder) && implied.includes(needed));
}

export function bearerToken(header: string | undefined): string {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header?.trim() ?? "");
  if (!match?.[1]) throw unauthorized("Send an access token: Authorization: Bearer <JWT>.");
  return match[1];
}
