import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import { type Group, type RouteSpec, routes } from "../../shared/api/routes.js";
import { PROBLEM_TYPE_BASE } from "../../shared/http/problem.js";

export interface LanternApiProps {
  stage: string;
  /** One function per route group. */
  handlers: Record<Group, lambda.IFunction>;
  authorizer: lambda.IFunction;
  throttle: { rateLimit: number; burstLimit: number };
  publicThrottle: { rateLimit: number; burstLimit: number };
  ipRateLimit: number;
  logRetention: logs.RetentionDays;
  logKey: kms.IKey;
  removalPolicy: RemovalPolicy;
}

/** Token caching: a token's policy covers every route it may call, so it can be reused. */
export const AUTHORIZER_CACHE_TTL = Duration.minutes(5);

/** Gateway-made errors answer problem+json too, as the contract asks of every error. */
const PROBLEMS: [apigw.ResponseType, number, string, string, string][] = [
  [
    apigw.ResponseType.UNAUTHORIZED,
    401,
    "unauthorized",
    "Authentication required",
    "Send a valid access token.",
  ],
  [
    apigw.ResponseType.ACCESS_DENIED,
    403,
    "insufficient-scope",
    "Forbidden",
    "The token lacks this route's scope.",
  ],
  [apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, 404, "not-found", "Not found", "No such route."],
  [
    apigw.ResponseType.BAD_REQUEST_PARAMETERS,
    400,
    "bad-request",
    "Bad request",
    "A required parameter is missing.",
  ],
  [
    apigw.ResponseType.REQUEST_TOO_LARGE,
    413,
    "payload-too-large",
    "Payload too large",
    "The body is too large.",
  ],
  [apigw.ResponseType.THROTTLED, 429, "too-many-requests", "Too many requests", "Slow down and try again."],
  [apigw.ResponseType.WAF_FILTERED, 403, "forbidden", "Forbidden", "The request was refused."],
  [
    apigw.ResponseType.AUTHORIZER_FAILURE,
    503,
    "service-unavailable",
    "Service unavailable",
    "Try again shortly.",
  ],
  [apigw.ResponseType.DEFAULT_5XX, 503, "service-unavailable", "Service unavailable", "Try again shortly."],
];

/**
 * The REST API, generated from the route table: a resource per path, a method per route,
 * the group's function behind it, the token authorizer on every route that needs a scope.
 * Access logs (JSON), throttling, X-Ray and a WAF web ACL guard the stage.
 */
export class LanternApi extends Construct {
  readonly api: apigw.RestApi;
  readonly webAcl: wafv2.CfnWebACL;
  /** Public methods (scope null in the route table): health, OpenAPI, key sets. */
  readonly publicMethods: apigw.Method[] = [];

  constructor(scope: Construct, id: string, props: LanternApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: props.removalPolicy,
    });
    this.api = new apigw.RestApi(this, "Api", {
      restApiName: `lantern-${props.stage}`,
      description: "Lantern: safeguarding information sharing between partners",
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stage,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        // Bodies hold personal data: never write them to execution logs.
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
        methodOptions: methodThrottles(props),
      },
    });
    Validations.of(this.api).acknowledge({
      id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
      reason:
        "The account-level role API Gateway needs for execution logging (AwsSolutions-APIG6); AWS maintains this managed policy for exactly that role.",
    });
    Validations.of(this.api).acknowledge({
      id: "AwsSolutions-COG4",
      reason:
        "Partners authenticate with OAuth 2.0 access tokens (RFC 9068) from their own issuer, verified by the Lantern token authorizer; there is no Cognito user pool. Public methods are covered by AwsSolutions-APIG4.",
    });

    const authorizer = new apigw.TokenAuthorizer(this, "TokenAuthorizer", {
      handler: props.authorizer,
      identitySource: apigw.IdentitySource.header("Authorization"),
      validationRegex: "^[Bb]earer [A-Za-z0-9._~+/-]+=*$",
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });
    // API Gateway checks path parameters and the Authorization header. Body validation is on
    // but no method declares a model, so bodies pass to the handler, whose zod schema is the
    // one definition of a valid body (a second JSON Schema here would drift from it).
    const validator = this.api.addRequestValidator("Validator", {
      requestValidatorName: "parameters",
      validateRequestParameters: true,
      validateRequestBody: true,
    });

    const integrations = new Map<Group, apigw.LambdaIntegration>();
    const integrationOf = (group: Group) => {
      let integration = integrations.get(group);
      if (!integration) {
        integration = new apigw.LambdaIntegration(props.handlers[group], {
          proxy: true,
          allowTestInvoke: false,
        });
        integrations.set(group, integration);
      }
      return integration;
    };
    for (const route of routes as readonly RouteSpec[]) {
      const method = this.api.root
        .resourceForPath(route.path)
        .addMethod(route.method, integrationOf(route.group), {
          operationName: route.operationId,
          requestValidator: validator,
          requestParameters: requestParameters(route),
          ...(route.scope === null
            ? { authorizationType: apigw.AuthorizationType.NONE }
            : { authorizationType: apigw.AuthorizationType.CUSTOM, authorizer }),
        });
      if (route.scope === null) {
        this.publicMethods.push(method);
        Validations.of(method).acknowledge({
          id: "AwsSolutions-APIG4",
          reason: `${route.method} ${route.path} is public by contract (the route table gives it no scope: health, the OpenAPI document, public key sets); it needs no token and returns no personal data.`,
        });
      }
    }

    for (const [type, status, code, title, detail] of PROBLEMS) {
      this.api.addGatewayResponse(`Problem${status}${type.responseType}`, {
        type,
        statusCode: String(status),
        responseHeaders: {
          "Content-Type": "'application/problem+json'",
          ...(status === 401 ? { "WWW-Authenticate": "'Bearer'" } : {}),
        },
        templates: {
          "application/json": JSON.stringify({ type: `${PROBLEM_TYPE_BASE}${code}`, title, status, detail }),
        },
      });
    }

    this.webAcl = this.firewall(props.stage, props.ipRateLimit);
  }

  private firewall(stage: string, ipRateLimit: number): wafv2.CfnWebACL {
    const visibility = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `lantern-${stage}-${name}`,
    });
    const managed = (name: string, priority: number, overrides: string[] = []) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: "AWS",
          name,
          ...(overrides.length > 0
            ? { ruleActionOverrides: overrides.map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
            : {}),
        },
      },
      visibilityConfig: visibility(name),
    });
    const acl = new wafv2.CfnWebACL(this, "WebAcl", {
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: visibility("web-acl"),
      customResponseBodies: {
        [TOO_MANY_FROM_IP]: {
          contentType: "APPLICATION_JSON",
          content: JSON.stringify({
            type: `${PROBLEM_TYPE_BASE}too-many-requests`,
            title: "Too many requests",
            status: 429,
            detail: "Too many requests from this address: slow down and try again in a few minutes.",
          }),
        },
      },
      rules: [
        // First, so a flood from one address is turned away before anything else is spent on it.
        {
          name: "PerIpRateLimit",
          priority: 0,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: TOO_MANY_FROM_IP,
                responseHeaders: [{ name: "Retry-After", value: "300" }],
              },
            },
          },
          statement: {
            rateBasedStatement: { limit: ipRateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 },
          },
          visibilityConfig: visibility("per-ip-rate"),
        },
        // The contract accepts bodies up to 64 KiB (the handler answers 413 beyond); the
        // common rule set would block any body over 8 KiB, so that one rule only counts.
        managed("AWSManagedRulesCommonRuleSet", 1, ["SizeRestrictions_BODY"]),
        managed("AWSManagedRulesKnownBadInputsRuleSet", 2),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, "WebAclAssociation", {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: acl.attrArn,
    });
    return acl;
  }
}

const TOO_MANY_FROM_IP = "too-many-from-ip";

/**
 * Method-level throttles: each public route (no token: health, the OpenAPI document, the key
 * sets) gets its own small bucket, so anonymous floods are answered 429 there and cannot
 * spend the stage's limit; POST /v1/concerns gets the stage's whole rate as its own bucket.
 * Keys are `<path>/<METHOD>` as API Gateway's method settings name them.
 */
export function methodThrottles(props: Pick<LanternApiProps, "throttle" | "publicThrottle">) {
  const options: Record<string, apigw.MethodDeploymentOptions> = {};
  for (const route of routes as readonly RouteSpec[]) {
    if (route.scope === null)
      options[`${route.path}/${route.method}`] = {
        throttlingRateLimit: props.publicThrottle.rateLimit,
        throttlingBurstLimit: props.publicThrottle.burstLimit,
      };
  }
  options["/v1/concerns/POST"] = {
    throttlingRateLimit: props.throttle.rateLimit,
    throttlingBurstLimit: props.throttle.burstLimit,
  };
  return options;
}

/** Path parameters are required; so is the Authorization header on every scoped route. */
function requestParameters(route: RouteSpec): Record<string, boolean> {
  const parameters: Record<string, boolean> = {};
  for (const match of route.path.matchAll(/\{([^}]+)\}/g))
    parameters[`method.request.path.${match[1]}`] = true;
  if (route.scope !== null) parameters["method.request.header.Authorization"] = true;
  return parameters;
}
