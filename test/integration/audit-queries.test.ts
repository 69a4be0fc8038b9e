import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { eventFromItem } from "../../shared/adapters/dynamodb/audit-store.js";
import { auditItem } from "../../shared/adapters/dynamodb/commit.js";
import { AUDIT_INDEX_KEYS, INDEX } from "../../shared/adapters/dynamodb/tables.js";
import { auditDraft } from "../../shared/app/context.js";
import { type AuditDraft, type AuditEvent, chain } from "../../shared/domain/audit.js";
import { verifyAudit } from "../../shared/domain/verify.js";
import type { AuditAction } from "../../shared/domain/vocabulary.js";
import type { AuditQuery } from "../../shared/ports.js";
import { genesis, itemAt } from "../support/audit-trail.js";
import { freshStore } from "../support/store.js";

/**
 * 10,000 audit events loaded straight into fresh tables, then the auditor's queries: each goes
 * to an index and reads only the events that match (ScannedCount = Count = the matches worked
 * out from the events in memory), and nothing on the client ever sends a Scan.
 */

const SHARDS = 4;
const TOTAL = 10_000;
const RECIPIENTS = [
  "essex-mash",
  "southend-mash",
  "st-marys-primary",
  "essex-yos",
  "essex-edt",
  "essex-health",
];
const CONCERN_ACTIONS: AuditAction[] = [
  "disclosure",
  "disclosure",
  "disclosure_refused",
  "break_glass_disclosure",
  "notification_opened",
  "notification_acknowledged",
  "outcome_recorded",
  "deadline_missed",
];
const BY_RECIPIENT: ReadonlySet<AuditAction> = new Set([
  "notification_opened",
  "notification_acknowledged",
  "outcome_recorded",
]);
const START = Date.parse("2026-10-01T00:00:00.000Z");

/** A small deterministic PRNG (mulberry32), so every run loads the same trail. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draftFor(i: number, rnd: () => number): AuditDraft {
  const base = auditDraft({
    id: `evt_q_${i}`,
    at: new Date(START + i * 60_000).toISOString(),
    action: "audit_exported",
    actor: { partnerId: "essex-police", sub: "ig-officer", clientId: "essex-police-ig" },
    requestId: `req_q_${i}`,
  });
  const kind = rnd();
  if (kind < 0.1) return { ...base, target: { kind: "audit_trail", id: "ndjson" } };
  if (kind < 0.2) {
    const actor = { partnerId: null, sub: "registry-admin", clientId: null };
    return { ...base, action: "partner_changed", actor, target: { kind: "partner", id: "essex-yos" } };
  }
  const concern = Math.floor(rnd() * 30);
  const recipientId = itemAt(RECIPIENTS, Math.floor(rnd() * RECIPIENTS.length));
  const action = itemAt(CONCERN_ACTIONS, Math.floor(rnd() * CONCERN_ACTIONS.length));
  const partnerId = BY_RECIPIENT.has(action)
    ? recipientId
    : action === "deadline_missed"
      ? null
      : "essex-police";
  return {
    ...base,
    action,
    actor: {
      partnerId,
      sub: partnerId ? `user-${i % 7}` : "lantern",
      clientId: partnerId ? `${partnerId}-app` : null,
    },
    subjectId: `subj_q_${concern % 10}`,
    concernId: `con_q_${concern}`,
    notificationId: `ntf_q_${concern}_${recipientId}`,
    recipientId,
    purpose: "safeguarding",
  };
}

/** Events in time order, dealt round the shards and chained per shard. */
function buildTrail(): AuditEvent[] {
  const rnd = random(20261124);
  const perShard = Array.from({ length: SHARDS }, () => [] as AuditDraft[]);
  for (let i = 0; i < TOTAL; i++) perShard[i % SHARDS]?.push(draftFor(i, rnd));
  return perShard.flatMap((drafts, shard) => chain(drafts, genesis(shard)));
}

/** BatchWriteItem, 25 items a request and 8 requests at a time, retrying unprocessed items. */
async function load(
  doc: DynamoDBDocumentClient,
  table: string,
  events: readonly AuditEvent[],
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < events.length; i += 25) batches.push(events.slice(i, i + 25).map(auditItem));
  const worker = async () => {
    for (let batch = batches.pop(); batch; batch = batches.pop()) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

interface Call {
  name: string;
  index: string | undefined;
  scanned: number;
  count: number;
  items: Record<string, unknown>[];
}

type Index = keyof typeof AUDIT_INDEX_KEYS;

const bySortKey = (events: AuditEvent[]) =>
  events
    .map((e) => ({ e, key: auditItem(e).sortKey as string }))
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map(({ e }) => e);

const inRange = (e: AuditEvent, from: string, to: string) => e.at >= from && e.at <= to;

describe("auditor queries over 10,000 events on DynamoDB Local", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let events: AuditEvent[];
  let loadMs = 0;
  const calls: Call[] = [];
  /** Every command name sent after the load, never reset. */
  const sentNames = new Set<string>();

  beforeAll(async () => {
    store = await freshStore({ shards: SHARDS, seed: false });
    events = buildTrail();
    const started = performance.now();
    await load(store.doc, store.tables.audit, events);
    loadMs = performance.now() - started;
    // Every command the client sends from here on is recorded, with what it read.
    store.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const input = args.input as { IndexName?: string };
        const output = result.output as {
          ScannedCount?: number;
          Count?: number;
          Items?: Record<string, unknown>[];
        };
        sentNames.add(context.commandName ?? "unknown");
        calls.push({
          name: context.commandName ?? "unknown",
          index: input.IndexName,
          scanned: output.ScannedCount ?? 0,
          count: output.Count ?? 0,
          items: output.Items ?? [],
        });
        return result;
      },
      { step: "initialize", name: "recordAuditCommands" },
    );
  }, 120_000);

  /** Everything the store returns for a filter, page by page, and the commands it sent. */
  async function viaStore(filter: AuditQuery, limit: number) {
    calls.length = 0;
    const found: AuditEvent[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.audit.query(filter, cursor, limit);
      found.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { found, sent: [...calls] };
  }

  /** The equivalent raw query: COUNT only, with the capacity it consumed. */
  async function rawCount(index: Index, value: string, from = "0", to = "9999") {
    let [scanned, count, capacity] = [0, 0, 0];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await store.doc.send(
        new QueryCommand({
          TableName: store.tables.audit,
          IndexName: index,
          KeyConditionExpression: "#pk = :pk AND #sortKey BETWEEN :low AND :high",
          ExpressionAttributeNames: { "#pk": AUDIT_INDEX_KEYS[index], "#sortKey": "sortKey" },
          ExpressionAttributeValues: { ":pk": value, ":low": from, ":high": `${to}~` },
          Select: "COUNT",
          ReturnConsumedCapacity: "TOTAL",
          ExclusiveStartKey: start,
        }),
      );
      scanned += out.ScannedCount ?? 0;
      count += out.Count ?? 0;
      capacity += out.ConsumedCapacity?.CapacityUnits ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return { scanned, count, capacity };
  }

  it("loads 10,000 chained events with BatchWriteItem", async ({ annotate }) => {
    // Act
    const counts = await Promise.all(
      Array.from({ length: SHARDS }, async (_, shard) => {
        let [count, start] = [0, undefined as Record<string, unknown> | undefined];
        do {
          const out = await store.doc.send(
            new QueryCommand({
              TableName: store.tables.audit,
              KeyConditionExpression: "#shard = :shard",
              ExpressionAttributeNames: { "#shard": "shard" },
              ExpressionAttributeValues: { ":shard": shard },
              Select: "COUNT",
              ExclusiveStartKey: start,
            }),
          );
          count += out.Count ?? 0;
          start = out.LastEvaluatedKey;
        } while (start);
        return count;
      }),
    );
    const verified = await verifyAudit({ events, checkpoints: [], keys: { keys: [] }, shards: SHARDS });

    // Assess
    await annotate(`10,000 events loaded in ${Math.round(loadMs)} ms`);
    expect(counts).toEqual([2500, 2500, 2500, 2500]);
    expect(verified.valid).toBe(true);
    expect(loadMs).toBeLessThan(90_000);
  });

  const cases: {
    name: string;
    filter: AuditQuery;
    index: Index;
    value: string;
    match: (e: AuditEvent) => boolean;
  }[] = [
    {
      name: "a subject",
      filter: { subjectId: "subj_q_3" },
      index: INDEX.bySubject,
      value: "subj_q_3",
      match: (e) => e.subjectId === "subj_q_3",
    },
    {
      name: "a concern",
      filter: { concernId: "con_q_17" },
      index: INDEX.byConcern,
      value: "con_q_17",
      match: (e) => e.concernId === "con_q_17",
    },
    {
      name: "an action",
      filter: { action: "break_glass_disclosure" },
      index: INDEX.byAction,
      value: "break_glass_disclosure",
      match: (e) => e.action === "break_glass_disclosure",
    },
    {
      name: "an action within a time range",
      filter: { action: "disclosure", from: "2026-10-03T00:00:00.000Z", to: "2026-10-04T11:59:59.999Z" },
      index: INDEX.byAction,
      value: "disclosure",
      match: (e) =>
        e.action === "disclosure" && inRange(e, "2026-10-03T00:00:00.000Z", "2026-10-04T11:59:59.999Z"),
    },
    {
      name: "a subject within a time range",
      filter: { subjectId: "subj_q_5", from: "2026-10-02T06:00:00.000Z", to: "2026-10-02T18:00:00.000Z" },
      index: INDEX.bySubject,
      value: "subj_q_5",
      match: (e) =>
        e.subjectId === "subj_q_5" && inRange(e, "2026-10-02T06:00:00.000Z", "2026-10-02T18:00:00.000Z"),
    },
  ];

  for (const c of cases) {
    it(`reads only the events of ${c.name} from its index`, async ({ annotate }) => {
      // Prepare
      const expected = bySortKey(events.filter(c.match));

      // Act
      const { found, sent } = await viaStore(c.filter, 5000);
      const raw = await rawCount(c.index, c.value, c.filter.from, c.filter.to);

      // Assess
      await annotate(
        `${c.name}: ${expected.length} matches, ScannedCount ${raw.scanned}, ${raw.capacity} RCU`,
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(found).toEqual(expected);
      expect(raw).toMatchObject({ scanned: expected.length, count: expected.length });
      expect(sent.every((s) => s.name === "QueryCommand" && s.index === c.index)).toBe(true);
      expect(sent.reduce((n, s) => n + s.scanned, 0)).toBe(expected.length);
    });
  }

  it("reads only a partner's events, as recipient or actor, from the two indexes", async ({ annotate }) => {
    // Prepare
    const partner = "essex-mash";
    const asRecipient = events.filter((e) => e.recipientId === partner).length;
    const asActor = events.filter((e) => e.actor.partnerId === partner).length;
    const expected = bySortKey(
      events.filter((e) => e.recipientId === partner || e.actor.partnerId === partner),
    );

    // Act
    const { found, sent } = await viaStore({ partnerId: partner }, 5000);
    const raw = [await rawCount(INDEX.byRecipient, partner), await rawCount(INDEX.byActor, partner)];

    // Assess
    await annotate(
      `partner: ${expected.length} matches; ScannedCount ${raw[0]?.scanned} + ${raw[1]?.scanned}`,
    );
    expect(found).toEqual(expected);
    expect(raw).toMatchObject([
      { scanned: asRecipient, count: asRecipient },
      { scanned: asActor, count: asActor },
    ]);
    expect(sent.every((s) => s.name === "QueryCommand" && s.scanned === s.count)).toBe(true);
    expect(sent.reduce((n, s) => n + s.scanned, 0)).toBe(asRecipient + asActor);
    for (const event of sent.flatMap((s) => s.items.map(eventFromItem))) {
      expect(event.recipientId === partner || event.actor.partnerId === partner).toBe(true);
    }
  });

  it("pages a concern's events with the cursor, each page reading at most one event past it", async () => {
    // Prepare
    const expected = bySortKey(events.filter((e) => e.concernId === "con_q_4"));
    const limit = 25;

    // Act
    const { found, sent } = await viaStore({ concernId: "con_q_4" }, limit);

    // Assess
    expect(found).toEqual(expected);
    expect(sent).toHaveLength(Math.ceil(expected.length / limit));
    for (const s of sent) {
      expect(s.scanned).toBeLessThanOrEqual(limit + 1);
      expect(s.items.every((i) => eventFromItem(i).concernId === "con_q_4")).toBe(true);
    }
  });

  it("serves a time range alone from the chain with Queries, never a Scan", async ({ annotate }) => {
    // Prepare
    const [from, to] = ["2026-10-05T00:00:00.000Z", "2026-10-05T01:59:59.999Z"];
    const expected = events.filter((e) => inRange(e, from, to));

    // Act
    const { found, sent } = await viaStore({ from, to }, 1000);

    // Assess
    const scanned = sent.reduce((n, s) => n + s.scanned, 0);
    await annotate(
      `time range alone: ${expected.length} matches, ScannedCount ${scanned} in ${sent.length} Queries`,
    );
    expect(found.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
    expect(sent.every((s) => s.name === "QueryCommand")).toBe(true);
  });

  it("bounds a time range to the trail's first day and today, however wide it is asked", async ({
    annotate,
  }) => {
    // Prepare: the widest range the schema allows; the trail spans a week in October 2026.
    const [from, to] = ["0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"];
    const days = (Date.parse(new Date().toISOString().slice(0, 10)) - Date.parse("2026-10-01")) / 86_400_000;

    // Act
    const { found, sent } = await viaStore({ from, to }, TOTAL + 1);

    // Assess: one Query per day at most from the first event's day to today, plus one key
    // read per shard to find that first day, not ~3.6 million day partitions.
    await annotate(`from year 1 to 9999: ${sent.length} Queries for ${days + 1} days of trail`);
    expect(found).toHaveLength(TOTAL);
    expect(sent.length).toBeLessThanOrEqual(days + 1 + SHARDS);
  });

  it("sent nothing but Queries after the load, across every test above", () => {
    // Prepare
    const expected = ["QueryCommand"];

    // Act
    const names = [...sentNames];

    // Assess
    expect(names).toEqual(expected);
  });
});
