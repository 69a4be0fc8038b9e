import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
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
import { TransactionRefused } from "../../shared/adapters/dynamodb/commit.js";
import { DynamoConcernStore } from "../../shared/adapters/dynamodb/concern-store.js";
import { DynamoRegistryStore } from "../../shared/adapters/dynamodb/registry-store.js";
import { DynamoSubjectLinks } from "../../shared/adapters/dynamodb/subject-links.js";
import { submitConcern } from "../../shared/app/submit-concern.js";
import { DEMO_AGREEMENTS, DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import type { ConcernSubmission } from "../../shared/domain/concern.js";
import { LanternError } from "../../shared/errors.js";
import { busyProblem } from "../../shared/http/problem.js";
import { amyConcern, submittingPolice } from "../support/fixtures.js";
import { mockedDynamo } from "../support/mocked-dynamodb.js";

/**
 * Every DynamoDB call a submission makes, faulted in turn: a transient fault either heals by
 * retry or leaves as a clear 503 with Retry-After, never a 500; and no transaction ever
 * carries a disclosure without its audit event, nor mints a second set of notifications.
 */

const { doc, ddb, tables, commit } = mockedDynamo(5);
const concerns = new DynamoConcernStore(doc, tables, commit);
const clock = { now: () => new Date("2026-11-23T10:00:00Z") };
const subjectKey = Buffer.alloc(32, 7);

const caller = submittingPolice("pc-1234", "req-faults");

type Site =
  | "idempotency"
  | "epoch"
  | "routing"
  | "partners"
  | "agreements"
  | "calendar"
  | "entries"
  | "partner"
  | "head"
  | "transact";
/**
 * Every read a submission makes; push messages reuse the partners list, so no per-recipient
 * read. `entries`: the registry's entries read by key after the index listed them.
 */
const READ_SITES: Site[] = [
  "idempotency",
  "epoch",
  "routing",
  "partners",
  "agreements",
  "entries",
  "calendar",
  "head",
];

type Items = NonNullable<TransactWriteCommandInput["TransactItems"]>;
type Fault = (items: Items) => Error;

const named = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: {} });

function cancelled(code: string, at: (items: Items) => number): Fault {
  return (items) => {
    const target = at(items);
    return new TransactionCanceledException({
      message: "Transaction cancelled",
      $metadata: {},
      CancellationReasons: items.map((_, i) => ({ Code: i === target ? code : "None" })),
    });
  };
}
const firstAudit = (items: Items) => items.findIndex((i) => i.Put?.TableName === tables.audit);

const TRANSIENT: Record<string, Fault> = {
  ThrottlingException: () => named("ThrottlingException", "Rate of requests exceeds the allowed throughput"),
  ProvisionedThroughputExceededException: () =>
    named(
      "ProvisionedThroughputExceededException",
      "The level of configured provisioned throughput exceeded",
    ),
  TimeoutError: () => named("TimeoutError", "Connection timed out after 1000 ms"),
  ECONNRESET: () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
};
const CANCELLATIONS: Record<string, Fault> = {
  "cancelled: ConditionalCheckFailed on an audit item": cancelled("ConditionalCheckFailed", firstAudit),
  "cancelled: TransactionConflict": cancelled("TransactionConflict", () => 0),
  "cancelled: ThrottlingError": cancelled("ThrottlingError", firstAudit),
  "cancelled: ValidationError": cancelled("ValidationError", () => 0),
};
/** Faults after which a retried transaction must succeed. */
const HEALS_ON_TRANSACT = new Set([
  ...Object.keys(TRANSIENT),
  "cancelled: ConditionalCheckFailed on an audit item",
  "cancelled: TransactionConflict",
  "cancelled: ThrottlingError",
]);

/** Cancellations retrying cannot heal: a fault of ours, answered 500, never "503, retry". */
const REFUSED = new Set(["cancelled: ValidationError"]);
const isRefused = (error: unknown) => error instanceof TransactionRefused && busyProblem(error) === null;

/** The demo registry as the store's items, keyed as the registry store reads them. */
const data = new Map<string, Record<string, unknown>>();
const put = (pk: string, sk: string, item: Record<string, unknown>) => data.set(`${pk}|${sk}`, item);
for (const p of DEMO_PARTNERS) put(`PARTNER#${p.id}`, "PARTNER", { data: p, revision: 1 });
for (const a of DEMO_AGREEMENTS) put(`AGREEMENT#${a.id}`, "AGREEMENT", { data: a, revision: 1 });
put("ROUTING", "RULES", { data: { rules: DEMO_RULES }, revision: 1 });

let plan: { site: Site; fault: Fault; persistent: boolean } | null = null;
let hits = new Map<Site, number>();

function classify(kind: "get" | "query", input: GetCommandInput | QueryCommandInput): Site {
  if (kind === "query") {
    const q = input as QueryCommandInput;
    if (q.TableName === tables.audit) return "head";
    return q.ExpressionAttributeValues?.[":kind"] === "PARTNERS" ? "partners" : "agreements";
  }
  const pk = String((input as GetCommandInput).Key?.pk ?? "");
  if (pk.startsWith("IDEMPOTENCY#")) return "idempotency";
  if (pk.startsWith("REGISTRY_EPOCH#")) return "epoch";
  if (pk === "ROUTING") return "routing";
  if (pk.startsWith("CALENDAR#")) return "calendar";
  return "partner";
}

/** Throw the planned fault on the first call to its site (every call when persistent). */
function maybeFault(site: Site, items: Items = []): void {
  const n = (hits.get(site) ?? 0) + 1;
  hits.set(site, n);
  if (plan?.site === site && (plan.persistent || n === 1)) throw plan.fault(items);
}

function answerQuery(input: QueryCommandInput) {
  const site = classify("query", input);
  maybeFault(site);
  if (site === "head") return { Items: [{ seq: 41, hash: "b".repeat(64) }] };
  const prefix = site === "partners" ? "PARTNER#" : "AGREEMENT#";
  const listed = [...data.entries()].filter(([k]) => k.startsWith(prefix));
  return { Items: listed.map(([k, v]) => ({ ...v, pk: k.split("|")[0], sk: k.split("|")[1] })) };
}

function answerBatchGet(input: BatchGetCommandInput) {
  maybeFault("entries");
  const keyList = input.RequestItems?.[tables.data]?.Keys ?? [];
  const items = keyList.flatMap((k) => {
    const item = data.get(`${String(k.pk)}|${String(k.sk)}`);
    return item ? [{ ...item, pk: k.pk, sk: k.sk }] : [];
  });
  return { Responses: { [tables.data]: items } };
}

function answerGet(input: GetCommandInput) {
  maybeFault(classify("get", input));
  return { Item: data.get(`${String(input.Key?.pk)}|${String(input.Key?.sk)}`) };
}

const puts = (items: Items, table: string) =>
  items.flatMap((i) => (i.Put?.TableName === table ? [i.Put.Item as Record<string, unknown>] : []));
const notificationIds = (items: Items) =>
  puts(items, tables.data)
    .filter((item) => String(item.pk).startsWith("NOTIFICATION#"))
    .map((item) => String((item.data as { id: string }).id));

function transactions(): TransactWriteCommandInput[] {
  return ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input);
}

/** No disclosure without its event, and one set of notifications however often it is retried. */
function assessTransactions(succeeded: string[] | null): void {
  const sent = transactions();
  const first = sent[0]?.TransactItems ?? [];
  for (const input of sent) {
    const items = input.TransactItems ?? [];
    const audited = puts(items, tables.audit)
      .filter((e) => ["disclosure", "break_glass_disclosure"].includes(String(e.action)))
      .map((e) => String(e.notificationId));
    expect(audited.sort()).toEqual(notificationIds(items).sort());
    expect(new Set(notificationIds(items)).size).toBe(notificationIds(items).length);
    // A retry re-sends the same notifications (same ids), never a fresh set beside them.
    expect(notificationIds(items).sort()).toEqual(notificationIds(first).sort());
  }
  for (const [i, input] of sent.entries()) {
    const previous = sent[i - 1];
    // Same token means same items: a resend after a lost answer.
    if (previous?.ClientRequestToken === input.ClientRequestToken) expect(input).toEqual(previous);
  }
  if (succeeded) expect(succeeded.sort()).toEqual(notificationIds(first).sort());
}

function isClear503(error: unknown): boolean {
  const named503 = error instanceof LanternError ? error : busyProblem(error);
  return named503?.status === 503 && named503.extra.headers?.["Retry-After"] !== undefined;
}

async function submit(concern: ConcernSubmission, key: string) {
  return submitConcern(
    {
      clock,
      ids: counterIds(),
      // A registry store per submission, as in a fresh container: its snapshot is read, so
      // every read below is made (and faulted) each time.
      registry: new DynamoRegistryStore(doc, tables, commit),
      concerns,
      subjectKey,
      subjects: new DynamoSubjectLinks(doc, tables),
    },
    caller,
    concern,
    key,
  ).then(
    (r) => ({
      ok: true as const,
      ids: (r.body as { notifications: { id: string }[] }).notifications.map((n) => n.id),
    }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function counterIds() {
  let n = 0;
  return { next: (prefix: "con" | "ntf" | "evt") => `${prefix}_${++n}` };
}

const CONCERNS: Record<string, ConcernSubmission> = {
  "domestic abuse (two disclosures)": amyConcern(),
  "neglect (a disclosure and a refusal)": amyConcern({ concernType: "neglect_or_abuse" }),
};

beforeEach(() => {
  ddb.reset();
  plan = null;
  hits = new Map();
  ddb.on(GetCommand).callsFake(async (input: GetCommandInput) => answerGet(input));
  ddb.on(QueryCommand).callsFake(async (input: QueryCommandInput) => answerQuery(input));
  ddb.on(BatchGetCommand).callsFake(async (input: BatchGetCommandInput) => answerBatchGet(input));
  ddb.on(TransactWriteCommand).callsFake(async (input: TransactWriteCommandInput) => {
    maybeFault("transact", input.TransactItems ?? []);
    return {};
  });
});

describe.each(Object.entries(CONCERNS))("a submission of %s under write-path faults", (_, concern) => {
  it("commits with every disclosure audited when nothing fails", async () => {
    // Act
    const result = await submit(concern, "clean");

    // Assess
    expect(result.ok).toBe(true);
    expect(transactions()).toHaveLength(1);
    expect([...hits.keys()].sort()).toEqual([...READ_SITES, "transact"].sort());
    assessTransactions(result.ok ? result.ids : null);
  });

  const readCases = READ_SITES.flatMap((site) =>
    Object.keys(TRANSIENT).map((fault) => [site, fault] as const),
  );
  it.each(readCases)(
    "a fault on the %s read (%s) is retried or answered 503, never 500",
    async (site, fault) => {
      // Prepare
      plan = { site, fault: TRANSIENT[fault] as Fault, persistent: false };

      // Act
      const result = await submit(concern, `read-${site}-${fault}`);

      // Assess
      if (!result.ok)
        expect({ site, fault, clear503: isClear503(result.error) }).toEqual({ site, fault, clear503: true });
      assessTransactions(result.ok ? result.ids : null);
    },
  );

  const transactFaults = { ...TRANSIENT, ...CANCELLATIONS };
  it.each(Object.keys(transactFaults))(
    "a transaction failing once with %s heals, or answers 503 (500 when retrying cannot help)",
    async (fault) => {
      // Prepare
      plan = { site: "transact", fault: transactFaults[fault] as Fault, persistent: false };

      // Act
      const result = await submit(concern, `tx-${fault}`);

      // Assess
      if (HEALS_ON_TRANSACT.has(fault)) expect(result.ok).toBe(true);
      else if (REFUSED.has(fault)) expect(!result.ok && isRefused(result.error)).toBe(true);
      else expect(!result.ok && isClear503(result.error)).toBe(true);
      assessTransactions(result.ok ? result.ids : null);
    },
  );

  it.each(Object.keys(transactFaults))(
    "a transaction failing every time with %s ends in a 503 (or a 500 when retrying cannot help)",
    async (fault) => {
      // Prepare
      plan = { site: "transact", fault: transactFaults[fault] as Fault, persistent: true };

      // Act
      const result = await submit(concern, `persistent-${fault}`);

      // Assess
      expect(result.ok).toBe(false);
      const expected = REFUSED.has(fault) ? isRefused : isClear503;
      expect(!result.ok && expected(result.error)).toBe(true);
      expect(transactions().length).toBeLessThanOrEqual(commit.maxAttempts);
      assessTransactions(null);
    },
  );
});
