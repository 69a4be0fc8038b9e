import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Duration, Fn, type RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import type * as apigw from "aws-cdk-lib/aws-apigateway";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { buildConsole, consoleCsp } from "../../console/build.js";
import type { ConsoleConfig } from "../../console/routes.js";
import { CONSOLE_CLIENTS, CONSOLE_SCOPES } from "../local/demo-people.js";

/**
 * The console on AWS: its static files in a private S3 bucket, read only by CloudFront through
 * origin access control, with the API behind the same distribution at /v1/* so the pages call
 * it from their own origin (no CORS, `connect-src 'self'`). Every answer carries the security
 * headers: CSP, HSTS, frame-ancestors none, nosniff, no referrer.
 */
export interface ConsoleSiteProps {
  api: apigw.RestApi;
  /** The OAuth issuer people sign in with (a deploy-time parameter). */
  issuer: string;
  removalPolicy: RemovalPolicy;
}

/** The console's files, built offline at synth time by the project's esbuild. */
function consoleFiles(): string {
  const dir = mkdtempSync(join(tmpdir(), "lantern-console-"));
  for (const [path, asset] of buildConsole()) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, asset.body);
  }
  return dir;
}

export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const logs = new s3.Bucket(this, "AccessLogs", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are written with an ACL.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: props.removalPolicy,
    });
    Validations.of(logs).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "This is the access-log bucket of the console's bucket and distribution; logging it into itself would loop.",
    });
    this.bucket = new s3.Bucket(this, "Pages", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: "pages/",
      removalPolicy: props.removalPolicy,
    });
    const headers = new cloudfront.ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: "Lantern console: CSP without inline script, HSTS, no framing, no sniffing, no referrer",
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleCsp(), override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    this.distribution = new cloudfront.Distribution(this, "Distribution", {
      comment: "Lantern console and API",
      defaultRootObject: "index.html",
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      },
      additionalBehaviors: {
        "/v1/*": {
          origin: new origins.RestApiOrigin(props.api),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
      // A page such as /inbox is no object in the bucket (403 through OAC): answer the page shell,
      // whose router draws the page, or its plain "Page not found".
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: "/index.html",
        ttl: Duration.seconds(0),
      })),
      geoRestriction: cloudfront.GeoRestriction.allowlist("GB"),
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: "cloudfront/",
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: "AwsSolutions-CFR2",
        reason:
          "The API behind /v1/* has its own regional WAF web ACL (rate limits, common and known-bad-input rules); a CloudFront web ACL must live in us-east-1, so a deployer adds one with the custom domain.",
      },
      {
        id: "AwsSolutions-CFR4",
        reason:
          "The default *.cloudfront.net certificate cannot carry a TLS policy; a deployer adds the custom domain's ACM certificate (deployment-specific) with minimumProtocolVersion TLSv1.2_2021.",
      },
    );
    const config: ConsoleConfig = {
      issuer: props.issuer,
      discoveryUrl: Fn.join("", [props.issuer, "/.well-known/openid-configuration"]),
      resource: "urn:lantern:api",
      apiBase: "",
      scopes: CONSOLE_SCOPES,
      clients: CONSOLE_CLIENTS,
    };
    const deployment = new s3deploy.BucketDeployment(this, "Deploy", {
      sources: [
        s3deploy.Source.asset(consoleFiles()),
        s3deploy.Source.jsonData("console-config.json", config),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ["/*"],
    });
    // BucketDeployment's function is one singleton at the stack's root, not under `deployment`.
    const handler = Stack.of(this).node.children.find((c) =>
      c.node.id.startsWith("Custom::CDKBucketDeployment"),
    );
    Validations.of(handler ?? deployment).acknowledge(
      {
        id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        reason:
          "CDK's own BucketDeployment function writes its logs with the basic execution role; it runs only during a deployment.",
      },
      {
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "CDK's BucketDeployment function invalidates the distribution after a deployment: CloudFront's CreateInvalidation takes no narrower resource here.",
      },
      {
        id: "AwsSolutions-IAM5[Action::s3:GetObject*]",
        reason: "CDK's BucketDeployment reads the console's asset from the CDK asset bucket.",
      },
      {
        id: "AwsSolutions-IAM5[Action::s3:GetBucket*]",
        reason: "CDK's BucketDeployment reads the asset and console buckets' metadata.",
      },
      {
        id: "AwsSolutions-IAM5[Action::s3:List*]",
        reason: "CDK's BucketDeployment lists the asset and console buckets to sync them.",
      },
      {
        id: "AwsSolutions-IAM5[Action::s3:DeleteObject*]",
        reason: "CDK's BucketDeployment removes files of an earlier console version from the console bucket.",
      },
      {
        id: "AwsSolutions-IAM5[Action::s3:Abort*]",
        reason: "CDK's BucketDeployment aborts a failed multipart upload into the console bucket.",
      },
      {
        id: "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]",
        reason: "CDK's BucketDeployment reads the console's files from the CDK asset bucket.",
      },
      {
        id: "AwsSolutions-IAM5[Resource::<ConsolePages082CCFA4.Arn>/*]",
        reason:
          "CDK's BucketDeployment writes the console's files into the console bucket, every object of it.",
      },
      {
        id: "AwsSolutions-L1",
        reason: "The runtime of CDK's BucketDeployment function is chosen by aws-cdk-lib, not by this app.",
      },
    );
  }
}
