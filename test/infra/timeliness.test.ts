import type { CfnElement } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { AUDIT_MUTATIONS } from "../../infra/aws/access.js";
import type { LanternFunction } from "../../infra/aws/lantern-function.js";
import type { LanternStack } from "../../infra/aws/stack.js";
import { METRICS } from "../../shared/config.js";
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
 * The AWS side of timeliness: the sweeper's schedule, the deliverer's stream mapping on the
 * data table, their roles and alarms. (cdk-nag over the whole app, these included, runs in
 * stack.test.ts.)
 */

let dev: { stack: LanternStack; template: Template };
let resources: Record<string, Resource>;

const ofType = (type: string) => resourcesOfType(resources, type);
const statementsOfRole = (roleId: string) => statementsOfRoleIn(resources, roleId);
const variablesOf = (fn: LanternFunction) =>
  (
    resources[ref(fn.fn.node.defaultChild as CfnElement)]?.Properties.Environment as
      | { Variables?: Record<string, unknown> }
      | undefined
  )?.Variables ?? {};

beforeAll(() => {
  dev = synthesise("dev");
  resources = dev.template.toJSON().Resources as Record<string, Resource>;
}, 120_000);

describe("timeliness: the overdue sweep and push delivery", () => {
  const allowed = (fn: LanternFunction) => statementsOfRole(roleOf(fn)).filter((s) => s.Effect === "Allow");
  const getAtt = (element: CfnElement, attribute = "Arn") => ({ "Fn::GetAtt": [ref(element), attribute] });
  const tableOf = (kind: "audit" | "data") => dev.stack.tables[kind].node.defaultChild as CfnElement;
  const dlqOf = () =>
    dev.stack.node.findChild("Operations").node.findChild("DeliveryDlq").node.defaultChild as CfnElement;
  const dynamoAllows = (fn: LanternFunction) =>
    allowed(fn)
      .filter((s) => actionsOf(s).some((a) => a.startsWith("dynamodb:")))
      .map((s) => ({ actions: actionsOf(s).sort(), resource: s.Resource }));
  const index = (name: string) => ({ "Fn::Join": ["", [getAtt(tableOf("data")), `/index/${name}`]] });

  it("invokes the sweeper every minute from an EventBridge schedule", () => {
    // Prepare
    const sweeper = dev.stack.functions.sweeper.fn.node.defaultChild as CfnElement;

    // Act
    const rules = ofType("AWS::Events::Rule")
      .map(([, r]) => r.Properties)
      .filter((r) => JSON.stringify(r.Targets).includes(`"${ref(sweeper)}"`));

    // Assess
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      ScheduleExpression: "rate(1 minute)",
      State: "ENABLED",
      Targets: [
        expect.objectContaining({
          Arn: getAtt(sweeper),
          RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        }),
      ],
    });
    dev.template.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      Principal: "events.amazonaws.com",
      FunctionName: getAtt(sweeper),
    });
  });

  it("feeds the deliverer only INSERTs of DELIVERY# items from the data stream, with batch item failures and an SQS on-failure destination", () => {
    // Prepare
    const delivererId = ref(dev.stack.functions.deliverer.fn.node.defaultChild as CfnElement);

    // Act
    const mappings = ofType("AWS::Lambda::EventSourceMapping")
      .map(([, m]) => m.Properties)
      .filter((m) => (m.FunctionName as { Ref?: string }).Ref === delivererId);

    // Assess
    expect(mappings).toHaveLength(1);
    expect(mappings[0]).toMatchObject({
      EventSourceArn: getAtt(tableOf("data"), "StreamArn"),
      StartingPosition: "LATEST",
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: getAtt(dlqOf()) } },
    });
    const criteria = mappings[0]?.FilterCriteria as { Filters: { Pattern: string }[] } | undefined;
    const filters = criteria?.Filters ?? [];
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([
      { eventName: ["INSERT"], dynamodb: { Keys: { pk: { S: [{ prefix: "DELIVERY#" }] } } } },
    ]);
  });

  it("lets the sweeper read its queues on gsi3, put, erase (update) and drop data items and append audit events, nothing more", () => {
    // Prepare, Act
    const dynamo = dynamoAllows(dev.stack.functions.sweeper);

    // Assess
    expect(dynamo).toEqual(
      expect.arrayContaining([
        {
          actions: ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
          resource: getAtt(tableOf("data")),
        },
        // The erasure queue on gsi3, and a concern's withheld decisions by their events.
        {
          actions: ["dynamodb:Query"],
          resource: [{ "Fn::Join": ["", [getAtt(tableOf("audit")), "/index/byConcern"]] }, index("gsi3")],
        },
        { actions: ["dynamodb:PutItem", "dynamodb:Query"], resource: getAtt(tableOf("audit")) },
      ]),
    );
    expect(dynamo).toHaveLength(3);
  });

  it("lets the deliverer read the outbox and its stream and put items, with no access to the audit table", () => {
    // Prepare
    const deliverer = dev.stack.functions.deliverer;

    // Act
    const dynamo = dynamoAllows(deliverer);
    const sqsActions = allowed(deliverer)
      .filter((s) => actionsOf(s).some((a) => a.startsWith("sqs:")))
      .map((s) => ({ actions: actionsOf(s), resource: s.Resource }));

    // Assess
    expect(dynamo).toEqual(
      expect.arrayContaining([
        { actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resource: getAtt(tableOf("data")) },
        { actions: ["dynamodb:Query"], resource: index("gsi3") },
        expect.objectContaining({ resource: getAtt(tableOf("data"), "StreamArn") }),
      ]),
    );
    expect(JSON.stringify(allowed(deliverer))).not.toContain(`"${ref(tableOf("audit"))}"`);
    expect(sqsActions.every((s) => JSON.stringify(s.resource) === JSON.stringify(getAtt(dlqOf())))).toBe(
      true,
    );
    expect(sqsActions.flatMap((s) => s.actions)).toContain("sqs:SendMessage");
  });

  it("gives neither the sweeper nor the deliverer the checkpoint key or the subject key, and denies both any audit change", () => {
    // Prepare
    const fns = [dev.stack.functions.sweeper, dev.stack.functions.deliverer];

    // Act
    const everyAction = fns.map((fn) => statementsOfRole(roleOf(fn)).flatMap(actionsOf));
    const denies = fns.map((fn) =>
      statementsOfRole(roleOf(fn)).filter((s) => s.Effect === "Deny" && s.Sid === "DenyAuditMutation"),
    );
    const environments = fns.map(variablesOf);

    // Assess
    for (const actions of everyAction) {
      expect(actions.filter((a) => /^kms:(Sign|GetPublicKey)$|^secretsmanager:/.test(a))).toEqual([]);
    }
    for (const deny of denies) {
      expect(deny).toHaveLength(1);
      expect(deny[0]).toMatchObject({ Resource: expect.arrayContaining([getAtt(tableOf("audit"))]) });
      expect(actionsOf(deny[0] as Statement).sort()).toEqual([...AUDIT_MUTATIONS].sort());
    }
    for (const variables of environments) {
      expect(variables).toMatchObject({ LANTERN_WEBHOOK_HTTPS_ONLY: "true" });
      expect(variables).not.toHaveProperty("LANTERN_SUBJECT_KEY_SECRET_ARN");
    }
  });

  it("alarms on the sweeper's and the deliverer's errors and on the delivery dead-letter queue's depth", () => {
    // Prepare
    const names = [dev.stack.functions.sweeper, dev.stack.functions.deliverer].map((fn) => ({
      Ref: ref(fn.fn.node.defaultChild as CfnElement),
    }));

    // Act
    const alarms = ofType("AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    const errors = alarms.filter(
      (a) =>
        a.MetricName === "Errors" &&
        names.some((n) => JSON.stringify(a.Dimensions).includes(JSON.stringify(n))),
    );
    const depth = alarms.filter(
      (a) =>
        a.MetricName === "ApproximateNumberOfMessagesVisible" &&
        JSON.stringify(a.Dimensions).includes(`"${ref(dlqOf())}"`),
    );

    // Assess
    expect(errors).toHaveLength(2);
    expect(depth).toHaveLength(1);
    for (const alarm of [...errors, ...depth]) {
      expect(alarm).toMatchObject({ Threshold: 1, AlarmActions: [{ Ref: expect.any(String) }] });
    }
  });

  it("alarms when notifications go overdue, on the metric the sweeper emits", () => {
    const alarms = ofType("AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    const overdue = alarms.filter((a) => a.MetricName === METRICS.overdue.name);
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({
      Namespace: METRICS.overdue.namespace,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      AlarmActions: [{ Ref: expect.any(String) }],
    });
  });
});
