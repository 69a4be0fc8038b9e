import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, type CfnElement, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { PROJECT_ROOT } from "../../infra/aws/esbuild-config.js";
import { buildApp } from "../../infra/aws/lantern-app.js";
import { type LanternFunction, SKIP_BUNDLING_CONTEXT } from "../../infra/aws/lantern-function.js";

/** Helpers the infrastructure tests share: synthesis and reading the template. */

export type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
export type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

/** The app as `cdk synth` builds it (cdk.json's context), with bundling stubbed for speed. */
export function synthesise(stage: "dev" | "prod") {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, "cdk.json"), "utf8")) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...cdkJson.context, stage, [SKIP_BUNDLING_CONTEXT]: true } });
  const { stack } = buildApp(app);
  return { app, stack, template: Template.fromStack(stack) };
}

export const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const ref = (element: CfnElement) => Stack.of(element).getLogicalId(element);
export const roleOf = (fn: LanternFunction) => ref(fn.role.node.defaultChild as CfnElement);

/**
 * The app's own resources of a type. CDK's BucketDeployment function (and its role), which
 * copies the console's files into their bucket during a deployment, is aws-cdk-lib's, not an
 * application function: it is left out (its cdk-nag acknowledgements are in infra/aws/console.ts).
 */
export const resourcesOfType = (resources: Record<string, Resource>, type: string) =>
  Object.entries(resources).filter(
    ([id, r]) => r.Type === type && !id.startsWith("CustomCDKBucketDeployment"),
  );

/** Every statement of the policies attached to a role. */
export function statementsOfRoleIn(resources: Record<string, Resource>, roleId: string): Statement[] {
  return resourcesOfType(resources, "AWS::IAM::Policy")
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** A function's environment variables as the template sets them. */
export const variablesOf = (resources: Record<string, Resource>, fn: LanternFunction) =>
  (
    resources[ref(fn.fn.node.defaultChild as CfnElement)]?.Properties.Environment as
      | { Variables?: Record<string, unknown> }
      | undefined
  )?.Variables ?? {};
