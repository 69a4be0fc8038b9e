import type { App, CfnElement } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { CHECKPOINT_WRITERS } from "../../infra/aws/access.js";
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

/**
 * Issue 14 on AWS: the audit table's deny list (Puts outside transactions, table settings,
 * restores, deletion), checkpoint rows for their writers alone, a per-IP WAF rate rule, and
 * capacity kept for POST /v1/concerns however anonymous callers behave.
 */
let dev: { app: App; stack: LanternStack; template: Template };
let resources: Record<string, Resource>;

beforeAll(() => {
  dev = synthesise("dev");
  resources = dev.template.toJSON().Resources as Record<string, Resource>;
}, 120_000);

/** One DynamoDB PutItem on the audit table as IAM sees it: inside a transaction or not, and its partition. */
interface PutContext {
  enclosing: "TransactWriteItems" | null;
  leadingKey: string;
}

/**
 * Whether an explicit Deny among `statements` matches a PutItem on the audit table, with
 * IAM's rules for the operators the stack uses (every condition of a statement must hold).
 */
function deniedPut(statements: Statement[], auditArn: unknown, put: PutContext): boolean {
  const holds = (operator: string, values: Record<string, unknown>) =>
    Object.entries(values).every(([key, expected]) => {
      const wanted = ([] as unknown[]).concat(expected).map(String);
      const actual = key === "dynamodb:EnclosingOperation" ? put.enclosing : put.leadingKey;
      if (operator === "Null") return (actual === null) === (wanted[0] === "true");
      if (actual === null) return false;
      if (operator === "ForAnyValue:StringEquals") return wanted.includes(actual);
      if (operator === "ForAnyValue:StringNotEquals") return !wanted.includes(actual);
      throw new Error(`operator ${operator} not modelled`);
    });
  return statements.some(
    (s) =>
      s.Effect === "Deny" &&
      actionsOf(s).includes("dynamodb:PutItem") &&
      ([] as unknown[]).concat(s.Resource).some((r) => JSON.stringify(r) === JSON.stringify(auditArn)) &&
      Object.entries(s.Condition ?? {}).every(([operator, values]) => holds(operator, values)),
  );
}

describe("the audit table's deny list", () => {
  const auditArn = () => ({
    "Fn::GetAtt": [ref(dev.stack.tables.audit.node.defaultChild as CfnElement), "Arn"],
  });
  const statementsOf = (name: keyof LanternStack["functions"]) =>
    statementsOfRoleIn(resources, roleOf(dev.stack.functions[name]));
  const event = (enclosing: PutContext["enclosing"]) => ({ enclosing, leadingKey: "2" });
  const checkpoint = (enclosing: PutContext["enclosing"]) => ({ enclosing, leadingKey: "-1" });

  it("denies every role a Put of an audit event outside a transaction, and a checkpoint row", () => {
    // Prepare
    const names = Object.keys(dev.stack.functions).filter((n) => CHECKPOINT_WRITERS[n] === undefined);

    // Act
    const outcomes = names.map((name) => {
      const statements = statementsOf(name as keyof LanternStack["functions"]);
      return {
        name,
        plainEventPut: deniedPut(statements, auditArn(), event(null)),
        transactedEventPut: deniedPut(statements, auditArn(), event("TransactWriteItems")),
        plainCheckpointPut: deniedPut(statements, auditArn(), checkpoint(null)),
        transactedCheckpointPut: deniedPut(statements, auditArn(), checkpoint("TransactWriteItems")),
      };
    });

    // Assess: the write path's transactions still append events; nothing else gets through.
    expect(names).toEqual(
      expect.arrayContaining(["audit", "concerns", "notifications", "registry", "sweeper"]),
    );
    expect(outcomes).toEqual(
      names.map((name) => ({
        name,
        plainEventPut: true,
        transactedEventPut: false,
        plainCheckpointPut: true,
        transactedCheckpointPut: true,
      })),
    );
  });

  it("lets the checkpointer alone write checkpoint rows, and no event", () => {
    // Act
    const names = Object.keys(dev.stack.functions) as (keyof LanternStack["functions"])[];
    const writers = names.filter((name) => !deniedPut(statementsOf(name), auditArn(), checkpoint(null)));
    const checkpointer = statementsOf("checkpointer");

    // Assess
    expect(writers).toEqual(["checkpointer"]);
    expect(Object.keys(CHECKPOINT_WRITERS)).toEqual(["checkpointer"]);
    expect([
      deniedPut(checkpointer, auditArn(), event(null)),
      deniedPut(checkpointer, auditArn(), event("TransactWriteItems")),
    ]).toEqual([true, true]);
  });

  it("lets the audit function ask the checkpointer for a checkpoint: InvokeFunction on that one function", () => {
    // Prepare
    const checkpointer = dev.stack.functions.checkpointer.fn.node.defaultChild as CfnElement;
    const auditFn = resources[ref(dev.stack.functions.audit.fn.node.defaultChild as CfnElement)] as Resource;
    const invokers = Object.keys(dev.stack.functions).filter((name) =>
      statementsOf(name as keyof LanternStack["functions"]).some(
        (s) => s.Effect === "Allow" && actionsOf(s).some((a) => a.startsWith("lambda:")),
      ),
    );

    // Act
    const invoke = statementsOf("audit").filter((s) => actionsOf(s).some((a) => a.startsWith("lambda:")));

    // Assess
    expect(invokers).toEqual(["audit"]);
    expect(invoke).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Action: "lambda:InvokeFunction",
        Resource: { "Fn::GetAtt": [ref(checkpointer), "Arn"] },
      }),
    ]);
    expect(
      (auditFn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
        .LANTERN_CHECKPOINTER_FUNCTION,
    ).toEqual({ Ref: ref(checkpointer) });
  });

  it("denies every role the table settings, TTL, backups, restores and deletion", () => {
    // Prepare
    const roleIds = resourcesOfType(resources, "AWS::Lambda::Function").map(
      ([, fn]) => (fn.Properties.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0],
    );

    // Act
    const denied = roleIds.map((roleId) =>
      statementsOfRoleIn(resources, roleId)
        .filter((s) => s.Effect === "Deny" && s.Condition === undefined)
        .flatMap(actionsOf),
    );

    // Assess
    for (const actions of denied) {
      expect(actions).toEqual(
        expect.arrayContaining([
          "dynamodb:UpdateTable",
          "dynamodb:UpdateTimeToLive",
          "dynamodb:UpdateContinuousBackups",
          "dynamodb:RestoreTableFromBackup",
          "dynamodb:RestoreTableToPointInTime",
          "dynamodb:DeleteTable",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:BatchWriteItem",
        ]),
      );
    }
  });
});

describe("the API's capacity", () => {
  it("blocks one address past its rate with 429, before any other WAF rule", () => {
    // Act
    const [[, acl]] = resourcesOfType(resources, "AWS::WAFv2::WebACL") as [[string, Resource]];
    const rules = acl.Properties.Rules as {
      Name: string;
      Priority: number;
      Action?: unknown;
      Statement: unknown;
    }[];
    const rate = rules.find((r) => r.Name === "PerIpRateLimit");

    // Assess
    expect(rate).toMatchObject({
      Priority: 0,
      Statement: { RateBasedStatement: { AggregateKeyType: "IP", Limit: 1500, EvaluationWindowSec: 300 } },
      Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
    });
    expect(Math.min(...rules.map((r) => r.Priority))).toBe(0);
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
  });

  it("gives each public route its own small throttle and POST /v1/concerns the stage's rate", () => {
    // Prepare
    const [[, stage]] = resourcesOfType(resources, "AWS::ApiGateway::Stage") as [[string, Resource]];
    const settings = stage.Properties.MethodSettings as {
      ResourcePath: string;
      HttpMethod: string;
      ThrottlingRateLimit?: number;
      ThrottlingBurstLimit?: number;
    }[];
    const of = (path: string, method: string) =>
      settings.find((s) => s.ResourcePath === `/${path.replaceAll("/", "~1")}` && s.HttpMethod === method);
    const publicRoutes = routes.filter((r) => r.scope === null);

    // Act
    const concerns = of("/v1/concerns", "POST");
    const anonymous = publicRoutes.map((r) => of(r.path, r.method));

    // Assess
    expect(stage.Properties).toMatchObject({ MethodSettings: expect.any(Array) });
    expect(concerns).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    expect(publicRoutes.map((r) => r.operationId)).toEqual(
      expect.arrayContaining(["health", "openapi", "jwks"]),
    );
    for (const setting of anonymous) {
      expect(setting).toMatchObject({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 });
    }
  });

  it("reserves concurrency for the concerns function alone", () => {
    // Act
    const reserved = resourcesOfType(resources, "AWS::Lambda::Function")
      .filter(([, fn]) => fn.Properties.ReservedConcurrentExecutions !== undefined)
      .map(([id, fn]) => [id, fn.Properties.ReservedConcurrentExecutions]);

    // Assess
    expect(reserved).toEqual([[ref(dev.stack.functions.concerns.fn.node.defaultChild as CfnElement), 10]]);
  });
});
