import { Duration, type RemovalPolicy, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat, SourceMapMode } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import {
  ESM_BANNER,
  LAMBDA_NODE_OPTIONS,
  NODE_TARGET,
  PROJECT_ROOT,
  SHARED_ESBUILD,
} from "./esbuild-config.js";

/**
 * Powertools for AWS Lambda (logger, metrics, tracer) in every function. Traces record neither
 * responses nor errors (both may carry personal data) and the logger never logs the event; the
 * AWS SDK clients are traced, so each DynamoDB, KMS, Secrets Manager and S3 call is a subsegment.
 */
export const POWERTOOLS_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: "lantern",
  POWERTOOLS_LOG_LEVEL: "INFO",
  POWERTOOLS_LOGGER_LOG_EVENT: "false",
  POWERTOOLS_TRACE_ENABLED: "true",
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: "false",
  POWERTOOLS_TRACER_CAPTURE_ERROR: "false",
} as const;

/** Context flag for tests: inline stub code instead of running esbuild per function. */
export const SKIP_BUNDLING_CONTEXT = "lantern:skipBundling";

export interface LanternFunctionProps {
  /** Absolute path of the entry file exporting `handler`. */
  entry: string;
  description: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  logRetention: logs.RetentionDays;
  /** Key the log group is encrypted with. */
  logKey: kms.IKey;
  removalPolicy: RemovalPolicy;
  /** Concurrency no other function in the account can take from this one. */
  reservedConcurrentExecutions?: number;
}

/**
 * The house Lambda: Node.js 24 on ARM64, ESM bundled by the shared esbuild configuration,
 * source maps on, X-Ray tracing, its own log group (retained, encrypted) and its own role
 * that may write only to that log group. Callers add the data permissions it needs.
 */
export class LanternFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LanternFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: props.removalPolicy,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole: logs to this group only.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `${props.description} (execution role)`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const skipBundling = this.node.tryGetContext(SKIP_BUNDLING_CONTEXT) === true;
    this.fn = new NodejsFunction(this, "Function", {
      entry: props.entry,
      handler: "handler",
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}/package-lock.json`,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.reservedConcurrentExecutions
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: LAMBDA_NODE_OPTIONS, ...POWERTOOLS_ENVIRONMENT, ...props.environment },
      ...(skipBundling
        ? { code: lambda.Code.fromInline("export const handler = async () => ({});") }
        : {
            bundling: {
              forceDockerBundling: false,
              format: OutputFormat.ESM,
              target: NODE_TARGET,
              minify: SHARED_ESBUILD.minify,
              sourceMap: SHARED_ESBUILD.sourcemap,
              sourceMapMode: SourceMapMode.DEFAULT,
              sourcesContent: SHARED_ESBUILD.sourcesContent,
              mainFields: [...SHARED_ESBUILD.mainFields],
              banner: ESM_BANNER,
              externalModules: [...SHARED_ESBUILD.external],
              metafile: false,
            },
          }),
    });

    Validations.of(this).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so the CDK grants them on '*'.",
    });
  }
}
