import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { type Resource, resourcesOfType, synthesise } from "./template.js";

/** The console on AWS: a private bucket, read by CloudFront alone, with the security headers. */
describe("the console's bucket and distribution", () => {
  const { template } = synthesise("prod");
  const resources = template.toJSON().Resources as Record<string, Resource>;

  it("keeps the pages in a private, encrypted bucket that only the distribution reads (OAC)", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { LogFilePrefix: "pages/" },
    });
    template.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject" }),
        ]),
      },
    });
  });

  it("sends CSP without inline script, HSTS, frame-ancestors none, nosniff and no referrer", () => {
    const [policy] = resourcesOfType(resources, "AWS::CloudFront::ResponseHeadersPolicy");
    expect(policy).toBeDefined();
    const config = (policy ? policy[1].Properties.ResponseHeadersPolicyConfig : {}) as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    const security = config.SecurityHeadersConfig;
    const csp = String(security?.ContentSecurityPolicy?.ContentSecurityPolicy);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(security?.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
    expect(Number(security?.StrictTransportSecurity?.AccessControlMaxAgeSec)).toBeGreaterThanOrEqual(
      31_536_000,
    );
    expect(security?.ContentTypeOptions).toMatchObject({ Override: true });
    expect(security?.FrameOptions).toMatchObject({ FrameOption: "DENY" });
    expect(security?.ReferrerPolicy).toMatchObject({ ReferrerPolicy: "no-referrer" });
  });

  it("serves pages over HTTPS only, with the API at /v1/* behind the same origin, uncached", () => {
    template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: "index.html",
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: "redirect-to-https" }),
        CacheBehaviors: [Match.objectLike({ PathPattern: "/v1/*", ViewerProtocolPolicy: "https-only" })],
        Logging: Match.objectLike({ Prefix: "cloudfront/" }),
      }),
    });
  });
});
