import type { App, CfnElement } from "aws-cdk-lib";
import { Annotations, Match, type Template } from "aws-cdk-lib/assertions";
import type * as apigw from "aws-cdk-lib/aws-apigateway";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { AUDIT_MUTATIONS } from "../../infra/aws/access.js";
import { routeGroups } from "../../infra/aws/esbuild-config.js";
import type { LanternFunction } from "../../infra/aws/lantern-function.js";
import type { LanternStack } from "../../infra/aws/stack.js";
import { routes } from "../../shared/api/routes.js";
import {
  actionsOf,
  type Resource,
  ref,
  resourcesOfType,
  roleOf,
  type Statement,
  statementsOfRoleIn,
  synthesise,
} from "./template.js";

/** Routes the route table serves without a token; the contract names these three at least. */
const PUBLIC_OPERATIONS: string[] = routes.filter((r) => r.scope === null).map((r) => r.operationId);
const CONTRACT_PUBLIC = ["health", "openapi", "jwks"];

let dev: { app: App; stack: LanternStack; template: Template };
let prod: { app: App; stack: LanternStack; template: Template };
let resources: Record<string, Resource>;

const ofType = (type: string) => resourcesOfType(resources, type);
const statementsOfRole = (roleId: string) => statementsOfRoleIn(resources, roleId);

/** The functions that serve no route. */
const AUXILIARY = ["authorizer", "auditStreamGuard", "checkpointer", "auditArchiver", "sweeper", "deliverer"];

/** Synthesis (with cdk-nag) takes seconds: once per stage for the whole file. */
beforeAll(() => {
  dev = synthesise("dev");
  prod = synthesise("prod");
  resources = dev.template.toJSON().Resources as Record<string, Resource>;
}, 120_000);

describe("data", () => {
  it("encrypts every table with the customer-managed key, with PITR and deletion protection", () => {
    // Prepare
    const keyId = ref(dev.stack.node.findChild("DataKey").node.defaultChild as CfnElement);
    const tables = ofType("AWS::DynamoDB::Table");

    // Act
    const settings = tables.map(([, t]) => ({
      sse: t.Properties.SSESpecification,
      pitr: t.Properties.PointInTimeRecoverySpecification,
      deletionProtection: t.Properties.DeletionProtectionEnabled,
    }));

    // Assess
    expect(tables).toHaveLength(2);
    for (const s of settings) {
      expect(s.sse).toEqual({
        SSEEnabled: true,
        SSEType: "KMS",
        KMSMasterKeyId: { "Fn::GetAtt": [keyId, "Arn"] },
      });
      expect(s.pitr).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(s.deletionProtection).toBe(true);
    }
  });

  it("rotates the one symmetric CMK", () => {
    // Prepare
    const keys = dev.template.findResources("AWS::KMS::Key", { Properties: { EnableKeyRotation: true } });

    // Act
    const count = Object.keys(keys).length;

    // Assess
    expect(count).toBe(1);
  });

  it("keeps tables on removal in prod, with TTL and a keys-only stream on the data table and a stream on the audit table", () => {
    // Prepare
    const tables = Object.values(prod.template.findResources("AWS::DynamoDB::Table")) as Resource[];

    // Act
    const policies = tables.map((t) => t.DeletionPolicy);

    // Assess
    expect(policies).toEqual(["Retain", "Retain"]);
    prod.template.hasResourceProperties("AWS::DynamoDB::Table", {
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
    });
    prod.template.hasResourceProperties("AWS::DynamoDB::Table", {
      StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
    });
    prod.template.hasResourceProperties("AWS::DynamoDB::Table", {
      TableName: "lantern-prod-data",
      StreamSpecification: { StreamViewType: "KEYS_ONLY" },
    });
  });
});

describe("API", () => {
  it("puts the token authorizer on every method but health, OpenAPI and JWKS", () => {
    // Prepare
    const methods = dev.stack.api.api.methods;
    const byPath = new Map(routes.map((r) => [`${r.method} ${r.path}`, r.operationId as string]));

    // Act
    const auth = methods.map((m: apigw.Method) => {
      const resource = resources[ref(m.node.defaultChild as CfnElement)] as Resource;
      return {
        operationId: byPath.get(`${m.httpMethod} ${m.resource.path}`),
        type: resource.Properties.AuthorizationType,
        authorizer: resource.Properties.AuthorizerId,
      };
    });

    // Assess
    expect(auth).toHaveLength(routes.length);
    expect(ofType("AWS::ApiGateway::Method")).toHaveLength(routes.length);
    for (const a of auth) {
      expect(a.operationId).toBeDefined();
      if (PUBLIC_OPERATIONS.includes(a.operationId as string)) {
        expect(a).toMatchObject({ type: "NONE", authorizer: undefined });
      } else {
        expect(a.type).toBe("CUSTOM");
        expect(a.authorizer).toEqual({ Ref: expect.any(String) });
      }
    }
    expect(auth.filter((a) => a.type === "NONE").map((a) => a.operationId)).toEqual(PUBLIC_OPERATIONS);
    expect(PUBLIC_OPERATIONS).toEqual(expect.arrayContaining(CONTRACT_PUBLIC));
  });

  it("caches a TOKEN authorizer's answer by the Authorization header", () => {
    // Prepare, Act
    const authorizers = ofType("AWS::ApiGateway::Authorizer");

    // Assess
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]?.[1].Properties).toMatchObject({
      Type: "TOKEN",
      IdentitySource: "method.request.header.Authorization",
      AuthorizerResultTtlInSeconds: 300,
    });
  });

  it("associates the WAF web ACL, with the two managed rule groups, with the stage", () => {
    // Prepare
    const [stageId] = Object.keys(dev.template.findResources("AWS::ApiGateway::Stage"));
    const [aclId] = Object.keys(dev.template.findResources("AWS::WAFv2::WebACL"));

    // Act
    const association = ofType("AWS::WAFv2::WebACLAssociation").map(([, a]) => a.Properties);

    // Assess
    expect(association).toHaveLength(1);
    expect(association[0]?.WebACLArn).toEqual({ "Fn::GetAtt": [aclId, "Arn"] });
    expect(JSON.stringify(association[0]?.ResourceArn)).toContain(`"Ref":"${stageId}"`);
    dev.template.hasResourceProperties("AWS::WAFv2::WebACL", {
      Scope: "REGIONAL",
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({ Name: "AWSManagedRulesCommonRuleSet" }),
          },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({ Name: "AWSManagedRulesKnownBadInputsRuleSet" }),
          },
        }),
      ]),
    });
  });

  it("logs access as JSON, traces, and throttles the stage", () => {
    // Prepare, Act
    const stage = ofType("AWS::ApiGateway::Stage")[0]?.[1].Properties;

    // Assess
    expect(stage?.TracingEnabled).toBe(true);
    expect((stage?.AccessLogSetting as { Format?: string } | undefined)?.Format).toMatch(/^\{"requestId":/);
    expect(stage?.MethodSettings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
      ]),
    );
  });
});

describe("functions", () => {
  it("has one function per route group, plus the authorizer, stream guard, checkpointer, archiver, sweeper and deliverer", () => {
    // Prepare
    const groups = new Set(routes.map((r) => r.group));

    // Act
    const functions = ofType("AWS::Lambda::Function");

    // Assess
    expect(routeGroups()).toHaveLength(groups.size);
    expect(functions).toHaveLength(groups.size + AUXILIARY.length);
    expect(Object.keys(dev.stack.functions)).toEqual(expect.arrayContaining(AUXILIARY));
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: "nodejs24.x", Architectures: ["arm64"] });
    }
  });

  it("denies every application role any change to an audit event", () => {
    // Prepare
    const auditTableId = ref(dev.stack.tables.audit.node.defaultChild as CfnElement);
    const roleIds = ofType("AWS::Lambda::Function").map(
      ([, fn]) => (fn.Properties.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0],
    );

    // Act
    const denies = roleIds.map((roleId) =>
      statementsOfRole(roleId).filter(
        (s) => s.Effect === "Deny" && AUDIT_MUTATIONS.every((a) => actionsOf(s).includes(a)),
      ),
    );

    // Assess
    expect(roleIds).toHaveLength(routeGroups().length + AUXILIARY.length);
    expect(roleIds).toEqual(
      expect.arrayContaining([
        roleOf(dev.stack.functions.checkpointer),
        roleOf(dev.stack.functions.auditArchiver),
      ]),
    );
    for (const deny of denies) {
      expect(deny).toHaveLength(1);
      expect(deny[0]?.Sid).toBe("DenyAuditMutation");
      expect(deny[0]?.Resource).toEqual([
        { "Fn::GetAtt": [auditTableId, "Arn"] },
        { "Fn::Join": ["", [{ "Fn::GetAtt": [auditTableId, "Arn"] }, "/backup/*"]] },
      ]);
    }
    expect(AUDIT_MUTATIONS).toEqual(
      expect.arrayContaining([
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:UpdateTable",
        "dynamodb:UpdateTimeToLive",
        "dynamodb:RestoreTableFromBackup",
        "dynamodb:RestoreTableToPointInTime",
        "dynamodb:DeleteTable",
      ]),
    );
  });

  it("grants no wildcard DynamoDB action, and the public function only GetItem on the data table", () => {
    // Prepare
    const statements = ofType("AWS::IAM::Policy").flatMap(
      ([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const publicRole = ref(dev.stack.functions.public.role.node.defaultChild as CfnElement);

    // Act
    const wildcards = statements.flatMap(actionsOf).filter((a) => a === "*" || /^dynamodb:.*\*/.test(a));
    const publicDynamo = statementsOfRole(publicRole)
      .filter((s) => s.Effect === "Allow")
      .flatMap(actionsOf)
      .filter((a) => a.startsWith("dynamodb:"));

    // Assess
    expect(wildcards).toEqual([]);
    expect(publicDynamo).toEqual(["dynamodb:GetItem"]);
  });

  it("lets only the checkpointer sign checkpoints, with the checkpoint key", () => {
    // Prepare
    const roleIds = ofType("AWS::IAM::Role").map(([id]) => id);
    const auditRole = roleOf(dev.stack.functions.audit);
    const checkpointerRole = roleOf(dev.stack.functions.checkpointer);

    // Act
    const signers = roleIds.filter((id) =>
      statementsOfRole(id).some((s) => s.Effect === "Allow" && actionsOf(s).includes("kms:Sign")),
    );

    // Assess
    expect(signers).toEqual([checkpointerRole]);
    expect(
      statementsOfRole(auditRole).some(
        (s) => s.Effect === "Allow" && actionsOf(s).includes("kms:GetPublicKey"),
      ),
    ).toBe(true);
  });

  it("gives the subject-key secret's ARN, not the key, and only to the function that uses it", () => {
    // Prepare
    const functions = ofType("AWS::Lambda::Function").map(
      ([, fn]) =>
        (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
    );

    // Act
    const withArn = functions.filter((vars) => "LANTERN_SUBJECT_KEY_SECRET_ARN" in vars);
    const withKey = functions.filter((vars) => "LANTERN_SUBJECT_KEY" in vars);

    // Assess
    expect(withArn).toHaveLength(1);
    expect(withKey).toEqual([]);
  });
});

describe("audit protection", () => {
  it("archives to an Object Lock bucket in COMPLIANCE mode for 7 years", () => {
    // Prepare, Act
    const locked = ofType("AWS::S3::Bucket").filter(([, b]) => b.Properties.ObjectLockEnabled === true);

    // Assess
    expect(locked).toHaveLength(1);
    expect(locked[0]?.[1].Properties).toMatchObject({
      ObjectLockConfiguration: {
        ObjectLockEnabled: "Enabled",
        Rule: { DefaultRetention: { Mode: "COMPLIANCE", Years: 7 } },
      },
      VersioningConfiguration: { Status: "Enabled" },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.any(String) } },
    });
  });

  it("signs checkpoints with an ECC P-256 key and alarms on any audit MODIFY or REMOVE", () => {
    // Prepare, Act
    const guardId = ref(dev.stack.functions.auditStreamGuard.fn.node.defaultChild as CfnElement);
    const mapping = ofType("AWS::Lambda::EventSourceMapping").find(
      ([, m]) => (m.Properties.FunctionName as { Ref?: string }).Ref === guardId,
    )?.[1].Properties;

    // Assess
    dev.template.hasResourceProperties("AWS::KMS::Key", {
      KeySpec: "ECC_NIST_P256",
      KeyUsage: "SIGN_VERIFY",
    });
    expect(mapping?.FilterCriteria).toEqual({
      Filters: [{ Pattern: JSON.stringify({ eventName: ["MODIFY", "REMOVE"] }) }],
    });
    dev.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "AuditEventMutations",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
  });
});

describe("checkpoints and the archive", () => {
  const allowed = (fn: LanternFunction) => statementsOfRole(roleOf(fn)).filter((s) => s.Effect === "Allow");
  const getAtt = (element: CfnElement, attribute = "Arn") => ({ "Fn::GetAtt": [ref(element), attribute] });
  const tableOf = (kind: "audit" | "data") => dev.stack.tables[kind].node.defaultChild as CfnElement;

  it("invokes the checkpointer every minute from an EventBridge schedule", () => {
    // Prepare
    const checkpointer = dev.stack.functions.checkpointer.fn.node.defaultChild as CfnElement;

    // Act
    const rules = ofType("AWS::Events::Rule")
      .map(([, r]) => r.Properties)
      .filter((r) => JSON.stringify(r.Targets).includes(`"${ref(checkpointer)}"`));

    // Assess
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      ScheduleExpression: "rate(1 minute)",
      State: "ENABLED",
      Targets: [expect.objectContaining({ Arn: getAtt(checkpointer) })],
    });
    dev.template.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      Principal: "events.amazonaws.com",
      FunctionName: getAtt(checkpointer),
    });
  });

  it("lets the checkpointer Query and PutItem the audit table and sign with the checkpoint key, nothing more", () => {
    // Prepare
    const checkpointKey = dev.stack.node.findChild("AuditProtection").node.findChild("CheckpointKey").node
      .defaultChild as CfnElement;

    // Act
    const statements = allowed(dev.stack.functions.checkpointer);
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith("dynamodb:")));
    const signing = statements.filter((s) => actionsOf(s).some((a) => /^kms:(Sign|GetPublicKey)$/.test(a)));

    // Assess
    expect(dynamo).toEqual([
      expect.objectContaining({
        Action: ["dynamodb:PutItem", "dynamodb:Query"],
        Resource: getAtt(tableOf("audit")),
      }),
    ]);
    expect(signing.flatMap(actionsOf).sort()).toEqual(["kms:GetPublicKey", "kms:Sign"]);
    for (const s of signing) expect(s.Resource).toEqual(getAtt(checkpointKey));
    expect(JSON.stringify(statements)).not.toContain(ref(tableOf("data")));
    expect(
      statements.flatMap(actionsOf).filter((a) => a.startsWith("s3:") || a.startsWith("secretsmanager:")),
    ).toEqual([]);
  });

  it("feeds only the audit stream's INSERT records to the archiver, reporting batch item failures", () => {
    // Prepare
    const archiverId = ref(dev.stack.functions.auditArchiver.fn.node.defaultChild as CfnElement);

    // Act
    const mappings = ofType("AWS::Lambda::EventSourceMapping")
      .map(([, m]) => m.Properties)
      .filter((m) => (m.FunctionName as { Ref?: string }).Ref === archiverId);

    // Assess
    expect(mappings).toHaveLength(1);
    expect(mappings[0]).toMatchObject({
      EventSourceArn: getAtt(tableOf("audit"), "StreamArn"),
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ["INSERT"] }) }] },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: expect.anything() } },
    });
  });

  it("lets the archiver put objects under events/ and checkpoints/ of the archive, and never delete", () => {
    // Prepare
    const archive = dev.stack.node.findChild("AuditProtection").node.findChild("AuditArchive").node
      .defaultChild as CfnElement;
    const archiver = dev.stack.functions.auditArchiver;
    const environment = resources[ref(archiver.fn.node.defaultChild as CfnElement)]?.Properties.Environment;
    const variables = (environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};

    // Act
    const statements = allowed(archiver);
    const s3Actions = statements.flatMap(actionsOf).filter((a) => a.startsWith("s3:"));
    const puts = statements.filter((s) => actionsOf(s).includes("s3:PutObject"));
    const everyAction = statementsOfRole(roleOf(archiver)).flatMap(actionsOf);

    // Assess
    expect(s3Actions).toEqual(["s3:PutObject"]);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.Resource).toEqual(
      expect.arrayContaining(
        ["/events/*", "/checkpoints/*"].map((suffix) => ({ "Fn::Join": ["", [getAtt(archive), suffix]] })),
      ),
    );
    expect(puts[0]?.Resource).toHaveLength(2);
    expect(
      everyAction.filter((a) => /^s3:(Delete|\*)|^s3:.*(Retention|LegalHold|Lifecycle)/.test(a)),
    ).toEqual([]);
    expect(variables.LANTERN_ARCHIVE_BUCKET).toEqual({ Ref: ref(archive) });
  });

  it("denies the checkpointer and the archiver any change to an audit event", () => {
    // Prepare
    const roles = [dev.stack.functions.checkpointer, dev.stack.functions.auditArchiver].map(roleOf);

    // Act
    const denies = roles.map((role) =>
      statementsOfRole(role).filter((s) => s.Effect === "Deny" && s.Sid === "DenyAuditMutation"),
    );

    // Assess
    for (const deny of denies) {
      expect(deny).toHaveLength(1);
      expect(deny[0]).toMatchObject({ Resource: expect.arrayContaining([getAtt(tableOf("audit"))]) });
      expect(actionsOf(deny[0] as Statement).sort()).toEqual([...AUDIT_MUTATIONS].sort());
    }
  });
});

describe("cdk-nag", () => {
  it("reports no unacknowledged finding in either stage", () => {
    // Prepare
    const checks = new AwsSolutionsChecks();

    // Act
    const reports = [dev, prod].map(({ app }) => checks.validateScope(app));
    const errors = [dev, prod].flatMap(({ stack }) =>
      Annotations.fromStack(stack).findError("*", Match.anyValue()),
    );

    // Assess
    expect(
      reports.flatMap((r) =>
        r.violations.map((v) => `${v.ruleName}: ${v.violatingResources[0]?.constructPath}`),
      ),
    ).toEqual([]);
    expect(errors).toEqual([]);
  });
});
