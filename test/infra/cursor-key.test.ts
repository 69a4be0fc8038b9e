import type { CfnElement } from "aws-cdk-lib";
import { beforeAll, describe, expect, it } from "vitest";
import type { LanternFunction } from "../../infra/aws/lantern-function.js";
import type { LanternStack } from "../../infra/aws/stack.js";
import { routes } from "../../shared/api/routes.js";
import {
  actionsOf,
  type Resource,
  ref,
  resourcesOfType,
  roleOf,
  statementsOfRoleIn,
  synthesise,
} from "./template.js";

/** The cursor key on AWS: a Secrets Manager secret, read only by the functions that page. */

let stack: LanternStack;
let resources: Record<string, Resource>;

const variablesOf = (fn: LanternFunction) =>
  (
    resources[ref(fn.fn.node.defaultChild as CfnElement)]?.Properties.Environment as
      | { Variables?: Record<string, unknown> }
      | undefined
  )?.Variables ?? {};

beforeAll(() => {
  const dev = synthesise("dev");
  stack = dev.stack;
  resources = dev.template.toJSON().Resources as Record<string, Resource>;
}, 120_000);

describe("the cursor key", () => {
  it("goes, as a secret's ARN, to exactly the functions whose routes take a cursor", () => {
    // Prepare: the oracle, from the route table alone.
    const paging = [
      ...new Set(routes.filter((r) => "query" in r && "cursor" in r.query.shape).map((r) => r.group)),
    ].sort();
    const secrets = resourcesOfType(resources, "AWS::SecretsManager::Secret").filter(([, s]) =>
      String(s.Properties.Description).includes("cursors"),
    );
    const secretId = secrets[0]?.[0] ?? "none";
    const functions = Object.entries(stack.functions);

    // Act
    const withArn = functions.filter(([, fn]) => "LANTERN_CURSOR_KEY_SECRET_ARN" in variablesOf(fn));
    const readers = functions.filter(([, fn]) =>
      statementsOfRoleIn(resources, roleOf(fn)).some(
        (s) =>
          s.Effect === "Allow" &&
          actionsOf(s).includes("secretsmanager:GetSecretValue") &&
          JSON.stringify(s.Resource).includes(secretId),
      ),
    );

    // Assess
    expect(secrets).toHaveLength(1);
    expect(paging).toEqual(["audit", "concerns", "notifications", "registry"]);
    expect(withArn.map(([name]) => name).sort()).toEqual(paging);
    expect(readers.map(([name]) => name).sort()).toEqual(paging);
    expect(functions.filter(([, fn]) => "LANTERN_CURSOR_KEY" in variablesOf(fn))).toEqual([]);
  });
});
