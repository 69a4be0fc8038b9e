import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Statement } from "aws-lambda";
import { type RouteSpec, routes } from "../shared/api/routes.js";
import { DEFAULTS, ENV, required } from "../shared/config.js";
import { LanternError } from "../shared/errors.js";
import {
  type AuthConfig,
  bearerToken,
  hasScope,
  remoteKeys,
  verifyAccessToken,
} from "../shared/http/auth.js";

/**
 * API Gateway TOKEN authorizer: verifies the bearer token as the contract says and answers
 * an IAM policy allowing exactly the routes the token's scopes open. API Gateway caches the
 * answer by token, so the policy must not depend on the method first called: it covers every
 * route. The handlers verify the token again (defence in depth) and map the partner.
 */
const config: AuthConfig = {
  issuer: required(process.env, ENV.issuer),
  audience: process.env[ENV.audience] || DEFAULTS.audience,
  keys: remoteKeys(required(process.env, ENV.jwksUrl)),
};

/** `arn:aws:execute-api:region:account:api/stage/METHOD/path` → `arn:...:api/stage`. */
function stageArn(methodArn: string): string {
  const [api, stage] = methodArn.split("/");
  if (!api || !stage) throw new Error("Unexpected method ARN.");
  return `${api}/${stage}`;
}

/** The execute-api resources of every route the scopes open (path parameters as `*`). */
export function allowedResources(methodArn: string, scopes: ReadonlySet<string>): string[] {
  const base = stageArn(methodArn);
  return (routes as readonly RouteSpec[])
    .filter((r) => r.scope !== null && hasScope(scopes, r.scope))
    .map((r) => `${base}/${r.method}${r.path.replace(/\{[^/]+\}/g, "*")}`);
}

export function policyFor(
  principalId: string,
  methodArn: string,
  scopes: ReadonlySet<string>,
): APIGatewayAuthorizerResult {
  const allowed = allowedResources(methodArn, scopes);
  const Statement: Statement[] =
    allowed.length > 0
      ? [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: allowed }]
      : [{ Action: "execute-api:Invoke", Effect: "Deny", Resource: `${stageArn(methodArn)}/*` }];
  return { principalId, policyDocument: { Version: "2012-10-17", Statement } };
}

export async function handler(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  try {
    const identity = await verifyAccessToken(bearerToken(event.authorizationToken), config, new Date());
    return {
      ...policyFor(identity.sub, event.methodArn, identity.scopes),
      context: { clientId: identity.clientId, sub: identity.sub, scope: [...identity.scopes].join(" ") },
    };
  } catch (error: unknown) {
    // API Gateway answers 401 only to this exact message; anything else is our failure
    // (an unreachable key set), answered as the gateway's AUTHORIZER_FAILURE.
    if (error instanceof LanternError && error.status === 401) throw new Error("Unauthorized");
    throw error;
  }
}
