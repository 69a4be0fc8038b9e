import { createLocalJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from "jose";
import { serviceUnavailable, unauthorized } from "../errors.js";
import { KeySetUnavailable, remoteKeySet } from "./remote-keys.js";

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

/**
 * Key sets are fetched once per process and cached, with a bounded wait on every fetch
 * (3 s; refetched after 10 min, or on an unknown kid at most every 30 s). Not jose's
 * createRemoteJWKSet: it loads Node's undici at cold start (see remote-keys.ts).
 */
export function remoteKeys(url: string): JWTVerifyGetKey {
  return remoteKeySet(url);
}

export function localKeys(jwks: { keys: object[] }): JWTVerifyGetKey {
  return createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
}

/**
 * Why a token was refused, in words an integrator can act on: which check failed, and for
 * the audience what was expected (oidc-provider's default audience is the resource indicator,
 * the likeliest first mistake). Nothing from the token is echoed and nothing secret is named;
 * jose checks the signature before any claim, so only a genuinely signed token learns which
 * claim is wrong.
 */
export function refusalOf(error: InstanceType<typeof joseErrors.JOSEError>, config: AuthConfig): string {
  if (error instanceof joseErrors.JWTExpired) return "The access token has expired (exp is in the past).";
  if (error instanceof joseErrors.JWTClaimValidationFailed) return claimRefusal(error, config);
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return `The access token's alg is not allowed: only ${ALLOWED_ALGORITHMS.join(" or ")} is accepted.`;
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys)
    return "The access token is signed with a key (kid) the issuer's key set does not hold.";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return "The access token's signature does not verify.";
  return "The access token is not a well-formed signed JWT.";
}

function claimRefusal(
  error: InstanceType<typeof joseErrors.JWTClaimValidationFailed>,
  config: AuthConfig,
): string {
  if (error.reason === "missing") return `The access token has no ${error.claim} claim.`;
  switch (error.claim) {
    case "nbf":
      return "The access token is not yet valid (nbf is in the future).";
    case "iat":
      return "The access token is issued in the future (iat).";
    case "iss":
      return `The access token's issuer (iss) is not the one this hub trusts, ${config.issuer}.`;
    case "aud":
      return `The access token's audience (aud) does not include ${config.audience}, the audience this hub expects.`;
    default:
      return `The access token's ${error.claim} claim is not valid.`;
  }
}

/**
 * Verify a bearer token exactly as the contract says. Every token failure is a 401 saying
 * which check failed; a key set we cannot fetch is our fault (503), and lets nothing in.
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
    // The issuer's key set timed out, answered other than 200 with JSON, or is not a key set.
    if (
      error instanceof joseErrors.JWKSTimeout ||
      error instanceof KeySetUnavailable ||
      error instanceof joseErrors.JWKSInvalid
    )
      throw serviceUnavailable("The token issuer's keys cannot be fetched.", 5);
    if (error instanceof joseErrors.JOSEError) throw unauthorized(refusalOf(error, config));
    if (error instanceof TypeError) throw serviceUnavailable("The token issuer's keys cannot be fetched.", 5);
    throw error;
  }
  // jose accepts an iat in the future; the contract does not.
  const iat = payload.iat;
  if (typeof iat === "number" && iat > now.getTime() / 1000 + CLOCK_SKEW_SECONDS) {
    throw unauthorized("The access token is issued in the future (iat).");
  }
  if (typ !== undefined && !ACCEPTED_TYPES.has(typ.toLowerCase()))
    throw unauthorized("The access token's typ header is not at+jwt or JWT.");
  const { sub, client_id: clientId, scope } = payload;
  for (const [name, value] of [
    ["sub", sub],
    ["client_id", clientId],
  ] as const) {
    if (typeof value !== "string") throw unauthorized(`The access token's ${name} claim is not a string.`);
  }
  if (scope !== undefined && typeof scope !== "string")
    throw unauthorized("The access token's scope claim is not a space-separated string.");
  return {
    sub: sub as string,
    clientId: clientId as string,
    scopes: new Set((scope ?? "").split(" ").filter(Boolean)),
  };
}

/** Scopes that carry another with them, as the contract says. */
const IMPLIED: Record<string, string[]> = { "routing:manage": ["routing:read"] };

export function hasScope(scopes: ReadonlySet<string>, needed: string): boolean {
  if (scopes.has(needed)) return true;
  return Object.entries(IMPLIED).some(([holder, implied]) => scopes.has(holder) && implied.includes(needed));
}

export function bearerToken(header: string | undefined): string {
  if (!header?.trim())
    throw unauthorized("Send an access token: Authorization: Bearer <JWT>.", { tokenSent: false });
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  if (!match?.[1]) throw unauthorized("The Authorization header is not Bearer <JWT>.");
  return match[1];
}
