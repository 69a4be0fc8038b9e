import {
  BatchGetCommand,
  type BatchGetCommandInput,
  GetCommand,
  type GetCommandInput,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { beforeEach, describe, expect, it } from "vitest";
import { DynamoConcernStore } from "../../shared/adapters/dynamodb/concern-store.js";
import { DynamoRegistryStore } from "../../shared/adapters/dynamodb/registry-store.js";
import { DynamoSubjectLinks } from "../../shared/adapters/dynamodb/subject-links.js";
import { submitConcern } from "../../shared/app/submit-concern.js";
import { DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import type { Partner, RoutingRule } from "../../shared/domain/registry.js";
import {
  itemsPerRecipient,
  largestSubmission,
  MAX_SUBMISSION_ITEMS,
  transactionLimitProblem,
} from "../../shared/domain/transaction-size.js";
import { LanternError } from "../../shared/errors.js";
import { amyConcern, submittingPolice } from "../support/fixtures.js";
import { mockedDynamo } from "../support/mocked-dynamodb.js";

/**
 * The bound on one submission's records, from the rules and the registry: exact where every
 * record a recipient can add is added (checked against the transaction the store sends), and
 * the store refusing, before sending, a submission that would still be over the limit.
 */

const school = (n: number, extra: Partial<Partner> = {}): Partner =>
  ({
    id: `school-${n}`,
    name: `School ${n}`,
    type: "school",
    areas: ["essex"],
    clientIds: [`school-${n}-app`],
    ...extra,
  }) as Partner;
const keyAdults = (n: number) =>
  Array.from({ length: n }, (_, k) => ({
    sub: `ka-${k}`,
    name: `Key Adult ${k}`,
    email: `ka${k}@school.example`,
    mobile: "+447700900123",
  }));
const rule = (id: string, recipient: RoutingRule["recipient"]): RoutingRule =>
  ({
    id,
    concernTypes: ["domestic_abuse_child_present"],
    recipient,
    dataCategories: ["identity"],
    due: { kind: "after", duration: "PT4H" },
  }) as RoutingRule;
const toSchools = rule("all-schools", { resolve: "area", type: "school" });
const police = DEMO_PARTNERS.find((p) => p.id === "essex-police") as Partner;

describe("the records one submission can write", () => {
  it("counts four per recipient, one more with a webhook, one per Key Adult's email and mobile", () => {
    expect(itemsPerRecipient(school(1))).toBe(4);
    expect(itemsPerRecipient(school(1, { webhook: { url: "https://s.example/h" } }))).toBe(5);
    expect(itemsPerRecipient(school(1, { keyAdults: keyAdults(5) }))).toBe(14);
  });

  it("bounds the demo registry well inside the limit", () => {
    const largest = largestSubmission(DEMO_RULES, DEMO_PARTNERS);
    expect(largest).toMatchObject({ items: 12, recipients: 2, area: "essex" });
    expect(transactionLimitProblem(DEMO_RULES, DEMO_PARTNERS)).toBeNull();
  });

  it("allows 24 schools of an area in one rule and refuses the 25th, naming the rule", () => {
    const schools = (n: number) => [police, ...Array.from({ length: n }, (_, k) => school(k))];
    expect(largestSubmission([toSchools], schools(24)).items).toBe(100);
    expect(transactionLimitProblem([toSchools], schools(24))).toBeNull();
    expect(transactionLimitProblem([toSchools], schools(25))).toMatch(
      /^Rule "all-schools" could route a domestic_abuse_child_present concern in essex to 25 partners: 104 records/,
    );
  });

  it("counts a partner reached by two rules once, and names the rule adding most first", () => {
    const partners = [
      police,
      ...Array.from({ length: 20 }, (_, k) => school(k)),
      school(99, { areas: ["x"] }),
    ];
    const rules = [rule("one-school", { partnerId: "school-0" }), toSchools, { ...toSchools, id: "again" }];
    const largest = largestSubmission(rules, partners);
    expect(largest).toMatchObject({ items: 4 + 20 * 4, recipients: 20 });
    expect(largest.ruleIds).toEqual(["all-schools", "one-school"]);
  });

  it("takes the heaviest of the child's school and the area's local authorities", () => {
    const heavy = school(7, { areas: ["elsewhere"], keyAdults: keyAdults(5) });
    const authorities = Array.from(
      { length: 3 },
      (_, k) => ({ ...school(50 + k), type: "local_authority" }) as Partner,
    );
    const own = rule("own-school", { resolve: "subject_school" });
    expect(largestSubmission([own], [police, heavy, ...authorities]).items).toBe(4 + 14);
    expect(largestSubmission([own], [police, school(1), ...authorities]).items).toBe(4 + 3 * 4);
  });
});

// The bound against the transaction the store sends: each school reached by break glass (a
// notification and its review), with a webhook and a Key Adult alerted by email and text.
const { doc, ddb, tables, commit } = mockedDynamo(2);
const caller = submittingPolice("pc-1", "req-size");
const alerted = (n: number) =>
  school(n, { webhook: { url: `https://s${n}.example/hook` }, keyAdults: keyAdults(1) });
let registry: Partner[] = [];

beforeEach(() => {
  ddb.reset();
  const entries = () => [
    ...registry.map((p) => ({ pk: `PARTNER#${p.id}`, sk: "PARTNER", gsi1pk: "PARTNERS", data: p })),
  ];
  ddb
    .on(GetCommand)
    .callsFake(async (input: GetCommandInput) =>
      input.Key?.pk === "ROUTING" ? { Item: { data: { rules: [toSchools] }, revision: 1 } } : {},
    );
  ddb.on(QueryCommand).callsFake(async (input: QueryCommandInput) => ({
    Items:
      input.TableName === tables.audit
        ? []
        : entries().filter((e) => e.gsi1pk === input.ExpressionAttributeValues?.[":kind"]),
  }));
  ddb.on(BatchGetCommand).callsFake(async (input: BatchGetCommandInput) => {
    const wanted = new Set((input.RequestItems?.[tables.data]?.Keys ?? []).map((k) => String(k.pk)));
    return { Responses: { [tables.data]: entries().filter((e) => wanted.has(e.pk)) } };
  });
  ddb.on(TransactWriteCommand).resolves({});
});

async function submitWith(schools: number) {
  registry = [police, ...Array.from({ length: schools }, (_, k) => alerted(k))];
  let n = 0;
  return submitConcern(
    {
      clock: { now: () => new Date("2026-11-23T10:00:00Z") },
      ids: { next: (prefix: string) => `${prefix}_${++n}` },
      registry: new DynamoRegistryStore(doc, tables, commit),
      concerns: new DynamoConcernStore(doc, tables, commit),
      subjectKey: Buffer.alloc(32, 1),
      subjects: new DynamoSubjectLinks(doc, tables),
      alerts: {
        config: {
          consoleUrl: "https://console.example",
          emailTemplateId: "e",
          smsTemplateId: "s",
          notifyBaseUrl: "https://notify.example",
        },
      },
    },
    caller,
    amyConcern({ breakGlass: { justification: "Immediate risk to the child tonight, no agreement held" } }),
    "size-key",
  ).then(
    (response) => ({ response, error: null }),
    (error: unknown) => ({ response: null, error }),
  );
}

describe("a submission against the bound", () => {
  it("sends exactly the bound's records when every record a recipient can add is added", async () => {
    // 13 schools of 7 records each, and the 4 every submission writes: 95.
    const { response } = await submitWith(13);
    expect(response?.statusCode).toBe(201);
    const sent = ddb
      .commandCalls(TransactWriteCommand)
      .map((c) => c.args[0].input as TransactWriteCommandInput);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.TransactItems).toHaveLength(largestSubmission([toSchools], registry).items);
    expect(sent[0]?.TransactItems).toHaveLength(95);
  });

  it("answers 409 and sends nothing when a submission would still be over the limit", async () => {
    // 14 schools: 102 records (configuration set around the checks, e.g. two changes racing).
    const { error } = await submitWith(14);
    expect(largestSubmission([toSchools], registry).items).toBeGreaterThan(MAX_SUBMISSION_ITEMS);
    expect(error).toBeInstanceOf(LanternError);
    expect(error).toMatchObject({ status: 409, code: "transaction-limit" });
    expect((error as LanternError).detail).toContain('"all-schools"');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
