import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, type CfnElement } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../infra/aws/esbuild-config.js";
import { buildApp } from "../../infra/aws/lantern-app.js";
import { SKIP_BUNDLING_CONTEXT } from "../../infra/aws/lantern-function.js";
import type { LanternStack } from "../../infra/aws/stack.js";
import {
  actionsOf,
  type Resource,
  ref,
  resourcesOfType,
  roleOf,
  statementsOfRoleIn,
  variablesOf,
} from "./template.js";

/** Alerts for people on AWS: the Notify key in its own secret, read by the alert sender alone. */

const NOTIFY = {
  notifyEmailTemplateId: "5e1f2a64-0000-4000-8000-00000000e1a1",
  notifySmsTemplateId: "5e1f2a64-0000-4000-8000-0000000005a5",
  consoleUrl: "https://console.lantern.example",
};

let app: App;
let stack: LanternStack;
let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, "cdk.json"), "utf8")) as {
    context: Record<string, unknown>;
  };
  app = new App({ context: { ...cdkJson.context, ...NOTIFY, stage: "prod", [SKIP_BUNDLING_CONTEXT]: true } });
  stack = buildApp(app).stack;
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, Resource>;
}, 120_000);

describe("the GOV.UK Notify key", () => {
  const notifySecret = () =>
    resourcesOfType(resources, "AWS::SecretsManager::Secret").filter(([, s]) =>
      String(s.Properties.Description).includes("Notify"),
    );

  it("is its own secret, encrypted with the stack's customer-managed key and kept on deletion", () => {
    const secrets = notifySecret();
    expect(secrets).toHaveLength(1);
    const [, secret] = secrets[0] as [string, Resource];
    const keyId = (secret.Properties.KmsKeyId as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
    expect(resources[keyId]?.Type).toBe("AWS::KMS::Key");
    expect(secret.DeletionPolicy).toBe("Retain");
  });

  it("is read by the deliverer's role alone; no other role can read it", () => {
    // Prepare
    const secretId = notifySecret()[0]?.[0] as string;
    const roles = resourcesOfType(resources, "AWS::IAM::Role").map(([id]) => id);

    // Act
    const readers = roles.filter((role) =>
      statementsOfRoleIn(resources, role).some(
        (s) =>
          s.Effect === "Allow" &&
          actionsOf(s).some((a) => a === "secretsmanager:GetSecretValue" || a === "secretsmanager:*") &&
          (JSON.stringify(s.Resource).includes(secretId) || JSON.stringify(s.Resource) === '"*"'),
      ),
    );

    // Assess
    expect(readers).toEqual([roleOf(stack.functions.deliverer)]);
    // The secret has no resource policy letting anyone else in either.
    expect(resourcesOfType(resources, "AWS::SecretsManager::ResourcePolicy")).toEqual([]);
  });

  it("goes by ARN to the functions that queue or send alerts, never as a value", () => {
    const withArn = Object.entries(stack.functions)
      .filter(([, fn]) => "LANTERN_NOTIFY_API_KEY_SECRET_ARN" in variablesOf(resources, fn))
      .map(([name]) => name)
      .sort();
    expect(withArn).toEqual(["concerns", "deliverer", "sweeper"]);
    for (const fn of Object.values(stack.functions))
      expect(variablesOf(resources, fn)).not.toHaveProperty("LANTERN_NOTIFY_API_KEY");
    expect(variablesOf(resources, stack.functions.deliverer)).toMatchObject({
      LANTERN_NOTIFY_EMAIL_TEMPLATE_ID: NOTIFY.notifyEmailTemplateId,
      LANTERN_NOTIFY_SMS_TEMPLATE_ID: NOTIFY.notifySmsTemplateId,
    });
  });

  it("has the deliverer run every minute too, for alert retries and released reminders", () => {
    const delivererId = ref(stack.functions.deliverer.fn.node.defaultChild as CfnElement);
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 minute)",
      Targets: Match.arrayWith([Match.objectLike({ Arn: { "Fn::GetAtt": [delivererId, "Arn"] } })]),
    });
  });

  it("leaves cdk-nag's AWS Solutions rules with no unacknowledged finding", () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources[0]?.constructPath}`)).toEqual(
      [],
    );
    expect(Annotations.fromStack(stack).findError("*", Match.anyValue())).toEqual([]);
  });
});
